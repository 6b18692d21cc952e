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

// feedServer serves one document, with an ETag when validators is set, and counts
// requests.
type feedServer struct {
	*httptest.Server
	mu         sync.Mutex
	doc        []byte
	version    int
	validators bool
	status     int
	requests   int
	hold       chan struct{} // when set, requests wait for it to close
}

func newFeedServer(t *testing.T, validators bool, stories ...testStory) *feedServer {
	fs := &feedServer{doc: rssDoc(stories...), validators: validators}
	fs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fs.mu.Lock()
		fs.requests++
		doc, version, status, hold := fs.doc, fs.version, fs.status, fs.hold
		fs.mu.Unlock()
		if hold != nil {
			select {
			case <-hold:
			case <-r.Context().Done():
				return
			}
		}
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

func (fs *feedServer) requestCount() int {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.requests
}

func (fs *feedServer) setStatus(code int) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.status = code
}

// recordingStore is a memory store that records every Save and can run a hook in it.
type recordingStore struct {
	*memoryStateStore
	mu     sync.Mutex
	saves  []savedState
	onSave func(st FeedState)
}

type savedState struct {
	feed     string
	withSeen bool
}

func newRecordingStore(partitions int) *recordingStore {
	return &recordingStore{memoryStateStore: newMemoryStateStore(partitions)}
}

func (s *recordingStore) Save(ctx context.Context, st FeedState, withSeen bool) error {
	s.mu.Lock()
	hook := s.onSave
	s.mu.Unlock()
	if hook != nil {
		hook(st)
	}
	if err := s.memoryStateStore.Save(ctx, st, withSeen); err != nil {
		return err
	}
	s.mu.Lock()
	s.saves = append(s.saves, savedState{feed: st.Feed, withSeen: withSeen})
	s.mu.Unlock()
	return nil
}

func (s *recordingStore) takeSaves() []savedState {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.saves
	s.saves = nil
	return out
}

func testFeeds(urls ...string) FeedsFile {
	ff := FeedsFile{AllowPrivateNetworks: true} // the test servers are on loopback
	for i, u := range urls {
		ff.Feeds = append(ff.Feeds, Feed{ID: fmt.Sprintf("feed-%d", i), URL: u, Format: FormatAuto, Provider: "TestWire"})
	}
	return ff
}

func newTestPoller(t *testing.T, cfg PollerConfig, w rawWriter, urls ...string) *Poller {
	t.Helper()
	return newStoredPoller(t, cfg, w, nil, urls...)
}

