package kafka

import (
	"context"
	"errors"
	"sync"
	"time"
)

// errDrainDeadline is the cause of a work context that outlived its grace period.
var errDrainDeadline = errors.New("drain deadline exceeded")

// drainContext returns a context for in-flight work: it keeps parent's values but not its
// cancellation, and ends grace after parent is cancelled. So a batch started before a
// shutdown can still be processed, flushed and committed, within a bound.
func drainContext(parent context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(context.WithoutCancel(parent))
	var (
		mu      sync.Mutex
		timer   *time.Timer
		stopped bool
	)
	stop := context.AfterFunc(parent, func() {
		mu.Lock()
		defer mu.Unlock()
		if !stopped {
			timer = time.AfterFunc(grace, func() { cancel(errDrainDeadline) })
		}
	})
	return ctx, func() {
		stop()
		mu.Lock()
		stopped = true
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel(context.Canceled)
	}
}
