package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// replicaFeeds serves many small RSS feeds and watches how they are polled: requests per
// feed, and any moment when two requests for one feed are in flight at once. Each request
// is held a while (unless the client gives up on it), so that two replicas polling one
// feed around the same time overlap.
type replicaFeeds struct {
	*httptest.Server
	hold time.Duration

	mu       sync.Mutex
	items    map[string]int // feed → items published
	requests map[string]int
	last     map[string]time.Time // feed → start of the latest request
	inFlight map[string]int
	overlaps []string
}

func newReplicaFeeds(t *testing.T, feeds, items int, hold time.Duration) *replicaFeeds {
	s := &replicaFeeds{
		hold: hold, items: map[string]int{}, requests: map[string]int{},
		last: map[string]time.Time{}, inFlight: map[string]int{},
	}
	for i := range feeds {
		s.items[feedID(i)] = items
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func feedID(i int) string { return fmt.Sprintf("wire-%02d", i) }

func (s *replicaFeeds) serve(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/"), ".xml")
	s.mu.Lock()
	n, ok := s.items[id]
	if !ok {
		s.mu.Unlock()
		http.NotFound(w, r)
		return
	}
	s.requests[id]++
	s.last[id] = time.Now()
	s.inFlight[id]++
	if s.inFlight[id] > 1 {
		s.overlaps = append(s.overlaps, fmt.Sprintf("%s: %d requests in flight at %s", id, s.inFlight[id], time.Now().Format("15:04:05.000")))
	}
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.inFlight[id]--
		s.mu.Unlock()
	}()

	select {
	case <-time.After(s.hold):
	case <-r.Context().Done():
		return // the poller gave up on the request: it is no longer in flight
	}
	etag := `"` + strconv.Itoa(n) + `"`
	w.Header().Set("ETag", etag)
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>%s</title>`, id)
	for k := n; k >= 1; k-- { // newest first, as wires publish
		fmt.Fprintf(w, "<item><guid>urn:%s:%d</guid><title>%s story %d</title><description>Text of story %d from %s.</description></item>",
			id, k, id, k, k, id)
	}
	fmt.Fprint(w, "</channel></rss>")
}

// publish adds one item to every feed.
func (s *replicaFeeds) publish() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.items {
		s.items[id]++
	}
}

func (s *replicaFeeds) counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.requests))
	for k, v := range s.requests {
		out[k] = v
	}
	return out
}

func (s *replicaFeeds) overlapsSeen() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.overlaps...)
}

func (s *replicaFeeds) feedsYAML() []byte {
	var b strings.Builder
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	s.mu.Lock()
	ids := make([]string, 0, len(s.items))
	for id := range s.items {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	sort.Strings(ids)
	for _, id := range ids {
		fmt.Fprintf(&b, "  - id: %s\n    url: %s/%s.xml\n    format: rss\n", id, s.URL, id)
	}
	return []byte(b.String())
}

// logMatches reports whether a replica's log has a line matching re.
func (e *env) logMatches(name string, re *regexp.Regexp) bool {
	b, err := os.ReadFile(filepath.Join(e.logDir, name+".log"))
	return err == nil && re.Match(b)
}

// rawKeys counts the messages on the raw topic per key.
func (e *env) rawKeys(ctx context.Context) map[string]int {
	e.t.Helper()
	counts := map[string]int{}
	err := kafka.ReadTopic(ctx, e.kafkaConfig(), e.kafkaConfig().Topics().Raw, func(m pipeline.Message) error {
		counts[string(m.Key)]++
		return nil
	})
	if err != nil {
		e.t.Fatalf("read the raw topic: %v", err)
	}
	return counts
}

// waitRawKeys waits until the raw topic holds n distinct keys and returns the counts.
func (e *env) waitRawKeys(n int, d time.Duration) map[string]int {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for {
		counts := e.rawKeys(ctx)
		if len(counts) >= n {
			return counts
		}
		select {
		case <-ctx.Done():
			e.t.Fatalf("the raw topic holds %d distinct items after %s, want %d", len(counts), d, n)
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func waitFor(t *testing.T, what string, d time.Duration, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s waiting: %s", d, what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestIngestReplicasShareFeeds runs three ingest processes over real Kafka against one
// feed server. The replicas share the feeds through their consumer group: every feed is
// polled, never by two replicas at once, a replica joining takes feeds over from the live
// ones, a replica killed hands its feeds to the others within the session timeout, and no
// item is emitted twice across the hand-overs.
func TestIngestReplicasShareFeeds(t *testing.T) {
	brokers(t)
	const (
		feeds = 24
		items = 2
	)
	srv := newReplicaFeeds(t, feeds, items, 150*time.Millisecond)
	e := newEnv(t, filepath.Join(t.TempDir(), "unused.db"), srv.feedsYAML())
	settings := []string{
		"WIREHOSE_POLL_INTERVAL=1s",
		"WIREHOSE_POLL_SCHEDULE_MIN_INTERVAL=1s",
		"WIREHOSE_POLL_SCHEDULE_MAX_INTERVAL=2s",
		"WIREHOSE_POLL_CONCURRENCY=16",
		"WIREHOSE_POLL_PER_HOST=16",
		"WIREHOSE_POLL_HOST_GAP=1ms",
		"WIREHOSE_CONSUMER_SESSION_TIMEOUT=6s",
	}

	// Two replicas: every feed is polled and every item emitted.
	r0 := e.startAs("ingest", "ingest-0", settings...)
	r1 := e.startAs("ingest", "ingest-1", settings...)
	e.waitRawKeys(feeds*items, 2*time.Minute)
	for i := range feeds {
		if srv.counts()[feedID(i)] == 0 {
			t.Errorf("%s was never polled", feedID(i))
		}
	}

	// A third replica joins while the others poll, and new items appear meanwhile: the
	// live owners hand feeds over.
	r2 := e.startAs("ingest", "ingest-2", settings...)
	srv.publish()
	assigned := regexp.MustCompile(`partitions assigned.*"partitions":\[\d`)
	waitFor(t, "the third replica is given partitions", time.Minute, func() bool { return e.logMatches("ingest-2", assigned) })
	e.waitRawKeys(feeds*(items+1), time.Minute)

	// Let every feed be polled twice more, so the state of the poll that emitted the new
	// items is stored before the kill: a kill between an item write and its state write
	// would emit that poll's items again, which at-least-once allows but this test is not
	// about.
	before := srv.counts()
	waitFor(t, "every feed polled twice more", time.Minute, func() bool {
		now := srv.counts()
		for id, n := range before {
			if now[id] < n+2 {
				return false
			}
		}
		return true
	})

	// Kill one replica: its feeds move to the others within the session timeout.
	r0.kill(t)
	killed, atKill := time.Now(), srv.counts()
	srv.publish()
	e.waitRawKeys(feeds*(items+2), time.Minute)
	t.Logf("every feed's newest item emitted %s after the kill", time.Since(killed).Round(100*time.Millisecond))
	after := srv.counts()
	for i := range feeds {
		if id := feedID(i); after[id] <= atKill[id] {
			t.Errorf("%s not polled since the kill", id)
		}
	}

	r1.stop(t)
	r2.stop(t)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	counts := e.rawKeys(ctx)
	if len(counts) != feeds*(items+2) {
		t.Errorf("the raw topic holds %d distinct items, want %d", len(counts), feeds*(items+2))
	}
	for k, n := range counts {
		if n != 1 {
			t.Errorf("item %s emitted %d times, want once", k, n)
		}
	}
	if ov := srv.overlapsSeen(); len(ov) > 0 {
		t.Errorf("a feed was polled by two replicas at once:\n%s", strings.Join(ov, "\n"))
	}
}
