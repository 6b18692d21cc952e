package feed

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

// schedNow is a fixed clock: the schedule is a pure function of its inputs.
var schedNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func testScheduleConfig() ScheduleConfig {
	return ScheduleConfig{MinInterval: time.Minute, MaxInterval: time.Hour, MaxBackoff: time.Hour, Jitter: 0.1, SilentFactor: 10}
}

// noJitter makes the jitter factor exactly 1 (2·0.5−1 = 0).
func noJitter() float64 { return 0.5 }

func ago(d time.Duration) time.Time { return schedNow.Add(-d) }

func statusErr(status int, retryAfter time.Duration) error {
	return fmt.Errorf("feed wire: fetch https://wire.example/rss: %w", &StatusError{Status: status, RetryAfter: retryAfter})
}

func TestScheduleNext(t *testing.T) {
	plain := Feed{ID: "wire"}
	// A feed publishing every ten minutes, last item five minutes ago.
	tenMin := ScheduleState{Interval: 5 * time.Minute, Cadence: 10 * time.Minute, LastItem: ago(5 * time.Minute), LastNew: ago(5 * time.Minute)}

	tests := []struct {
		name string
		feed Feed
		st   ScheduleState
		o    PollOutcome
		// want
		next     time.Duration // NextPoll − now
		interval time.Duration
		cadence  time.Duration // checked when non-zero
	}{
		{
			name: "first poll of a feed without its own interval starts at five minutes",
			feed: plain, next: 5 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "configured interval is the starting point",
			feed: Feed{ID: "wire", Interval: 10 * time.Minute}, next: 10 * time.Minute, interval: 10 * time.Minute,
		},
		{
			name: "configured interval below min_interval widens the range instead of being overridden",
			feed: Feed{ID: "wire", Interval: 20 * time.Second}, next: 20 * time.Second, interval: 20 * time.Second,
		},
		{
			name: "configured interval above max_interval widens the range",
			feed: Feed{ID: "wire", Interval: 3 * time.Hour}, next: 3 * time.Hour, interval: 3 * time.Hour,
		},
		{
			name: "stored interval outside the bounds is clamped after a config change",
			feed: plain, st: ScheduleState{Interval: 10 * time.Hour}, next: time.Hour, interval: time.Hour,
		},
		{
			name: "first poll learns the cadence from the document's publication times",
			feed: plain,
			o:    PollOutcome{Status: 200, NewItems: 4, ItemTimes: []time.Time{ago(10 * time.Minute), ago(40 * time.Minute), ago(20 * time.Minute), ago(30 * time.Minute)}},
			next: 5 * time.Minute, interval: 5 * time.Minute, cadence: 10 * time.Minute,
		},
		{
			name: "busier publishing shortens the interval",
			feed: plain, st: tenMin,
			// Five items in the five minutes since the last one: a one-minute gap.
			o:        PollOutcome{Status: 200, NewItems: 5, ItemTimes: []time.Time{ago(4 * time.Minute), ago(3 * time.Minute), ago(2 * time.Minute), ago(time.Minute), schedNow}},
			cadence:  7*time.Minute + 18*time.Second, // 0.3·1m + 0.7·10m
			interval: 3*time.Minute + 39*time.Second,
			next:     3*time.Minute + 39*time.Second,
		},
		{
			name: "quiet feed lengthens the interval with the time since its last item",
			feed: plain, st: ScheduleState{Interval: 5 * time.Minute, Cadence: 10 * time.Minute, LastItem: ago(50 * time.Minute), LastNew: ago(50 * time.Minute)},
			o:    PollOutcome{Status: 304, NotModified: true},
			next: 25 * time.Minute, interval: 25 * time.Minute, cadence: 10 * time.Minute,
		},
		{
			name: "long silence is clamped at max_interval",
			feed: plain, st: ScheduleState{Interval: 30 * time.Minute, Cadence: 10 * time.Minute, LastItem: ago(5 * time.Hour), LastNew: ago(5 * time.Hour)},
			o:    PollOutcome{Status: 304, NotModified: true},
			next: time.Hour, interval: time.Hour,
		},
		{
			name: "very busy feed is clamped at min_interval",
			feed: plain, st: ScheduleState{Interval: time.Minute, Cadence: 20 * time.Second, LastItem: ago(30 * time.Second), LastNew: ago(30 * time.Second)},
			o:    PollOutcome{Status: 200, NewItems: 3, ItemTimes: []time.Time{ago(20 * time.Second), ago(10 * time.Second), schedNow}},
			next: time.Minute, interval: time.Minute,
		},
		{
			name: "first item after a quiet night counts at most four cadences",
			feed: plain, st: ScheduleState{Interval: time.Hour, Cadence: 10 * time.Minute, LastItem: ago(8 * time.Hour), LastNew: ago(8 * time.Hour)},
			o:        PollOutcome{Status: 200, NewItems: 1, ItemTimes: []time.Time{schedNow}},
			cadence:  19 * time.Minute, // 0.3·40m + 0.7·10m
			interval: 9*time.Minute + 30*time.Second,
			next:     9*time.Minute + 30*time.Second,
		},
		{
			name: "undated items are learned from how often polls find something",
			feed: plain, st: ScheduleState{Interval: 10 * time.Minute, LastNew: ago(20 * time.Minute)},
			o:        PollOutcome{Status: 200, NewItems: 2},
			cadence:  10 * time.Minute,
			interval: 5 * time.Minute, next: 5 * time.Minute,
		},
		{
			name: "back-dated items are learned from arrivals, not from their dates",
			feed: plain, st: ScheduleState{Interval: 5 * time.Minute, Cadence: 10 * time.Minute, LastItem: ago(time.Minute), LastNew: ago(30 * time.Minute)},
			o:        PollOutcome{Status: 200, NewItems: 1, ItemTimes: []time.Time{ago(3 * 24 * time.Hour)}},
			cadence:  16 * time.Minute, // 0.3·30m + 0.7·10m
			interval: 8 * time.Minute, next: 8 * time.Minute,
		},
		{
			name: "retry-after on 503 is a lower bound, moved only later by jitter",
			feed: plain, st: tenMin,
			o:    PollOutcome{Err: statusErr(503, 2*time.Hour)},
			next: 2*time.Hour + 6*time.Minute, interval: 5 * time.Minute, // bound·(1+0.1·0.5)
		},
		{
			name: "retry-after on 429 given as a field",
			feed: plain, st: tenMin,
			o:    PollOutcome{Err: errors.New("too many requests"), Status: 429, RetryAfter: 20 * time.Minute},
			next: 21 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "retry-after is honoured up to a day",
			feed: plain, st: tenMin,
			o:    PollOutcome{Err: statusErr(503, 30*24*time.Hour)},
			next: 25*time.Hour + 12*time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "retry-after shorter than the backoff changes nothing",
			feed: plain, st: tenMin,
			o:    PollOutcome{Err: statusErr(503, 30*time.Second)},
			next: 5 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "cache lifetime is a lower bound",
			feed: plain, st: tenMin,
			o:    PollOutcome{Status: 304, NotModified: true, CacheFor: 30 * time.Minute},
			next: 31*time.Minute + 30*time.Second, interval: 5 * time.Minute,
		},
		{
			name: "cache lifetime is honoured up to max_interval",
			feed: plain, st: tenMin,
			o:    PollOutcome{Status: 200, CacheFor: 365 * 24 * time.Hour},
			next: time.Hour + 3*time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "cache lifetime shorter than the interval changes nothing",
			feed: plain, st: tenMin,
			o:    PollOutcome{Status: 200, CacheFor: time.Minute},
			next: 5 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "rss ttl is a lower bound",
			feed: plain, st: tenMin,
			o:    PollOutcome{Status: 200, TTL: 20 * time.Minute},
			next: 21 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "rss ttl of the last full fetch still holds on 304",
			feed: plain, st: withTTL(tenMin, 20*time.Minute),
			o:    PollOutcome{Status: 304, NotModified: true},
			next: 21 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "a full fetch without ttl drops the old one",
			feed: plain, st: withTTL(tenMin, 20*time.Minute),
			o:    PollOutcome{Status: 200},
			next: 5 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "rss ttl still holds while the feed fails",
			feed: plain, st: withTTL(tenMin, 20*time.Minute),
			o:    PollOutcome{Err: errors.New("fetch: connection refused")},
			next: 21 * time.Minute, interval: 5 * time.Minute,
		},
		{
			name: "future publication dates count as now",
			feed: plain, st: tenMin,
			o:        PollOutcome{Status: 200, NewItems: 1, ItemTimes: []time.Time{schedNow.Add(48 * time.Hour)}},
			cadence:  8*time.Minute + 30*time.Second, // 0.3·5m + 0.7·10m
			interval: 4*time.Minute + 15*time.Second, next: 4*time.Minute + 15*time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := testScheduleConfig().Next(tt.feed, tt.st, tt.o, schedNow, noJitter)
			if d := got.NextPoll.Sub(schedNow); d != tt.next {
				t.Errorf("next poll in %s, want %s", d, tt.next)
			}
			if got.Interval != tt.interval {
				t.Errorf("interval %s, want %s", got.Interval, tt.interval)
			}
			if tt.cadence != 0 && got.Cadence != tt.cadence {
				t.Errorf("cadence %s, want %s", got.Cadence, tt.cadence)
			}
			if !got.LastPoll.Equal(schedNow) {
				t.Errorf("last poll %s, want %s", got.LastPoll, schedNow)
			}
		})
	}
}

