// Package storetest is the conformance suite every story store runs, so that SQLite
// and PostgreSQL keep the same semantics.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Run runs the suite. open must return a store over an empty database the first time
// it is called with a given t, and a store over that same database on later calls
// with the same t (the suite reopens to check that data survives). The suite closes
// every store it opens.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	t.Run("round trip keeps every field", func(t *testing.T) { testRoundTrip(t, open) })
	t.Run("idempotent upserts", func(t *testing.T) { testIdempotent(t, open) })
	t.Run("versions", func(t *testing.T) { testVersions(t, open) })
	t.Run("list filters", func(t *testing.T) { testListFilters(t, open) })
	t.Run("default limit", func(t *testing.T) { testDefaultLimit(t, open) })
	t.Run("empty batch is a no-op", func(t *testing.T) { testEmptyBatch(t, open) })
	t.Run("invalid story rejects the batch", func(t *testing.T) { testInvalid(t, open) })
	t.Run("text is repaired the same way", func(t *testing.T) { testRepairedText(t, open) })
	t.Run("search covers the start of a long body", func(t *testing.T) { testLongBody(t, open) })
	t.Run("search finds entity names", func(t *testing.T) { testEntitySearch(t, open) })
	t.Run("concurrent upserts", func(t *testing.T) { testConcurrent(t, open) })
	t.Run("reopen keeps data", func(t *testing.T) { testReopen(t, open) })
	t.Run("version history with a correction and a kill", func(t *testing.T) { testHistory(t, open) })
	t.Run("out-of-order versions", func(t *testing.T) { testOutOfOrder(t, open) })
	t.Run("appearances", func(t *testing.T) { testAppearances(t, open) })
	t.Run("invalid appearance rejects the batch", func(t *testing.T) { testInvalidAppearance(t, open) })
	t.Run("late exact duplicate becomes an appearance", func(t *testing.T) { testLateDuplicate(t, open) })
	t.Run("concurrent copies of one text", func(t *testing.T) { testConcurrentCopies(t, open) })
	t.Run("usable filter", func(t *testing.T) { testUsable(t, open) })
	t.Run("get", func(t *testing.T) { testGet(t, open) })
}

// base is an arbitrary fixed instant the fixtures count from.
var base = time.Date(2025, 3, 14, 9, 30, 0, 0, time.UTC)

func at(minutes int) time.Time { return base.Add(time.Duration(minutes) * time.Minute) }

// story builds a small valid story; the fixtures are written for these tests.
func story(uri string, version int, created time.Time, headline, body string, sources ...pipeline.Source) pipeline.Story {
	return pipeline.Story{
		URI:            uri,
		Version:        version,
		PubStatus:      pipeline.PubStatusUsable,
		Language:       "en",
		FirstCreated:   created,
		VersionCreated: created,
		Headlines:      []pipeline.Headline{{Value: headline}},
		Bodies:         []pipeline.Body{{Value: body, ContentType: "text/plain"}},
		Provider:       "Example Wire",
		Sources:        sources,
	}
}

func src(feed, guid string, seen time.Time) pipeline.Source {
	return pipeline.Source{Feed: feed, GUID: guid, URL: "https://news.example.org/" + feed + "/" + guid, Seen: seen}
}

