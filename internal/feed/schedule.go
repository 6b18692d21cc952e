package feed

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// How a feed's poll time is chosen
//
// Each feed has a learned interval. It starts at the feed's configured
// interval (or schedStartInterval) and then follows the feed's cadence: an
// exponentially weighted average of the gap between its publications, taken
// from the publication times of new items (or, for undated items, from how
// often polls find something new). The interval aims at cadenceFraction of
// that gap, so a feed publishing every ten minutes is polled every five. While
// a feed stays quiet longer than its cadence, the quiet time itself counts as
// the cadence, so polling slows down step by step through a quiet night and
// speeds up again with the first new item.
//
// The interval stays within [MinInterval, MaxInterval]. A feed's configured
// interval outside that range widens the range for that feed to include it:
// an explicit setting is where the feed starts and is never overridden by the
// global bounds, while adaptation may still move it anywhere inside them.
//
// What the server or the document says comes on top as lower bounds: never
// poll again before Retry-After, Cache-Control max-age / Expires (CacheFor) or
// the RSS <ttl> have passed. Retry-After is honoured up to a day; CacheFor and
// TTL up to the feed's maximum interval, so a misconfigured "max-age=31536000"
// cannot silence a news feed for a year.
//
// A failed poll backs off: interval·2^(errors-1), capped at
// max(MaxBackoff, interval). A feed is never given up on; the next success
// ends the streak and the normal interval resumes.
//
// Every delay is spread by ±Jitter so feeds of one host drift apart; a delay
// set by a lower bound is only ever moved later.
//
// A feed with a learned cadence is flagged silent once it has published
// nothing for SilentFactor × max(cadence, its minimum interval); the next new
// item clears the flag. Failed polls leave the flag as it was: a failing feed
// shows in its error streak instead.

// Schedule defaults.
const (
	schedDefaultMinInterval  = time.Minute
	schedDefaultMaxInterval  = time.Hour
	schedDefaultMaxBackoff   = time.Hour
	schedDefaultJitter       = 0.1
	schedDefaultSilentFactor = 10

	// schedStartInterval is where a feed without its own interval starts.
	schedStartInterval = 5 * time.Minute
	// schedFloor keeps a typo like "1ms" from turning ingest into a load generator.
	schedFloor = time.Second
	// schedMaxJitter: beyond ±50% the interval would stop meaning anything.
	schedMaxJitter = 0.5
	// schedMaxBound keeps configured intervals meaningful for a news feed.
	schedMaxBound = 7 * 24 * time.Hour
	// schedMaxSilentFactor bounds the threshold arithmetic; nobody needs more.
	schedMaxSilentFactor = 1000

	// cadenceFraction is the interval aimed at, as a share of the publication gap.
	cadenceFraction = 0.5
	// cadenceWeight is the weight of a new gap in the cadence average: a few
	// polls are enough to follow a real change, one odd gap is not.
	cadenceWeight = 0.3
	// cadenceMaxGrowth caps one gap at this multiple of the cadence, so the
	// first item after a quiet night does not make the morning's polling slow.
	cadenceMaxGrowth = 4

	// schedMaxRetryAfter bounds how long one answer may push a feed out.
	schedMaxRetryAfter = 24 * time.Hour
	// maxReasonLen bounds the failure text kept in the persisted state.
	maxReasonLen = 512
)

// ScheduleConfig bounds the per-feed poll schedule. Zero values take the defaults.
type ScheduleConfig struct {
	MinInterval time.Duration `yaml:"min_interval"` // shortest learned interval; default 1m
	MaxInterval time.Duration `yaml:"max_interval"` // longest learned interval; default 1h
	MaxBackoff  time.Duration `yaml:"max_backoff"`  // ceiling of the error backoff; default 1h
	// Jitter spreads every delay by ±Jitter of itself; default 0.1.
	Jitter float64 `yaml:"jitter"`
	// SilentFactor flags a feed silent after SilentFactor × its cadence
	// without a new item; default 10.
	SilentFactor float64 `yaml:"silent_factor"`
}