func withTTL(st ScheduleState, ttl time.Duration) ScheduleState {
	st.TTL = ttl
	return st
}

func TestScheduleAdaptsOverManyPolls(t *testing.T) {
	cfg := testScheduleConfig()
	f := Feed{ID: "wire"}

	// A feed publishing one item every two minutes settles at min_interval.
	var st ScheduleState
	now := schedNow
	last := now.Add(-2 * time.Minute)
	for range 30 {
		var times []time.Time
		for t := last.Add(2 * time.Minute); !t.After(now); t = t.Add(2 * time.Minute) {
			times = append(times, t)
			last = t
		}
		st = cfg.Next(f, st, PollOutcome{Status: 200, NewItems: len(times), ItemTimes: times}, now, noJitter)
		now = st.NextPoll
	}
	if st.Interval != cfg.MinInterval {
		t.Errorf("busy feed: interval %s, want min_interval %s (cadence %s)", st.Interval, cfg.MinInterval, st.Cadence)
	}

	// The same feed slowing to one item an hour: within a day the cadence is
	// learned and the feed is polled about twice an hour. Each long gap counts
	// at most four cadences, so this takes several items, not one.
	for end := now.Add(24 * time.Hour); now.Before(end); {
		var times []time.Time
		for t := last.Add(time.Hour); !t.After(now); t = t.Add(time.Hour) {
			times = append(times, t)
			last = t
		}
		o := PollOutcome{Status: 304, NotModified: true}
		if len(times) > 0 {
			o = PollOutcome{Status: 200, NewItems: len(times), ItemTimes: times}
		}
		st = cfg.Next(f, st, o, now, noJitter)
		now = st.NextPoll
	}
	if st.Interval < 25*time.Minute {
		t.Errorf("slow feed: interval %s, want at least 25m (cadence %s)", st.Interval, st.Cadence)
	}
	if st.Cadence < 45*time.Minute || st.Cadence > 75*time.Minute {
		t.Errorf("slow feed: cadence %s, want about an hour", st.Cadence)
	}
}

