package enrich

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

const storiesTopic = "wire.stories"

// fakeWriter records what it was asked to write, or fails with err.
type fakeWriter struct {
	mu    sync.Mutex
	calls [][]pipeline.Message
	err   error
}

func (w *fakeWriter) Write(_ context.Context, msgs ...pipeline.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.calls = append(w.calls, msgs)
	return w.err
}

var (
	testFetched   = time.Date(2025, 3, 3, 9, 15, 30, 123456789, time.FixedZone("CET", 3600))
	testPublished = time.Date(2025, 3, 3, 7, 0, 0, 0, time.FixedZone("EST", -5*3600))
	testUpdated   = time.Date(2025, 3, 3, 13, 30, 0, 0, time.UTC)
)

func newTestStage(t *testing.T, w storyWriter, log *zap.Logger) (*Stage, *time.Time) {
	t.Helper()
	s := New(Config{}, w, storiesTopic, log)
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	return s, &now
}

func wireItem(t *testing.T) pipeline.RawItem {
	t.Helper()
	published, updated := testPublished, testUpdated
	return pipeline.RawItem{
		Feed:        "partner-news",
		Format:      "rss",
		Provider:    "AFP",
		FeedURL:     "https://partner.example/rss",
		GUID:        "https://partner.example/2025/03/floating-library",
		Link:        "https://partner.example/2025/03/floating-library?utm_source=rss",
		Title:       "Harbour town opens floating library for island children",
		Summary:     "A converted ferry will carry books between islands.",
		Body:        readFixture(t, "wire_article.html"),
		Authors:     []string{"Ana Ruiz", "  ", "Desk &amp; Wires"},
		Language:    "fr-FR", // wrong on purpose: the text decides
		Published:   &published,
		Updated:     &updated,
		Fetched:     testFetched,
		ContentHash: "h1",
	}
}

// rawMessage is item as ingest writes it: keyed by its story key on the raw topic.
func rawMessage(t *testing.T, item pipeline.RawItem, offset int64) pipeline.Message {
	t.Helper()
	b, err := pipeline.EncodeRaw(item)
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.Message{Topic: "wire.raw", Partition: 0, Offset: offset, Key: []byte(pipeline.StoryKey(item)), Value: b, Time: testFetched}
}

func processOne(t *testing.T, s *Stage, m pipeline.Message) (pipeline.Message, pipeline.Story) {
	t.Helper()
	out, err := s.Process(context.Background(), m)
	if err != nil {
		t.Fatalf("Process: %v", err)
	}
	if len(out) != 1 {
		t.Fatalf("Process returned %d messages, want 1", len(out))
	}
	st, err := pipeline.DecodeStory(out[0].Value)
	if err != nil {
		t.Fatalf("output is not a story envelope: %v", err)
	}
	return out[0], st
}

