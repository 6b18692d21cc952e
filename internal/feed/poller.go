package feed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
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

// StateStore keeps feed states durably. main hands the Poller one over the compacted
// feed-state topic, whose partitions also decide which replica polls which feed.
type StateStore interface {
	// Partitions is the number of partitions feeds are spread over.
	Partitions() int
	// Partition is the partition a feed's state lives on.
	Partition(feedID string) int
	// Load returns the stored state of the feeds on partitions, as of the call. A
	// *StateDecodeError names feeds whose state could not be read; the others are
	// returned with it.
	Load(ctx context.Context, partitions []int) (map[string]FeedState, error)
	// Save stores st durably and returns nil only once it is. withSeen says whether
	// st.Seen changed since the last Save and must be stored too.
	Save(ctx context.Context, st FeedState, withSeen bool) error
}

// Observer is told about polls and about the feeds a Poller takes up and lets go, for
// metrics. Methods are called from polling goroutines and must not block.
type Observer interface {
	// FeedPolled reports one poll that was made (not one cut short by shutdown).
	FeedPolled(feed string, r PollReport)
	// FeedLoaded reports a feed whose state this Poller restored: it polls the feed now.
	FeedLoaded(feed string, st FeedState)
	// FeedReleased reports a feed this Poller no longer polls (it moved to another
	// replica, or polling stopped).
	FeedReleased(feed string)
}

// PollReport is one poll as metrics see it: what it did, and the feed's schedule after.
type PollReport struct {
	Status      int   // HTTP status; 0 when no answer came
	Err         error // nil on success and on 304
	ParseError  bool  // the document was fetched but could not be parsed (wholly or in part)
	Bytes       int64 // body bytes fetched, after decompression
	New         int
	Changed     int
	ErrorStreak int
	Silent      bool
	LastSuccess time.Time
	NextPoll    time.Time
	Interval    time.Duration
}

// Poller defaults.
const (
	DefaultPollInterval   = 5 * time.Minute
	DefaultConcurrency    = 4
	DefaultMaxSeenPerFeed = 5000
	DefaultPerHost        = 4
	DefaultHostGap        = 100 * time.Millisecond
	DefaultWriteTimeout   = 30 * time.Second
	maxConcurrency        = 256
	// restoreRetry paces attempts to load state while the store is unavailable.
	restoreRetryMin = time.Second
	restoreRetryMax = 30 * time.Second
)

// PollerConfig configures ingest polling. Zero values take the defaults.
type PollerConfig struct {
	// DefaultInterval is where a feed without its own interval starts; the schedule
	// then adapts it to how often the feed publishes. Default 5m.
	DefaultInterval time.Duration `yaml:"default_interval"`
	Concurrency     int           `yaml:"concurrency"`       // feeds fetched at once; default 4
	MaxSeenPerFeed  int           `yaml:"max_seen_per_feed"` // items remembered per feed (16 bytes each); default 5000
	PerHost         int           `yaml:"per_host"`          // fetches at once to one host; default 4
	HostGap         time.Duration `yaml:"host_gap"`          // least time between two fetch starts to one host; default 100ms; -1 for none
	// WriteTimeout bounds each write of a poll's items and of the feed's state. Writes
	// run on after polling is told to stop (within DrainTimeout), so items already
	// fetched are not fetched twice.
	WriteTimeout time.Duration `yaml:"write_timeout"` // default 30s
	// DrainTimeout bounds all the writes still running once polling is told to stop
	// (shutdown, or the feeds moving to another replica, which must not start on them
	// before this one has stopped). Default: WriteTimeout.
	DrainTimeout time.Duration  `yaml:"drain_timeout"`
	Schedule     ScheduleConfig `yaml:"schedule"`
	Fetch        FetchConfig    `yaml:"fetch"`
}