func TestScheduleBackoff(t *testing.T) {
	cfg := testScheduleConfig()
	cfg.MaxBackoff = 45 * time.Minute
	f := Feed{ID: "wire"}
	st := ScheduleState{Interval: 5 * time.Minute}
	want := []time.Duration{5 * time.Minute, 10 * time.Minute, 20 * time.Minute, 40 * time.Minute, 45 * time.Minute, 45 * time.Minute}
	now := schedNow
	for i := range 40 {
		st = cfg.Next(f, st, PollOutcome{Err: errors.New("fetch: connection refused")}, now, noJitter)
		wantDelay := want[min(i, len(want)-1)]
		if d := st.NextPoll.Sub(now); d != wantDelay {
			t.Fatalf("failure %d: next poll in %s, want %s", i+1, d, wantDelay)
		}
		if st.ConsecutiveErrors != i+1 {
			t.Fatalf("failure %d: consecutive errors %d", i+1, st.ConsecutiveErrors)
		}
		now = st.NextPoll
	}
	// Never given up on: the first success after 40 failures resumes the interval.
	st = cfg.Next(f, st, PollOutcome{Status: 200}, now, noJitter)
	if st.ConsecutiveErrors != 0 {
		t.Errorf("after recovery: consecutive errors %d, want 0", st.ConsecutiveErrors)
	}
	if d := st.NextPoll.Sub(now); d != 5*time.Minute {
		t.Errorf("after recovery: next poll in %s, want the interval 5m", d)
	}
	if !st.LastSuccess.Equal(now) {
		t.Errorf("after recovery: last success %s, want %s", st.LastSuccess, now)
	}
	if st.LastError != "fetch: connection refused" {
		t.Errorf("after recovery: last error %q, want the last failure kept", st.LastError)
	}
}