// newStoredPoller is a Poller over store; nil means the Poller's own memory store.
func newStoredPoller(t *testing.T, cfg PollerConfig, w rawWriter, store StateStore, urls ...string) *Poller {
	t.Helper()
	var opts []PollerOption
	if store != nil {
		opts = append(opts, WithStateStore(store))
	}
	p, err := NewPoller(cfg, testFeeds(urls...), w, "wire.raw", zaptest.NewLogger(t), opts...)
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

func stateOf(t *testing.T, p *Poller, feed string) FeedState {
	t.Helper()
	st, ok := p.State(feed)
	if !ok {
		t.Fatalf("no state held for %s", feed)
	}
	return st
}

var (
	storyA = testStory{"urn:t:a", "Harbour reopens", "<p>Ships return.</p>"}
	storyB = testStory{"urn:t:b", "Council votes budget", "<p>The vote was close.</p>"}
	storyC = testStory{"urn:t:c", "Museum extends hours", "<p>Open on Sundays.</p>"}
	storyD = testStory{"urn:t:d", "Tram line extended", "<p>Services start in June.</p>"}
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
	st := stateOf(t, p, "feed-0")
	if st.Seen.Len() != 0 || st.Validators.ETag != "" || st.Schedule.ConsecutiveErrors != 1 || !strings.Contains(st.Schedule.LastError, "broker unavailable") {
		t.Fatalf("state after a failed write = %+v, want nothing remembered and the failure recorded", st)
	}

	w.fail(nil)
	res = pollOnce(t, p)
	if res.Err != nil || res.New != 2 || res.NotModified {
		t.Fatalf("poll after the writer recovered = %+v, want both items again", res)
	}
	if got := w.take(t); len(got) != 2 {
		t.Fatalf("wrote %d items, want 2", len(got))
	}
	st = stateOf(t, p, "feed-0")
	if st.Seen.Len() != 2 || st.Validators.ETag == "" || st.Schedule.ConsecutiveErrors != 0 || st.Schedule.LastSuccess.IsZero() {
		t.Errorf("state after success = %+v", st)
	}
	if st.Counters.Polls != 2 || st.Counters.Failures != 1 || st.Counters.New != 2 {
		t.Errorf("counters = %+v, want 2 polls, 1 failure, 2 new", st.Counters)
	}
}

func TestPollerBoundsSeenItems(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	w := &fakeWriter{}
	store := newRecordingStore(1)
	p := newStoredPoller(t, PollerConfig{MaxSeenPerFeed: 3}, w, store, srv.URL)
	pollOnce(t, p) // remembers a (top of the feed), b

	srv.set(storyC, storyD)
	pollOnce(t, p) // c, d are newest; b, at the bottom of the older document, goes
	if st := stateOf(t, p, "feed-0"); st.Seen.Len() != 3 {
		t.Fatalf("Seen = %d, want the bound of 3", st.Seen.Len())
	}
	if st := store.Stored()["feed-0"]; st.Seen.Len() != 3 {
		t.Fatalf("stored Seen = %d, want the bound of 3", st.Seen.Len())
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

func TestPollerMemoryPerFeedIsBounded(t *testing.T) {
	// A feed that keeps publishing never holds more than the bound, in memory or in
	// its stored record, and each item costs 16 bytes.
	const bound = 50
	var stories []testStory
	for i := range 3 * bound {
		stories = append(stories, testStory{fmt.Sprintf("urn:t:m%d", i), fmt.Sprintf("Story %d", i), "<p>x</p>"})
	}
	srv := newFeedServer(t, true)
	store := newRecordingStore(1)
	p := newStoredPoller(t, PollerConfig{MaxSeenPerFeed: bound}, &fakeWriter{}, store, srv.URL)
	for i := 0; i+20 <= len(stories); i += 20 {
		srv.set(stories[i : i+20]...)
		if res := pollOnce(t, p); res.Err != nil || res.New != 20 {
			t.Fatalf("poll %d = %+v, want 20 new", i/20, res)
		}
	}
	st := store.Stored()["feed-0"]
	if st.Seen.Len() != bound || stateOf(t, p, "feed-0").Seen.Len() != bound {
		t.Fatalf("remembered %d (stored) and %d (memory) items, want the bound %d", st.Seen.Len(), stateOf(t, p, "feed-0").Seen.Len(), bound)
	}
	b, err := EncodeSeen("feed-0", st.Seen)
	if err != nil {
		t.Fatal(err)
	}
	if raw := 16 * bound; len(b) > raw*4/3+100 {
		t.Errorf("encoded seen record is %d bytes, want about %d (16 bytes an item, base64)", len(b), raw*4/3)
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

func TestPollerRestartResumesWithoutReEmitting(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	store := newRecordingStore(1)
	w := &fakeWriter{}
	first := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)
	if res := pollOnce(t, first); res.New != 2 {
		t.Fatalf("first poller's poll = %+v, want 2 new", res)
	}
	w.take(t)

	// A new Poller on the same store: the restarted process, or the replica taking over.
	for _, tc := range []struct {
		name    string
		stories []testStory
		wantNew []string
	}{
		{"same document", []testStory{storyA, storyB}, nil},
		{"one story added", []testStory{storyC, storyA, storyB}, []string{"urn:t:c"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.set(tc.stories...) // a new ETag: the document is fetched and compared
			next := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)
			res := pollOnce(t, next)
			if res.Err != nil || res.NotModified {
				t.Fatalf("poll = %+v, want a full fetch", res)
			}
			var got []string
			for _, it := range w.take(t) {
				got = append(got, it.GUID)
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.wantNew) {
				t.Errorf("restarted poller emitted %v, want %v", got, tc.wantNew)
			}
		})
	}
}

func TestPollerRestoresValidators(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	store := newRecordingStore(1)
	pollOnce(t, newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, srv.URL))
	res := pollOnce(t, newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, srv.URL))
	if !res.NotModified {
		t.Errorf("restarted poller's poll = %+v, want a conditional GET answered 304", res)
	}
}

func TestPollerCrashBetweenItemsAndStateReEmitsOnlyThatPoll(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	store := newRecordingStore(1)
	w := &fakeWriter{}
	p := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)
	pollOnce(t, p)
	w.take(t)

	// The items of the next poll are written, then the state write fails — as if the
	// process died between the two.
	srv.set(storyC, storyA, storyB)
	store.SetFailure(errors.New("feed-state topic unavailable"))
	res := pollOnce(t, p)
	if res.New != 1 || res.Err == nil || !strings.Contains(res.Err.Error(), "save state") {
		t.Fatalf("poll with a failing state store = %+v, want 1 new and a save error", res)
	}
	if got := w.take(t); len(got) != 1 || got[0].GUID != "urn:t:c" {
		t.Fatalf("wrote %+v, want urn:t:c", got)
	}
	store.SetFailure(nil)

	// The process is gone; a new one resumes from the store.
	next := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)
	pollOnce(t, next)
	got := w.take(t)
	if len(got) != 1 || got[0].GUID != "urn:t:c" {
		t.Fatalf("resumed poller emitted %+v, want only urn:t:c, the item of the unsaved poll", got)
	}
	if res := pollOnce(t, next); res.New != 0 {
		t.Errorf("poll after resuming = %+v, want nothing new", res)
	}
}