// DefaultPollerConfig returns the defaults.
func DefaultPollerConfig() PollerConfig {
	return PollerConfig{
		DefaultInterval: DefaultPollInterval,
		Concurrency:     DefaultConcurrency,
		MaxSeenPerFeed:  DefaultMaxSeenPerFeed,
		PerHost:         DefaultPerHost,
		HostGap:         DefaultHostGap,
		WriteTimeout:    DefaultWriteTimeout,
		DrainTimeout:    DefaultWriteTimeout,
		Schedule:        DefaultScheduleConfig(),
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
	if c.PerHost == 0 {
		c.PerHost = d.PerHost
	}
	switch {
	case c.HostGap == 0:
		c.HostGap = d.HostGap
	case c.HostGap < 0:
		c.HostGap = 0
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = d.WriteTimeout
	}
	if c.DrainTimeout == 0 {
		c.DrainTimeout = c.WriteTimeout
	}
	c.Schedule = c.Schedule.WithDefaults()
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
	case c.PerHost < 0:
		return errors.New("per_host: must not be negative")
	case c.HostGap < -1:
		return errors.New("host_gap: must not be negative (-1 turns the gap off)")
	case c.WriteTimeout < 0:
		return errors.New("write_timeout: must not be negative")
	case c.DrainTimeout < 0:
		return errors.New("drain_timeout: must not be negative")
	}
	if err := c.Schedule.Validate(); err != nil {
		return fmt.Errorf("schedule.%w", err)
	}
	return c.Fetch.Validate()
}

// PollerOption adds an optional part to a Poller.
type PollerOption func(*Poller)

// WithStateStore makes the Poller restore feed states from s and save them there. Without
// it, state lives in memory only: a restarted Poller emits every current item once more.
func WithStateStore(s StateStore) PollerOption {
	return func(p *Poller) {
		if s != nil {
			p.store = s
		}
	}
}

// feedState is one feed's state in memory. Its lock is held for a whole poll, so a
// feed is never polled twice at once by one Poller.
type feedState struct {
	mu sync.Mutex
	st FeedState
	// seenDirty: the seen items changed since the last successful Save.
	seenDirty bool
}

type observerBox struct{ o Observer }

// Poller polls feeds and writes their new and changed items to the raw topic.
//
// A poll writes its new and changed items (one acknowledged write), then the feed's new
// state (acknowledged), then takes the state as its own. A crash between the two writes
// emits that poll's items once more, and nothing else: a restarted Poller, or another
// replica taking the feed over, resumes from the stored state.
type Poller struct {
	cfg     PollerConfig
	feeds   FeedsFile
	fetcher *Fetcher
	hosts   *HostLimiter
	w       rawWriter
	store   StateStore
	topic   string
	log     *zap.Logger
	sem     chan struct{}
	rnd     func() float64
	ready   atomic.Bool
	running atomic.Bool
	obs     atomic.Pointer[observerBox]

	mu        sync.Mutex
	states    map[string]*feedState // feeds whose state is loaded: the ones this Poller may poll
	unread    map[string]error      // feeds whose stored state could not be read
	allLoaded bool                  // states holds every partition (PollAll)
}