func TestScheduleBackoffNeverShorterThanInterval(t *testing.T) {
	cfg := testScheduleConfig()
	cfg.MaxBackoff = 10 * time.Minute
	st := ScheduleState{Interval: 50 * time.Minute}
	st = cfg.Next(Feed{ID: "wire"}, st, PollOutcome{Err: errors.New("boom")}, schedNow, noJitter)
	st = cfg.Next(Feed{ID: "wire"}, st, PollOutcome{Err: errors.New("boom")}, schedNow, noJitter)
	if d := st.NextPoll.Sub(schedNow); d != 50*time.Minute {
		t.Errorf("next poll in %s, want the 50m interval (a failing feed is not polled more often)", d)
	}
}

func TestScheduleFailureReason(t *testing.T) {
	long := strings.Repeat("é", 600)
	tests := []struct {
		name string
		o    PollOutcome
		want string
	}{
		{"status with retry-after", PollOutcome{Err: statusErr(503, 2*time.Minute)}, "http 503 Service Unavailable, retry after 2m"},
		{"status with hours", PollOutcome{Err: statusErr(429, 90*time.Minute)}, "http 429 Too Many Requests, retry after 1h30m"},
		{"status without retry-after", PollOutcome{Err: statusErr(404, 0)}, "http 404 Not Found"},
		{"status given without an error", PollOutcome{Status: 500}, "http 500 Internal Server Error"},
		{"parse error loses the feed prefix", PollOutcome{Status: 200, Err: errors.New("feed wire: parse newsml-g2: XML syntax error on line 3")}, "parse newsml-g2: XML syntax error on line 3"},
		{"transport error", PollOutcome{Err: errors.New("feed wire: fetch https://wire.example/rss: dial tcp: connection refused")}, "fetch https://wire.example/rss: dial tcp: connection refused"},
		{"long error is cut on a character boundary", PollOutcome{Err: errors.New(long)}, strings.Repeat("é", 256) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := testScheduleConfig().Next(Feed{ID: "wire"}, ScheduleState{}, tt.o, schedNow, noJitter)
			if st.LastError != tt.want {
				t.Errorf("reason %q, want %q", st.LastError, tt.want)
			}
			if !st.LastErrorAt.Equal(schedNow) || st.ConsecutiveErrors != 1 {
				t.Errorf("failure recorded at %s with streak %d, want %s and 1", st.LastErrorAt, st.ConsecutiveErrors, schedNow)
			}
		})
	}
}

