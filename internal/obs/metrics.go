package obs

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/wirehose/wirehose/internal/feed"
)

// Metrics holds one process's Prometheus collectors on its own registry (no global state).
// It satisfies the Kafka consumer's and the feed poller's observer hooks.
type Metrics struct {
	Registry *prometheus.Registry

	consumed     *prometheus.CounterVec
	produced     *prometheus.CounterVec
	failures     *prometheus.CounterVec
	deadLettered *prometheus.CounterVec
	processing   *prometheus.HistogramVec
	polls        *prometheus.CounterVec
	pollItems    *prometheus.CounterVec
	lastSuccess  *prometheus.GaugeVec

	// Per-feed health, fed through feed.Observer. Every series carries the feed
	// label, so ForgetFeed can drop a feed this process no longer polls.
	pollResults  *prometheus.CounterVec
	fetchedBytes *prometheus.CounterVec
	parseErrors  *prometheus.CounterVec
	errorStreak  *prometheus.GaugeVec
	silent       *prometheus.GaugeVec
	nextPoll     *prometheus.GaugeVec
	interval     *prometheus.GaugeVec

	// Enrich decisions, fed through enrich.Observer.
	versions    *prometheus.CounterVec
	appearances *prometheus.CounterVec
	repeats     prometheus.Counter
	enricherDur *prometheus.HistogramVec
	enricherErr *prometheus.CounterVec

	// Fetch-to-stored latency, fed through sink.Observer.
	endToEnd *prometheus.HistogramVec

	// Measured at intervals (kafka.LagObserver) or at scrape time (WatchReady).
	lag   *lagCollector
	ready *readyCollector
}

// The poller reports to Metrics directly.
var _ feed.Observer = (*Metrics)(nil)