func openStore(t *testing.T, open func(t *testing.T) store.Store) store.Store {
	t.Helper()
	s := open(t)
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func upsert(t *testing.T, s store.Store, stories ...pipeline.Story) {
	t.Helper()
	if err := s.Upsert(ctxFor(t), stories...); err != nil {
		t.Fatalf("upsert: %v", err)
	}
}

func list(t *testing.T, s store.Store, q store.Query) []pipeline.Story {
	t.Helper()
	got, err := s.List(ctxFor(t), q)
	if err != nil {
		t.Fatalf("list %+v: %v", q, err)
	}
	return got
}

// all lists every story, well above anything a test stores.
func all(t *testing.T, s store.Store) []pipeline.Story {
	t.Helper()
	return list(t, s, store.Query{Limit: 10000})
}

// sameStories fails unless got and want encode to the same JSON: what a reader of
// the store sees, times with their zone included.
func sameStories(t *testing.T, got, want []pipeline.Story) {
	t.Helper()
	g, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	w, err := json.MarshalIndent(want, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if string(g) != string(w) {
		t.Errorf("stories differ\n got: %s\nwant: %s", g, w)
	}
}

func uris(stories []pipeline.Story) []string {
	out := make([]string, len(stories))
	for i, s := range stories {
		out[i] = s.URI
	}
	return out
}

func sameURIs(t *testing.T, got []pipeline.Story, want ...string) {
	t.Helper()
	if g := uris(got); strings.Join(g, " ") != strings.Join(want, " ") {
		t.Errorf("uris = %q, want %q", g, want)
	}
}

func testRoundTrip(t *testing.T, open func(t *testing.T) store.Store) {
	paris := time.FixedZone("CET", 3600)
	full := pipeline.Story{
		URI:            "urn:example:wire:2025-0314-001",
		Version:        3,
		PubStatus:      pipeline.PubStatusUsable,
		Language:       "fr",
		FirstCreated:   time.Date(2025, 3, 14, 8, 0, 1, 123456789, paris), // nanoseconds: kept to the microsecond
		VersionCreated: time.Date(2025, 3, 14, 10, 15, 0, 987654000, paris),
		Headlines: []pipeline.Headline{
			{Value: "Harbour reopens after storm", Role: "main"},
			{Value: "Ferries resume at noon; cargo waits a day", Role: "standfirst"},
		},
		Bodies: []pipeline.Body{
			{Value: "The harbour reopened on Friday.\n\nFerry crews returned at dawn.", ContentType: "text/plain"},
			{Value: "<p>The harbour reopened on Friday.</p>", ContentType: "text/html"},
		},
		By:       "Jeanne Exemple",
		Located:  "Saint-Malo",
		Provider: "Example Wire",
		Sources: []pipeline.Source{
			{Feed: "partner-b", GUID: "", URL: "https://partner-b.example.net/harbour", Seen: time.Date(2025, 3, 14, 10, 20, 0, 1500, time.UTC)},
			{Feed: "example-wire", GUID: "EW-2025-0314-001", URL: "https://wire.example.org/a/001", Seen: time.Date(2025, 3, 14, 10, 16, 0, 0, paris)},
		},
		Dedupe: &pipeline.Dedupe{Fingerprint: "sim:9f2c4a1b"},
	}
	minimal := pipeline.Story{
		URI:            "urn:example:wire:2025-0314-002",
		Version:        1,
		VersionCreated: time.Date(2025, 3, 14, 7, 0, 0, 0, time.UTC),
	}
	s := openStore(t, open)
	upsert(t, s, minimal, full)
	got := all(t, s)
	sameStories(t, got, []pipeline.Story{record.Normalize(full), record.Normalize(minimal)})
	if len(got) == 2 {
		if first := got[0].FirstCreated; first.Nanosecond() != 123456000 || first.Location() != time.UTC {
			t.Errorf("firstcreated = %v, want UTC with microseconds kept", first)
		}
		if got[1].Sources == nil {
			t.Error("sources of a story without sources = nil, want empty")
		}
	}
}

func testIdempotent(t *testing.T, open func(t *testing.T) store.Store) {
	a := story("urn:example:a", 1, at(0), "Council approves budget", "The council approved the budget.", src("city-wire", "a1", at(1)))
	fromSecondFeed := a
	fromSecondFeed.Sources = []pipeline.Source{src("regional", "r9", at(5))}
	noGUID := a
	noGUID.Sources = []pipeline.Source{src("regional-noguid", "", at(7))}

	tests := []struct {
		name        string
		batches     [][]pipeline.Story
		wantSources []pipeline.Source
	}{
		{
			name:        "same story twice in two batches",
			batches:     [][]pipeline.Story{{a}, {a}},
			wantSources: a.Sources,
		},
		{
			name:        "same story twice in one batch",
			batches:     [][]pipeline.Story{{a, a}},
			wantSources: a.Sources,
		},
		{
			name:        "same uri from a second feed",
			batches:     [][]pipeline.Story{{a}, {fromSecondFeed}},
			wantSources: []pipeline.Source{a.Sources[0], fromSecondFeed.Sources[0]},
		},
		{
			name:        "second feed re-delivered, source without guid re-delivered",
			batches:     [][]pipeline.Story{{a, fromSecondFeed, noGUID}, {noGUID, fromSecondFeed, a}},
			wantSources: []pipeline.Source{a.Sources[0], fromSecondFeed.Sources[0], noGUID.Sources[0]},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, open)
			for _, b := range tt.batches {
				upsert(t, s, b...)
			}
			want := record.Normalize(a)
			want.Sources = record.Normalize(pipeline.Story{Sources: tt.wantSources}).Sources
			sameStories(t, all(t, s), []pipeline.Story{want})
		})
	}
}