func TestProcessBuildsStory(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	item := wireItem(t)
	msg, st := processOne(t, s, rawMessage(t, item, 1))

	wantURI := pipeline.StoryKey(item)
	if msg.Topic != storiesTopic {
		t.Errorf("topic = %q, want %q", msg.Topic, storiesTopic)
	}
	if string(msg.Key) != wantURI || st.URI != wantURI {
		t.Errorf("key %q, uri %q: both want the story key %q", msg.Key, st.URI, wantURI)
	}
	if got := string(msg.Header(HeaderFetched)); got != "2025-03-03T08:15:30.123456789Z" {
		t.Errorf("header %s = %q, want the fetch time in UTC", HeaderFetched, got)
	}
	if !msg.Time.Equal(testFetched) {
		t.Errorf("message time = %v, want %v", msg.Time, testFetched)
	}
	if st.Version != 1 || st.PubStatus != pipeline.PubStatusUsable {
		t.Errorf("version %d pubstatus %q, want 1 %q", st.Version, st.PubStatus, pipeline.PubStatusUsable)
	}
	if st.Language != "en" {
		t.Errorf("language = %q, want en (the text, over the feed's fr-FR)", st.Language)
	}
	if !st.FirstCreated.Equal(testPublished) || st.FirstCreated.Location() != time.UTC {
		t.Errorf("firstcreated = %v, want published %v in UTC", st.FirstCreated, testPublished.UTC())
	}
	if !st.VersionCreated.Equal(testUpdated) || st.VersionCreated.Location() != time.UTC {
		t.Errorf("versioncreated = %v, want updated %v in UTC", st.VersionCreated, testUpdated)
	}
	if st.Headline() != item.Title || len(st.Headlines) != 1 {
		t.Errorf("headlines = %+v, want one: %q", st.Headlines, item.Title)
	}
	wantBody := readFixture(t, "wire_article.want.txt")
	if len(st.Bodies) != 1 || st.Bodies[0].Value != wantBody || st.Bodies[0].ContentType != "text/plain" {
		t.Errorf("bodies = %+v\nwant one text/plain body:\n%s", st.Bodies, wantBody)
	}
	if st.By != "Ana Ruiz, Desk & Wires" {
		t.Errorf("by = %q, want %q", st.By, "Ana Ruiz, Desk & Wires")
	}
	if st.Provider != "AFP" {
		t.Errorf("provider = %q, want AFP", st.Provider)
	}
	wantSource := pipeline.Source{Feed: item.Feed, GUID: item.GUID, URL: item.Link, Seen: testFetched.UTC()}
	if len(st.Sources) != 1 || st.Sources[0] != wantSource {
		t.Errorf("sources = %+v, want [%+v]", st.Sources, wantSource)
	}
	if st.Dedupe == nil || st.Dedupe.Fingerprint != fingerprint(wantBody, "") {
		t.Errorf("dedupe = %+v, want the fingerprint of the body", st.Dedupe)
	}
	if p, e, r := s.Stats(); p != 1 || e != 1 || r != 0 {
		t.Errorf("stats = %d, %d, %d, want 1, 1, 0", p, e, r)
	}
}

