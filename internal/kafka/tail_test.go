package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// tailed collects what a Tail hands over.
type tailed struct {
	mu   sync.Mutex
	keys []string
}

func (r *tailed) add(m pipeline.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	v := string(m.Value)
	if len(m.Value) == 0 {
		v = "<tombstone>"
	}
	r.keys = append(r.keys, string(m.Key)+"="+v)
	return nil
}

func (r *tailed) snapshot() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := slices.Clone(r.keys)
	slices.Sort(out)
	return out
}

func TestTailContinuesWhereTheRestoreEnded(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "dedupe")
		createTopic(t, b, topic, 3, DedupeTopicSpec(topic, 3, 1).Configs)
		writeRecords(t, b, topic, "u:a", "a1", "u:b", "b1", "f:x", "a", "u:a", "a2")

		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		restored := &tailed{}
		next, err := ReadTopicUntil(ctx, b.cfg, topic, restored.add)
		if err != nil {
			t.Fatalf("ReadTopicUntil: %v", err)
		}
		wantRestored := []string{"f:x=a", "u:a=a1", "u:a=a2", "u:b=b1"}
		if got := restored.snapshot(); !slices.Equal(got, wantRestored) {
			t.Fatalf("restored %v, want %v", got, wantRestored)
		}
		var total int64
		for _, o := range next {
			total += o
		}
		if len(next) != 3 || total != 4 {
			t.Fatalf("restore ended at %v, want 3 partitions holding 4 records", next)
		}

		tctx, stop := context.WithCancel(ctx)
		got := &tailed{}
		done := make(chan error, 1)
		go func() { done <- Tail(tctx, b.cfg, topic, next, got.add) }()
		writeRecords(t, b, topic, "u:c", "c1", "u:b", "", "f:x", "c")
		want := []string{"f:x=c", "u:b=<tombstone>", "u:c=c1"}
		eventually(t, fmt.Sprintf("tail to see %v", want), func() bool { return slices.Equal(got.snapshot(), want) })

		// Nothing before the restore's end is handed over again.
		writeRecords(t, b, topic, "u:d", "d1")
		want = append(want, "u:d=d1")
		eventually(t, "tail to see u:d", func() bool { return len(got.snapshot()) >= len(want) })
		if g := got.snapshot(); !slices.Equal(g, want) {
			t.Errorf("tailed %v, want %v", g, want)
		}
		stop()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Tail returned %v after cancellation, want nil", err)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("Tail did not return within 30s of cancellation")
		}
	})
}

func TestTailFromTheStart(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "dedupe")
		createTopic(t, b, topic, 2, DedupeTopicSpec(topic, 2, 1).Configs)
		writeRecords(t, b, topic, "u:a", "a1", "u:b", "b1")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		got := &tailed{}
		done := make(chan error, 1)
		go func() { done <- Tail(ctx, b.cfg, topic, nil, got.add) }()
		want := []string{"u:a=a1", "u:b=b1"}
		eventually(t, "tail from the first offsets", func() bool { return slices.Equal(got.snapshot(), want) })
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Tail = %v, want nil", err)
		}
	})
}

func TestTailStopsAtTheCallbacksError(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "dedupe")
		createTopic(t, b, topic, 1, DedupeTopicSpec(topic, 1, 1).Configs)
		writeRecords(t, b, topic, "u:a", "a1")
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		boom := errors.New("table full")
		err := Tail(ctx, b.cfg, topic, nil, func(pipeline.Message) error { return boom })
		if err == nil || ctx.Err() != nil {
			t.Fatalf("Tail = %v, want the callback's error before the deadline", err)
		}
		if !errors.Is(err, boom) {
			t.Errorf("Tail = %v, want it to wrap %v", err, boom)
		}
	})
}