func TestScheduleSilent(t *testing.T) {
	cfg := testScheduleConfig() // silent after 10 × cadence
	f := Feed{ID: "wire"}
	quiet := func(d time.Duration) ScheduleState {
		return ScheduleState{Interval: time.Hour, Cadence: 10 * time.Minute, LastItem: ago(d), LastNew: ago(d)}
	}
	empty := PollOutcome{Status: 304, NotModified: true}
	tests := []struct {
		name string
		st   ScheduleState
		o    PollOutcome
		want bool
	}{
		{"quiet for less than ten cadences", quiet(99 * time.Minute), empty, false},
		{"quiet for ten cadences", quiet(100 * time.Minute), empty, true},
		{"silent feed publishes again", withSilent(quiet(5*time.Hour), true), PollOutcome{Status: 200, NewItems: 1, ItemTimes: []time.Time{schedNow}}, false},
		{"silent feed stays silent while failing", withSilent(quiet(5*time.Hour), true), PollOutcome{Err: errors.New("boom")}, true},
		{"a failure does not make a feed silent", quiet(5 * time.Hour), PollOutcome{Err: errors.New("boom")}, false},
		{"never silent without a learned cadence", ScheduleState{Interval: time.Hour, LastNew: ago(30 * 24 * time.Hour)}, empty, false},
		{"never silent before any item", ScheduleState{Interval: time.Hour}, empty, false},
		{"cadence below min_interval counts as min_interval", ScheduleState{Interval: time.Minute, Cadence: 5 * time.Second, LastNew: ago(9 * time.Minute)}, empty, false},
		{"first poll of a feed whose newest item is days old", ScheduleState{}, PollOutcome{Status: 200, NewItems: 2, ItemTimes: []time.Time{ago(72 * time.Hour), ago(73 * time.Hour)}}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cfg.Next(f, tt.st, tt.o, schedNow, noJitter)
			if got.Silent != tt.want {
				t.Errorf("silent = %v, want %v (cadence %s, last new %s)", got.Silent, tt.want, got.Cadence, got.LastNew)
			}
		})
	}
}

func withSilent(st ScheduleState, s bool) ScheduleState {
	st.Silent = s
	return st
}

func TestScheduleJitterBounds(t *testing.T) {
	cfg := testScheduleConfig()
	st := ScheduleState{Interval: 10 * time.Minute}
	tests := []struct {
		name string
		o    PollOutcome
		r    float64
		want time.Duration
	}{
		{"lowest draw", PollOutcome{Status: 304, NotModified: true}, 0, 9 * time.Minute},
		{"middle draw", PollOutcome{Status: 304, NotModified: true}, 0.5, 10 * time.Minute},
		{"highest draw", PollOutcome{Status: 304, NotModified: true}, 1, 11 * time.Minute},
		{"lower bound, lowest draw, is the bound itself", PollOutcome{Status: 304, NotModified: true, CacheFor: 30 * time.Minute}, 0, 30 * time.Minute},
		{"lower bound, highest draw", PollOutcome{Status: 304, NotModified: true, CacheFor: 30 * time.Minute}, 1, 33 * time.Minute},
		{"out-of-range draw is clamped", PollOutcome{Status: 304, NotModified: true}, 7, 11 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cfg.Next(Feed{ID: "wire"}, st, tt.o, schedNow, func() float64 { return tt.r })
			if d := got.NextPoll.Sub(schedNow); d != tt.want {
				t.Errorf("next poll in %s, want %s", d, tt.want)
			}
		})
	}
	// Without a source of randomness there is no jitter.
	got := cfg.Next(Feed{ID: "wire"}, st, PollOutcome{Status: 304, NotModified: true}, schedNow, nil)
	if d := got.NextPoll.Sub(schedNow); d != 10*time.Minute {
		t.Errorf("nil rnd: next poll in %s, want 10m", d)
	}
}

func TestScheduleIsDeterministic(t *testing.T) {
	cfg := testScheduleConfig()
	o := PollOutcome{Status: 200, NewItems: 3, ItemTimes: []time.Time{ago(3 * time.Minute), ago(9 * time.Minute), ago(2 * time.Minute)}}
	a := cfg.Next(Feed{ID: "wire"}, ScheduleState{}, o, schedNow, rand.New(rand.NewPCG(1, 2)).Float64)
	b := cfg.Next(Feed{ID: "wire"}, ScheduleState{}, o, schedNow, rand.New(rand.NewPCG(1, 2)).Float64)
	if a != b {
		t.Errorf("same inputs, different states:\n%+v\n%+v", a, b)
	}
}