func TestProcessFields(t *testing.T) {
	published, updated := testPublished, testUpdated
	tests := []struct {
		name  string
		edit  func(*pipeline.RawItem)
		check func(t *testing.T, st pipeline.Story)
	}{
		{"version from the item", func(it *pipeline.RawItem) { it.Version = 3 }, func(t *testing.T, st pipeline.Story) {
			if st.Version != 3 {
				t.Errorf("version = %d, want 3", st.Version)
			}
		}},
		{"published only", func(it *pipeline.RawItem) { it.Updated = nil; it.Published = &published }, func(t *testing.T, st pipeline.Story) {
			if !st.FirstCreated.Equal(published) || !st.VersionCreated.Equal(published) {
				t.Errorf("times = %v, %v, want both %v", st.FirstCreated, st.VersionCreated, published)
			}
		}},
		{"no dates: fetched", func(it *pipeline.RawItem) { it.Updated, it.Published = nil, nil }, func(t *testing.T, st pipeline.Story) {
			if !st.FirstCreated.Equal(testFetched) || !st.VersionCreated.Equal(testFetched) {
				t.Errorf("times = %v, %v, want both %v", st.FirstCreated, st.VersionCreated, testFetched)
			}
		}},
		{"updated without published", func(it *pipeline.RawItem) { it.Published, it.Updated = nil, &updated }, func(t *testing.T, st pipeline.Story) {
			if !st.FirstCreated.Equal(testFetched) || !st.VersionCreated.Equal(updated) {
				t.Errorf("times = %v, %v, want %v, %v", st.FirstCreated, st.VersionCreated, testFetched, updated)
			}
		}},
		{"summary when body is empty", func(it *pipeline.RawItem) { it.Body = "" }, func(t *testing.T, st pipeline.Story) {
			if st.Text() != "A converted ferry will carry books between islands." {
				t.Errorf("text = %q, want the summary", st.Text())
			}
		}},
		{"summary when body has no text", func(it *pipeline.RawItem) { it.Body = `<p><img src="x.jpg"></p>` }, func(t *testing.T, st pipeline.Story) {
			if st.Text() != "A converted ferry will carry books between islands." {
				t.Errorf("text = %q, want the summary", st.Text())
			}
		}},
		{"plain text body keeps its lines", func(it *pipeline.RawItem) { it.Body = "Standfirst.\nBody.\nAFP" }, func(t *testing.T, st pipeline.Story) {
			if st.Text() != "Standfirst.\n\nBody.\n\nAFP" {
				t.Errorf("text = %q, want lines as paragraphs", st.Text())
			}
		}},
		{"headline only", func(it *pipeline.RawItem) { it.Body, it.Summary = "", "" }, func(t *testing.T, st pipeline.Story) {
			if len(st.Bodies) != 0 || st.Headline() == "" {
				t.Errorf("bodies %+v headline %q, want no body and the headline", st.Bodies, st.Headline())
			}
			if st.Dedupe.Fingerprint != fingerprint("", st.Headline()) {
				t.Errorf("fingerprint = %s, want the headline's", st.Dedupe.Fingerprint)
			}
		}},
		{"text only", func(it *pipeline.RawItem) { it.Title = " <b></b> " }, func(t *testing.T, st pipeline.Story) {
			if len(st.Headlines) != 0 || st.Text() == "" {
				t.Errorf("headlines %+v, want none, and the text", st.Headlines)
			}
		}},
		{"headline cleaned", func(it *pipeline.RawItem) { it.Title = "  Oil &amp; gas <em>prices</em>\n rise " }, func(t *testing.T, st pipeline.Story) {
			if st.Headline() != "Oil & gas prices rise" {
				t.Errorf("headline = %q", st.Headline())
			}
		}},
		{"declared language when the text is short", func(it *pipeline.RawItem) {
			it.Title, it.Body, it.Summary, it.Language = "Brexit", "", "", "en-GB"
		}, func(t *testing.T, st pipeline.Story) {
			if st.Language != "en" {
				t.Errorf("language = %q, want en from the feed", st.Language)
			}
		}},
		{"agency uri", func(it *pipeline.RawItem) { it.URI = "urn:newsml:afp.com:20250303:abc" }, func(t *testing.T, st pipeline.Story) {
			if st.URI != "urn:newsml:afp.com:20250303:abc" {
				t.Errorf("uri = %q, want the agency uri", st.URI)
			}
		}},
		{"agency fields carried over", func(it *pipeline.RawItem) {
			it.Version, it.PubStatus, it.Urgency, it.Located = 4, pipeline.PubStatusCanceled, 2, " Harbourton "
			it.Subjects = []pipeline.Subject{{Code: "medtop:20000256", Name: "maritime transport"}, {Name: "Jane Marlow", Type: "cpnat:person"}}
		}, func(t *testing.T, st pipeline.Story) {
			if st.Version != 4 || st.PubStatus != pipeline.PubStatusCanceled || st.Urgency != 2 || st.Located != "Harbourton" {
				t.Errorf("version %d pubstatus %q urgency %d located %q", st.Version, st.PubStatus, st.Urgency, st.Located)
			}
			if len(st.Subjects) != 2 || st.Subjects[0].Code != "medtop:20000256" || st.Subjects[1].Type != "cpnat:person" {
				t.Errorf("subjects = %+v", st.Subjects)
			}
		}},
		{"withheld", func(it *pipeline.RawItem) { it.PubStatus = pipeline.PubStatusWithheld }, func(t *testing.T, st pipeline.Story) {
			if st.PubStatus != pipeline.PubStatusWithheld {
				t.Errorf("pubstatus = %q", st.PubStatus)
			}
		}},
		{"unknown status is withheld, never published on a guess", func(it *pipeline.RawItem) { it.PubStatus = "wirestat:held" }, func(t *testing.T, st pipeline.Story) {
			if st.PubStatus != pipeline.PubStatusWithheld {
				t.Errorf("pubstatus = %q, want withheld", st.PubStatus)
			}
		}},
		{"byline wins over authors", func(it *pipeline.RawItem) { it.By = " By Ana Ruiz &amp; Luis Prado " }, func(t *testing.T, st pipeline.Story) {
			if st.By != "By Ana Ruiz & Luis Prado" {
				t.Errorf("by = %q", st.By)
			}
		}},
		{"no agency fields: defaults", func(it *pipeline.RawItem) {}, func(t *testing.T, st pipeline.Story) {
			if st.PubStatus != pipeline.PubStatusUsable || st.Urgency != 0 || st.Subjects != nil || st.Located != "" {
				t.Errorf("pubstatus %q urgency %d subjects %+v located %q", st.PubStatus, st.Urgency, st.Subjects, st.Located)
			}
		}},
		{"no fetch time: the message time", func(it *pipeline.RawItem) { it.Fetched = time.Time{}; it.Published, it.Updated = nil, nil }, func(t *testing.T, st pipeline.Story) {
			if !st.Sources[0].Seen.Equal(testFetched) || st.FirstCreated.IsZero() {
				t.Errorf("seen %v firstcreated %v, want the message time %v", st.Sources[0].Seen, st.FirstCreated, testFetched)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStage(t, &fakeWriter{}, nil)
			item := wireItem(t)
			tt.edit(&item)
			msg, st := processOne(t, s, rawMessage(t, item, 1))
			if st.URI != pipeline.StoryKey(item) || string(msg.Key) != st.URI {
				t.Errorf("uri %q key %q, want both %q", st.URI, msg.Key, pipeline.StoryKey(item))
			}
			tt.check(t, st)
		})
	}
}

func TestProcessRepeats(t *testing.T) {
	type input struct {
		edit    func(*pipeline.RawItem)
		offset  int64
		advance time.Duration // clock moves this much before the input
		emitted bool
	}
	same := func(*pipeline.RawItem) {}
	tests := []struct {
		name   string
		inputs []input
	}{
		{"the same raw item twice", []input{
			{same, 1, 0, true},
			{same, 2, time.Minute, false},
		}},
		{"the same text from another feed", []input{
			{same, 1, 0, true},
			{func(it *pipeline.RawItem) {
				it.Feed, it.Provider, it.GUID, it.Link = "other-outlet", "Other Outlet", "other-42", "https://other.example/42"
				it.Body = "<div>" + strings.ReplaceAll(it.Body, "<p>", "<p class=x>") + "</div>"
			}, 2, time.Hour, false},
		}},
		{"the same item after the window", []input{
			{same, 1, 0, true},
			{same, 2, 24 * time.Hour, true},
		}},
		{"a changed item with new text", []input{
			{same, 1, 0, true},
			{func(it *pipeline.RawItem) {
				it.Changed, it.ContentHash = true, "h2"
				it.Body = strings.Replace(it.Body, "4,000 books", "5,000 books", 1)
			}, 2, time.Minute, true},
		}},
		{"a changed item with a corrected headline", []input{
			{same, 1, 0, true},
			{func(it *pipeline.RawItem) {
				it.Changed, it.ContentHash = true, "h2"
				it.Title = "Harbour town opens floating library for island pupils"
			}, 2, time.Minute, true},
		}},
		{"a changed item with nothing visible changed", []input{
			{same, 1, 0, true},
			{func(it *pipeline.RawItem) {
				it.Changed, it.ContentHash = true, "h2"
				it.Body = strings.ReplaceAll(it.Body, "<p>", "<p class=\"v2\">")
			}, 2, time.Minute, false},
		}},
		{"a redelivery of the first message", []input{
			{same, 1, 0, true},
			{same, 2, time.Minute, false},
			{same, 1, time.Minute, true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			core, logs := observer.New(zapcore.DebugLevel)
			s, now := newTestStage(t, &fakeWriter{}, zap.New(core))
			var wantEmitted, wantRepeats int64
			for i, in := range tt.inputs {
				*now = now.Add(in.advance)
				item := wireItem(t)
				in.edit(&item)
				out, err := s.Process(context.Background(), rawMessage(t, item, in.offset))
				if err != nil {
					t.Fatalf("input %d: %v", i, err)
				}
				if got := len(out) == 1; got != in.emitted || len(out) > 1 {
					t.Fatalf("input %d: %d messages out, want emitted=%v", i, len(out), in.emitted)
				}
				if in.emitted {
					wantEmitted++
					continue
				}
				wantRepeats++
				entries := logs.FilterMessage("exact repeat dropped").All()
				if len(entries) != int(wantRepeats) {
					t.Fatalf("input %d: %d repeat logs, want %d", i, len(entries), wantRepeats)
				}
				fields := entries[len(entries)-1].ContextMap()
				if fields["uri"] != pipeline.StoryKey(item) || fields["fingerprint"] == "" {
					t.Errorf("input %d: repeat log fields %v, want uri %s and a fingerprint", i, fields, pipeline.StoryKey(item))
				}
			}
			p, e, r := s.Stats()
			if p != int64(len(tt.inputs)) || e != wantEmitted || r != wantRepeats {
				t.Errorf("stats = %d, %d, %d, want %d, %d, %d", p, e, r, len(tt.inputs), wantEmitted, wantRepeats)
			}
		})
	}
}

func TestProcessPermanentErrors(t *testing.T) {
	emptyItem, err := pipeline.EncodeRaw(pipeline.RawItem{Feed: "f", GUID: "g", Title: " <br> ", Body: "<p>&nbsp;</p>", Fetched: testFetched})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		value  []byte
		wantIs error
	}{
		{"bad envelope", []byte("{not json"), nil},
		{"bad data", []byte(`{"schema":"wirehose.raw/1","data":{"fetched":42}}`), nil},
		{"unknown schema", []byte(`{"schema":"wirehose.raw/9","data":{"title":"x"}}`), pipeline.ErrUnknownSchema},
		{"story instead of raw item", []byte(`{"schema":"wirehose.story/1","data":{}}`), pipeline.ErrUnknownSchema},
		{"empty item", emptyItem, ErrEmptyItem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestStage(t, &fakeWriter{}, nil)
			out, err := s.Process(context.Background(), pipeline.Message{Topic: "wire.raw", Offset: 7, Value: tt.value})
			if err == nil || out != nil {
				t.Fatalf("Process = %v, %v; want an error and no output", out, err)
			}
			if !pipeline.IsPermanent(err) {
				t.Errorf("error %q is not permanent", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %q", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), "offset 7") {
				t.Errorf("error %q does not say where the message was", err)
			}
			if p, e, r := s.Stats(); p != 1 || e != 0 || r != 0 {
				t.Errorf("stats = %d, %d, %d, want 1, 0, 0", p, e, r)
			}
		})
	}
}

func TestProcessStatusNotices(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	kill := func(uri string) pipeline.RawItem {
		return pipeline.RawItem{Feed: "agency", Format: "ninjs", URI: uri, GUID: uri, Version: 3, PubStatus: pipeline.PubStatusCanceled, Fetched: testFetched}
	}
	for i, uri := range []string{"urn:wire:story-a", "urn:wire:story-b"} {
		_, st := processOne(t, s, rawMessage(t, kill(uri), int64(i+1)))
		if st.URI != uri || st.PubStatus != pipeline.PubStatusCanceled || st.Version != 3 || len(st.Headlines) != 0 || len(st.Bodies) != 0 {
			t.Errorf("kill of %s: %+v", uri, st)
		}
	}
	if _, e, r := s.Stats(); e != 2 || r != 0 {
		t.Errorf("emitted %d, repeats %d: two kills of different stories are not repeats of each other", e, r)
	}

	usable := kill("urn:wire:story-c")
	usable.PubStatus = ""
	if _, err := s.Process(context.Background(), rawMessage(t, usable, 3)); !errors.Is(err, ErrEmptyItem) {
		t.Errorf("an empty usable item: error %v, want ErrEmptyItem", err)
	}
}

// recorder is an enricher that notes its runs and can fail.
type recorder struct {
	name string
	runs *[]string
	err  error
}

func (r recorder) Name() string { return r.name }
func (r recorder) Enrich(_ context.Context, s *pipeline.Story) error {
	*r.runs = append(*r.runs, r.name)
	if r.err != nil {
		return r.err
	}
	s.Located = s.Located + r.name
	return nil
}

func TestProcessRunsEnrichersInOrder(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	if len(s.enrichers) != 0 {
		t.Fatalf("%d enrichers registered, want none yet", len(s.enrichers))
	}
	var runs []string
	boom := errors.New("gazetteer not loaded")
	s.enrichers = []enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, boom}}
	m := rawMessage(t, wireItem(t), 1)

	_, err := s.Process(context.Background(), m)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "enricher b") {
		t.Fatalf("Process error = %v, want it to wrap the enricher's error and name it", err)
	}
	if strings.Join(runs, ",") != "a,b" {
		t.Errorf("runs = %v, want a then b", runs)
	}

	// A retry after the failure is not taken for a repeat of the failed attempt.
	s.enrichers = []enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, nil}}
	_, st := processOne(t, s, m)
	if st.Located != "ab" {
		t.Errorf("located = %q, want the enrichers' marks in order %q", st.Located, "ab")
	}
}

