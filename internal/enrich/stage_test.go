package enrich

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

const (
	storiesTopic = "wire.stories"
	dedupeTopic  = "wire.dedupe"
)

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
	now := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	index := dedupe.NewIndex(Config{}.Index())
	index.SetClock(func() time.Time { return now })
	s := New(Config{}, w, Topics{Stories: storiesTopic, Dedupe: dedupeTopic}, index, log)
	s.SetChain(NewChain([]Enricher{NewLanguage()}, nil, 0, log))
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
	if len(out) == 0 || out[0].Topic != storiesTopic {
		t.Fatalf("Process returned %d messages, want a story first", len(out))
	}
	for _, r := range out[1:] {
		if r.Topic != dedupeTopic {
			t.Fatalf("output %s to %s, want only dedupe records after the story", r.Key, r.Topic)
		}
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
	wantSource := pipeline.Source{Feed: item.Feed, GUID: item.GUID, URL: item.Link, Seen: testFetched.UTC(), Relation: pipeline.RelationOriginal}
	if len(st.Sources) != 1 || st.Sources[0] != wantSource {
		t.Errorf("sources = %+v, want [%+v]", st.Sources, wantSource)
	}
	if st.Dedupe == nil || st.Dedupe.Fingerprint != fingerprint(wantBody, "") {
		t.Errorf("dedupe = %+v, want the fingerprint of the body", st.Dedupe)
	}
	if st.Verdict != pipeline.VerdictNew || st.Dedupe.Cluster != wantURI || st.Sources[0].Relation != pipeline.RelationOriginal {
		t.Errorf("verdict %q cluster %q relation %q, want new, its own uri, original", st.Verdict, st.Dedupe.Cluster, st.Sources[0].Relation)
	}
	if p, e, a, r := s.Stats(); p != 1 || e != 1 || a != 0 || r != 0 {
		t.Errorf("stats = %d, %d, %d, %d, want 1, 1, 0, 0", p, e, a, r)
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
		{"withheld is a kill", func(it *pipeline.RawItem) { it.PubStatus = pipeline.PubStatusWithheld }, func(t *testing.T, st pipeline.Story) {
			if st.PubStatus != pipeline.PubStatusCanceled || st.Verdict != pipeline.VerdictKill {
				t.Errorf("pubstatus %q verdict %q, want canceled and kill", st.PubStatus, st.Verdict)
			}
		}},
		{"unknown status is never published on a guess", func(it *pipeline.RawItem) { it.PubStatus = "wirestat:held" }, func(t *testing.T, st pipeline.Story) {
			if st.PubStatus == pipeline.PubStatusUsable {
				t.Errorf("pubstatus = %q, want it not usable", st.PubStatus)
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

// outcomeOf sorts Process's outputs: the story or appearance first, then dedupe records.
func outcomeOf(t *testing.T, out []pipeline.Message) (kind string, st pipeline.Story, ap pipeline.Appearance, records int) {
	t.Helper()
	if len(out) == 0 {
		return "none", st, ap, 0
	}
	if out[0].Topic != storiesTopic {
		t.Fatalf("first output to %s, want %s", out[0].Topic, storiesTopic)
	}
	for _, r := range out[1:] {
		if r.Topic != dedupeTopic || !(strings.HasPrefix(string(r.Key), "u:") || strings.HasPrefix(string(r.Key), "f:")) {
			t.Fatalf("output %s to %s, want dedupe records keyed u: or f:", r.Key, r.Topic)
		}
	}
	schema, err := pipeline.SchemaOf(out[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	switch schema {
	case pipeline.SchemaStory:
		if st, err = pipeline.DecodeStory(out[0].Value); err != nil {
			t.Fatal(err)
		}
		if string(out[0].Key) != st.URI {
			t.Errorf("story keyed %q, want its uri %q", out[0].Key, st.URI)
		}
		return "story", st, ap, len(out) - 1
	case pipeline.SchemaAppearance:
		if ap, err = pipeline.DecodeAppearance(out[0].Value); err != nil {
			t.Fatal(err)
		}
		if string(out[0].Key) != ap.URI {
			t.Errorf("appearance keyed %q, want the canonical uri %q", out[0].Key, ap.URI)
		}
		return "appearance", st, ap, len(out) - 1
	}
	t.Fatalf("output schema %q", schema)
	return
}

// Edits of the wire item that make the corpus of one story's life: its copies, versions
// and a false friend.
var (
	sameItem    = func(*pipeline.RawItem) {}
	partnerCopy = func(it *pipeline.RawItem) {
		it.Feed, it.Provider, it.GUID = "other-outlet", "Other Outlet", "other-42"
		it.Link = "https://other.example/42"
		it.Body = "<div class=wrap>" + strings.ReplaceAll(it.Body, "<p>", "<p class=x>") + "</div>"
	}
	partnerRewrite = func(it *pipeline.RawItem) {
		it.Feed, it.Provider, it.GUID = "third-outlet", "Third Outlet", "third-7"
		it.Link = "https://third.example/7"
		it.Title = "Floating library to tour the islands"
		it.Body = strings.Replace(it.Body, "staying for two days", "stopping for two days", 1)
	}
	agencyUpdate = func(it *pipeline.RawItem) {
		it.Changed, it.ContentHash = true, "h2"
		it.Body = strings.Replace(it.Body, "4,000 books", "5,000 books", 1)
	}
	agencyCorrection = func(it *pipeline.RawItem) {
		agencyUpdate(it)
		it.ContentHash = "h3"
		it.Title = "CORRECTION: Harbour town opens floating library for island children"
		it.Body = strings.Replace(it.Body, "1.2", "1.4", 1)
	}
	agencyKill = func(it *pipeline.RawItem) {
		agencyCorrection(it)
		it.ContentHash, it.PubStatus = "h4", pipeline.PubStatusCanceled
	}
	falseFriend = func(it *pipeline.RawItem) {
		it.GUID, it.Link, it.ContentHash = "https://partner.example/2025/03/ferry-strike", "https://partner.example/2025/03/ferry-strike", "f1"
		it.Title = "Island ferry crews strike over pay, council says"
		it.Body = "<p>Ferry crews serving the seven islands walked out on Monday over pay, the regional council said.</p>" +
			"<p>Council member Inès Várga said talks with the union would resume on Thursday and that no crossings were planned before then.</p>" +
			"<p>Residents of the smaller islands said they were stocking up on food and fuel.</p>"
	}
	falseFriendCopy = func(it *pipeline.RawItem) { falseFriend(it); partnerCopy(it); it.GUID = "other-43" }
)

func TestProcessDecisions(t *testing.T) {
	type step struct {
		edit     func(*pipeline.RawItem)
		offset   int64
		advance  time.Duration           // the clock moves this much before the step
		kind     string                  // story, appearance or none
		version  int                     // story: its version
		relation string                  // appearance: its relation
		of       func(*pipeline.RawItem) // appearance: the edit that made the story it copies; nil for the wire item
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"the same raw item twice", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{sameItem, 2, time.Minute, "none", 0, "", nil},
		}},
		{"the same text from another feed", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{partnerCopy, 2, time.Hour, "appearance", 0, pipeline.RelationDuplicate, nil},
			{partnerCopy, 3, time.Hour, "none", 0, "", nil},
		}},
		{"a light rewrite from another feed", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{partnerRewrite, 2, time.Minute, "appearance", 0, pipeline.RelationNearDuplicate, nil},
		}},
		{"a false friend", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{falseFriend, 2, time.Minute, "story", 1, "", nil},
			{falseFriendCopy, 3, time.Minute, "appearance", 0, pipeline.RelationDuplicate, falseFriend},
		}},
		{"the same item after the window", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{sameItem, 2, 7 * 24 * time.Hour, "story", 1, "", nil},
		}},
		{"a version chain", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{agencyUpdate, 2, time.Minute, "story", 2, "", nil},
			{agencyUpdate, 3, time.Minute, "none", 0, "", nil},
			{agencyCorrection, 4, time.Minute, "story", 3, "", nil},
			{agencyKill, 5, time.Minute, "story", 4, "", nil},
		}},
		{"a copy of a later version", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{agencyUpdate, 2, time.Minute, "story", 2, "", nil},
			{func(it *pipeline.RawItem) { agencyUpdate(it); partnerCopy(it) }, 3, time.Minute, "appearance", 0, pipeline.RelationDuplicate, nil},
		}},
		{"a changed item with nothing visible changed", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{func(it *pipeline.RawItem) {
				it.Changed, it.ContentHash = true, "h2"
				it.Body = strings.ReplaceAll(it.Body, "<p>", "<p class=\"v2\">")
			}, 2, time.Minute, "none", 0, "", nil},
		}},
		{"a redelivery of the first message is emitted again", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{sameItem, 2, time.Minute, "none", 0, "", nil},
			{sameItem, 1, time.Minute, "story", 1, "", nil},
		}},
		{"a redelivery of an update keeps its version", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{agencyUpdate, 2, time.Minute, "story", 2, "", nil},
			{agencyUpdate, 2, time.Minute, "story", 2, "", nil},
		}},
		{"a redelivery of a copy is attached again", []step{
			{sameItem, 1, 0, "story", 1, "", nil},
			{partnerCopy, 2, time.Minute, "appearance", 0, pipeline.RelationDuplicate, nil},
			{partnerCopy, 2, time.Minute, "appearance", 0, pipeline.RelationDuplicate, nil},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, now := newTestStage(t, &fakeWriter{}, nil)
			for i, st := range tt.steps {
				original := wireItem(t)
				if st.of != nil {
					st.of(&original)
				}
				canonical := pipeline.StoryKey(original)
				*now = now.Add(st.advance)
				item := wireItem(t)
				st.edit(&item)
				out, err := s.Process(context.Background(), rawMessage(t, item, st.offset))
				if err != nil {
					t.Fatalf("step %d: %v", i, err)
				}
				kind, story, ap, records := outcomeOf(t, out)
				if kind != st.kind {
					t.Fatalf("step %d: %s, want %s", i, kind, st.kind)
				}
				switch kind {
				case "story":
					if story.Version != st.version || story.Dedupe.Cluster != story.URI || records == 0 {
						t.Errorf("step %d: version %d cluster %q with %d records, want version %d, its own cluster and its records",
							i, story.Version, story.Dedupe.Cluster, records, st.version)
					}
				case "appearance":
					if ap.URI != canonical || ap.Source.Relation != st.relation || ap.Source.Feed != item.Feed || records != 1 {
						t.Errorf("step %d: appearance %+v with %d records, want one of %s as %s from %s with its record",
							i, ap, records, canonical, st.relation, item.Feed)
					}
					if (st.relation == pipeline.RelationNearDuplicate) != (ap.Source.Similarity > 0) {
						t.Errorf("step %d: similarity %.2f for a %s", i, ap.Source.Similarity, st.relation)
					}
				}
			}
		})
	}
}