// NewMetrics registers wirehose's collectors plus the Go and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		consumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_messages_in_total", Help: "Messages consumed by a stage.",
		}, []string{"stage"}),
		produced: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_messages_out_total", Help: "Outputs a stage made durable (produced and acked, or stored).",
		}, []string{"stage"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_errors_total", Help: "Errors by stage and kind (process, flush, commit, dlq, poll).",
		}, []string{"stage", "kind"}),
		deadLettered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_dlq_messages_total", Help: "Messages a stage sent to the dead-letter topic.",
		}, []string{"stage"}),
		processing: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wirehose_processing_seconds", Help: "Time to process one message, retries included.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"stage"}),
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_feed_polls_total", Help: "Feed polls by outcome (ok, error).",
		}, []string{"feed", "outcome"}),
		pollItems: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_feed_items_total", Help: "Items emitted by ingest, by kind (new, changed).",
		}, []string{"feed", "kind"}),
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirehose_feed_last_success_timestamp_seconds",
			Help: "Unix time of a feed's last successful poll; its age is time() minus this.",
		}, []string{"feed"}),
		pollResults: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_feed_poll_results_total",
			Help: "Feed polls by answer class: 2xx, 304, 3xx, 4xx, 5xx, or error when no HTTP answer came.",
		}, []string{"feed", "class"}),
		fetchedBytes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_feed_fetched_bytes_total", Help: "Feed body bytes fetched, after decompression.",
		}, []string{"feed"}),
		parseErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_feed_parse_errors_total", Help: "Fetched feed documents that could not be parsed.",
		}, []string{"feed"}),
		errorStreak: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirehose_feed_error_streak", Help: "Failed polls of a feed in a row; 0 when the last poll succeeded.",
		}, []string{"feed"}),
		silent: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirehose_feed_silent",
			Help: "1 when a feed has published nothing for many times its usual gap between items, else 0.",
		}, []string{"feed"}),
		nextPoll: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirehose_feed_next_poll_timestamp_seconds", Help: "Unix time a feed is next due to be polled.",
		}, []string{"feed"}),
		interval: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "wirehose_feed_interval_seconds", Help: "A feed's learned poll interval, before jitter, backoff and server limits.",
		}, []string{"feed"}),
		versions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_enrich_versions_total",
			Help: "Story versions enrich emitted, by verdict (new, update, correction, kill).",
		}, []string{"verdict"}),
		appearances: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_enrich_duplicates_total",
			Help: "Items enrich attached to another story as a copy, by relation (duplicate, near_duplicate).",
		}, []string{"relation"}),
		repeats: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "wirehose_enrich_repeats_total", Help: "Items enrich dropped as repeats of what it had already decided.",
		}),
		enricherDur: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "wirehose_enricher_seconds",
			Help:    "Time one enricher took on one story version.",
			Buckets: prometheus.ExponentialBuckets(0.000005, 2.5, 12),
		}, []string{"enricher"}),
		enricherErr: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "wirehose_enricher_failures_total",
			Help: "Enricher runs that failed or panicked; the story flowed on partly enriched unless the enricher is required.",
		}, []string{"enricher"}),
		endToEnd: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "wirehose_end_to_end_seconds",
			Help: "Time from ingest fetching an item to the sink committing it to storage, by kind (story, appearance). " +
				"A replay observes the age of what it re-stores.",
			Buckets: []float64{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600},
		}, []string{"kind"}),
		lag:   newLagCollector(),
		ready: &readyCollector{desc: prometheus.NewDesc("wirehose_ready", "1 when a component of the process is ready (as /readyz sees it), else 0.", []string{"component"}, nil)},
	}
	m.Registry.MustRegister(m.consumed, m.produced, m.failures, m.deadLettered, m.processing,
		m.polls, m.pollItems, m.lastSuccess,
		m.pollResults, m.fetchedBytes, m.parseErrors, m.errorStreak, m.silent, m.nextPoll, m.interval,
		m.versions, m.appearances, m.repeats, m.enricherDur, m.enricherErr, m.endToEnd, m.lag, m.ready,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Consumed counts messages a stage fetched.
func (m *Metrics) Consumed(stage string, n int) { m.consumed.WithLabelValues(stage).Add(float64(n)) }

// Produced counts outputs a stage made durable.
func (m *Metrics) Produced(stage string, n int) { m.produced.WithLabelValues(stage).Add(float64(n)) }

// Failed counts one error of a kind.
func (m *Metrics) Failed(stage, kind string) { m.failures.WithLabelValues(stage, kind).Inc() }

// DeadLettered counts one message sent to the DLQ.
func (m *Metrics) DeadLettered(stage string) { m.deadLettered.WithLabelValues(stage).Inc() }

// Processing observes the time one message took to process, retries and their
// backoff included, whether it succeeded or went to the dead-letter topic. Flush
// time (the produce, or the sink's transaction) is not in it.
func (m *Metrics) Processing(stage string, d time.Duration) {
	m.processing.WithLabelValues(stage).Observe(d.Seconds())
}

// StoryVersion counts a story version enrich emitted (enrich.Observer).
func (m *Metrics) StoryVersion(verdict string) { m.versions.WithLabelValues(verdict).Inc() }

// StoryAppearance counts an item enrich attached to another story (enrich.Observer).
func (m *Metrics) StoryAppearance(relation string) { m.appearances.WithLabelValues(relation).Inc() }

// RepeatDropped counts an item enrich dropped as a repeat (enrich.Observer).
func (m *Metrics) RepeatDropped() { m.repeats.Inc() }

// Enriched observes one enricher run on a story version (enrich.ChainObserver).
func (m *Metrics) Enriched(enricher string, took time.Duration, failed bool) {
	if failed {
		m.enricherErr.WithLabelValues(enricher).Inc()
		return
	}
	m.enricherDur.WithLabelValues(enricher).Observe(took.Seconds())
}

// Stored observes the fetch-to-stored latency of one story or appearance the sink
// committed (sink.Observer).
func (m *Metrics) Stored(kind string, latency time.Duration) {
	m.endToEnd.WithLabelValues(kind).Observe(max(latency.Seconds(), 0))
}

// ConsumerLag sets a group's lag on a topic, per partition (kafka.LagObserver). A
// nil map means the lag could not be measured: the group's series are dropped
// rather than left stale.
func (m *Metrics) ConsumerLag(group, topic string, perPartition map[int]int64) {
	m.lag.setLag(group, topic, perPartition)
}

// TopicSize sets how many messages a topic holds now, per partition
// (kafka.LagObserver); nil drops them. It is measured for the dead-letter topic.
func (m *Metrics) TopicSize(topic string, perPartition map[int]int64) {
	m.lag.setSize(topic, perPartition)
}

// WatchReady exports each check as wirehose_ready{component}, evaluated at scrape
// time, so an alert sees what /readyz answers. It replaces earlier checks.
func (m *Metrics) WatchReady(checks map[string]Check) { m.ready.set(checks) }

// Polled records one feed poll with counts only; FeedPolled records the whole picture.
func (m *Metrics) Polled(feed string, newItems, changed int, err error) {
	if err != nil {
		m.polls.WithLabelValues(feed, "error").Inc()
		m.failures.WithLabelValues("ingest", "poll").Inc()
		return
	}
	m.polls.WithLabelValues(feed, "ok").Inc()
	m.pollItems.WithLabelValues(feed, "new").Add(float64(newItems))
	m.pollItems.WithLabelValues(feed, "changed").Add(float64(changed))
	m.lastSuccess.WithLabelValues(feed).SetToCurrentTime()
}

// FeedPolled records one poll of a feed (feed.Observer): its answer class,
// bytes, items and parse errors, and sets the feed's health gauges. The age of
// the last success is left to the query, where it stays right between scrapes
// and polls:
//
//	time() - wirehose_feed_last_success_timestamp_seconds
//
// and a feed overdue for its poll (a stuck poller) shows as
// time() - wirehose_feed_next_poll_timestamp_seconds staying above zero.
func (m *Metrics) FeedPolled(id string, r feed.PollReport) {
	outcome := "ok"
	if r.Err != nil {
		outcome = "error"
		m.failures.WithLabelValues("ingest", "poll").Inc()
	}
	m.polls.WithLabelValues(id, outcome).Inc()
	m.pollResults.WithLabelValues(id, PollClass(r.Status)).Inc()
	if r.Bytes > 0 {
		m.fetchedBytes.WithLabelValues(id).Add(float64(r.Bytes))
	}
	if r.ParseError {
		m.parseErrors.WithLabelValues(id).Inc()
	}
	if r.New > 0 || r.Changed > 0 || r.Err == nil {
		m.pollItems.WithLabelValues(id, "new").Add(float64(max(r.New, 0)))
		m.pollItems.WithLabelValues(id, "changed").Add(float64(max(r.Changed, 0)))
	}
	m.feedHealth(id, r.ErrorStreak, r.Silent, r.LastSuccess, r.NextPoll, r.Interval)
}

// FeedLoaded sets the health gauges of a feed whose state was just restored
// (feed.Observer): after a restart, or taken over from another replica, its
// gauges are right before its first poll here.
func (m *Metrics) FeedLoaded(id string, st feed.FeedState) {
	s := st.Schedule
	m.feedHealth(id, s.ConsecutiveErrors, s.Silent, s.LastSuccess, s.NextPoll, s.Interval)
}

// FeedReleased drops the series of a feed this process no longer polls
// (feed.Observer): the feed moved to another replica, or polling stopped.
func (m *Metrics) FeedReleased(id string) { m.ForgetFeed(id) }

func (m *Metrics) feedHealth(id string, errorStreak int, silent bool, lastSuccess, nextPoll time.Time, interval time.Duration) {
	m.errorStreak.WithLabelValues(id).Set(float64(errorStreak))
	v := 0.0
	if silent {
		v = 1
	}
	m.silent.WithLabelValues(id).Set(v)
	if !lastSuccess.IsZero() {
		m.lastSuccess.WithLabelValues(id).Set(unixSeconds(lastSuccess))
	}
	if !nextPoll.IsZero() {
		m.nextPoll.WithLabelValues(id).Set(unixSeconds(nextPoll))
	}
	if interval > 0 {
		m.interval.WithLabelValues(id).Set(interval.Seconds())
	}
}

// ForgetFeed drops every series of a feed, for a feed this process stopped
// polling (its partition moved to another replica, or it left the feeds file):
// stale gauges would otherwise report its health from here for ever.
func (m *Metrics) ForgetFeed(id string) {
	l := prometheus.Labels{"feed": id}
	for _, v := range []interface{ DeletePartialMatch(prometheus.Labels) int }{
		m.polls.MetricVec, m.pollItems.MetricVec, m.lastSuccess.MetricVec, m.pollResults.MetricVec,
		m.fetchedBytes.MetricVec, m.parseErrors.MetricVec, m.errorStreak.MetricVec, m.silent.MetricVec,
		m.nextPoll.MetricVec, m.interval.MetricVec,
	} {
		v.DeletePartialMatch(l)
	}
}

// PollClass is the class label of a poll's HTTP status: "2xx", "304", "3xx",
// "4xx", "5xx", or "error" when there was no answer.
func PollClass(status int) string {
	switch {
	case status == 304:
		return "304"
	case status >= 200 && status <= 599:
		return strconv.Itoa(status/100) + "xx"
	}
	return "error"
}

func unixSeconds(t time.Time) float64 { return float64(t.UnixNano()) / 1e9 }

type groupTopic struct{ group, topic string }

// lagCollector exports the last measured consumer lag and dead-letter topic size.
// Measures replace each other whole, so a partition that disappears (or a measure
// that failed) leaves no stale series.
type lagCollector struct {
	lagDesc, sizeDesc *prometheus.Desc

	mu   sync.Mutex
	lag  map[groupTopic]map[int]int64
	size map[string]map[int]int64
}

func newLagCollector() *lagCollector {
	return &lagCollector{
		lagDesc: prometheus.NewDesc("wirehose_consumer_lag",
			"Messages of a partition its consumer group has not committed yet (high watermark minus committed offset).",
			[]string{"group", "topic", "partition"}, nil),
		sizeDesc: prometheus.NewDesc("wirehose_dlq_retained_messages",
			"Messages the dead-letter topic holds now, per partition (high minus low watermark).",
			[]string{"topic", "partition"}, nil),
		lag:  map[groupTopic]map[int]int64{},
		size: map[string]map[int]int64{},
	}
}

func (c *lagCollector) setLag(group, topic string, perPartition map[int]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := groupTopic{group, topic}
	if perPartition == nil {
		delete(c.lag, k)
		return
	}
	c.lag[k] = copyCounts(perPartition)
}

func (c *lagCollector) setSize(topic string, perPartition map[int]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if perPartition == nil {
		delete(c.size, topic)
		return
	}
	c.size[topic] = copyCounts(perPartition)
}

func copyCounts(m map[int]int64) map[int]int64 {
	out := make(map[int]int64, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func (c *lagCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.lagDesc
	ch <- c.sizeDesc
}

func (c *lagCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, parts := range c.lag {
		for p, v := range parts {
			ch <- prometheus.MustNewConstMetric(c.lagDesc, prometheus.GaugeValue, float64(v), k.group, k.topic, strconv.Itoa(p))
		}
	}
	for topic, parts := range c.size {
		for p, v := range parts {
			ch <- prometheus.MustNewConstMetric(c.sizeDesc, prometheus.GaugeValue, float64(v), topic, strconv.Itoa(p))
		}
	}
}

// readyCollector evaluates readiness checks at scrape time.
type readyCollector struct {
	desc *prometheus.Desc

	mu     sync.Mutex
	checks map[string]Check
}

func (c *readyCollector) set(checks map[string]Check) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks = make(map[string]Check, len(checks))
	for name, ok := range checks {
		c.checks[name] = ok
	}
}

func (c *readyCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *readyCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for name, ok := range c.checks {
		v := 0.0
		if ok() {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v, name)
	}
}