func TestFlush(t *testing.T) {
	msgs := []pipeline.Message{{Topic: storiesTopic, Key: []byte("a")}, {Topic: storiesTopic, Key: []byte("b")}}
	t.Run("writes the batch in one call", func(t *testing.T) {
		w := &fakeWriter{}
		s, _ := newTestStage(t, w, nil)
		if err := s.Flush(context.Background(), msgs); err != nil {
			t.Fatal(err)
		}
		if len(w.calls) != 1 || len(w.calls[0]) != 2 || string(w.calls[0][1].Key) != "b" {
			t.Errorf("writer calls = %+v, want one call with both messages", w.calls)
		}
	})
	t.Run("empty batch writes nothing", func(t *testing.T) {
		w := &fakeWriter{}
		s, _ := newTestStage(t, w, nil)
		if err := s.Flush(context.Background(), nil); err != nil {
			t.Fatal(err)
		}
		if len(w.calls) != 0 {
			t.Errorf("writer called %d times for an empty batch", len(w.calls))
		}
	})
	t.Run("writer failure is returned", func(t *testing.T) {
		outage := errors.New("broker unavailable")
		s, _ := newTestStage(t, &fakeWriter{err: outage}, nil)
		err := s.Flush(context.Background(), msgs)
		if !errors.Is(err, outage) {
			t.Fatalf("Flush = %v, want it to wrap %v", err, outage)
		}
		if pipeline.IsPermanent(err) {
			t.Error("a write failure is an outage, not permanent")
		}
	})
}

