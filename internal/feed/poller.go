package feed

import (
	"container/list"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// rawWriter delivers raw-item messages; main hands the Poller the Kafka producer.
// Write returns nil only when every message is durably accepted.
type rawWriter interface {
	Write(ctx context.Context, msgs ...pipeline.Message) error
}

// Observer is told about every poll, for metrics. err is nil for a successful
// or not-modified poll.
type Observer interface {
	Polled(feed string, newItems, changed int, err error)
}

// Poller defaults.
const (
	DefaultPollInterval   = 5 * time.Minute
	DefaultConcurrency    = 4
	DefaultMaxSeenPerFeed = 5000
	DefaultMaxBackoff     = time.Hour
	DefaultWriteTimeout   = 30 * time.Second
	maxConcurrency        = 256
	maxRetryAfter         = 24 * time.Hour
)

// PollerConfig configures ingest polling. Zero values take the defaults.
type PollerConfig struct {
	DefaultInterval time.Duration `yaml:"default_interval"`  // for feeds without their own; default 5m
	Concurrency     int           `yaml:"concurrency"`       // feeds fetched at once; default 4
	MaxSeenPerFeed  int           `yaml:"max_seen_per_feed"` // item hashes remembered per feed; default 5000
	MaxBackoff      time.Duration `yaml:"max_backoff"`       // ceiling of the error backoff; default 1h
	// WriteTimeout bounds the write of a poll's items. The write runs to the end
	// even after shutdown begins, so items already fetched are not fetched twice.
	WriteTimeout time.Duration `yaml:"write_timeout"` // default 30s
	Fetch        FetchConfig   `yaml:"fetch"`
}

// DefaultPollerConfig returns the defaults.
func DefaultPollerConfig() PollerConfig {
	return PollerConfig{
		DefaultInterval: DefaultPollInterval,
		Concurrency:     DefaultConcurrency,
		MaxSeenPerFeed:  DefaultMaxSeenPerFeed,
		MaxBackoff:      DefaultMaxBackoff,
		WriteTimeout:    DefaultWriteTimeout,
		Fetch:           DefaultFetchConfig(),
	}
}

func (c PollerConfig) withDefaults() PollerConfig {
	d := DefaultPollerConfig()
	if c.DefaultInterval == 0 {
		c.DefaultInterval = d.DefaultInterval
	}
	if c.Concurrency == 0 {
		c.Concurrency = d.Concurrency
	}
	if c.MaxSeenPerFeed == 0 {
		c.MaxSeenPerFeed = d.MaxSeenPerFeed
	}
	if c.MaxBackoff == 0 {
		c.MaxBackoff = d.MaxBackoff
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = d.WriteTimeout
	}
	c.Fetch = c.Fetch.withDefaults()
	return c
}

// Validate checks the configuration; zero values are valid (they mean the default).
func (c PollerConfig) Validate() error {
	switch {
	case c.DefaultInterval < 0 || c.DefaultInterval > 0 && c.DefaultInterval < minInterval:
		return fmt.Errorf("default_interval: must be at least %s", minInterval)
	case c.Concurrency < 0 || c.Concurrency > maxConcurrency:
		return fmt.Errorf("concurrency: must be between 1 and %d", maxConcurrency)
	case c.MaxSeenPerFeed < 0:
		return errors.New("max_seen_per_feed: must not be negative")
	case c.MaxBackoff < 0:
		return errors.New("max_backoff: must not be negative")
	case c.WriteTimeout < 0:
		return errors.New("write_timeout: must not be negative")
	}
	return c.Fetch.Validate()
}

// FeedState is a snapshot of what the Poller remembers about a feed.
type FeedState struct {
	Validators
	Seen              int // item keys remembered
	ConsecutiveErrors int
	LastSuccess       time.Time
	LastError         error
}

// feedState is one feed's ingest state. Its lock is held for a whole poll, so a
// feed is never polled twice at once.
type feedState struct {
	mu          sync.Mutex
	validators  Validators
	seen        map[string]*list.Element // story key → element holding *seenItem
	order       *list.List               // front: most recently present in the feed
	errors      int
	lastSuccess time.Time
	lastErr     error
}

type seenItem struct {
	key, hash string
}

// remember records key as present in the feed now with content hash.
func (s *feedState) remember(key, hash string) {
	if el, ok := s.seen[key]; ok {
		el.Value.(*seenItem).hash = hash
		s.order.MoveToFront(el)
		return
	}
	s.seen[key] = s.order.PushFront(&seenItem{key: key, hash: hash})
}

// evict forgets the items longest absent from the feed beyond limit.
func (s *feedState) evict(limit int) int {
	n := 0
	for s.order.Len() > limit {
		el := s.order.Back()
		delete(s.seen, el.Value.(*seenItem).key)
		s.order.Remove(el)
		n++
	}
	return n
}

type observerBox struct{ o Observer }

// Poller polls feeds and writes their new and changed items to the raw topic.
// Feed state lives in memory: a restarted Poller emits every current item once
// more (at-least-once; enrich drops exact repeats).
type Poller struct {
	cfg     PollerConfig
	feeds   FeedsFile
	states  map[string]*feedState // fixed at construction; each entry has its own lock
	fetcher *Fetcher
	w       rawWriter
	topic   string
	log     *zap.Logger
	sem     chan struct{}
	ready   atomic.Bool
	obs     atomic.Pointer[observerBox]
}

// NewPoller builds a Poller writing to topic through w.
func NewPoller(cfg PollerConfig, feeds FeedsFile, w rawWriter, topic string, log *zap.Logger) (*Poller, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("poller config: %w", err)
	}
	cfg = cfg.withDefaults()
	if err := feeds.Validate(); err != nil {
		return nil, err
	}
	if w == nil {
		return nil, errors.New("poller: a writer is required")
	}
	if topic == "" {
		return nil, errors.New("poller: a topic is required")
	}
	if log == nil {
		log = zap.NewNop()
	}
	fetcher, err := NewFetcher(cfg.Fetch, log)
	if err != nil {
		return nil, fmt.Errorf("poller config: %w", err)
	}
	p := &Poller{
		cfg:     cfg,
		feeds:   feeds,
		states:  make(map[string]*feedState, len(feeds.Feeds)),
		fetcher: fetcher,
		w:       w,
		topic:   topic,
		log:     log,
		sem:     make(chan struct{}, cfg.Concurrency),
	}
	for _, f := range feeds.Feeds {
		p.states[f.ID] = &feedState{seen: make(map[string]*list.Element), order: list.New()}
	}
	return p, nil
}