func testVersions(t *testing.T, open func(t *testing.T) store.Store) {
	v1 := story("urn:example:v", 1, at(0), "Quake strikes coast", "A magnitude five quake struck.", src("wire", "g", at(1)))
	v1.FirstCreated = at(-30)
	v2 := story("urn:example:v", 2, at(20), "Quake strikes coast, no damage", "No damage was reported after the quake.", src("partner", "p", at(21)))
	v2.FirstCreated = at(0)
	v2fix := v2
	v2fix.Headlines = []pipeline.Headline{{Value: "Quake strikes coast, no damage reported"}}
	v3 := story("urn:example:v", 3, at(40), "Quake: aftershocks expected", "Seismologists expect aftershocks.")
	v3.FirstCreated = time.Time{}

	// expect is the stored story: the winning version with the earliest firstcreated and
	// every source seen.
	expect := func(win pipeline.Story, versions int, first time.Time, sources ...pipeline.Source) pipeline.Story {
		w := win
		w.FirstCreated = first
		w.Sources = sources
		n := record.Normalize(w)
		n.Versions = versions
		return n
	}
	tests := []struct {
		name    string
		batches [][]pipeline.Story
		want    pipeline.Story
	}{
		{"newer version replaces", [][]pipeline.Story{{v1}, {v2}}, expect(v2, 2, at(-30), v1.Sources[0], v2.Sources[0])},
		{"late older version does not overwrite", [][]pipeline.Story{{v2}, {v1}}, expect(v2, 2, at(-30), v1.Sources[0], v2.Sources[0])},
		{"older version later in the same batch does not overwrite", [][]pipeline.Story{{v2, v1}}, expect(v2, 2, at(-30), v1.Sources[0], v2.Sources[0])},
		{"equal version replaces", [][]pipeline.Story{{v2}, {v2fix}}, expect(v2fix, 1, at(0), v2.Sources[0])},
		{"version without firstcreated keeps the known one", [][]pipeline.Story{{v2}, {v3}}, expect(v3, 2, at(0), v2.Sources[0])},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, open)
			for _, b := range tt.batches {
				upsert(t, s, b...)
			}
			sameStories(t, all(t, s), []pipeline.Story{tt.want})
		})
	}

	t.Run("search follows the stored version", func(t *testing.T) {
		s := openStore(t, open)
		upsert(t, s, v1, v2)
		sameURIs(t, list(t, s, store.Query{Text: "damage"}), v2.URI)
		sameURIs(t, list(t, s, store.Query{Text: "magnitude"}))
		upsert(t, s, v1) // late, ignored: its words must not come back
		sameURIs(t, list(t, s, store.Query{Text: "magnitude"}))
	})
}

func testListFilters(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	// Two stories share a versioncreated: uri order breaks the tie byte-wise, so
	// "urn:B" (0x42) comes before "urn:a" (0x61) on every backend.
	upsert(t, s,
		story("urn:a", 1, at(30), "Rail strike ends", "Unions and the operator signed an agreement overnight."),
		story("urn:B", 1, at(30), "Wheat prices climb", "Futures rose for a third day."),
		story("urn:c", 1, at(10), "Museum opens new wing", "The wing shows maritime maps; entry is free."),
		story("urn:d", 1, at(50), "Storm warning for the coast", "Forecasters expect gusts above 100 km/h along the coast."),
		story("urn:e", 1, at(-20), "Café owners protest rent rises", "Owners of the Café du Port joined the protest."),
	)
	tests := []struct {
		name string
		q    store.Query
		want []string
	}{
		{"everything newest first", store.Query{}, []string{"urn:d", "urn:B", "urn:a", "urn:c", "urn:e"}},
		{"limit", store.Query{Limit: 2}, []string{"urn:d", "urn:B"}},
		{"since is inclusive", store.Query{Since: at(30)}, []string{"urn:d", "urn:B", "urn:a"}},
		{"since in another zone", store.Query{Since: at(10).In(time.FixedZone("EST", -5*3600))}, []string{"urn:d", "urn:B", "urn:a", "urn:c"}},
		{"since after everything", store.Query{Since: at(51)}, nil},
		{"word in a body", store.Query{Text: "agreement"}, []string{"urn:a"}},
		{"word in a headline", store.Query{Text: "museum"}, []string{"urn:c"}},
		{"case does not matter", store.Query{Text: "FORECASTERS"}, []string{"urn:d"}},
		{"every word must match", store.Query{Text: "coast gusts"}, []string{"urn:d"}},
		{"one missing word fails the match", store.Query{Text: "coast wheat"}, nil},
		{"whole words only", store.Query{Text: "agree"}, nil},
		{"non-ASCII word", store.Query{Text: "café"}, []string{"urn:e"}},
		{"punctuation is not syntax", store.Query{Text: `"maps"; entry* OR -free (NEAR`}, nil},
		{"punctuation around words", store.Query{Text: `"maritime", entry!`}, []string{"urn:c"}},
		{"text without words does not filter", store.Query{Text: " -*- "}, []string{"urn:d", "urn:B", "urn:a", "urn:c", "urn:e"}},
		{"word matching several, newest first", store.Query{Text: "the"}, []string{"urn:d", "urn:a", "urn:c", "urn:e"}},
		{"text, since and limit together", store.Query{Text: "the", Since: at(0), Limit: 2}, []string{"urn:d", "urn:a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sameURIs(t, list(t, s, tt.q), tt.want...)
		})
	}
}