// DefaultScheduleConfig returns the defaults.
func DefaultScheduleConfig() ScheduleConfig {
	return ScheduleConfig{
		MinInterval:  schedDefaultMinInterval,
		MaxInterval:  schedDefaultMaxInterval,
		MaxBackoff:   schedDefaultMaxBackoff,
		Jitter:       schedDefaultJitter,
		SilentFactor: schedDefaultSilentFactor,
	}
}

// WithDefaults fills zero fields with the defaults.
func (c ScheduleConfig) WithDefaults() ScheduleConfig {
	d := DefaultScheduleConfig()
	if c.MinInterval == 0 {
		c.MinInterval = d.MinInterval
	}
	if c.MaxInterval == 0 {
		c.MaxInterval = max(d.MaxInterval, c.MinInterval)
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = d.MaxBackoff
	}
	if c.Jitter == 0 {
		c.Jitter = d.Jitter
	}
	if c.SilentFactor == 0 {
		c.SilentFactor = d.SilentFactor
	}
	return c
}

// Validate checks the configuration; zero values are valid (they mean the default).
func (c ScheduleConfig) Validate() error {
	switch {
	case c.MinInterval < 0 || c.MinInterval > 0 && c.MinInterval < schedFloor:
		return fmt.Errorf("min_interval: must be at least %s", schedFloor)
	case c.MinInterval > schedMaxBound:
		return fmt.Errorf("min_interval: must be at most %s", schedMaxBound)
	case c.MaxInterval < 0 || c.MaxInterval > 0 && c.MaxInterval < schedFloor:
		return fmt.Errorf("max_interval: must be at least %s", schedFloor)
	case c.MaxInterval > schedMaxBound:
		return fmt.Errorf("max_interval: must be at most %s", schedMaxBound)
	case c.MaxInterval > 0 && c.MaxInterval < c.WithDefaults().MinInterval:
		return fmt.Errorf("max_interval: %s is below min_interval %s", c.MaxInterval, c.WithDefaults().MinInterval)
	case c.MaxBackoff < 0 || c.MaxBackoff > 0 && c.MaxBackoff < schedFloor:
		return fmt.Errorf("max_backoff: must be at least %s", schedFloor)
	case c.MaxBackoff > schedMaxBound:
		return fmt.Errorf("max_backoff: must be at most %s", schedMaxBound)
	case math.IsNaN(c.Jitter) || c.Jitter < 0 || c.Jitter > schedMaxJitter:
		return fmt.Errorf("jitter: must be between 0 and %g", schedMaxJitter)
	case math.IsNaN(c.SilentFactor) || c.SilentFactor != 0 && (c.SilentFactor < 1 || c.SilentFactor > schedMaxSilentFactor):
		return fmt.Errorf("silent_factor: must be between 1 and %d", schedMaxSilentFactor)
	}
	return nil
}

// ScheduleState is what the schedule remembers about one feed. It is persisted
// with the rest of the feed's state, so a restarted or moved feed keeps its
// learned cadence, error streak and next poll time.
type ScheduleState struct {
	// Interval is the learned poll interval, before jitter and lower bounds.
	Interval time.Duration `json:"interval,omitempty"`
	// Cadence is the average gap between the feed's publications; zero until learned.
	Cadence time.Duration `json:"cadence,omitempty"`
	// LastItem is the newest publication time seen (never later than the poll that saw it).
	LastItem time.Time `json:"last_item,omitzero"`
	// LastNew is when a poll last found a new item; after the first poll that
	// found items, the newest publication time among them.
	LastNew time.Time `json:"last_new,omitzero"`
	// TTL is the document's own refresh interval (RSS <ttl>) from the last full
	// fetch; a 304 keeps it, since the document did not change.
	TTL time.Duration `json:"ttl,omitempty"`

	ConsecutiveErrors int       `json:"consecutive_errors,omitempty"`
	LastPoll          time.Time `json:"last_poll,omitzero"`
	LastSuccess       time.Time `json:"last_success,omitzero"`
	// LastError says why the last failed poll failed; it is kept after a
	// success (ConsecutiveErrors tells whether the feed is failing now).
	LastError   string    `json:"last_error,omitempty"`
	LastErrorAt time.Time `json:"last_error_at,omitzero"`

	// NextPoll is when the feed is due; zero means at once.
	NextPoll time.Time `json:"next_poll,omitzero"`
	// Silent: a feed with a learned cadence has published nothing for
	// SilentFactor × that cadence. Cleared by the next new item.
	Silent bool `json:"silent,omitempty"`
}