func TestScheduleStateJSONRoundTrip(t *testing.T) {
	cfg := testScheduleConfig()
	st := cfg.Next(Feed{ID: "wire"}, ScheduleState{}, PollOutcome{Status: 200, NewItems: 2, TTL: time.Hour,
		ItemTimes: []time.Time{ago(time.Hour), ago(2 * time.Hour)}}, time.Now(), rand.Float64)
	st = cfg.Next(Feed{ID: "wire"}, st, PollOutcome{Err: statusErr(503, time.Minute)}, time.Now(), rand.Float64)
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{`"interval"`, `"cadence"`, `"consecutive_errors":1`, `"last_error":"http 503`, `"next_poll"`, `"ttl"`} {
		if !strings.Contains(string(b), key) {
			t.Errorf("encoded state %s lacks %s", b, key)
		}
	}
	var back ScheduleState
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !schedStatesEqual(st, back) {
		t.Errorf("round trip changed the state:\n%+v\n%+v", st, back)
	}
	if b, _ := json.Marshal(ScheduleState{}); string(b) != "{}" {
		t.Errorf("zero state encodes as %s, want {}", b)
	}
}

func schedStatesEqual(a, b ScheduleState) bool {
	return a.Interval == b.Interval && a.Cadence == b.Cadence && a.TTL == b.TTL &&
		a.LastItem.Equal(b.LastItem) && a.LastNew.Equal(b.LastNew) && a.LastPoll.Equal(b.LastPoll) &&
		a.LastSuccess.Equal(b.LastSuccess) && a.LastErrorAt.Equal(b.LastErrorAt) && a.NextPoll.Equal(b.NextPoll) &&
		a.ConsecutiveErrors == b.ConsecutiveErrors && a.LastError == b.LastError && a.Silent == b.Silent
}

func TestScheduleUntil(t *testing.T) {
	st := ScheduleState{NextPoll: schedNow.Add(time.Minute)}
	if d := st.Until(schedNow); d != time.Minute {
		t.Errorf("Until = %s, want 1m", d)
	}
	if d := st.Until(schedNow.Add(time.Hour)); d != 0 {
		t.Errorf("Until when overdue = %s, want 0", d)
	}
	if d := (ScheduleState{}).Until(schedNow); d != 0 {
		t.Errorf("Until of a new feed = %s, want 0 (due at once)", d)
	}
}

func TestScheduleConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		c    ScheduleConfig
		want string // substring of the error; empty for valid
	}{
		{"zero value means the defaults", ScheduleConfig{}, ""},
		{"defaults", DefaultScheduleConfig(), ""},
		{"min below a second", ScheduleConfig{MinInterval: time.Millisecond}, "min_interval"},
		{"negative max", ScheduleConfig{MaxInterval: -time.Second}, "max_interval"},
		{"max below min", ScheduleConfig{MinInterval: time.Hour, MaxInterval: time.Minute}, "max_interval: 1m0s is below min_interval 1h0m0s"},
		{"max below the default min", ScheduleConfig{MaxInterval: 30 * time.Second}, "below min_interval"},
		{"max beyond a week", ScheduleConfig{MaxInterval: 8 * 24 * time.Hour}, "max_interval: must be at most"},
		{"backoff below a second", ScheduleConfig{MaxBackoff: time.Millisecond}, "max_backoff"},
		{"negative jitter", ScheduleConfig{Jitter: -0.1}, "jitter"},
		{"jitter beyond half", ScheduleConfig{Jitter: 0.6}, "jitter"},
		{"silent factor below one", ScheduleConfig{SilentFactor: 0.5}, "silent_factor"},
		{"silent factor absurd", ScheduleConfig{SilentFactor: 1e9}, "silent_factor"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Validate()
			if (tt.want == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate() = %v, want %q", err, tt.want)
			}
		})
	}
	if d := (ScheduleConfig{}).WithDefaults(); d != DefaultScheduleConfig() {
		t.Errorf("zero config with defaults = %+v, want %+v", d, DefaultScheduleConfig())
	}
	if d := (ScheduleConfig{MinInterval: 2 * time.Hour}).WithDefaults(); d.MaxInterval != 2*time.Hour {
		t.Errorf("min above the default max: max_interval %s, want raised to 2h", d.MaxInterval)
	}
}

