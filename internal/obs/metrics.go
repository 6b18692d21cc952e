package obs

import (
	"strconv"
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
	}
	m.Registry.MustRegister(m.consumed, m.produced, m.failures, m.deadLettered, m.processing,
		m.polls, m.pollItems, m.lastSuccess,
		m.pollResults, m.fetchedBytes, m.parseErrors, m.errorStreak, m.silent, m.nextPoll, m.interval,
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

// Processing observes one batch's processing time.
func (m *Metrics) Processing(stage string, d time.Duration) {
	m.processing.WithLabelValues(stage).Observe(d.Seconds())
}

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
