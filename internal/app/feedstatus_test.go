package app

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"go.uber.org/zap/zaptest"

	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
)

func TestWriteFeedStatus(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	states := map[string]feed.FeedState{
		"afp-world": {Feed: "afp-world", LastStatus: 304, Schedule: feed.ScheduleState{
			Interval: 2 * time.Minute, LastSuccess: now.Add(-90 * time.Second), NextPoll: now.Add(30 * time.Second),
		}},
		"dpa-sport": {Feed: "dpa-sport", LastStatus: 503, Schedule: feed.ScheduleState{
			Interval: 5 * time.Minute, LastSuccess: now.Add(-3 * time.Hour), NextPoll: now.Add(-time.Second),
			ConsecutiveErrors: 4, LastError: "http 503 Service Unavailable, retry after 10m, " + strings.Repeat("and more ", 20),
		}},
		"old-feed": {Feed: "old-feed", LastStatus: 200, Schedule: feed.ScheduleState{
			Interval: time.Hour, LastSuccess: now.Add(-50 * time.Hour), NextPoll: now.Add(time.Hour), Silent: true,
			LastError: "an old failure, since recovered",
		}},
	}
	ff := &feed.FeedsFile{Feeds: []feed.Feed{{ID: "afp-world"}, {ID: "dpa-sport"}, {ID: "new-feed"}, {ID: "odd-feed"}}}
	var buf bytes.Buffer
	if err := writeFeedStatus(&buf, states, []string{"odd-feed"}, ff, now); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 7 {
		t.Fatalf("printed %d lines, want a header, 5 feeds and a count:\n%s", len(lines), buf.String())
	}
	tests := []struct {
		name string
		line string
		want []string
		not  []string
	}{
		{"header", lines[0], []string{"FEED", "STATUS", "LAST SUCCESS", "NEXT POLL", "INTERVAL", "ERRORS", "SILENT", "LAST ERROR"}, nil},
		{"healthy feed", lines[1], []string{"afp-world", "304", "2m ago", "in 30s", "2m", " 0 "}, []string{"yes"}},
		{"failing feed", lines[2], []string{"dpa-sport", "503", "3h ago", "due", "5m", " 4 ", "http 503 Service Unavailable", "…"}, []string{"and more and more and more and more and more and more and more"}},
		{"feed without state", lines[3], []string{"new-feed", "never polled"}, nil},
		{"unreadable state", lines[4], []string{"odd-feed", "unreadable"}, nil},
		{"recovered silent feed not in the file", lines[5], []string{"old-feed (not in feeds file)", "2d2h ago", "in 1h", "yes"}, []string{"old failure"}},
		{"count", lines[6], []string{"5 feeds: 2 failing, 1 silent, 1 never polled"}, nil},
	}
	for _, tt := range tests {
		for _, w := range tt.want {
			if !strings.Contains(tt.line, w) {
				t.Errorf("%s: line %q lacks %q", tt.name, tt.line, w)
			}
		}
		for _, w := range tt.not {
			if strings.Contains(tt.line, w) {
				t.Errorf("%s: line %q should not show %q", tt.name, tt.line, w)
			}
		}
	}
}

func TestShortDur(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0s", 1500 * time.Millisecond: "2s", 59 * time.Second: "59s", 90 * time.Second: "2m",
		2 * time.Hour: "2h", 2*time.Hour + 5*time.Minute: "2h5m", 50 * time.Hour: "2d2h", 72 * time.Hour: "3d",
	} {
		if got := shortDur(d); got != want {
			t.Errorf("shortDur(%s) = %q, want %q", d, got, want)
		}
	}
}

// kfakeIngest is an ingest configuration on an embedded broker, polling one loopback
// feed server.
func kfakeIngest(t *testing.T, body string) (IngestConfig, *atomic.Int32) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	requests := new(atomic.Int32)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("ETag", `"one"`)
		if r.Header.Get("If-None-Match") == `"one"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	feeds := filepath.Join(t.TempDir(), "feeds.yaml")
	yaml := fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - id: wire-1\n    url: %s/rss\n", srv.URL)
	if err := os.WriteFile(feeds, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := DefaultIngestConfig()
	cfg.Kafka.Brokers = c.ListenAddrs()
	cfg.Kafka.TopicPrefix = "t."
	cfg.Topics.Partitions = 2
	cfg.Topics.FeedStatePartitions = 4
	cfg.Feeds = feeds
	cfg.HTTPAddr = ""
	cfg.Once = true
	return cfg, requests
}

const twoItems = `<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>
<item><guid>urn:w:1</guid><title>Port strike ends</title><description>Cranes move again.</description></item>
<item><guid>urn:w:2</guid><title>Rates held</title><description>The bank waits.</description></item>
</channel></rss>`

func rawMessages(t *testing.T, kc kafka.Config) int64 {
	t.Helper()
	infos, err := kafka.DescribeTopics(context.Background(), kc, kc.Topics().Raw)
	if err != nil {
		t.Fatal(err)
	}
	var n int64
	for _, p := range infos[0].Partitions {
		n += p.HighWatermark
	}
	return n
}

func TestIngestOnceResumesFromStoredState(t *testing.T) {
	cfg, requests := kfakeIngest(t, twoItems)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := RunIngest(ctx, cfg, zaptest.NewLogger(t)); err != nil {
		t.Fatalf("first run: %v", err)
	}
	if n := rawMessages(t, cfg.Kafka); n != 2 {
		t.Fatalf("first run produced %d raw messages, want 2", n)
	}
	// A new process: it restores the state from the topic, asks conditionally, emits nothing.
	if err := RunIngest(ctx, cfg, zaptest.NewLogger(t)); err != nil {
		t.Fatalf("second run: %v", err)
	}
	if n := rawMessages(t, cfg.Kafka); n != 2 {
		t.Errorf("after a restart the raw topic holds %d messages, want still 2", n)
	}
	if n := requests.Load(); n != 2 {
		t.Errorf("feed requested %d times, want 2", n)
	}

	var buf bytes.Buffer
	if err := FeedsStatus(ctx, cfg.Kafka, []string{cfg.Feeds}, &buf); err != nil {
		t.Fatalf("FeedsStatus: %v", err)
	}
	out := buf.String()
	if !strings.Contains(out, "wire-1") || !strings.Contains(out, "304") || !strings.Contains(out, "1 feeds: 0 failing") {
		t.Errorf("status output:\n%s\nwant wire-1 answered 304 and healthy", out)
	}
	if err := FeedsStatus(ctx, cfg.Kafka, []string{"a", "b"}, &buf); err == nil {
		t.Error("FeedsStatus with two files succeeded, want a usage error")
	}
}