// SetObserver installs the metrics hook; nil removes it.
func (p *Poller) SetObserver(o Observer) {
	if o == nil {
		p.obs.Store(nil)
		return
	}
	p.obs.Store(&observerBox{o: o})
}

// Ready reports whether polling has started (Run or PollAll was called).
func (p *Poller) Ready() bool { return p.ready.Load() }

// State returns a snapshot of a feed's state.
func (p *Poller) State(feedID string) (FeedState, bool) {
	st, ok := p.states[feedID]
	if !ok {
		return FeedState{}, false
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return FeedState{
		Validators:        st.validators,
		Seen:              len(st.seen),
		ConsecutiveErrors: st.errors,
		LastSuccess:       st.lastSuccess,
		LastError:         st.lastErr,
	}, true
}

// PollAll polls every feed once, Concurrency at a time. A failing feed is
// reported in its FeedResult and logged; the error is only ctx's.
func (p *Poller) PollAll(ctx context.Context) (PollResult, error) {
	p.ready.Store(true)
	res := PollResult{Feeds: make([]FeedResult, len(p.feeds.Feeds))}
	var wg sync.WaitGroup
	for i, f := range p.feeds.Feeds {
		wg.Go(func() {
			if !p.acquire(ctx) {
				res.Feeds[i] = FeedResult{Feed: f.ID, Err: fmt.Errorf("feed %s: not polled: %w", f.ID, ctx.Err())}
				return
			}
			defer p.release()
			res.Feeds[i] = p.pollFeed(ctx, f)
		})
	}
	wg.Wait()
	p.fetcher.CloseIdleConnections()
	return res, ctx.Err()
}

// Run polls each feed on its own interval (±10% jitter so feeds drift apart),
// backing off on errors without ever giving up. It returns nil once ctx is
// cancelled and every poll in flight has finished.
func (p *Poller) Run(ctx context.Context) error {
	p.ready.Store(true)
	var wg sync.WaitGroup
	for _, f := range p.feeds.Feeds {
		wg.Go(func() { p.loop(ctx, f) })
	}
	wg.Wait()
	p.fetcher.CloseIdleConnections()
	return nil
}

func (p *Poller) loop(ctx context.Context, f Feed) {
	timer := time.NewTimer(0) // first poll at once
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if !p.acquire(ctx) {
			return
		}
		res := p.pollFeed(ctx, f)
		p.release()
		if ctx.Err() != nil {
			return
		}
		next := p.nextDelay(f, res)
		p.log.Debug("feed scheduled", zap.String("feed", f.ID), zap.Duration("next_in", next))
		timer.Reset(next)
	}
}

func (p *Poller) acquire(ctx context.Context) bool {
	select {
	case p.sem <- struct{}{}:
		return true
	case <-ctx.Done():
		return false
	}
}

func (p *Poller) release() { <-p.sem }

func (p *Poller) interval(f Feed) time.Duration {
	if f.Interval > 0 {
		return f.Interval
	}
	return p.cfg.DefaultInterval
}

// nextDelay is the feed's interval after a success; after n failures in a row it
// is interval·2^(n-1), capped at MaxBackoff (or the interval if longer), and
// never shorter than the server's Retry-After.
func (p *Poller) nextDelay(f Feed, res FeedResult) time.Duration {
	iv := p.interval(f)
	if res.Err == nil {
		return jitter(iv)
	}
	ceiling := max(p.cfg.MaxBackoff, iv)
	d := iv
	for i := 1; i < res.ConsecutiveErrors && d < ceiling; i++ {
		d *= 2
	}
	d = min(d, ceiling)
	var se *StatusError
	if errors.As(res.Err, &se) && se.RetryAfter > d {
		d = min(se.RetryAfter, maxRetryAfter)
	}
	return jitter(d)
}

