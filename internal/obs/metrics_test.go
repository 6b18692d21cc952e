package obs

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil/promlint"

	"github.com/wirehose/wirehose/internal/feed"
)

// value reads one series from the registry, as a scrape would see it; ok is
// false when the series does not exist.
func value(t *testing.T, m *Metrics, name string, labels ...string) (v float64, ok bool) {
	t.Helper()
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	series:
		for _, metric := range mf.GetMetric() {
			got := map[string]string{}
			for _, l := range metric.GetLabel() {
				got[l.GetName()] = l.GetValue()
			}
			for k, v := range want {
				if got[k] != v {
					continue series
				}
			}
			switch {
			case metric.GetCounter() != nil:
				return metric.GetCounter().GetValue(), true
			case metric.GetGauge() != nil:
				return metric.GetGauge().GetValue(), true
			}
		}
	}
	return 0, false
}

func mustValue(t *testing.T, m *Metrics, name string, labels ...string) float64 {
	t.Helper()
	v, ok := value(t, m, name, labels...)
	if !ok {
		t.Fatalf("no series %s%v", name, labels)
	}
	return v
}

func TestPollClass(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{
		{0, "error"},
		{200, "2xx"},
		{203, "2xx"},
		{304, "304"},
		{302, "3xx"},
		{404, "4xx"},
		{429, "4xx"},
		{503, "5xx"},
		{999, "error"},
	}
	for _, tt := range tests {
		if got := PollClass(tt.status); got != tt.want {
			t.Errorf("PollClass(%d) = %q, want %q", tt.status, got, tt.want)
		}
	}
}

func TestFeedPolled(t *testing.T) {
	m := NewMetrics()
	next := time.Date(2026, 3, 2, 9, 5, 0, 0, time.UTC)
	ok := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

	m.FeedPolled("afp", feed.PollReport{Status: 200, Bytes: 1500, New: 3, Changed: 1, LastSuccess: ok, NextPoll: next, Interval: 5 * time.Minute})
	m.FeedPolled("afp", feed.PollReport{Status: 304, LastSuccess: ok, NextPoll: next})
	m.FeedPolled("afp", feed.PollReport{Status: 200, Bytes: 500, Err: errors.New("parse rss: bad"), ParseError: true, ErrorStreak: 1, LastSuccess: ok})
	m.FeedPolled("afp", feed.PollReport{Status: 503, Err: errors.New("http 503"), ErrorStreak: 2, Silent: true, LastSuccess: ok})
	m.FeedPolled("afp", feed.PollReport{Err: errors.New("connection refused"), ErrorStreak: 3, Silent: true, LastSuccess: ok})
	m.FeedPolled("afp", feed.PollReport{Status: 404, Err: errors.New("http 404"), ErrorStreak: 4, Silent: true, LastSuccess: ok})
	m.FeedPolled("dpa", feed.PollReport{Status: 200, Bytes: 10, New: 1})

	tests := []struct {
		name string
		got  float64
		want float64
	}{
		{"2xx polls", mustValue(t, m, "wirehose_feed_poll_results_total", "feed", "afp", "class", "2xx"), 2},
		{"304 polls", mustValue(t, m, "wirehose_feed_poll_results_total", "feed", "afp", "class", "304"), 1},
		{"4xx polls", mustValue(t, m, "wirehose_feed_poll_results_total", "feed", "afp", "class", "4xx"), 1},
		{"5xx polls", mustValue(t, m, "wirehose_feed_poll_results_total", "feed", "afp", "class", "5xx"), 1},
		{"polls without an answer", mustValue(t, m, "wirehose_feed_poll_results_total", "feed", "afp", "class", "error"), 1},
		{"ok polls keep the old outcome label", mustValue(t, m, "wirehose_feed_polls_total", "feed", "afp", "outcome", "ok"), 2},
		{"failed polls keep the old outcome label", mustValue(t, m, "wirehose_feed_polls_total", "feed", "afp", "outcome", "error"), 4},
		{"ingest poll errors", mustValue(t, m, "wirehose_errors_total", "stage", "ingest", "kind", "poll"), 4},
		{"bytes", mustValue(t, m, "wirehose_feed_fetched_bytes_total", "feed", "afp"), 2000},
		{"new items", mustValue(t, m, "wirehose_feed_items_total", "feed", "afp", "kind", "new"), 3},
		{"changed items", mustValue(t, m, "wirehose_feed_items_total", "feed", "afp", "kind", "changed"), 1},
		{"parse errors", mustValue(t, m, "wirehose_feed_parse_errors_total", "feed", "afp"), 1},
		{"error streak is the last one", mustValue(t, m, "wirehose_feed_error_streak", "feed", "afp"), 4},
		{"silent", mustValue(t, m, "wirehose_feed_silent", "feed", "afp"), 1},
		{"not silent", mustValue(t, m, "wirehose_feed_silent", "feed", "dpa"), 0},
		{"last success", mustValue(t, m, "wirehose_feed_last_success_timestamp_seconds", "feed", "afp"), float64(ok.Unix())},
		{"next poll kept when a poll does not say", mustValue(t, m, "wirehose_feed_next_poll_timestamp_seconds", "feed", "afp"), float64(next.Unix())},
		{"interval", mustValue(t, m, "wirehose_feed_interval_seconds", "feed", "afp"), 300},
		{"other feed's bytes", mustValue(t, m, "wirehose_feed_fetched_bytes_total", "feed", "dpa"), 10},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %g, want %g", tt.name, tt.got, tt.want)
		}
	}

	// Recovery clears the streak and the silent flag.
	m.FeedPolled("afp", feed.PollReport{Status: 200, New: 1, LastSuccess: next})
	if got := mustValue(t, m, "wirehose_feed_error_streak", "feed", "afp"); got != 0 {
		t.Errorf("error streak after recovery = %g, want 0", got)
	}
	if got := mustValue(t, m, "wirehose_feed_silent", "feed", "afp"); got != 0 {
		t.Errorf("silent after recovery = %g, want 0", got)
	}
}