func TestProcessVersionChainVerdicts(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	var got []string
	for i, edit := range []func(*pipeline.RawItem){sameItem, agencyUpdate, agencyCorrection, agencyKill} {
		item := wireItem(t)
		edit(&item)
		_, st := processOne(t, s, rawMessage(t, item, int64(i+1)))
		got = append(got, fmt.Sprintf("%d %s %s", st.Version, st.Verdict, st.PubStatus))
	}
	want := []string{"1 new usable", "2 update usable", "3 correction usable", "4 kill canceled"}
	if strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Errorf("versions = %v, want %v", got, want)
	}
}

func TestRedeliveredOlderVersionsInventNothing(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	chain := []func(*pipeline.RawItem){sameItem, agencyUpdate, agencyKill}
	msgs := make([]pipeline.Message, len(chain))
	for i, edit := range chain {
		item := wireItem(t)
		edit(&item)
		msgs[i] = rawMessage(t, item, int64(i))
		processOne(t, s, msgs[i])
	}
	for _, i := range []int{0, 1} {
		out, err := s.Process(context.Background(), msgs[i])
		if err != nil {
			t.Fatal(err)
		}
		if kind, st, _, _ := outcomeOf(t, out); kind != "none" {
			t.Errorf("offset %d read again: %s v%d %s, want nothing (its version was decided before)", i, kind, st.Version, st.PubStatus)
		}
	}
	// The message that made the latest entry is emitted again, as it was.
	_, st := processOne(t, s, msgs[2])
	if st.Version != 3 || st.PubStatus != pipeline.PubStatusCanceled {
		t.Errorf("latest message read again: v%d %s, want v3 canceled", st.Version, st.PubStatus)
	}
}

