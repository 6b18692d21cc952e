package feed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/goleak"
)

// fakeClock moves only when told; due callbacks run inside Advance, so after
// Advance returns the limiter has done everything the new time allows.
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped bool
}

func newFakeClock() *fakeClock { return &fakeClock{now: schedNow} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &fakeTimer{at: c.now.Add(d), f: f}
	c.timers = append(c.timers, t)
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		was := !t.stopped
		t.stopped = true
		return was
	}
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []*fakeTimer
	keep := c.timers[:0]
	for _, t := range c.timers {
		switch {
		case t.stopped:
		case !t.at.After(c.now):
			t.stopped = true
			due = append(due, t)
		default:
			keep = append(keep, t)
		}
	}
	c.timers = keep
	c.mu.Unlock()
	for _, t := range due {
		t.f()
	}
}

// waiting is how many Acquire calls wait for host.
func (h *HostLimiter) waiting(host string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.hosts[host]; ok {
		return s.queue.Len()
	}
	return 0
}

func (h *HostLimiter) inFlight(host string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	if s, ok := h.hosts[host]; ok {
		return s.active
	}
	return 0
}

// untilWaiting blocks until n Acquire calls wait for host. It waits for a
// state, not for a duration, so a slow machine only makes it slower.
func untilWaiting(t *testing.T, h *HostLimiter, host string, n int) {
	t.Helper()
	for h.waiting(host) != n {
		runtime.Gosched()
	}
}

// untilQueued is untilWaiting for a waiter that must not be granted yet: it
// fails instead of hanging if the Acquire returns.
func untilQueued(t *testing.T, h *HostLimiter, host string, n int, ch <-chan acquired) {
	t.Helper()
	for h.waiting(host) != n {
		select {
		case got := <-ch:
			t.Fatalf("Acquire(%s) returned (err %v) while it should wait", host, got.err)
		default:
			runtime.Gosched()
		}
	}
}

type acquired struct {
	release func()
	err     error
}

func acquireAsync(ctx context.Context, h *HostLimiter, host string) <-chan acquired {
	ch := make(chan acquired, 1)
	go func() {
		r, err := h.Acquire(ctx, host)
		ch <- acquired{r, err}
	}()
	return ch
}

func mustAcquire(t *testing.T, h *HostLimiter, host string) func() {
	t.Helper()
	r, err := h.Acquire(context.Background(), host)
	if err != nil {
		t.Fatalf("Acquire(%s): %v", host, err)
	}
	return r
}

func TestHostLimiterConcurrencyPerHost(t *testing.T) {
	defer goleak.VerifyNone(t)
	h := NewHostLimiter(2, 0)
	r1 := mustAcquire(t, h, "wire.example")
	r2 := mustAcquire(t, h, "WIRE.example") // same host, any case
	third := acquireAsync(context.Background(), h, "wire.example")
	untilQueued(t, h, "wire.example", 1, third)
	if n := h.inFlight("wire.example"); n != 2 {
		t.Fatalf("in flight %d, want 2", n)
	}
	// Another host is not held up by this one.
	other := mustAcquire(t, h, "photos.example")
	other()

	r1()
	got := <-third
	if got.err != nil {
		t.Fatalf("third Acquire: %v", got.err)
	}
	if n := h.inFlight("wire.example"); n != 2 {
		t.Errorf("in flight after hand-over %d, want 2", n)
	}
	got.release()
	r2()
	if n := h.inFlight("wire.example"); n != 0 {
		t.Errorf("in flight after all released %d, want 0", n)
	}
}

func TestHostLimiterMinimumGap(t *testing.T) {
	clock := newFakeClock()
	h := newHostLimiter(4, 10*time.Second, clock)
	start := clock.Now()
	r1 := mustAcquire(t, h, "wire.example")
	second := acquireAsync(context.Background(), h, "wire.example")
	untilQueued(t, h, "wire.example", 1, second)

	clock.Advance(9 * time.Second)
	if n := h.waiting("wire.example"); n != 1 {
		t.Fatalf("9s after the first start: %d waiting, want the second still waiting", n)
	}
	// Another host has its own gap.
	mustAcquire(t, h, "photos.example")()

	clock.Advance(time.Second)
	got := <-second
	if got.err != nil {
		t.Fatal(got.err)
	}
	if at := clock.Now(); at.Before(start.Add(10 * time.Second)) {
		t.Errorf("second start at +%s, want not before +10s", at.Sub(start))
	}
	got.release()
	r1()

	// The gap counts from the start, not the end, of the previous fetch.
	clock.Advance(10 * time.Second)
	mustAcquire(t, h, "wire.example")()
}