func TestPollerSavesStateAfterItemsThenUpdatesMemory(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	store := newRecordingStore(1)
	w := &fakeWriter{}
	p := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)
	var (
		writesAtSave int
		memAtSave    int
	)
	store.onSave = func(st FeedState) {
		w.mu.Lock()
		writesAtSave = len(w.msgs)
		w.mu.Unlock()
		// fs.mu is held during the poll, so read memory directly.
		p.mu.Lock()
		fs := p.states["feed-0"]
		p.mu.Unlock()
		memAtSave = fs.st.Seen.Len()
	}
	pollOnce(t, p)
	if writesAtSave != 1 {
		t.Errorf("the state was saved with %d items written, want after the item", writesAtSave)
	}
	if memAtSave != 0 {
		t.Errorf("memory already held %d seen items while saving, want it updated only after the save", memAtSave)
	}
	if st := stateOf(t, p, "feed-0"); st.Seen.Len() != 1 {
		t.Errorf("memory holds %d seen items after the save, want 1", st.Seen.Len())
	}
}

func TestPollerWritesSeenOnlyWhenChanged(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	store := newRecordingStore(1)
	p := newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, srv.URL)
	steps := []struct {
		name     string
		change   func()
		withSeen bool
	}{
		{"first poll", func() {}, true},
		{"not modified", func() {}, false},
		{"same content, new etag", func() { srv.set(storyA, storyB) }, false},
		{"a new story", func() { srv.set(storyC, storyA, storyB) }, true},
		{"reordered", func() { srv.set(storyA, storyB, storyC) }, true},
		{"failing feed", func() { srv.setStatus(http.StatusBadGateway) }, false},
	}
	for _, s := range steps {
		s.change()
		pollOnce(t, p)
		saves := store.takeSaves()
		if len(saves) != 1 || saves[0].withSeen != s.withSeen {
			t.Errorf("%s: saves %+v, want one with seen items %v", s.name, saves, s.withSeen)
		}
	}
}

func TestPollerInterruptedPollRecordsNothing(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	srv.mu.Lock()
	srv.hold = make(chan struct{})
	srv.mu.Unlock()
	store := newRecordingStore(1)
	w := &fakeWriter{}
	p := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan PollResult, 1)
	go func() {
		res, _ := p.PollAll(ctx)
		done <- res
	}()
	for srv.requestCount() == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	res := <-done
	if len(store.takeSaves()) != 0 || len(w.take(t)) != 0 {
		t.Error("a poll cut short by shutdown wrote items or state")
	}
	if st := stateOf(t, p, "feed-0"); st.Schedule.ConsecutiveErrors != 0 || st.Counters.Polls != 0 {
		t.Errorf("state after an interrupted poll = %+v, want untouched", st)
	}
	if !errors.Is(res.Feeds[0].Err, context.Canceled) {
		t.Errorf("result = %+v, want the cancellation", res.Feeds[0])
	}
}