// jitter spreads d by ±10%.
func jitter(d time.Duration) time.Duration {
	spread := int64(d) / 10
	if spread <= 0 {
		return d
	}
	return d + time.Duration(rand.Int64N(2*spread+1)-spread)
}

// pollFeed polls one feed, holding its state lock, and reports the outcome.
func (p *Poller) pollFeed(ctx context.Context, f Feed) FeedResult {
	st := p.states[f.ID]
	st.mu.Lock()
	defer st.mu.Unlock()

	start := time.Now()
	res := p.poll(ctx, f, st)
	res.Took = time.Since(start)
	if res.Err != nil && ctx.Err() != nil && errors.Is(res.Err, ctx.Err()) {
		// Shutdown cut the fetch short: not the feed's fault, nothing to count.
		p.log.Debug("feed poll interrupted", zap.String("feed", f.ID))
		return res
	}
	if res.Err != nil {
		st.errors++
		st.lastErr = res.Err
	} else {
		st.errors = 0
		st.lastErr = nil
		st.lastSuccess = time.Now()
	}
	res.ConsecutiveErrors = st.errors

	if res.Err != nil {
		p.log.Warn("feed poll failed",
			zap.String("feed", f.ID), zap.Int("status", res.Status), zap.Int("consecutive_errors", st.errors),
			zap.Duration("took", res.Took), zap.Error(res.Err))
	} else {
		p.log.Info("feed polled",
			zap.String("feed", f.ID), zap.Int("status", res.Status), zap.Int("items", res.Items),
			zap.Int("new", res.New), zap.Int("changed", res.Changed), zap.Duration("took", res.Took))
	}
	if b := p.obs.Load(); b != nil {
		b.o.Polled(f.ID, res.New, res.Changed, res.Err)
	}
	return res
}

// poll fetches, parses and emits. The feed's state (validators, seen items)
// changes only after the writer accepted every message, so a failed write
// leaves the items to be emitted again by the next poll.
func (p *Poller) poll(ctx context.Context, f Feed, st *feedState) FeedResult {
	res := FeedResult{Feed: f.ID}
	resp, err := p.fetcher.Fetch(ctx, f.URL, st.validators)
	res.Status = resp.Status
	if errors.Is(err, ErrNotModified) {
		res.NotModified = true
		st.validators = resp.Validators
		return res
	}
	if err != nil {
		res.Err = fmt.Errorf("feed %s: %w", f.ID, err)
		return res
	}
	fetched := time.Now().UTC()
	items, err := Parse(f, resp.Body, resp.ContentType, fetched)
	if err != nil {
		res.Err = err
		return res
	}
	res.Items = len(items)

	var (
		msgs    []pipeline.Message
		present = make([]seenItem, 0, len(items)) // document order
		inDoc   = make(map[string]bool, len(items))
	)
	for i := range items {
		it := &items[i]
		key := pipeline.StoryKey(*it)
		if inDoc[key] {
			continue // the same item twice in one document: the first counts
		}
		inDoc[key] = true
		present = append(present, seenItem{key: key, hash: it.ContentHash})
		prev, known := st.seen[key]
		switch {
		case !known:
			res.New++
		case prev.Value.(*seenItem).hash != it.ContentHash:
			it.Changed = true
			res.Changed++
		default:
			continue
		}
		val, err := pipeline.EncodeRaw(*it)
		if err != nil {
			res.New, res.Changed = 0, 0
			res.Err = fmt.Errorf("feed %s: item %s: %w", f.ID, key, err)
			return res
		}
		msgs = append(msgs, pipeline.Message{Topic: p.topic, Key: []byte(key), Value: val, Time: fetched})
	}

	if len(msgs) > 0 {
		// Items already fetched are written even if shutdown begins now.
		wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), p.cfg.WriteTimeout)
		err := p.w.Write(wctx, msgs...)
		cancel()
		if err != nil {
			res.New, res.Changed = 0, 0
			res.Err = fmt.Errorf("feed %s: write %d items: %w", f.ID, len(msgs), err)
			return res
		}
	}

	// Oldest document position first, so the top of the feed ends up most recent.
	for i := len(present) - 1; i >= 0; i-- {
		st.remember(present[i].key, present[i].hash)
	}
	if evicted := st.evict(p.cfg.MaxSeenPerFeed); evicted > 0 && len(present) > p.cfg.MaxSeenPerFeed {
		p.log.Warn("feed has more items than max_seen_per_feed; the oldest will be emitted again",
			zap.String("feed", f.ID), zap.Int("items", len(present)), zap.Int("max_seen_per_feed", p.cfg.MaxSeenPerFeed))
	}
	st.validators = resp.Validators
	return res
}