func TestHostLimiterFIFO(t *testing.T) {
	defer goleak.VerifyNone(t)
	h := NewHostLimiter(1, 0)
	hold := mustAcquire(t, h, "wire.example")
	const n = 6
	order := make(chan int, n) // grant order: each waiter reports before it releases
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := h.Acquire(context.Background(), "wire.example")
			if err != nil {
				t.Errorf("waiter %d: %v", i, err)
				return
			}
			order <- i
			r()
		})
		untilWaiting(t, h, "wire.example", i+1)
	}
	hold()
	wg.Wait()
	close(order)
	want := 0
	for got := range order {
		if got != want {
			t.Fatalf("waiter %d served in place %d: not first come, first served", got, want)
		}
		want++
	}
	if want != n {
		t.Fatalf("%d waiters served, want %d", want, n)
	}
}

func TestHostLimiterCancelledWaiterHoldsNothing(t *testing.T) {
	defer goleak.VerifyNone(t)
	h := NewHostLimiter(1, 0)
	hold := mustAcquire(t, h, "wire.example")
	ctx, cancel := context.WithCancel(context.Background())
	waiter := acquireAsync(ctx, h, "wire.example")
	behind := acquireAsync(context.Background(), h, "wire.example")
	untilWaiting(t, h, "wire.example", 2)
	cancel()
	got := <-waiter
	if !errors.Is(got.err, context.Canceled) || got.release != nil {
		t.Fatalf("cancelled Acquire = (%v, release set %v), want context.Canceled and no release", got.err, got.release != nil)
	}
	if n := h.waiting("wire.example"); n != 1 {
		t.Fatalf("%d waiting after the cancel, want 1", n)
	}
	hold()
	next := <-behind
	if next.err != nil {
		t.Fatal(next.err)
	}
	next.release()
	if n := h.inFlight("wire.example"); n != 0 {
		t.Errorf("in flight %d after everything was released, want 0 (a slot leaked)", n)
	}
}

func TestHostLimiterCancelWhileWaitingForGap(t *testing.T) {
	clock := newFakeClock()
	h := newHostLimiter(2, time.Minute, clock)
	mustAcquire(t, h, "wire.example")()
	ctx, cancel := context.WithCancel(context.Background())
	first := acquireAsync(ctx, h, "wire.example")
	untilQueued(t, h, "wire.example", 1, first)
	second := acquireAsync(context.Background(), h, "wire.example")
	untilQueued(t, h, "wire.example", 2, second)
	cancel()
	if got := <-first; !errors.Is(got.err, context.Canceled) {
		t.Fatalf("cancelled waiter: %v, want context.Canceled", got.err)
	}
	clock.Advance(time.Minute)
	if n := h.waiting("wire.example"); n != 0 {
		t.Fatalf("%d waiting once the gap passed, want 0: the cancelled waiter took the turn", n)
	}
	got := <-second
	if got.err != nil {
		t.Fatalf("the waiter behind a cancelled one: %v", got.err)
	}
	got.release()
}

func TestHostLimiterCancelledContext(t *testing.T) {
	h := NewHostLimiter(1, 0)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if r, err := h.Acquire(ctx, "wire.example"); !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("Acquire with a cancelled context = %v, want context.Canceled", err)
	}
	mustAcquire(t, h, "wire.example")()
}

// cancelledOnArrival is a context whose Done is closed from the start while
// its first Err still says nil: Acquire then finds a free slot and a cancelled
// context at once, the race a real cancellation can hit.
type cancelledOnArrival struct {
	context.Context
	done  chan struct{}
	calls atomic.Int32
}

func newCancelledOnArrival() *cancelledOnArrival {
	c := &cancelledOnArrival{Context: context.Background(), done: make(chan struct{})}
	close(c.done)
	return c
}

func (c *cancelledOnArrival) Done() <-chan struct{} { return c.done }

func (c *cancelledOnArrival) Err() error {
	if c.calls.Add(1) == 1 {
		return nil
	}
	return context.Canceled
}