// testEntitySearch checks that a story is found by the names of its entities, in the
// forms the text does not use, and by no name it lost in a later version.
func testEntitySearch(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	nato := story("urn:alliance", 1, at(0), "Alliance ministers meet", "Defence ministers of the alliance met on Tuesday.")
	nato.Organisations = []pipeline.Entity{{Name: "North Atlantic Treaty Organization", Aliases: []string{"NATO"}, Mentions: 2}}
	nato.People = []pipeline.Entity{{Name: "Ingrid Halvorsen", Aliases: []string{"Halvorsen"}, Mentions: 3}}
	nato.Places = []pipeline.Place{{Name: "Brussels", Kind: "city", Country: "BE", Lat: 50.85, Lon: 4.35, Aliases: []string{"Bruxelles"}}}
	other := story("urn:other", 1, at(1), "Ministers meet on fisheries", "Ministers met on Tuesday.")
	upsert(t, s, nato, other)

	sameURIs(t, list(t, s, store.Query{Text: "NATO"}), "urn:alliance")
	sameURIs(t, list(t, s, store.Query{Text: "Halvorsen ministers"}), "urn:alliance")
	sameURIs(t, list(t, s, store.Query{Text: "bruxelles"}), "urn:alliance")
	sameURIs(t, list(t, s, store.Query{Text: "ministers"}), "urn:other", "urn:alliance")

	got := list(t, s, store.Query{Text: "NATO"})
	if len(got) != 1 || len(got[0].Places) != 1 || got[0].Places[0].Country != "BE" || got[0].Places[0].Lat != 50.85 {
		t.Fatalf("read back %+v, want the place with its country and coordinates", got)
	}

	v2 := nato
	v2.Version = 2
	v2.VersionCreated = at(5)
	v2.Organisations = nil
	upsert(t, s, v2)
	sameURIs(t, list(t, s, store.Query{Text: "NATO"}))
	sameURIs(t, list(t, s, store.Query{Text: "Halvorsen"}), "urn:alliance")
}

func testDefaultLimit(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	var batch []pipeline.Story
	for i := range store.DefaultLimit + 5 {
		batch = append(batch, story(fmt.Sprintf("urn:limit:%03d", i), 1, at(i), "Headline", "Body"))
	}
	upsert(t, s, batch...)
	got := list(t, s, store.Query{})
	if len(got) != store.DefaultLimit {
		t.Fatalf("list without limit returned %d stories, want %d", len(got), store.DefaultLimit)
	}
	if got[0].URI != "urn:limit:054" || got[len(got)-1].URI != "urn:limit:005" {
		t.Errorf("list without limit returned %s..%s, want the newest urn:limit:054..urn:limit:005", got[0].URI, got[len(got)-1].URI)
	}
}

func testEmptyBatch(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	if err := s.Upsert(ctxFor(t)); err != nil {
		t.Fatalf("upsert of nothing: %v", err)
	}
	if err := s.Upsert(ctxFor(t), []pipeline.Story{}...); err != nil {
		t.Fatalf("upsert of an empty slice: %v", err)
	}
	if got := all(t, s); len(got) != 0 {
		t.Errorf("store holds %d stories after empty upserts, want 0", len(got))
	}
}

