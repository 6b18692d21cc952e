package kafka

import (
	"context"
	"math/rand/v2"
	"time"
)

// backoff is a capped exponential delay with jitter, so that consumers retrying against
// the same outage do not fall into step.
type backoff struct {
	min, max time.Duration
}

// delay returns the wait before retry number attempt (1 for the first retry).
func (b backoff) delay(attempt int) time.Duration {
	d := b.min
	for i := 1; i < attempt && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	// Keep at least half of the delay so the cap still bounds the retry rate.
	half := d / 2
	if half <= 0 {
		return d
	}
	return half + rand.N(half+1)
}

// sleep waits for d or until ctx is done, and reports whether the full wait happened.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
