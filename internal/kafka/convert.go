package kafka

import (
	"github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// toKafka converts a pipeline message for the writer. Partition and Offset are not
// carried: the balancer picks the partition from the key and the broker assigns the offset.
func toKafka(m pipeline.Message) kafka.Message {
	km := kafka.Message{Topic: m.Topic, Key: m.Key, Value: m.Value, Time: m.Time}
	if len(m.Headers) > 0 {
		km.Headers = make([]kafka.Header, len(m.Headers))
		for i, h := range m.Headers {
			km.Headers[i] = kafka.Header{Key: h.Key, Value: h.Value}
		}
	}
	return km
}

// fromKafka converts a fetched message for a stage.
func fromKafka(km kafka.Message) pipeline.Message {
	m := pipeline.Message{
		Topic:     km.Topic,
		Partition: km.Partition,
		Offset:    km.Offset,
		Key:       km.Key,
		Value:     km.Value,
		Time:      km.Time,
	}
	if len(km.Headers) > 0 {
		m.Headers = make([]pipeline.Header, len(km.Headers))
		for i, h := range km.Headers {
			m.Headers[i] = pipeline.Header{Key: h.Key, Value: h.Value}
		}
	}
	return m
}

// messageSize is the payload size of a record as the broker's size limit sees it,
// without the record batch overhead.
func messageSize(m kafka.Message) int {
	n := len(m.Key) + len(m.Value)
	for _, h := range m.Headers {
		n += len(h.Key) + len(h.Value)
	}
	return n
}
