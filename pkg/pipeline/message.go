package pipeline

import "time"

// Message is a broker-neutral record: what a stage consumes and produces. The Kafka
// adapter converts to and from its client's type, so stages never import a broker.
type Message struct {
	Topic     string
	Partition int
	Offset    int64
	Key       []byte
	Value     []byte
	Headers   []Header
	Time      time.Time
}

// Header is a record header.
type Header struct {
	Key   string
	Value []byte
}

// Header returns the value of the first header named key, or nil.
func (m Message) Header(key string) []byte {
	for _, h := range m.Headers {
		if h.Key == key {
			return h.Value
		}
	}
	return nil
}
