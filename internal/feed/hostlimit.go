package feed

import (
	"container/list"
	"context"
	"net/url"
	"strings"
	"sync"
	"time"
)

// hostSweepMin is the number of remembered hosts below which idle ones are
// not swept: a sweep walks every host, so it runs only when the map doubled.
const hostSweepMin = 64

// hostClock is the limiter's view of time; tests drive a fake one.
type hostClock interface {
	Now() time.Time
	// AfterFunc calls f in its own goroutine once d has passed.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// HostLimiter keeps ingest polite to each host: at most maxPerHost fetches at
// once, and at least minGap between the starts of two fetches, so that dozens
// of feeds of one agency never arrive at its server together. Waiters of a
// host are served in arrival order. Hosts with nothing in flight are forgotten
// once their gap has passed, so memory follows the hosts in use, not every
// host ever seen. Safe for concurrent use.
type HostLimiter struct {
	max   int
	gap   time.Duration
	clock hostClock

	mu      sync.Mutex
	hosts   map[string]*hostSlot
	sweepAt int
}

// hostSlot is one host's share of the limiter; guarded by HostLimiter.mu.
type hostSlot struct {
	active    int
	lastStart time.Time
	queue     list.List // of *hostWaiter, oldest first
	timer     func() bool
}

type hostWaiter struct {
	ready   chan struct{} // closed when the waiter holds a slot
	granted bool
}

// NewHostLimiter allows maxPerHost concurrent fetches per host (at least 1)
// and at least minGap between the starts of two fetches to one host (zero: no gap).
func NewHostLimiter(maxPerHost int, minGap time.Duration) *HostLimiter {
	return newHostLimiter(maxPerHost, minGap, realClock{})
}

func newHostLimiter(maxPerHost int, minGap time.Duration, clock hostClock) *HostLimiter {
	return &HostLimiter{
		max:     max(maxPerHost, 1),
		gap:     max(minGap, 0),
		clock:   clock,
		hosts:   make(map[string]*hostSlot),
		sweepAt: hostSweepMin,
	}
}

// Acquire waits for a fetch slot for host and returns the function that gives
// it back (safe to call more than once). When ctx ends first it returns
// ctx.Err() and holds nothing. Hosts are compared case-insensitively; pass
// HostKey(url) so that every feed of one server shares its slots.
func (h *HostLimiter) Acquire(ctx context.Context, host string) (release func(), err error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	host = strings.ToLower(host)
	h.mu.Lock()
	s := h.slot(host)
	w := &hostWaiter{ready: make(chan struct{})}
	el := s.queue.PushBack(w)
	h.dispatch(s)
	h.mu.Unlock()

	select {
	case <-w.ready:
	case <-ctx.Done():
		h.mu.Lock()
		if !w.granted {
			s.queue.Remove(el)
			// The waiter may have been the one the next grant was waiting for.
			h.dispatch(s)
			h.mu.Unlock()
			return nil, ctx.Err()
		}
		h.mu.Unlock()
		// Granted as ctx ended: give the slot straight back.
		h.release(s)
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() { once.Do(func() { h.release(s) }) }, nil
}

// HostKey is the part of a feed URL the limiter counts by: the host name,
// lower-cased, without the port. An unparsable URL is its own key.
func HostKey(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Hostname() == "" {
		return rawURL
	}
	return strings.ToLower(u.Hostname())
}

// slot returns host's entry, sweeping idle ones when the map has grown.
// Called with h.mu held.
func (h *HostLimiter) slot(host string) *hostSlot {
	if s, ok := h.hosts[host]; ok {
		return s
	}
	if len(h.hosts) >= h.sweepAt {
		now := h.clock.Now()
		for k, s := range h.hosts {
			if h.idle(s, now) {
				delete(h.hosts, k)
			}
		}
		h.sweepAt = max(hostSweepMin, 2*len(h.hosts))
	}
	s := &hostSlot{}
	h.hosts[host] = s
	return s
}

// idle: nothing in flight or waiting, and the gap since the last start has
// passed, so forgetting the host cannot let a fetch start early.
func (h *HostLimiter) idle(s *hostSlot, now time.Time) bool {
	return s.active == 0 && s.queue.Len() == 0 && !now.Before(s.lastStart.Add(h.gap))
}

// dispatch grants slots to the host's waiters in order while the concurrency
// limit and the gap allow, and otherwise arms a timer for the gap's end.
// Called with h.mu held.
func (h *HostLimiter) dispatch(s *hostSlot) {
	for s.queue.Len() > 0 && s.active < h.max {
		now := h.clock.Now()
		if !s.lastStart.IsZero() {
			if due := s.lastStart.Add(h.gap); now.Before(due) {
				if s.timer == nil {
					s.timer = h.clock.AfterFunc(due.Sub(now), func() {
						h.mu.Lock()
						s.timer = nil
						h.dispatch(s)
						h.mu.Unlock()
					})
				}
				return
			}
		}
		w := s.queue.Remove(s.queue.Front()).(*hostWaiter)
		s.active++
		s.lastStart = now
		w.granted = true
		close(w.ready)
	}
}

func (h *HostLimiter) release(s *hostSlot) {
	h.mu.Lock()
	defer h.mu.Unlock()
	s.active--
	h.dispatch(s)
}