// blockingWriter holds every Write until released, then accepts it.
type blockingWriter struct {
	fakeWriter
	started chan struct{}
	release chan struct{}
}

func (w *blockingWriter) Write(ctx context.Context, msgs ...pipeline.Message) error {
	close(w.started)
	select {
	case <-w.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return w.fakeWriter.Write(ctx, msgs...)
}

func TestPollerFinishesWritesAfterStop(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	store := newRecordingStore(1)
	w := &blockingWriter{started: make(chan struct{}), release: make(chan struct{})}
	p := newStoredPoller(t, PollerConfig{}, w, store, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	<-w.started
	cancel() // told to stop while the fetched items are being written
	close(w.release)
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if got := w.take(t); len(got) != 1 {
		t.Fatalf("wrote %d items, want the fetched one", len(got))
	}
	if st, ok := store.Stored()["feed-0"]; !ok || st.Seen.Len() != 1 {
		t.Errorf("stored state = %+v, want the item remembered", st)
	}
}

func TestPollerDrainTimeoutBoundsWrites(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	store := newRecordingStore(1)
	w := &blockingWriter{started: make(chan struct{}), release: make(chan struct{})}
	p := newStoredPoller(t, PollerConfig{DrainTimeout: 50 * time.Millisecond}, w, store, srv.URL)

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	<-w.started
	cancel() // the writer never answers: Run must still return
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
	if _, ok := store.Stored()["feed-0"]; ok {
		t.Error("state saved for a poll whose items were never written")
	}
}

func TestRunPartitionsPollsOnlyItsFeeds(t *testing.T) {
	const n = 8
	var (
		servers []*feedServer
		urls    []string
	)
	for range n {
		s := newFeedServer(t, true, storyA)
		servers = append(servers, s)
		urls = append(urls, s.URL)
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())
	store := newRecordingStore(4)
	p := newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, urls...)
	owned := []int{1, 3}
	mine := map[string]bool{}
	for i := range n {
		id := fmt.Sprintf("feed-%d", i)
		if pt := store.Partition(id); pt == 1 || pt == 3 {
			mine[id] = true
		}
	}
	if len(mine) == 0 || len(mine) == n {
		t.Fatalf("partitions %v hold %d of %d feeds; the test needs some on each side", owned, len(mine), n)
	}

	polled := make(chan string, n)
	p.SetObserver(observerOf(func(feed string) { polled <- feed }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.RunPartitions(ctx, owned) }()
	got := map[string]bool{}
	for len(got) < len(mine) {
		got[<-polled] = true
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunPartitions = %v", err)
	}
	for i, s := range servers {
		id := fmt.Sprintf("feed-%d", i)
		if want := mine[id]; (s.requestCount() > 0) != want {
			t.Errorf("%s (partition %d) requested %d times, want polled=%v", id, store.Partition(id), s.requestCount(), want)
		}
	}
	if _, ok := p.State(fmt.Sprint("feed-", 0)); ok && !mine["feed-0"] {
		t.Error("a feed of another partition has its state held")
	}
	for id := range mine {
		if _, ok := p.State(id); ok {
			t.Errorf("%s: state still held after its partitions were released", id)
		}
	}
}

func TestRunFollowsTheStoredSchedule(t *testing.T) {
	due := newFeedServer(t, true, storyA)
	later := newFeedServer(t, true, storyB)
	store := newRecordingStore(1)
	// The feed polled last has its next poll an hour away, as a previous owner stored it.
	_ = store.Save(context.Background(), FeedState{Feed: "feed-1", Schedule: ScheduleState{NextPoll: time.Now().Add(time.Hour)}}, false)
	p := newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, due.URL, later.URL)

	polled := make(chan string, 2)
	p.SetObserver(observerOf(func(feed string) { polled <- feed }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	if f := <-polled; f != "feed-0" {
		t.Errorf("first poll was %s, want feed-0", f)
	}
	cancel()
	<-done
	if later.requestCount() != 0 {
		t.Errorf("feed-1 was requested %d times before its stored next poll", later.requestCount())
	}
	if st := store.Stored()["feed-0"]; !st.Schedule.NextPoll.After(time.Now()) {
		t.Errorf("feed-0 stored next poll %v, want a time ahead", st.Schedule.NextPoll)
	}
}

// failingLoadStore is a store whose first loads fail, and that cannot read one feed.
type failingLoadStore struct {
	*memoryStateStore
	mu       sync.Mutex
	failures int
	unread   string
}

func (s *failingLoadStore) Load(ctx context.Context, partitions []int) (map[string]FeedState, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 {
		s.failures--
		return nil, errors.New("broker unavailable")
	}
	states, _ := s.memoryStateStore.Load(ctx, partitions)
	if s.unread == "" {
		return states, nil
	}
	delete(states, s.unread)
	return states, &StateDecodeError{Feeds: []string{s.unread}, Err: fmt.Errorf("key %q: %w", s.unread, pipeline.ErrUnknownSchema)}
}

func TestPollerSkipsFeedWithUnreadableState(t *testing.T) {
	good := newFeedServer(t, true, storyA)
	unread := newFeedServer(t, true, storyB)
	store := &failingLoadStore{memoryStateStore: newMemoryStateStore(1), unread: "feed-1"}
	w := &fakeWriter{}
	p := newStoredPoller(t, PollerConfig{}, w, store, good.URL, unread.URL)
	res, err := p.PollAll(context.Background())
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	if res.Feeds[0].Err != nil || res.Feeds[0].New != 1 {
		t.Errorf("feed with a readable state: %+v", res.Feeds[0])
	}
	if !errors.Is(res.Feeds[1].Err, pipeline.ErrUnknownSchema) || unread.requestCount() != 0 {
		t.Errorf("feed with an unreadable state: %+v after %d requests, want an error and no request", res.Feeds[1], unread.requestCount())
	}
}

func TestRunPartitionsRetriesRestore(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	store := &failingLoadStore{memoryStateStore: newMemoryStateStore(1), failures: 1}
	p := newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, srv.URL)
	polled := make(chan string, 1)
	p.SetObserver(observerOf(func(feed string) { polled <- feed }))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.RunPartitions(ctx, []int{0}) }()
	<-polled // restored on the second attempt, then polled
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunPartitions = %v", err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if store.failures != 0 {
		t.Error("the failing load was never attempted")
	}
}

