package kafka

import (
	"bytes"
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestDLQSend(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		dlq := uniqueName(t, "dlq")
		createTopic(t, b, dlq, 1, map[string]string{"max.message.bytes": "8192"})
		p := NewProducer(b.cfg, testLogger(t))
		defer p.Close()
		d := NewDLQ(p, dlq)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()

		// A message replayed from the DLQ carries the headers of its first failure.
		replayed := pipeline.Message{
			Topic: "wire.stories", Partition: 2, Offset: 41, Key: []byte("story-1"), Value: []byte("{}"),
			Headers: []pipeline.Header{{Key: "trace-id", Value: []byte("t1")}, {Key: HeaderError, Value: []byte("old failure")}, {Key: HeaderAttempts, Value: []byte("3")}},
		}
		if err := d.Send(ctx, "sink", replayed, 2, errors.New("new failure")); err != nil {
			t.Fatalf("Send: %v", err)
		}
		// A value that fits its own topic but not the DLQ with the added headers.
		big := pipeline.Message{Topic: "wire.raw", Key: []byte("story-2"), Value: bytes.Repeat([]byte("x"), 7000)}
		if err := d.Send(ctx, "enrich", big, 3, errors.New(strings.Repeat("e", 10<<10))); err != nil {
			t.Fatalf("Send of a large message: %v", err)
		}

		got := readTopic(t, b, dlq, 2)
		first := got[0]
		counts := map[string]int{}
		for _, h := range first.Headers {
			counts[h.Key]++
		}
		h := headerMap(first)
		if counts[HeaderError] != 1 || counts[HeaderAttempts] != 1 || h[HeaderError] != "new failure" || h[HeaderAttempts] != "2" || h["trace-id"] != "t1" {
			t.Errorf("replayed dead letter headers %v, want the new failure's only, and trace-id kept", first.Headers)
		}
		if h[HeaderTopic] != "wire.stories" || h[HeaderPartition] != "2" || h[HeaderOffset] != "41" || h[HeaderStage] != "sink" {
			t.Errorf("replayed dead letter origin headers %v, want wire.stories/2/41 from sink", h)
		}

		second := got[1]
		h = headerMap(second)
		if len(second.Value) != 0 || h[HeaderValueOmitted] != strconv.Itoa(len(big.Value)) || string(second.Key) != "story-2" {
			t.Errorf("large dead letter: key %q, %d value bytes, %s=%q; want the key, no value, and the value's size",
				second.Key, len(second.Value), HeaderValueOmitted, h[HeaderValueOmitted])
		}
		if len(h[HeaderError]) > maxErrorHeader+len("…") {
			t.Errorf("error header of %d bytes, want at most %d", len(h[HeaderError]), maxErrorHeader)
		}
	})
}

func TestDLQSendWithoutProducer(t *testing.T) {
	var d *DLQ
	if err := d.Send(context.Background(), "sink", pipeline.Message{}, 1, errors.New("x")); err == nil {
		t.Error("Send on a nil DLQ = nil, want an error")
	}
}