// checkNextBounds asserts what must hold after any poll: the next poll is never
// before the applicable lower bound and never beyond the longest interval (or
// backoff, or lower bound) plus jitter; the interval stays in the feed's range.
func checkNextBounds(t *testing.T, cfg ScheduleConfig, f Feed, st ScheduleState, o PollOutcome, now time.Time, r float64) {
	t.Helper()
	got := cfg.Next(f, st, o, now, func() float64 { return r })
	c := cfg.WithDefaults()
	lo, hi := c.MinInterval, max(c.MaxInterval, c.MinInterval)
	if f.Interval > 0 {
		lo, hi = min(lo, f.Interval), max(hi, f.Interval)
	}

	status, retryAfter := o.Status, o.RetryAfter
	var se *StatusError
	if errors.As(o.Err, &se) {
		status, retryAfter = cmpOr(status, se.Status), cmpOr(retryAfter, se.RetryAfter)
	}
	failed := o.Err != nil || status >= 400
	ttl := st.TTL
	if !failed && !o.NotModified {
		ttl = max(o.TTL, 0)
	}
	bound := min(max(retryAfter, 0), schedMaxRetryAfter)
	bound = max(bound, min(max(o.CacheFor, 0), hi), min(ttl, hi))
	ceiling := hi
	if failed {
		ceiling = max(c.MaxBackoff, hi)
	}
	upper := scaleDuration(max(ceiling, bound), 1+c.Jitter)

	d := got.NextPoll.Sub(now.Round(0))
	if d < bound {
		t.Fatalf("next poll in %s, before the lower bound %s (outcome %+v, state %+v)", d, bound, o, st)
	}
	if d > upper {
		t.Fatalf("next poll in %s, beyond %s (outcome %+v, state %+v)", d, upper, o, st)
	}
	if d <= 0 {
		t.Fatalf("next poll in %s: not in the future", d)
	}
	if got.Interval < lo || got.Interval > hi {
		t.Fatalf("interval %s outside [%s, %s]", got.Interval, lo, hi)
	}
	if failed && got.ConsecutiveErrors != st.ConsecutiveErrors+1 || !failed && got.ConsecutiveErrors != 0 {
		t.Fatalf("failed=%v: consecutive errors %d after %d", failed, got.ConsecutiveErrors, st.ConsecutiveErrors)
	}
	if failed && got.LastError == "" {
		t.Fatal("a failure without a reason")
	}
	if got.Cadence < 0 {
		t.Fatalf("negative cadence %s", got.Cadence)
	}
}

func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

