package feed

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// fakeWriter records what it is asked to write and fails while failing is set.
type fakeWriter struct {
	mu      sync.Mutex
	calls   int
	msgs    []pipeline.Message
	failing error
}

func (w *fakeWriter) Write(ctx context.Context, msgs ...pipeline.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls++
	if w.failing != nil {
		return w.failing
	}
	w.msgs = append(w.msgs, msgs...)
	return nil
}

func (w *fakeWriter) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.failing = err
}

// take returns the recorded messages decoded, and forgets them.
func (w *fakeWriter) take(t *testing.T) []pipeline.RawItem {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	out := make([]pipeline.RawItem, 0, len(w.msgs))
	for _, m := range w.msgs {
		it, err := pipeline.DecodeRaw(m.Value)
		if err != nil {
			t.Fatalf("message value does not decode: %v", err)
		}
		out = append(out, it)
	}
	w.msgs = nil
	return out
}

type testStory struct{ guid, title, body string }

func rssDoc(stories ...testStory) []byte {
	var b bytes.Buffer
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title>`)
	for _, s := range stories {
		fmt.Fprintf(&b, "<item><guid>%s</guid><title>%s</title><content:encoded><![CDATA[%s]]></content:encoded></item>", s.guid, s.title, s.body)
	}
	b.WriteString("</channel></rss>")
	return b.Bytes()
}

// feedServer serves one document, with an ETag when validators is set.
type feedServer struct {
	*httptest.Server
	mu         sync.Mutex
	doc        []byte
	version    int
	validators bool
	status     int
}

func newFeedServer(t *testing.T, validators bool, stories ...testStory) *feedServer {
	fs := &feedServer{doc: rssDoc(stories...), validators: validators}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		doc, version, status := fs.doc, fs.version, fs.status
		fs.mu.Unlock()
		if status != 0 {
			w.WriteHeader(status)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		if fs.validators {
			w.Header().Set("ETag", fmt.Sprintf(`"v%d"`, version))
		}
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(doc))
	}))
	t.Cleanup(fs.Close)
	return fs
}

func (fs *feedServer) set(stories ...testStory) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.doc = rssDoc(stories...)
	fs.version++
}

func (fs *feedServer) setStatus(code int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status = code
}

func newTestPoller(t *testing.T, cfg PollerConfig, w rawWriter, urls ...string) *Poller {
	t.Helper()
	var ff FeedsFile
	for i, u := range urls {
		ff.Feeds = append(ff.Feeds, Feed{ID: fmt.Sprintf("feed-%d", i), URL: u, Format: FormatAuto, Provider: "TestWire"})
	}
	p, err := NewPoller(cfg, ff, w, "wire.raw", zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("NewPoller: %v", err)
	}
	return p
}

func pollOnce(t *testing.T, p *Poller) FeedResult {
	t.Helper()
	res, err := p.PollAll(context.Background())
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	return res.Feeds[0]
}

var (
	storyA = testStory{"urn:t:a", "Harbour reopens", "<p>Ships return.</p>"}
	storyB = testStory{"urn:t:b", "Council votes budget", "<p>The vote was close.</p>"}
	storyC = testStory{"urn:t:c", "Museum extends hours", "<p>Open on Sundays.</p>"}
)

func TestPollerEmitsNewItemsOnce(t *testing.T) {
	for _, validators := range []bool{true, false} {
		t.Run(fmt.Sprintf("validators=%v", validators), func(t *testing.T) {
			srv := newFeedServer(t, validators, storyA, storyB)
			w := &fakeWriter{}
			p := newTestPoller(t, PollerConfig{}, w, srv.URL)

			if p.Ready() {
				t.Error("Ready before any poll")
			}
			first := pollOnce(t, p)
			if !p.Ready() {
				t.Error("not Ready after a poll")
			}
			if first.Err != nil || first.New != 2 || first.Changed != 0 || first.Items != 2 || first.Status != 200 {
				t.Fatalf("first poll = %+v", first)
			}
			items := w.take(t)
			if len(items) != 2 || items[0].GUID != "urn:t:a" || items[1].GUID != "urn:t:b" || items[0].Changed {
				t.Fatalf("first poll wrote %+v", items)
			}
			if w.calls != 1 {
				t.Errorf("%d Write calls, want one per poll", w.calls)
			}

			second := pollOnce(t, p)
			if second.Err != nil || second.New != 0 || second.Changed != 0 {
				t.Fatalf("second poll = %+v", second)
			}
			if second.NotModified != validators {
				t.Errorf("NotModified = %v, want %v", second.NotModified, validators)
			}
			if got := w.take(t); len(got) != 0 {
				t.Errorf("second poll wrote %d items, want none", len(got))
			}
		})
	}
}

func TestPollerMessageShape(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)
	pollOnce(t, p)

	if len(w.msgs) != 1 {
		t.Fatalf("wrote %d messages, want 1", len(w.msgs))
	}
	m := w.msgs[0]
	it, err := pipeline.DecodeRaw(m.Value)
	if err != nil {
		t.Fatal(err)
	}
	if m.Topic != "wire.raw" {
		t.Errorf("Topic = %q", m.Topic)
	}
	if string(m.Key) != pipeline.StoryKey(it) || !strings.HasPrefix(string(m.Key), "urn:wirehose:") {
		t.Errorf("Key = %q, want the story key %q", m.Key, pipeline.StoryKey(it))
	}
	if m.Time.IsZero() || !m.Time.Equal(it.Fetched) {
		t.Errorf("Time = %v, want the fetch time %v", m.Time, it.Fetched)
	}
	if it.Feed != "feed-0" || it.Provider != "TestWire" || it.FeedURL != srv.URL || it.Format != FormatRSS || it.ContentHash == "" {
		t.Errorf("item = %+v", it)
	}
}

func TestPollerEmitsChangedItemOnce(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)
	pollOnce(t, p)
	w.take(t)

	corrected := storyB
	corrected.body = "<p>The vote was close: 31 to 29.</p>"
	srv.set(storyA, corrected, storyC)

	res := pollOnce(t, p)
	if res.New != 1 || res.Changed != 1 {
		t.Fatalf("poll after a change = %+v, want 1 new and 1 changed", res)
	}
	items := w.take(t)
	if len(items) != 2 {
		t.Fatalf("wrote %d items, want 2", len(items))
	}
	byGUID := map[string]pipeline.RawItem{}
	for _, it := range items {
		byGUID[it.GUID] = it
	}
	if it := byGUID["urn:t:b"]; !it.Changed || !strings.Contains(it.Body, "31 to 29") {
		t.Errorf("changed item = %+v, want Changed with the new body", it)
	}
	if it := byGUID["urn:t:c"]; it.Changed {
		t.Error("a new item is marked Changed")
	}

	srv.set(storyA, corrected, storyC) // new ETag, same content
	if res := pollOnce(t, p); res.NotModified || res.New != 0 || res.Changed != 0 {
		t.Fatalf("poll of the same content under a new ETag = %+v, want nothing emitted", res)
	}
	if got := w.take(t); len(got) != 0 {
		t.Errorf("re-emitted %d items", len(got))
	}
}

func TestPollerFailedWriteReEmits(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)
	broker := errors.New("broker unavailable")
	w.fail(broker)

	res := pollOnce(t, p)
	if !errors.Is(res.Err, broker) || res.New != 0 || res.ConsecutiveErrors != 1 {
		t.Fatalf("poll with a failing writer = %+v", res)
	}
	st, _ := p.State("feed-0")
	if st.Seen != 0 || st.ETag != "" || st.ConsecutiveErrors != 1 || !errors.Is(st.LastError, broker) {
		t.Fatalf("state after a failed write = %+v, want nothing remembered", st)
	}

	w.fail(nil)
	res = pollOnce(t, p)
	if res.Err != nil || res.New != 2 || res.NotModified {
		t.Fatalf("poll after the writer recovered = %+v, want both items again", res)
	}
	if got := w.take(t); len(got) != 2 {
		t.Fatalf("wrote %d items, want 2", len(got))
	}
	st, _ = p.State("feed-0")
	if st.Seen != 2 || st.ETag == "" || st.ConsecutiveErrors != 0 || st.LastSuccess.IsZero() {
		t.Errorf("state after success = %+v", st)
	}
}

func TestPollerBoundsSeenItems(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{MaxSeenPerFeed: 3}, w, srv.URL)
	pollOnce(t, p) // remembers a (top of the feed), b

	d := testStory{"urn:t:d", "Tram line extended", "<p>Services start in June.</p>"}
	srv.set(storyC, d)
	pollOnce(t, p) // c, d are newest; b, at the bottom of the older document, goes
	if st, _ := p.State("feed-0"); st.Seen != 3 {
		t.Fatalf("Seen = %d, want the bound of 3", st.Seen)
	}
	w.take(t)

	srv.set(storyA, storyB)
	res := pollOnce(t, p)
	if res.New != 1 {
		t.Fatalf("poll = %+v, want only the evicted item as new", res)
	}
	if got := w.take(t); len(got) != 1 || got[0].GUID != "urn:t:b" {
		t.Fatalf("wrote %+v, want only urn:t:b", got)
	}
}

func TestPollerKeepsItemsStillInTheFeed(t *testing.T) {
	// Items still present are refreshed on every poll, so a feed no longer than
	// the bound never re-emits, however many items came and went.
	srv := newFeedServer(t, false, storyA)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{MaxSeenPerFeed: 2}, w, srv.URL)
	pollOnce(t, p)
	for i := range 5 {
		srv.set(storyA, testStory{fmt.Sprintf("urn:t:n%d", i), fmt.Sprintf("Story %d", i), "<p>x</p>"})
		if res := pollOnce(t, p); res.New != 1 {
			t.Fatalf("poll %d = %+v, want exactly the one new story", i, res)
		}
	}
}

func TestPollerDuplicateItemInDocument(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyA)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)
	if res := pollOnce(t, p); res.New != 1 {
		t.Fatalf("poll = %+v, want the repeated item once", res)
	}
}

type recordingObserver struct {
	mu    sync.Mutex
	calls []string
}

func (o *recordingObserver) Polled(feed string, newItems, changed int, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, fmt.Sprintf("%s new=%d changed=%d err=%v", feed, newItems, changed, err != nil))
}

func TestPollAllReportsFailingFeed(t *testing.T) {
	good := newFeedServer(t, true, storyA, storyB)
	bad := newFeedServer(t, true)
	bad.setStatus(http.StatusServiceUnavailable)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, good.URL, bad.URL)
	obs := &recordingObserver{}
	p.SetObserver(obs)

	res, err := p.PollAll(context.Background())
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	if len(res.Feeds) != 2 || res.Feeds[0].Feed != "feed-0" || res.Feeds[1].Feed != "feed-1" {
		t.Fatalf("results not in feeds file order: %+v", res.Feeds)
	}
	var se *StatusError
	if !errors.As(res.Feeds[1].Err, &se) || se.Status != http.StatusServiceUnavailable {
		t.Errorf("failing feed result = %+v", res.Feeds[1])
	}
	if tot := res.Totals(); tot != (PollTotals{Feeds: 2, Items: 2, New: 2, Failed: 1}) {
		t.Errorf("Totals = %+v", tot)
	}
	obs.mu.Lock()
	calls := strings.Join(obs.calls, "; ")
	obs.mu.Unlock()
	for _, want := range []string{"feed-0 new=2 changed=0 err=false", "feed-1 new=0 changed=0 err=true"} {
		if !strings.Contains(calls, want) {
			t.Errorf("observer calls %q lack %q", calls, want)
		}
	}

	p.SetObserver(nil)
	if _, err := p.PollAll(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestPollerParseErrorKeepsState(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)
	pollOnce(t, p)
	etag, _ := p.State("feed-0")

	srv.mu.Lock()
	srv.doc, srv.version = []byte("<html>maintenance</html>"), srv.version+1
	srv.mu.Unlock()
	res := pollOnce(t, p)
	if !errors.Is(res.Err, ErrUnknownFormat) {
		t.Fatalf("poll of an html page = %+v", res)
	}
	if st, _ := p.State("feed-0"); st.ETag != etag.ETag || st.Seen != 1 {
		t.Errorf("state changed by a failed parse: %+v", st)
	}
}

func TestPollerRunStopsOnCancel(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{DefaultInterval: time.Hour}, w, srv.URL)
	polled := make(chan struct{}, 1)
	p.SetObserver(observerFunc(func() {
		select {
		case polled <- struct{}{}:
		default:
		}
	}))

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	<-polled // the first poll happens at once
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run returned %v after cancel, want nil", err)
	}
	if !p.Ready() {
		t.Error("not Ready after Run started")
	}
	if got := w.take(t); len(got) != 2 {
		t.Errorf("Run's first poll wrote %d items, want 2", len(got))
	}
}

type observerFunc func()

func (f observerFunc) Polled(string, int, int, error) { f() }

func TestPollerNextDelay(t *testing.T) {
	p := newTestPoller(t, PollerConfig{DefaultInterval: time.Minute, MaxBackoff: 10 * time.Minute}, &fakeWriter{}, "https://wire.example/f.xml")
	f := p.feeds.Feeds[0]
	failure := errors.New("connection refused")
	tests := []struct {
		name     string
		res      FeedResult
		want     time.Duration // before ±10% jitter
		interval time.Duration
	}{
		{"success", FeedResult{}, time.Minute, 0},
		{"first failure", FeedResult{Err: failure, ConsecutiveErrors: 1}, time.Minute, 0},
		{"third failure doubles twice", FeedResult{Err: failure, ConsecutiveErrors: 3}, 4 * time.Minute, 0},
		{"many failures are capped", FeedResult{Err: failure, ConsecutiveErrors: 60}, 10 * time.Minute, 0},
		{"cap never below the feed interval", FeedResult{Err: failure, ConsecutiveErrors: 5}, time.Hour, time.Hour},
		{"retry-after beyond the backoff wins", FeedResult{Err: fmt.Errorf("x: %w", &StatusError{Status: 429, RetryAfter: 30 * time.Minute}), ConsecutiveErrors: 1}, 30 * time.Minute, 0},
		{"feed interval overrides the default", FeedResult{}, 2 * time.Minute, 2 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ff := f
			ff.Interval = tt.interval
			for range 20 {
				got := p.nextDelay(ff, tt.res)
				if got < tt.want-tt.want/10 || got > tt.want+tt.want/10 {
					t.Fatalf("nextDelay = %s, want %s ±10%%", got, tt.want)
				}
			}
		})
	}
}

func TestNewPollerValidates(t *testing.T) {
	feeds := FeedsFile{Feeds: []Feed{{ID: "a", URL: "https://wire.example/a.xml"}}}
	tests := []struct {
		name  string
		cfg   PollerConfig
		feeds FeedsFile
		w     rawWriter
		topic string
		want  string
	}{
		{"valid", PollerConfig{}, feeds, &fakeWriter{}, "wire.raw", ""},
		{"interval too short", PollerConfig{DefaultInterval: time.Millisecond}, feeds, &fakeWriter{}, "wire.raw", "default_interval"},
		{"negative concurrency", PollerConfig{Concurrency: -1}, feeds, &fakeWriter{}, "wire.raw", "concurrency"},
		{"negative seen bound", PollerConfig{MaxSeenPerFeed: -1}, feeds, &fakeWriter{}, "wire.raw", "max_seen_per_feed"},
		{"invalid fetch config", PollerConfig{Fetch: FetchConfig{Timeout: -1}}, feeds, &fakeWriter{}, "wire.raw", "fetch.timeout"},
		{"no feeds", PollerConfig{}, FeedsFile{}, &fakeWriter{}, "wire.raw", "at least one feed"},
		{"no writer", PollerConfig{}, feeds, nil, "wire.raw", "writer"},
		{"no topic", PollerConfig{}, feeds, &fakeWriter{}, "", "topic"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewPoller(tt.cfg, tt.feeds, tt.w, tt.topic, nil)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("NewPoller: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one naming %s", err, tt.want)
			}
		})
	}
}

func TestPollResultLogs(t *testing.T) {
	res := PollResult{Feeds: []FeedResult{
		{Feed: "a", Status: 200, Items: 3, New: 2},
		{Feed: "b", Err: errors.New("feed b: fetch: connection refused"), ConsecutiveErrors: 4},
	}}
	enc := zapcore.NewMapObjectEncoder()
	if err := enc.AddObject("poll", res); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(enc.Fields["poll"])
	for _, want := range []string{"new:2", "failed:1", "connection refused", "consecutive_errors:4", "feed:a"} {
		if !strings.Contains(got, want) {
			t.Errorf("logged %s, missing %q", got, want)
		}
	}
}