func TestFeedLoaded(t *testing.T) {
	m := NewMetrics()
	m.FeedLoaded("afp", feed.FeedState{Feed: "afp", Schedule: feed.ScheduleState{ConsecutiveErrors: 7, Silent: true,
		LastSuccess: time.Unix(1700000000, 0), NextPoll: time.Unix(1700000600, 0), Interval: time.Hour}})
	if got := mustValue(t, m, "wirehose_feed_error_streak", "feed", "afp"); got != 7 {
		t.Errorf("error streak = %g, want 7", got)
	}
	if got := mustValue(t, m, "wirehose_feed_last_success_timestamp_seconds", "feed", "afp"); got != 1700000000 {
		t.Errorf("last success = %g, want 1700000000", got)
	}
	if _, ok := value(t, m, "wirehose_feed_polls_total", "feed", "afp"); ok {
		t.Error("a poll series after a restore, want none (nothing was polled)")
	}
}

func TestForgetFeed(t *testing.T) {
	m := NewMetrics()
	m.FeedPolled("afp", feed.PollReport{Status: 200, Bytes: 10, New: 1, LastSuccess: time.Now(), NextPoll: time.Now(), Interval: time.Minute})
	m.FeedPolled("afp", feed.PollReport{Status: 200, Err: errors.New("parse"), ParseError: true, ErrorStreak: 1})
	m.FeedPolled("dpa", feed.PollReport{Status: 304})
	m.FeedReleased("afp")

	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var dpa int
	for _, mf := range mfs {
		if !strings.HasPrefix(mf.GetName(), "wirehose_feed_") {
			continue
		}
		for _, metric := range mf.GetMetric() {
			for _, l := range metric.GetLabel() {
				if l.GetName() != "feed" {
					continue
				}
				switch l.GetValue() {
				case "afp":
					t.Errorf("%s still has a series for the forgotten feed", mf.GetName())
				case "dpa":
					dpa++
				}
			}
		}
	}
	if dpa == 0 {
		t.Error("forgetting one feed dropped the others too")
	}
}

func TestMetricNamesLint(t *testing.T) {
	m := NewMetrics()
	m.FeedPolled("afp", feed.PollReport{Status: 200, Bytes: 1, New: 1, LastSuccess: time.Now(), NextPoll: time.Now(), Interval: time.Minute})
	m.FeedPolled("afp", feed.PollReport{Status: 200, Err: errors.New("parse"), ParseError: true, ErrorStreak: 1, Silent: true})
	mfs, err := m.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	problems, err := promlint.NewWithMetricFamilies(mfs).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "wirehose_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}
