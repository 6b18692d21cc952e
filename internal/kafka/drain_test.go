package kafka

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestDrainContext(t *testing.T) {
	t.Run("outlives its parent for the grace period", func(t *testing.T) {
		parent, cancelParent := context.WithCancel(context.Background())
		work, cancel := drainContext(parent, time.Hour)
		defer cancel()
		cancelParent()
		if err := work.Err(); err != nil {
			t.Errorf("work context ended with its parent: %v", err)
		}
	})
	t.Run("ends after the grace period", func(t *testing.T) {
		parent, cancelParent := context.WithCancel(context.Background())
		work, cancel := drainContext(parent, 10*time.Millisecond)
		defer cancel()
		cancelParent()
		select {
		case <-work.Done():
		case <-time.After(30 * time.Second):
			t.Fatal("work context never ended")
		}
		if !errors.Is(context.Cause(work), errDrainDeadline) {
			t.Errorf("cause = %v, want %v", context.Cause(work), errDrainDeadline)
		}
	})
	t.Run("keeps the parent's values", func(t *testing.T) {
		type key struct{}
		work, cancel := drainContext(context.WithValue(context.Background(), key{}, "v"), time.Hour)
		defer cancel()
		if work.Value(key{}) != "v" {
			t.Error("value lost")
		}
	})
	t.Run("cancel ends it at once", func(t *testing.T) {
		work, cancel := drainContext(context.Background(), time.Hour)
		cancel()
		if !errors.Is(work.Err(), context.Canceled) {
			t.Errorf("Err = %v, want canceled", work.Err())
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	b := backoff{min: 100 * time.Millisecond, max: time.Second}
	tests := []struct {
		attempt int
		ceiling time.Duration
	}{
		{1, 100 * time.Millisecond},
		{2, 200 * time.Millisecond},
		{4, 800 * time.Millisecond},
		{5, time.Second},
		{60, time.Second},
	}
	for _, tt := range tests {
		for range 20 {
			if d := b.delay(tt.attempt); d < tt.ceiling/2 || d > tt.ceiling {
				t.Errorf("delay(%d) = %s, want within [%s, %s]", tt.attempt, d, tt.ceiling/2, tt.ceiling)
			}
		}
	}
}