// counter is an enricher counting its runs per story version.
type counter struct {
	mu   sync.Mutex
	runs map[string]int
}

func (c *counter) Name() string    { return "counter" }
func (c *counter) Version() string { return "1" }
func (c *counter) Enrich(_ context.Context, s *pipeline.Story) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.runs[fmt.Sprintf("%s v%d", s.URI, s.Version)]++
	return nil
}

// TestEnrichersRunOncePerStoryVersion feeds a corpus of one story's copies, rewrites,
// repeats and versions, and a false friend with its own copy, and checks that the
// enrichers ran exactly once for each distinct story version and never for a copy.
func TestEnrichersRunOncePerStoryVersion(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	c := &counter{runs: map[string]int{}}
	s.SetChain(NewChain([]Enricher{c}, nil, 0, nil))
	corpus := []func(*pipeline.RawItem){
		sameItem, partnerCopy, partnerRewrite, sameItem, falseFriend, partnerCopy,
		agencyUpdate, falseFriendCopy, agencyUpdate, agencyCorrection, partnerCopy, agencyKill, falseFriend, agencyKill,
	}
	var stories, appearances int
	for i, edit := range corpus {
		item := wireItem(t)
		edit(&item)
		out, err := s.Process(context.Background(), rawMessage(t, item, int64(i+1)))
		if err != nil {
			t.Fatal(err)
		}
		switch kind, _, _, _ := outcomeOf(t, out); kind {
		case "story":
			stories++
		case "appearance":
			appearances++
		}
	}
	a := pipeline.StoryKey(wireItem(t))
	ff := wireItem(t)
	falseFriend(&ff)
	f := pipeline.StoryKey(ff)
	want := map[string]int{a + " v1": 1, a + " v2": 1, a + " v3": 1, a + " v4": 1, f + " v1": 1}
	if fmt.Sprint(c.runs) != fmt.Sprint(want) {
		t.Errorf("enricher runs = %v\nwant once per story version: %v", c.runs, want)
	}
	if stories != 5 || appearances != 3 {
		t.Errorf("%d stories and %d appearances emitted, want 5 and 3", stories, appearances)
	}
	if p, e, ap, r := s.Stats(); p != int64(len(corpus)) || e != 5 || ap != 3 || r != int64(len(corpus))-8 {
		t.Errorf("stats = %d, %d, %d, %d", p, e, ap, r)
	}
}