func TestPollerRefusesConcurrentRuns(t *testing.T) {
	srv := newFeedServer(t, true, storyA)
	p := newTestPoller(t, PollerConfig{}, &fakeWriter{}, srv.URL)
	polled := make(chan string, 1)
	p.SetObserver(observerOf(func(feed string) {
		select {
		case polled <- feed:
		default:
		}
	}))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.Run(ctx) }()
	<-polled
	if _, err := p.PollAll(context.Background()); err == nil {
		t.Error("PollAll while Run is running succeeded, want an error")
	}
	cancel()
	<-done
}

type recordingObserver struct {
	mu    sync.Mutex
	calls []string
}

func (o *recordingObserver) FeedPolled(feed string, r PollReport) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, fmt.Sprintf("%s status=%d new=%d changed=%d err=%v streak=%d parse_error=%v bytes>0=%v next_poll=%v",
		feed, r.Status, r.New, r.Changed, r.Err != nil, r.ErrorStreak, r.ParseError, r.Bytes > 0, !r.NextPoll.IsZero()))
}

func (o *recordingObserver) FeedLoaded(feed string, _ FeedState) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "loaded "+feed)
}

func (o *recordingObserver) FeedReleased(feed string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, "released "+feed)
}

func (o *recordingObserver) all() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return strings.Join(o.calls, "; ")
}

// observerOf is told only of polls.
type observerOf func(feed string)

