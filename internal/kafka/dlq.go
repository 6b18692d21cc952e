package kafka

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Headers added to a dead-lettered message, beside the original headers.
const (
	HeaderError     = "wirehose.error"
	HeaderStage     = "wirehose.stage"
	HeaderTopic     = "wirehose.topic"
	HeaderPartition = "wirehose.partition"
	HeaderOffset    = "wirehose.offset"
	HeaderAttempts  = "wirehose.attempts"
	HeaderFailedAt  = "wirehose.failed_at" // RFC 3339, UTC
	// HeaderValueOmitted holds the size of a value left out because the dead-letter
	// record was too large with it; the value stays at its original topic and offset.
	HeaderValueOmitted = "wirehose.value_omitted"
)

// DLQ writes messages that a stage could not process to the dead-letter topic.
type DLQ struct {
	p     *Producer
	topic string
	now   func() time.Time
}

// NewDLQ returns a DLQ producing to topic through p.
func NewDLQ(p *Producer, topic string) *DLQ {
	return &DLQ{p: p, topic: topic, now: time.Now}
}

// Send produces m's key, value and headers to the dead-letter topic with the failure's
// details in wirehose.* headers, and returns only once the write is acknowledged, so the
// caller may then commit m's offset. Headers of an earlier failure (a message replayed
// from the DLQ) are replaced, not repeated. Should the broker refuse the record for its
// size (the added headers can push a record near the limit over it), it is sent again
// without its value and with HeaderValueOmitted, so a poison message never blocks its
// partition.
func (d *DLQ) Send(ctx context.Context, stage string, m pipeline.Message, attempts int, cause error) error {
	if d == nil || d.p == nil || d.topic == "" {
		return errors.New("dlq: no producer or topic configured")
	}
	if cause == nil {
		cause = errors.New("unknown error")
	}
	headers := make([]pipeline.Header, 0, len(m.Headers)+7)
	for _, h := range m.Headers {
		if !isDLQHeader(h.Key) {
			headers = append(headers, h)
		}
	}
	headers = append(headers,
		pipeline.Header{Key: HeaderError, Value: []byte(errorText(cause))},
		pipeline.Header{Key: HeaderStage, Value: []byte(stage)},
		pipeline.Header{Key: HeaderTopic, Value: []byte(m.Topic)},
		pipeline.Header{Key: HeaderPartition, Value: []byte(strconv.Itoa(m.Partition))},
		pipeline.Header{Key: HeaderOffset, Value: []byte(strconv.FormatInt(m.Offset, 10))},
		pipeline.Header{Key: HeaderAttempts, Value: []byte(strconv.Itoa(attempts))},
		pipeline.Header{Key: HeaderFailedAt, Value: []byte(d.now().UTC().Format(time.RFC3339))},
	)
	out := pipeline.Message{Topic: d.topic, Key: m.Key, Value: m.Value, Headers: headers}
	err := d.p.Write(ctx, out)
	if errors.Is(err, ErrMessageTooLarge) && len(m.Value) > 0 {
		out.Value = nil
		out.Headers = append(out.Headers, pipeline.Header{Key: HeaderValueOmitted, Value: []byte(strconv.Itoa(len(m.Value)))})
		err = d.p.Write(ctx, out)
	}
	if err != nil {
		return fmt.Errorf("dlq %s: message %s/%d/%d from stage %s: %w", d.topic, m.Topic, m.Partition, m.Offset, stage, err)
	}
	return nil
}

// maxErrorHeader bounds the error text kept in a dead-letter record: some errors quote
// whole documents.
const maxErrorHeader = 4 << 10

func errorText(err error) string {
	s := err.Error()
	if len(s) <= maxErrorHeader {
		return s
	}
	return strings.ToValidUTF8(s[:maxErrorHeader], "") + "…"
}

func isDLQHeader(key string) bool {
	switch key {
	case HeaderError, HeaderStage, HeaderTopic, HeaderPartition, HeaderOffset, HeaderAttempts, HeaderFailedAt, HeaderValueOmitted:
		return true
	}
	return false
}