// randomPoll draws a state and an outcome from a seeded source, covering
// every branch: failures with and without Retry-After, 304s, new items with
// and without dates, lower bounds above and below the range.
func randomPoll(rng *rand.Rand) (ScheduleConfig, Feed, ScheduleState, PollOutcome, float64) {
	dur := func(maxD time.Duration) time.Duration { return time.Duration(rng.Int64N(int64(maxD))) }
	cfg := ScheduleConfig{
		MinInterval:  time.Second + dur(10*time.Minute),
		MaxBackoff:   time.Second + dur(6*time.Hour),
		Jitter:       rng.Float64() * schedMaxJitter,
		SilentFactor: 1 + rng.Float64()*20,
	}
	cfg.MaxInterval = cfg.MinInterval + dur(3*time.Hour)
	f := Feed{ID: "wire"}
	if rng.IntN(3) == 0 {
		f.Interval = time.Second + dur(4*time.Hour)
	}
	st := ScheduleState{
		Interval:          dur(5 * time.Hour),
		Cadence:           dur(3 * time.Hour),
		ConsecutiveErrors: rng.IntN(70),
		TTL:               dur(3 * time.Hour),
	}
	if rng.IntN(2) == 0 {
		st.LastItem = ago(dur(48 * time.Hour))
		st.LastNew = ago(dur(48 * time.Hour))
	}
	var o PollOutcome
	switch rng.IntN(5) {
	case 0:
		o.Err = statusErr([]int{429, 503, 500, 404}[rng.IntN(4)], dur(40*24*time.Hour)-time.Hour)
	case 1:
		o.Err = errors.New("feed wire: fetch: connection reset")
	case 2:
		o = PollOutcome{Status: 304, NotModified: true}
	default:
		o.Status = 200
		o.NewItems = rng.IntN(20)
		for range rng.IntN(o.NewItems + 1) {
			o.ItemTimes = append(o.ItemTimes, schedNow.Add(dur(72*time.Hour)-48*time.Hour))
		}
	}
	o.CacheFor = dur(72*time.Hour) - time.Hour
	o.TTL = dur(72*time.Hour) - time.Hour
	if rng.IntN(4) == 0 {
		o.RetryAfter = dur(30 * time.Hour)
	}
	return cfg, f, st, o, rng.Float64()
}

func TestScheduleNextBoundsProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(20260302, 9))
	for range 20000 {
		cfg, f, st, o, r := randomPoll(rng)
		checkNextBounds(t, cfg, f, st, o, schedNow, r)
	}
}

func FuzzScheduleNext(f *testing.F) {
	f.Add(int64(time.Minute), int64(time.Hour), int64(time.Hour), 0.1, int64(0), 0, int64(0), int64(0), 503, int64(2*time.Minute), int64(0), int64(0), 0, 0.3)
	f.Add(int64(time.Second), int64(time.Second), int64(time.Second), 0.5, int64(time.Hour), 99, int64(time.Hour), int64(time.Hour), 200, int64(0), int64(1<<62), int64(1<<62), 7, 0.99)
	f.Add(int64(time.Minute), int64(2*time.Hour), int64(30*time.Minute), 0.0, int64(10*time.Minute), 3, int64(5*time.Minute), int64(48*time.Hour), 304, int64(0), int64(time.Hour), int64(0), 0, 0.0)
	f.Fuzz(func(t *testing.T, minI, maxI, maxB int64, jitter float64, feedI int64, errs int, cadence, sinceNew int64, status int, retryAfter, cacheFor, ttl int64, newItems int, r float64) {
		cfg := ScheduleConfig{MinInterval: time.Duration(minI), MaxInterval: time.Duration(maxI), MaxBackoff: time.Duration(maxB), Jitter: jitter}
		if cfg.Validate() != nil || feedI < 0 || feedI > int64(schedMaxBound) || errs < 0 || cadence < 0 || sinceNew < 0 || sinceNew > int64(10*365*24*time.Hour) {
			t.Skip()
		}
		if math.IsNaN(r) || r < 0 || r > 1 {
			t.Skip()
		}
		st := ScheduleState{Interval: time.Duration(cadence), Cadence: time.Duration(cadence), ConsecutiveErrors: errs}
		if sinceNew > 0 {
			st.LastNew = schedNow.Add(-time.Duration(sinceNew))
			st.LastItem = st.LastNew
		}
		o := PollOutcome{Status: status, RetryAfter: time.Duration(retryAfter), CacheFor: time.Duration(cacheFor), TTL: time.Duration(ttl), NewItems: newItems}
		switch {
		case status == 304:
			o.NotModified = true
		case status >= 400:
			o.Err = &StatusError{Status: status, RetryAfter: time.Duration(retryAfter)}
		case status <= 0:
			o.Status = 0
			o.Err = errors.New("fetch: timeout")
		}
		for i := range min(max(newItems, 0), 50) {
			o.ItemTimes = append(o.ItemTimes, schedNow.Add(-time.Duration(i)*time.Duration(cadence)))
		}
		checkNextBounds(t, cfg, Feed{ID: "wire", Interval: time.Duration(feedI)}, st, o, schedNow, r)
	})
}