func (f observerOf) FeedPolled(feed string, _ PollReport) { f(feed) }
func (observerOf) FeedLoaded(string, FeedState)           {}
func (observerOf) FeedReleased(string)                    {}

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
	if st := stateOf(t, p, "feed-1"); st.LastStatus != http.StatusServiceUnavailable || st.Schedule.ConsecutiveErrors != 1 || st.Schedule.LastError == "" {
		t.Errorf("failing feed state = %+v, want the status and the reason", st)
	}
	calls := obs.all()
	for _, want := range []string{
		"loaded feed-0", "loaded feed-1",
		"feed-0 status=200 new=2 changed=0 err=false streak=0 parse_error=false bytes>0=true next_poll=true",
		"feed-1 status=503 new=0 changed=0 err=true streak=1 parse_error=false bytes>0=false next_poll=true",
	} {
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
	before := stateOf(t, p, "feed-0")

	srv.mu.Lock()
	srv.doc, srv.version = []byte("<html>maintenance</html>"), srv.version+1
	srv.mu.Unlock()
	res := pollOnce(t, p)
	if !errors.Is(res.Err, ErrUnknownFormat) || !res.ParseError || res.Bytes == 0 {
		t.Fatalf("poll of an html page = %+v, want a parse error after fetching a body", res)
	}
	if st := stateOf(t, p, "feed-0"); st.Validators != before.Validators || st.Seen.Len() != 1 || st.Schedule.ConsecutiveErrors != 1 {
		t.Errorf("state after a failed parse = %+v, want the old validators and items, one error", st)
	}
}

func TestPollerRunStopsOnCancel(t *testing.T) {
	srv := newFeedServer(t, true, storyA, storyB)
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{DefaultInterval: time.Hour}, w, srv.URL)
	polled := make(chan struct{}, 1)
	p.SetObserver(observerOf(func(string) {
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
		{"negative per-host limit", PollerConfig{PerHost: -1}, feeds, &fakeWriter{}, "wire.raw", "per_host"},
		{"negative drain timeout", PollerConfig{DrainTimeout: -time.Second}, feeds, &fakeWriter{}, "wire.raw", "drain_timeout"},
		{"invalid schedule", PollerConfig{Schedule: ScheduleConfig{Jitter: 2}}, feeds, &fakeWriter{}, "wire.raw", "schedule.jitter"},
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

func TestPollerReportsFeedsTakenAndReleased(t *testing.T) {
	a := newFeedServer(t, true, storyA)
	b := newFeedServer(t, true, storyB)
	store := newRecordingStore(2)
	p := newStoredPoller(t, PollerConfig{}, &fakeWriter{}, store, a.URL, b.URL)
	if store.Partition("feed-0") == store.Partition("feed-1") {
		t.Skip("both test feeds hash to one partition")
	}
	obs := &recordingObserver{}
	p.SetObserver(obs)
	mine := store.Partition("feed-0")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- p.RunPartitions(ctx, []int{mine}) }()
	for !strings.Contains(obs.all(), "feed-0 status=200") {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	<-done
	calls := obs.all()
	for _, want := range []string{"loaded feed-0", "released feed-0"} {
		if !strings.Contains(calls, want) {
			t.Errorf("observer calls %q lack %q", calls, want)
		}
	}
	if strings.Contains(calls, "feed-1") {
		t.Errorf("observer heard of feed-1, which is on a partition not owned: %q", calls)
	}
}

func TestPollerEmitsWhatABrokenDocumentStillHolds(t *testing.T) {
	srv := newFeedServer(t, true)
	whole := rssDoc(storyA, storyB, storyC)
	cut := bytes.Index(whole, []byte(storyC.guid)) // inside the third item: the document breaks there
	if cut < 0 {
		t.Fatal("fixture: third item not found")
	}
	srv.mu.Lock()
	srv.doc = whole[:cut]
	srv.mu.Unlock()
	w := &fakeWriter{}
	p := newTestPoller(t, PollerConfig{}, w, srv.URL)

	res := pollOnce(t, p)
	if !errors.Is(res.Err, ErrPartialDocument) {
		t.Fatalf("poll of a cut document: err %v, want ErrPartialDocument", res.Err)
	}
	items := w.take(t)
	if len(items) != 2 || items[0].GUID != storyA.guid || items[1].GUID != storyB.guid {
		t.Fatalf("emitted %+v, want the two complete items", items)
	}
	if st := stateOf(t, p, "feed-0"); st.Schedule.ConsecutiveErrors != 1 || st.Schedule.LastError == "" {
		t.Errorf("state after a partial document = %+v, want the error recorded", st)
	}
}
