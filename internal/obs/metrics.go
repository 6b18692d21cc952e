package obs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
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
}

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
			Name: "wirehose_feed_last_success_timestamp_seconds", Help: "Unix time of a feed's last successful poll.",
		}, []string{"feed"}),
	}
	m.Registry.MustRegister(m.consumed, m.produced, m.failures, m.deadLettered, m.processing,
		m.polls, m.pollItems, m.lastSuccess,
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

// Polled records one feed poll.
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