// Until is how long to wait from now for the next poll; zero when due.
func (s ScheduleState) Until(now time.Time) time.Duration {
	return max(s.NextPoll.Sub(now), 0)
}

// PollOutcome is what one poll tells the schedule.
type PollOutcome struct {
	// Err is the poll's failure (fetch, status, parse or write); nil on success
	// and on 304. A wrapped *StatusError also supplies Status and RetryAfter
	// when those are zero.
	Err         error
	Status      int  // HTTP status; zero when there was no answer
	NotModified bool // 304: nothing new, TTL from the last full fetch still holds
	NewItems    int  // items new to the feed in this poll
	// ItemTimes are the publication (or update) times of the items this poll
	// emitted (new, and changed ones if the caller counts them as activity), in
	// any order; zero times are ignored and undated items may be left out.
	ItemTimes []time.Time
	// Lower bounds for the next poll: Retry-After, Cache-Control/Expires, RSS <ttl>.
	RetryAfter, CacheFor, TTL time.Duration
}

// Next records one poll of f, finished at now, and returns the new state with
// NextPoll set. It is pure: the same inputs give the same state. rnd returns a
// number in [0, 1) for the jitter; nil means no jitter. A poll cut short by
// shutdown is not the feed's doing and should not be passed here.
func (c ScheduleConfig) Next(f Feed, st ScheduleState, o PollOutcome, now time.Time, rnd func() float64) ScheduleState {
	c = c.WithDefaults()
	now = now.Round(0) // wall clock only: the state is persisted and compared
	lo, hi := c.bounds(f)
	if st.Interval <= 0 {
		st.Interval = preferredInterval(f)
	}
	st.Interval = clampDuration(st.Interval, lo, hi)
	st.LastPoll = now

	status, retryAfter := o.Status, o.RetryAfter
	var se *StatusError
	if errors.As(o.Err, &se) {
		if status == 0 {
			status = se.Status
		}
		if retryAfter == 0 {
			retryAfter = se.RetryAfter
		}
	}

	var delay time.Duration
	if o.Err != nil || status >= 400 {
		st.ConsecutiveErrors++
		st.LastError = failureReason(f, o.Err, se != nil || o.Err == nil, status, retryAfter)
		st.LastErrorAt = now
		delay = backoff(st.Interval, st.ConsecutiveErrors, max(c.MaxBackoff, st.Interval))
	} else {
		st.ConsecutiveErrors = 0
		st.LastSuccess = now
		if !o.NotModified {
			st.TTL = max(o.TTL, 0)
		}
		st.learn(o, now)
		if eff := st.effectiveCadence(now); eff > 0 {
			st.Interval = clampDuration(scaleDuration(eff, cadenceFraction), lo, hi)
		}
		st.Silent = st.Cadence > 0 && !st.LastNew.IsZero() &&
			now.Sub(st.LastNew) >= scaleDuration(max(st.Cadence, lo), c.SilentFactor)
		delay = st.Interval
	}

	// Lower bounds: Retry-After always (the server asked), the cache lifetime
	// of this answer and the document's TTL up to the feed's maximum.
	bound := min(max(retryAfter, 0), schedMaxRetryAfter)
	bound = max(bound, min(max(o.CacheFor, 0), hi), min(st.TTL, hi))

	r := 0.5
	if rnd != nil {
		r = min(max(rnd(), 0), 1)
	}
	delay = scaleDuration(delay, 1+c.Jitter*(2*r-1))
	if delay < bound {
		delay = scaleDuration(bound, 1+c.Jitter*r)
	}
	st.NextPoll = now.Add(delay)
	return st
}

// bounds is the feed's interval range: the configured one, widened to include
// the feed's own interval.
func (c ScheduleConfig) bounds(f Feed) (lo, hi time.Duration) {
	lo, hi = c.MinInterval, max(c.MaxInterval, c.MinInterval)
	if f.Interval > 0 {
		lo, hi = min(lo, f.Interval), max(hi, f.Interval)
	}
	return lo, hi
}