func testInvalid(t *testing.T, open func(t *testing.T) store.Store) {
	good := story("urn:good", 1, at(0), "Fine", "Fine.")
	tests := []struct {
		name string
		bad  pipeline.Story
	}{
		{"empty uri", story("", 1, at(0), "No uri", "x")},
		{"version 0", story("urn:v0", 0, at(0), "No version", "x")},
		{"uri over the limit", story("urn:"+strings.Repeat("x", record.MaxURIBytes), 1, at(0), "Long", "x")},
		{"guid over the limit", story("urn:g", 1, at(0), "Long guid", "x", src("feed", strings.Repeat("g", record.MaxGUIDBytes+1), at(0)))},
		{"NUL in a feed id", story("urn:nul", 1, at(0), "NUL", "x", src("fe\x00ed", "g", at(0)))},
		{"year outside 1-9999", story("urn:y", 1, time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), "Far", "x")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, open)
			err := s.Upsert(ctxFor(t), good, tt.bad)
			if !errors.Is(err, store.ErrInvalidStory) {
				t.Fatalf("upsert = %v, want ErrInvalidStory", err)
			}
			if got := all(t, s); len(got) != 0 {
				t.Errorf("store holds %v after a rejected batch, want nothing", uris(got))
			}
		})
	}
}

func testRepairedText(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	in := story("urn:repair", 1, at(0), "Bad\x00 bytes \xff here", "Body with NUL\x00 and \xc3 broken UTF-8.")
	in.By = "Desk\x00"
	upsert(t, s, in)
	got := all(t, s)
	sameStories(t, got, []pipeline.Story{record.Normalize(in)})
	if len(got) == 1 && got[0].Headline() != "Bad bytes \uFFFD here" {
		t.Errorf("headline = %q, want NUL removed and the invalid byte replaced", got[0].Headline())
	}
}

func testLongBody(t *testing.T, open func(t *testing.T) store.Store) {
	// Unique words past 1 MB: a full index of this body would exceed PostgreSQL's
	// tsvector limit. Only the start is searchable, on every backend.
	var b strings.Builder
	b.WriteString("openingword ")
	for i := 0; b.Len() < 1200000; i++ {
		fmt.Fprintf(&b, "w%d ", i)
	}
	b.WriteString("closingword")
	in := story("urn:long", 1, at(0), "Long read", b.String())
	s := openStore(t, open)
	upsert(t, s, in)
	sameURIs(t, list(t, s, store.Query{Text: "openingword"}), "urn:long")
	sameURIs(t, list(t, s, store.Query{Text: "closingword"}))
	got := all(t, s)
	if len(got) != 1 || got[0].Text() != in.Text() {
		t.Errorf("long body not returned intact")
	}
}

func testConcurrent(t *testing.T, open func(t *testing.T) store.Store) {
	const (
		writers = 4
		stories = 24
		batch   = 6
	)
	s := openStore(t, open)
	shared := func(i int) pipeline.Story {
		return story(fmt.Sprintf("urn:conc:%02d", i), 1, at(i), "Shared", "Shared body.", src("shared", fmt.Sprintf("s%d", i), at(i)))
	}
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each writer walks the stories in its own order, so their batches overlap
			// in opposite orders, and adds one source of its own to every story.
			order := make([]pipeline.Story, 0, stories)
			for i := range stories {
				k := i
				if w%2 == 1 {
					k = stories - 1 - i
				}
				st := shared((k + w*batch/2) % stories)
				st.Sources = append(st.Sources, src(fmt.Sprintf("writer-%d", w), "", at(100+w)))
				order = append(order, st)
			}
			for i := 0; i < len(order); i += batch {
				if err := s.Upsert(context.Background(), order[i:i+batch]...); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := all(t, s)
	if len(got) != stories {
		t.Fatalf("store holds %d stories, want %d", len(got), stories)
	}
	for _, st := range got {
		if len(st.Sources) != writers+1 {
			t.Errorf("story %s has %d sources, want %d (one shared, one per writer)", st.URI, len(st.Sources), writers+1)
		}
	}
}

func testReopen(t *testing.T, open func(t *testing.T) store.Store) {
	a := story("urn:reopen:a", 1, at(0), "Before reopening", "Stored before the store was closed.", src("wire", "a", at(0)))
	b := story("urn:reopen:b", 1, at(5), "After reopening", "Stored after the store was reopened.", src("wire", "b", at(5)))
	first := openStore(t, open)
	upsert(t, first, a)
	if err := first.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	second := openStore(t, open) // migrations run again and must find nothing to do
	sameStories(t, all(t, second), []pipeline.Story{record.Normalize(a)})
	upsert(t, second, b, a)
	sameStories(t, all(t, second), []pipeline.Story{record.Normalize(b), record.Normalize(a)})
	sameURIs(t, list(t, second, store.Query{Text: "closed"}), "urn:reopen:a")
}