// TestWorkersShareTheIndex runs two stages, as two enrich workers, each applying the
// other's dedupe records as a tail of the topic would: a copy decided by one is known to
// the other.
func TestWorkersShareTheIndex(t *testing.T) {
	a, _ := newTestStage(t, &fakeWriter{}, nil)
	b, _ := newTestStage(t, &fakeWriter{}, nil)
	share := func(from []pipeline.Message, to *Stage) {
		for _, m := range from {
			if m.Topic == dedupeTopic {
				if err := to.index.Apply(dedupe.Record{Key: m.Key, Value: m.Value}); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	item := wireItem(t)
	outA, err := a.Process(context.Background(), rawMessage(t, item, 1))
	if err != nil {
		t.Fatal(err)
	}
	share(outA, b)
	cp := wireItem(t)
	partnerCopy(&cp)
	m := rawMessage(t, cp, 7)
	m.Partition = 2
	outB, err := b.Process(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if kind, _, ap, _ := outcomeOf(t, outB); kind != "appearance" || ap.URI != pipeline.StoryKey(item) {
		t.Errorf("the other worker made a %s (%+v), want an appearance of %s", kind, ap, pipeline.StoryKey(item))
	}
	share(outB, a)
	// The first worker, seeing the agency item again, still knows it.
	if out, err := a.Process(context.Background(), rawMessage(t, item, 9)); err != nil || len(out) != 0 {
		t.Errorf("the agency item again: %d outputs, %v; want a repeat", len(out), err)
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
			if p, e, a, r := s.Stats(); p != 1 || e != 0 || a != 0 || r != 0 {
				t.Errorf("stats = %d, %d, %d, %d, want 1, 0, 0, 0", p, e, a, r)
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
	if _, e, _, r := s.Stats(); e != 2 || r != 0 {
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

func (r recorder) Name() string    { return r.name }
func (r recorder) Version() string { return "1" }
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
	var runs []string
	s.SetChain(NewChain([]Enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, nil}}, nil, 0, nil))
	_, st := processOne(t, s, rawMessage(t, wireItem(t), 1))
	if strings.Join(runs, ",") != "a,b" || st.Located != "ab" {
		t.Errorf("runs = %v, located = %q, want a then b", runs, st.Located)
	}
	want := []pipeline.EnricherRun{{Name: "a", Version: "1"}, {Name: "b", Version: "1"}}
	if st.Enrichment == nil || !slices.Equal(st.Enrichment.Enrichers, want) || st.Enrichment.Partial {
		t.Errorf("enrichment = %+v, want %v and not partial", st.Enrichment, want)
	}
}

func TestRequiredEnricherFailsTheItem(t *testing.T) {
	s, _ := newTestStage(t, &fakeWriter{}, nil)
	var runs []string
	boom := errors.New("gazetteer not loaded")
	s.SetChain(NewChain([]Enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, boom}}, []string{"b"}, 0, nil))
	m := rawMessage(t, wireItem(t), 1)

	_, err := s.Process(context.Background(), m)
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), "enricher b") {
		t.Fatalf("Process error = %v, want it to wrap the enricher's error and name it", err)
	}
	// A retry after the failure is not taken for a repeat of the failed attempt.
	s.SetChain(NewChain([]Enricher{recorder{"a", &runs, nil}, recorder{"b", &runs, nil}}, []string{"b"}, 0, nil))
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
			// Texts sharing no words, so none is a near duplicate of another.
			var words []string
			for k := range 40 {
				words = append(words, fmt.Sprintf("w%dx%d", i, k))
			}
			item.Title, item.Body = fmt.Sprintf("Story %d", i), strings.Join(words, " ")
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
	p, e, a, r := s.Stats()
	if p != workers*perWorker || e != perWorker || a != 0 || r != (workers-1)*perWorker {
		t.Errorf("stats = %d, %d, %d, %d, want %d, %d, 0, %d", p, e, a, r, workers*perWorker, perWorker, (workers-1)*perWorker)
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
	d := DefaultConfig()
	if d.DedupeWindow != 7*24*time.Hour || d.DedupeMax != 100000 {
		t.Errorf("defaults = %+v, want 7 days and 100000", d)
	}
}