// NewPoller builds a Poller writing to topic through w.
func NewPoller(cfg PollerConfig, feeds FeedsFile, w rawWriter, topic string, log *zap.Logger, opts ...PollerOption) (*Poller, error) {
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
	cfg.Fetch.AllowPrivateNetworks = feeds.AllowPrivateNetworks
	fetcher, err := NewFetcher(cfg.Fetch, log)
	if err != nil {
		return nil, fmt.Errorf("poller config: %w", err)
	}
	// A feed without its own interval starts at the configured default.
	feeds.Feeds = slices.Clone(feeds.Feeds)
	for i := range feeds.Feeds {
		if feeds.Feeds[i].Interval == 0 {
			feeds.Feeds[i].Interval = cfg.DefaultInterval
		}
	}
	p := &Poller{
		cfg:     cfg,
		feeds:   feeds,
		fetcher: fetcher,
		hosts:   NewHostLimiter(cfg.PerHost, cfg.HostGap),
		w:       w,
		store:   newMemoryStateStore(1),
		topic:   topic,
		log:     log,
		sem:     make(chan struct{}, cfg.Concurrency),
		rnd:     rand.Float64,
		states:  map[string]*feedState{},
	}
	for _, o := range opts {
		o(p)
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

// Ready reports whether polling has started: state restored, first polls under way.
func (p *Poller) Ready() bool { return p.ready.Load() }

// State returns a snapshot of a feed's state, if this Poller holds it.
func (p *Poller) State(feedID string) (FeedState, bool) {
	p.mu.Lock()
	fs, ok := p.states[feedID]
	p.mu.Unlock()
	if !ok {
		return FeedState{}, false
	}
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.st, true
}

// allPartitions lists every partition of the state store.
func (p *Poller) allPartitions() []int {
	ps := make([]int, p.store.Partitions())
	for i := range ps {
		ps[i] = i
	}
	return ps
}

// feedsOn returns the feeds whose state lives on partitions, in feeds file order.
func (p *Poller) feedsOn(partitions []int) []Feed {
	owned := make(map[int]bool, len(partitions))
	for _, n := range partitions {
		owned[n] = true
	}
	var out []Feed
	for _, f := range p.feeds.Feeds {
		if owned[p.store.Partition(f.ID)] {
			out = append(out, f)
		}
	}
	return out
}

// load restores the states of the feeds on partitions and makes them this Poller's.
func (p *Poller) load(ctx context.Context, partitions []int) ([]Feed, error) {
	stored, err := p.store.Load(ctx, partitions)
	var de *StateDecodeError
	if err != nil && !errors.As(err, &de) {
		return nil, fmt.Errorf("restore feed states of partitions %v: %w", partitions, err)
	}
	feeds := p.feedsOn(partitions)
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, f := range feeds {
		st, ok := stored[f.ID]
		if !ok {
			st = FeedState{Feed: f.ID}
		}
		p.states[f.ID] = &feedState{st: st}
		delete(p.unread, f.ID)
	}
	if de != nil {
		if p.unread == nil {
			p.unread = map[string]error{}
		}
		for _, id := range de.Feeds {
			// Polling without the state would emit the feed's items again and then
			// overwrite what a newer wirehose may have written: leave the feed alone.
			delete(p.states, id)
			p.unread[id] = fmt.Errorf("feed %s: stored state unreadable, not polled: %w", id, de)
			p.log.Error("feed state unreadable; feed not polled", zap.String("feed", id), zap.Error(de.Err))
		}
	}
	restored := 0
	b := p.obs.Load()
	for _, f := range feeds {
		if _, ok := stored[f.ID]; ok {
			restored++
		}
		if fs, ok := p.states[f.ID]; ok && b != nil {
			b.o.FeedLoaded(f.ID, fs.st)
		}
	}
	p.log.Info("feed states restored", zap.Ints("partitions", partitions), zap.Int("feeds", len(feeds)),
		zap.Int("with_state", restored))
	return feeds, nil
}

// unload forgets the states of feeds: they are another replica's now.
func (p *Poller) unload(feeds []Feed) {
	p.mu.Lock()
	defer p.mu.Unlock()
	b := p.obs.Load()
	for _, f := range feeds {
		delete(p.states, f.ID)
		delete(p.unread, f.ID)
		if b != nil {
			b.o.FeedReleased(f.ID)
		}
	}
	p.allLoaded = false
}

func (p *Poller) stateOf(feedID string) (*feedState, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.unread[feedID]; err != nil {
		return nil, err
	}
	fs, ok := p.states[feedID]
	if !ok {
		return nil, fmt.Errorf("feed %s: state not loaded", feedID)
	}
	return fs, nil
}

// PollAll restores the state of every feed (once) and polls every feed now,
// Concurrency at a time, whatever its schedule. A failing feed is reported in its
// FeedResult and logged; the error is ctx's, or the store's when state could not be
// restored. It is the whole of `--once`; it must not run alongside Run.
func (p *Poller) PollAll(ctx context.Context) (PollResult, error) {
	if !p.running.CompareAndSwap(false, true) {
		return PollResult{}, errors.New("poller: already running")
	}
	defer p.running.Store(false)
	p.mu.Lock()
	loaded := p.allLoaded
	p.mu.Unlock()
	if !loaded {
		if _, err := p.load(ctx, p.allPartitions()); err != nil {
			return PollResult{}, err
		}
		p.mu.Lock()
		p.allLoaded = true
		p.mu.Unlock()
	}
	p.ready.Store(true)
	drain, stopDrain := drainAfter(ctx, p.cfg.DrainTimeout)
	defer stopDrain()
	res := PollResult{Feeds: make([]FeedResult, len(p.feeds.Feeds))}
	var wg sync.WaitGroup
	for i, f := range p.feeds.Feeds {
		wg.Go(func() {
			fs, err := p.stateOf(f.ID)
			if err != nil {
				res.Feeds[i] = FeedResult{Feed: f.ID, Err: err}
				return
			}
			if !p.acquire(ctx) {
				res.Feeds[i] = FeedResult{Feed: f.ID, Err: fmt.Errorf("feed %s: not polled: %w", f.ID, ctx.Err())}
				return
			}
			defer p.release()
			res.Feeds[i] = p.pollFeed(ctx, drain, f, fs)
		})
	}
	wg.Wait()
	p.fetcher.CloseIdleConnections()
	return res, ctx.Err()
}

// Run polls every feed on its schedule until ctx ends, owning every partition of the
// state store: the single-replica mode. It returns nil once ctx is cancelled and every
// poll in flight has finished.
func (p *Poller) Run(ctx context.Context) error {
	return p.RunPartitions(ctx, p.allPartitions())
}

// RunPartitions restores the state of the feeds on partitions and polls them on their
// schedules until ctx ends; then it waits for the polls in flight (their writes get
// DrainTimeout), forgets those feeds and returns nil. It is what a replica runs while a
// consumer group gives it those partitions. It keeps retrying to restore while the store
// is unavailable.
func (p *Poller) RunPartitions(ctx context.Context, partitions []int) error {
	if !p.running.CompareAndSwap(false, true) {
		return errors.New("poller: already running")
	}
	defer p.running.Store(false)
	feeds, ok := p.restore(ctx, partitions)
	if !ok {
		return nil
	}
	defer p.unload(feeds)
	p.ready.Store(true)
	drain, stopDrain := drainAfter(ctx, p.cfg.DrainTimeout)
	defer stopDrain()
	var wg sync.WaitGroup
	for _, f := range feeds {
		fs, err := p.stateOf(f.ID)
		if err != nil {
			continue // logged when loaded
		}
		wg.Go(func() { p.loop(ctx, drain, f, fs) })
	}
	wg.Wait()
	p.fetcher.CloseIdleConnections()
	return nil
}

// restore loads the partitions' states, retrying until it works or ctx ends.
func (p *Poller) restore(ctx context.Context, partitions []int) ([]Feed, bool) {
	delay := restoreRetryMin
	for attempt := 1; ; attempt++ {
		feeds, err := p.load(ctx, partitions)
		if err == nil {
			return feeds, true
		}
		if ctx.Err() != nil {
			return nil, false
		}
		p.log.Error("restoring feed states failed; retrying", zap.Int("attempt", attempt),
			zap.Duration("retry_in", delay), zap.Error(err))
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, false
		case <-t.C:
		}
		delay = min(2*delay, restoreRetryMax)
	}
}

func (p *Poller) loop(ctx, drain context.Context, f Feed, fs *feedState) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		fs.mu.Lock()
		wait := fs.st.Schedule.Until(time.Now())
		fs.mu.Unlock()
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		if !p.acquire(ctx) {
			return
		}
		res := p.pollFeed(ctx, drain, f, fs)
		p.release()
		if ctx.Err() != nil {
			return
		}
		p.log.Debug("feed scheduled", zap.String("feed", f.ID), zap.Time("next_poll", res.NextPoll))
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

// pollFeed polls one feed, holding its state lock, and reports the outcome.
func (p *Poller) pollFeed(ctx, drain context.Context, f Feed, fs *feedState) FeedResult {
	fs.mu.Lock()
	defer fs.mu.Unlock()

	start := time.Now()
	o := p.poll(ctx, drain, f, fs.st)
	res := o.res
	res.Took = time.Since(start)
	if o.interrupted {
		// Shutdown or a hand-over cut the poll short: not the feed's doing, nothing
		// to record, and the next owner polls when the stored schedule says.
		p.log.Debug("feed poll interrupted", zap.String("feed", f.ID))
		return res
	}

	withSeen := o.seenChanged || fs.seenDirty
	sctx, cancel := context.WithTimeout(drain, p.cfg.WriteTimeout)
	err := p.store.Save(sctx, o.next, withSeen)
	cancel()
	if err != nil {
		// The items are written; without the stored state a restart or the next owner
		// emits them once more. This Poller still takes the state as its own, so as long
		// as it runs it does not, and its next Save stores the seen items too.
		res.Err = errors.Join(res.Err, fmt.Errorf("feed %s: save state: %w", f.ID, err))
		fs.seenDirty = withSeen
	} else {
		fs.seenDirty = false
	}
	fs.st = o.next
	res.ConsecutiveErrors = o.next.Schedule.ConsecutiveErrors
	res.NextPoll = o.next.Schedule.NextPoll

	switch {
	case res.Err != nil:
		p.log.Warn("feed poll failed",
			zap.String("feed", f.ID), zap.Int("status", res.Status), zap.Int("consecutive_errors", res.ConsecutiveErrors),
			zap.Duration("took", res.Took), zap.Time("next_poll", res.NextPoll), zap.Error(res.Err))
	case res.New > 0 || res.Changed > 0:
		p.log.Info("feed polled",
			zap.String("feed", f.ID), zap.Int("status", res.Status), zap.Int("items", res.Items),
			zap.Int("new", res.New), zap.Int("changed", res.Changed), zap.Duration("took", res.Took),
			zap.Time("next_poll", res.NextPoll))
	default:
		p.log.Debug("feed polled",
			zap.String("feed", f.ID), zap.Int("status", res.Status), zap.Int("items", res.Items),
			zap.Bool("not_modified", res.NotModified), zap.Duration("took", res.Took),
			zap.Time("next_poll", res.NextPoll))
	}
	if b := p.obs.Load(); b != nil {
		sc := o.next.Schedule
		b.o.FeedPolled(f.ID, PollReport{
			Status: res.Status, Err: res.Err, ParseError: res.ParseError, Bytes: res.Bytes,
			New: res.New, Changed: res.Changed, ErrorStreak: sc.ConsecutiveErrors, Silent: sc.Silent,
			LastSuccess: sc.LastSuccess, NextPoll: sc.NextPoll, Interval: sc.Interval,
		})
	}
	return res
}

// pollOutcome is one poll: what to report, and the feed's state after it.
type pollOutcome struct {
	res         FeedResult
	next        FeedState
	seenChanged bool
	interrupted bool
}

// fetch is the one place a feed is requested: the address guard and the feed's
// credentials come with the Fetcher and the feed.
func (p *Poller) fetch(ctx context.Context, f Feed, v Validators) (Response, error) {
	release, err := p.hosts.Acquire(ctx, HostKey(f.URL))
	if err != nil {
		return Response{}, fmt.Errorf("wait for a fetch slot: %w", err)
	}
	defer release()
	return p.fetcher.FetchWith(ctx, f.URL, FetchOptions{Validators: v, Auth: f.Auth})
}

// poll fetches, parses and emits, and works out the feed's next state. Validators and
// seen items change only after the writer accepted every message, so a failed write
// leaves the items to be emitted by the next poll.
func (p *Poller) poll(ctx, drain context.Context, f Feed, st FeedState) pollOutcome {
	o := pollOutcome{res: FeedResult{Feed: f.ID}, next: st}
	o.next.Feed = f.ID
	var sched PollOutcome

	resp, err := p.fetch(ctx, f, st.Validators)
	o.res.Status, sched.Status, sched.CacheFor = resp.Status, resp.Status, resp.CacheFor
	switch {
	case errors.Is(err, ErrNotModified):
		o.res.NotModified, sched.NotModified = true, true
		o.next.Validators = resp.Validators
	case err != nil:
		o.res.Err = fmt.Errorf("feed %s: %w", f.ID, err)
		if ctx.Err() != nil && errors.Is(err, ctx.Err()) {
			o.interrupted = true
			return o
		}
	default:
		p.emit(ctx, drain, f, st, resp, &o, &sched)
		if o.interrupted {
			return o
		}
	}

	sched.Err = o.res.Err
	o.next.Schedule = p.cfg.Schedule.Next(f, st.Schedule, sched, time.Now(), p.rnd)
	if resp.Status != 0 {
		o.next.LastStatus = resp.Status
	}
	c := &o.next.Counters
	c.Polls++
	if o.res.NotModified {
		c.NotModified++
	}
	if o.res.Err != nil {
		c.Failures++
	}
	c.New += int64(o.res.New)
	c.Changed += int64(o.res.Changed)
	return o
}

// emit parses a fetched document, writes its new and changed items, and on success
// moves the validators and seen items forward in o.next.
func (p *Poller) emit(ctx, drain context.Context, f Feed, st FeedState, resp Response, o *pollOutcome, sched *PollOutcome) {
	fetched := time.Now().UTC()
	o.res.Bytes = int64(len(resp.Body))
	parsed, err := ParseFeed(f, resp.Body, resp.ContentType, fetched)
	sched.TTL = parsed.TTL
	if err != nil {
		o.res.Err = err
		o.res.ParseError = true
		if !errors.Is(err, ErrPartialDocument) || len(parsed.Items) == 0 {
			return
		}
		// The items before the break still flow; the error stays on the feed's state.
	}
	items := parsed.Items
	o.res.Items = len(items)

	present := make([]seenEntry, 0, len(items)) // document order
	inDoc := make(map[uint64]bool, len(items))
	for i := range items {
		e := newSeenEntry(pipeline.StoryKey(items[i]), items[i].ContentHash)
		if inDoc[e.key] {
			continue
		}
		inDoc[e.key] = true
		present = append(present, e)
	}
	known := st.Seen.hashes(inDoc)

	var (
		msgs  []pipeline.Message
		times []time.Time
		done  = make(map[uint64]bool, len(items))
	)
	for i := range items {
		it := &items[i]
		key := pipeline.StoryKey(*it)
		e := newSeenEntry(key, it.ContentHash)
		if done[e.key] {
			continue // the same item twice in one document: the first counts
		}
		done[e.key] = true
		prev, ok := known[e.key]
		switch {
		case !ok:
			o.res.New++
		case prev != e.hash:
			it.Changed = true
			o.res.Changed++
		default:
			continue
		}
		val, err := pipeline.EncodeRaw(*it)
		if err != nil {
			o.res.New, o.res.Changed = 0, 0
			o.res.Err = errors.Join(o.res.Err, fmt.Errorf("feed %s: item %s: %w", f.ID, key, err))
			return
		}
		msgs = append(msgs, pipeline.Message{Topic: p.topic, Key: []byte(key), Value: val, Time: fetched})
		times = append(times, itemTime(*it))
	}

	if len(msgs) > 0 {
		// Items already fetched are written even if polling is told to stop now.
		wctx, cancel := context.WithTimeout(drain, p.cfg.WriteTimeout)
		err := p.w.Write(wctx, msgs...)
		cancel()
		if err != nil {
			o.res.New, o.res.Changed = 0, 0
			o.res.Err = errors.Join(o.res.Err, fmt.Errorf("feed %s: write %d items: %w", f.ID, len(msgs), err))
			// Cut off by the drain deadline: the feed did nothing wrong, and the next
			// owner polls it again from the stored state.
			if o.interrupted = ctx.Err() != nil; o.interrupted {
				p.log.Warn("item write cut short by the drain deadline; they may be emitted again",
					zap.String("feed", f.ID), zap.Int("items", len(msgs)), zap.Error(err))
			}
			return
		}
	}
	sched.NewItems, sched.ItemTimes = o.res.New, times

	seen, evicted, changed := st.Seen.update(present, p.cfg.MaxSeenPerFeed)
	if evicted > 0 && len(present) > p.cfg.MaxSeenPerFeed {
		p.log.Warn("feed has more items than max_seen_per_feed; the oldest will be emitted again",
			zap.String("feed", f.ID), zap.Int("items", len(present)), zap.Int("max_seen_per_feed", p.cfg.MaxSeenPerFeed))
	}
	o.next.Seen, o.seenChanged = seen, changed
	if o.res.Err == nil {
		// A partial document keeps the old validators, so the next poll fetches it whole.
		o.next.Validators = resp.Validators
	}
}

// itemTime is when an item was published or last updated, for the schedule.
func itemTime(it pipeline.RawItem) time.Time {
	switch {
	case it.Updated != nil:
		return *it.Updated
	case it.Published != nil:
		return *it.Published
	}
	return time.Time{}
}

// drainAfter returns the context of the writes of a run: it keeps ctx's values but not
// its cancellation, and ends grace after ctx ends. Every write of the run shares it, so
// all of them together finish within grace of being told to stop.
func drainAfter(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	d, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() {
		t := time.AfterFunc(grace, cancel)
		context.AfterFunc(d, func() { t.Stop() })
	})
	return d, func() {
		stop()
		cancel()
	}
}