func TestHostLimiterGrantRacingCancelLeaksNothing(t *testing.T) {
	h := NewHostLimiter(1, 0)
	var cancelled int
	for range 200 {
		r, err := h.Acquire(newCancelledOnArrival(), "wire.example")
		switch {
		case err != nil:
			cancelled++
		default:
			r()
		}
		if n := h.inFlight("wire.example"); n != 0 {
			t.Fatalf("in flight %d after Acquire returned %v and everything was released: a slot leaked", n, err)
		}
	}
	if cancelled == 0 {
		t.Fatal("the cancelled path never ran in 200 tries")
	}
}

func TestHostLimiterReleaseTwice(t *testing.T) {
	h := NewHostLimiter(1, 0)
	r := mustAcquire(t, h, "wire.example")
	r()
	r()
	mustAcquire(t, h, "wire.example") // held
	if n := h.inFlight("wire.example"); n != 1 {
		t.Fatalf("in flight %d, want 1: a second release freed a slot it did not hold", n)
	}
}

func TestHostLimiterForgetsIdleHosts(t *testing.T) {
	clock := newFakeClock()
	h := newHostLimiter(1, time.Second, clock)
	busy := mustAcquire(t, h, "busy.example")
	for i := range 5000 {
		mustAcquire(t, h, fmt.Sprintf("host-%d.example", i))()
		clock.Advance(time.Second)
	}
	h.mu.Lock()
	n := len(h.hosts)
	_, kept := h.hosts["busy.example"]
	h.mu.Unlock()
	if n > 2*hostSweepMin {
		t.Errorf("%d hosts remembered after 5000 idle ones, want at most %d", n, 2*hostSweepMin)
	}
	if !kept {
		t.Fatal("a host with a fetch in flight was forgotten")
	}
	waiter := acquireAsync(context.Background(), h, "busy.example")
	untilWaiting(t, h, "busy.example", 1)
	busy()
	got := <-waiter
	if got.err != nil {
		t.Fatal(got.err)
	}
	got.release()
}

func TestHostLimiterRecentHostIsNotForgotten(t *testing.T) {
	clock := newFakeClock()
	h := newHostLimiter(1, time.Hour, clock)
	mustAcquire(t, h, "wire.example")()
	for i := range 3 * hostSweepMin {
		mustAcquire(t, h, fmt.Sprintf("host-%d.example", i))()
	}
	// Forgetting wire.example now would let its next fetch skip the gap.
	waiter := acquireAsync(context.Background(), h, "wire.example")
	untilQueued(t, h, "wire.example", 1, waiter)
	clock.Advance(time.Hour)
	got := <-waiter
	if got.err != nil {
		t.Fatal(got.err)
	}
	got.release()
}

// TestHostLimiterStress runs many fetches over few hosts with random
// cancellations under the race detector; it asserts the limit, not timing.
func TestHostLimiterStress(t *testing.T) {
	defer goleak.VerifyNone(t)
	const perHost = 2
	h := NewHostLimiter(perHost, 100*time.Microsecond)
	hosts := []string{"a.example", "b.example", "c.example"}
	var active [3]atomic.Int32
	var over atomic.Bool
	var granted, cancelled atomic.Int32
	var wg sync.WaitGroup
	for i := range 300 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(i), 7))
			hi := rng.IntN(len(hosts))
			// The deadline only turns a leaked slot into a failure instead of a hang.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if rng.IntN(4) == 0 {
				go cancel()
			}
			release, err := h.Acquire(ctx, hosts[hi])
			if err != nil {
				cancelled.Add(1)
				return
			}
			if active[hi].Add(1) > perHost {
				over.Store(true)
			}
			runtime.Gosched()
			active[hi].Add(-1)
			granted.Add(1)
			release()
		})
	}
	wg.Wait()
	if over.Load() {
		t.Error("more than 2 fetches at once to one host")
	}
	if granted.Load()+cancelled.Load() != 300 || granted.Load() == 0 {
		t.Errorf("granted %d, cancelled %d, want 300 in all", granted.Load(), cancelled.Load())
	}
	for _, host := range hosts {
		if n := h.inFlight(host); n != 0 {
			t.Errorf("%s: %d in flight after every fetch ended (a slot leaked)", host, n)
		}
		if n := h.waiting(host); n != 0 {
			t.Errorf("%s: %d still waiting", host, n)
		}
	}
}

func TestHostKey(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://Wire.Example:8443/rss?key=1", "wire.example"},
		{"http://wire.example/a", "wire.example"},
		{"http://[::1]:8080/feed", "::1"},
		{"::not a url", "::not a url"},
	}
	for _, tt := range tests {
		if got := HostKey(tt.url); got != tt.want {
			t.Errorf("HostKey(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}
