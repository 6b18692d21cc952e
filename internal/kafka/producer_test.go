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

func TestProducerMessageTooLarge(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "small")
		createTopic(t, b, topic, 1, map[string]string{"max.message.bytes": "2048"})
		p := NewProducer(b.cfg, testLogger(t))
		defer p.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()

		tests := []struct {
			name string
			size int
		}{
			{"refused by the broker's topic limit", 8 << 10},
			{"refused by the client before sending", 2 << 20},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := describeTopic(t, b, topic).Partitions[0].HighWatermark
				key := "oversized-" + strconv.Itoa(tt.size)
				err := p.Write(ctx,
					pipeline.Message{Topic: topic, Key: []byte("small-1"), Value: []byte("fits")},
					pipeline.Message{Topic: topic, Key: []byte("small-2"), Value: []byte("fits too")},
					pipeline.Message{Topic: topic, Key: []byte(key), Value: bytes.Repeat([]byte("x"), tt.size)},
				)
				if !errors.Is(err, ErrMessageTooLarge) || !pipeline.IsPermanent(err) {
					t.Fatalf("Write = %v, want a permanent ErrMessageTooLarge", err)
				}
				wantSize := strconv.Itoa(len(key) + tt.size)
				if !strings.Contains(err.Error(), key) || !strings.Contains(err.Error(), wantSize+" bytes") {
					t.Errorf("Write error %q does not name key %s and size %s", err, key, wantSize)
				}
				if tt.size < 1<<20 {
					// The broker refuses the whole batch for one big record; the
					// others are written on their own.
					if after := describeTopic(t, b, topic).Partitions[0].HighWatermark; after != before+2 {
						t.Errorf("high watermark went from %d to %d, want the 2 small messages written", before, after)
					}
				}
			})
		}
	})
}

func TestProducerWaitsForATopicCreatedMeanwhile(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "late")
		cleanupTopics(t, b, topic)
		p := NewProducer(b.cfg, testLogger(t))
		defer p.Close()

		created := make(chan error, 1)
		go func() {
			time.Sleep(300 * time.Millisecond)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err := EnsureTopics(ctx, b.cfg, TopicSpec{Name: topic, Partitions: 2, ReplicationFactor: 1})
			created <- err
		}()
		err := p.Write(context.Background(), pipeline.Message{Topic: topic, Key: []byte("k"), Value: []byte("v")})
		if cerr := <-created; cerr != nil {
			t.Fatalf("create topic: %v", cerr)
		}
		if err != nil {
			t.Fatalf("Write = %v, want nil once the topic exists", err)
		}
		var total int64
		for _, part := range describeTopic(t, b, topic).Partitions {
			total += part.HighWatermark
		}
		if total != 1 {
			t.Errorf("topic holds %d records, want 1", total)
		}
	})
}

func TestProducerGivesUpOnAMissingTopic(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		cfg := b.cfg
		cfg.WriteTimeout = 1500 * time.Millisecond
		p := NewProducer(cfg, testLogger(t))
		defer p.Close()
		topic := uniqueName(t, "missing")
		err := p.Write(context.Background(), pipeline.Message{Topic: topic, Key: []byte("k"), Value: []byte("v")})
		if err == nil || !strings.Contains(err.Error(), topic) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Write = %v, want a deadline error naming the topic", err)
		}
	})
}

func TestProducerRejectsMessageWithoutTopic(t *testing.T) {
	p := NewProducer(testConfig([]string{"127.0.0.1:1"}), nil)
	defer p.Close()
	err := p.Write(context.Background(), pipeline.Message{Key: []byte("story-1")})
	if err == nil || !strings.Contains(err.Error(), "story-1") {
		t.Errorf("Write = %v, want an error naming the key", err)
	}
	if err := p.Write(context.Background()); err != nil {
		t.Errorf("Write() of nothing = %v, want nil", err)
	}
}
