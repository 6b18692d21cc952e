package kafka

import (
	"reflect"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestConvertRoundTrip(t *testing.T) {
	at := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	km := kafka.Message{
		Topic: "wire.raw", Partition: 2, Offset: 17, Key: []byte("k"), Value: []byte("v"), Time: at,
		Headers: []kafka.Header{{Key: "trace-id", Value: []byte("t")}},
	}
	m := fromKafka(km)
	want := pipeline.Message{
		Topic: "wire.raw", Partition: 2, Offset: 17, Key: []byte("k"), Value: []byte("v"), Time: at,
		Headers: []pipeline.Header{{Key: "trace-id", Value: []byte("t")}},
	}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("fromKafka = %+v, want %+v", m, want)
	}
	back := toKafka(m)
	// The balancer and the broker decide partition and offset of a produced record.
	if back.Partition != 0 || back.Offset != 0 || back.Topic != km.Topic || string(back.Key) != "k" ||
		!reflect.DeepEqual(back.Headers, km.Headers) || !back.Time.Equal(at) {
		t.Errorf("toKafka = %+v, want topic, key, value, headers and time of %+v", back, km)
	}
	if got := messageSize(back); got != len("k")+len("v")+len("trace-id")+len("t") {
		t.Errorf("messageSize = %d", got)
	}
}