func preferredInterval(f Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval
	}
	return schedStartInterval
}

// learn updates the cadence from a successful poll's new items.
func (st *ScheduleState) learn(o PollOutcome, now time.Time) {
	n := max(o.NewItems, len(o.ItemTimes))
	if n <= 0 {
		return
	}
	times := make([]time.Time, 0, len(o.ItemTimes))
	for _, t := range o.ItemTimes {
		if t.IsZero() {
			continue
		}
		if t.After(now) {
			t = now // a future date (clock skew, embargo) must not freeze learning
		}
		times = append(times, t.Round(0))
	}
	slices.SortFunc(times, func(a, b time.Time) int { return a.Compare(b) })

	if st.LastNew.IsZero() && st.LastItem.IsZero() {
		// The first items ever seen: the document's own history is the best
		// guess of both the cadence and when the feed last published.
		st.LastNew = now
		if k := len(times); k > 0 {
			if k >= 2 {
				if span := times[k-1].Sub(times[0]); span > 0 {
					st.Cadence = span / time.Duration(k-1)
				}
			}
			st.LastItem = times[k-1]
			st.LastNew = times[k-1]
		}
		return
	}

	// Only items newer than anything seen tell the gap; older ones arrived late.
	var fresh []time.Time
	if i := slices.IndexFunc(times, func(t time.Time) bool { return t.After(st.LastItem) }); i >= 0 {
		fresh = times[i:]
	}
	var sample time.Duration
	switch {
	case len(fresh) > 0 && !st.LastItem.IsZero():
		sample = fresh[len(fresh)-1].Sub(st.LastItem) / time.Duration(len(fresh))
	case !st.LastNew.IsZero():
		// Undated or back-dated items: learn from how often polls find something.
		sample = now.Sub(st.LastNew) / time.Duration(n)
	}
	if len(fresh) > 0 {
		st.LastItem = fresh[len(fresh)-1]
	}
	st.LastNew = now
	if sample <= 0 {
		return
	}
	if st.Cadence <= 0 {
		st.Cadence = sample
		return
	}
	sample = min(sample, st.Cadence*cadenceMaxGrowth)
	st.Cadence = scaleDuration(sample, cadenceWeight) + scaleDuration(st.Cadence, 1-cadenceWeight)
}

// effectiveCadence is the learned cadence, or the time since the feed last
// published when that is longer; zero when nothing is known yet.
func (st *ScheduleState) effectiveCadence(now time.Time) time.Duration {
	eff := st.Cadence
	if !st.LastNew.IsZero() {
		eff = max(eff, now.Sub(st.LastNew))
	}
	return eff
}

// backoff is base·2^(n-1), capped.
func backoff(base time.Duration, n int, ceiling time.Duration) time.Duration {
	d := base
	for i := 1; i < n && d < ceiling; i++ {
		if d > ceiling/2 {
			return ceiling
		}
		d *= 2
	}
	return min(d, ceiling)
}

// failureReason is the failure as the feed's state shows it: an HTTP answer as
// "http 503 Service Unavailable, retry after 2m", anything else as its error
// text without the feed id (the state is the feed's already).
func failureReason(f Feed, err error, isStatus bool, status int, retryAfter time.Duration) string {
	var s string
	if isStatus && status > 0 {
		s = "http " + strconv.Itoa(status)
		if t := http.StatusText(status); t != "" {
			s += " " + t
		}
		if retryAfter > 0 {
			s += ", retry after " + shortDuration(retryAfter)
		}
	} else if err != nil {
		s = strings.TrimPrefix(err.Error(), "feed "+f.ID+": ")
	}
	if s == "" {
		s = "unknown failure"
	}
	if len(s) > maxReasonLen {
		cut := maxReasonLen
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}

// shortDuration prints 2m rather than 2m0s.
func shortDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}

func clampDuration(d, lo, hi time.Duration) time.Duration {
	return min(max(d, lo), hi)
}

// scaleDuration multiplies d by k, saturating instead of overflowing.
func scaleDuration(d time.Duration, k float64) time.Duration {
	v := float64(d) * k
	if v >= float64(1<<63-1) {
		return 1<<63 - 1
	}
	if v <= 0 {
		return 0
	}
	return time.Duration(v)
}