func TestProcessConcurrent(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	const workers, perWorker = 4, 25
	// Every worker sends the same perWorker items, each from its own offsets.
	msgs := make([][]pipeline.Message, workers)
	for w := range workers {
		for i := range perWorker {
			item := wireItem(t)
			item.GUID = fmt.Sprintf("g%d", i)
			item.Body = strings.Replace(item.Body, "4,000", fmt.Sprintf("%d", 1000+i), 1)
			msgs[w] = append(msgs[w], rawMessage(t, item, int64(w*perWorker+i)))
		}
	}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for _, m := range msgs[w] {
				if _, err := s.Process(context.Background(), m); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	p, e, r := s.Stats()
	if p != workers*perWorker || e != perWorker || r != (workers-1)*perWorker {
		t.Errorf("stats = %d, %d, %d, want %d, %d, %d", p, e, r, workers*perWorker, perWorker, (workers-1)*perWorker)
	}
}

func TestConfig(t *testing.T) {
	tests := []struct {
		name    string
		cfg     Config
		wantErr string
	}{
		{"zero means defaults", Config{}, ""},
		{"defaults", DefaultConfig(), ""},
		{"negative window", Config{DedupeWindow: -time.Second}, "enrich.dedupe_window"},
		{"negative max", Config{DedupeMax: -1}, "enrich.dedupe_max"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.wantErr == "" && err != nil {
				t.Errorf("Validate() = %v, want nil", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Validate() = %v, want an error naming %s", err, tt.wantErr)
			}
		})
	}
	d := Config{}.withDefaults()
	if d.DedupeWindow != 24*time.Hour || d.DedupeMax != 100000 {
		t.Errorf("defaults = %+v, want 24h and 100000", d)
	}
}
