package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func attach(t *testing.T, s store.Store, apps ...pipeline.Appearance) {
	t.Helper()
	if err := s.Attach(ctxFor(t), apps...); err != nil {
		t.Fatalf("attach: %v", err)
	}
}

func get(t *testing.T, s store.Store, uri string) pipeline.Story {
	t.Helper()
	got, err := s.Get(ctxFor(t), uri)
	if err != nil {
		t.Fatalf("get %s: %v", uri, err)
	}
	return got
}

// fingerprinted sets a story's fingerprint, verdict and change.
func fingerprinted(s pipeline.Story, fp, verdict, change string) pipeline.Story {
	s.Dedupe = &pipeline.Dedupe{Fingerprint: fp}
	s.Verdict = verdict
	s.Change = change
	return s
}

func appearance(uri, feed, guid string, seen time.Time, relation string, sim float64, fp string) pipeline.Appearance {
	a := pipeline.Appearance{URI: uri, Source: src(feed, guid, seen), Fingerprint: fp}
	a.Source.Relation, a.Source.Similarity = relation, sim
	return a
}

// sourcesOf describes appearances as feed/guid:relation[:similarity], in stored order.
func sourcesOf(s pipeline.Story) []string {
	out := make([]string, len(s.Sources))
	for i, src := range s.Sources {
		out[i] = src.Feed + "/" + src.GUID + ":" + src.Relation
		if src.Similarity != 0 {
			out[i] += fmt.Sprintf(":%.2f", src.Similarity)
		}
	}
	return out
}

func sameList(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

func historyOf(s pipeline.Story) []string {
	out := make([]string, len(s.History))
	for i, v := range s.History {
		out[i] = fmt.Sprintf("%d %s %s %q %q", v.Version, v.Verdict, v.VersionCreated.Format(time.RFC3339), v.Headline, v.Change)
	}
	return out
}

func testHistory(t *testing.T, open func(t *testing.T) store.Store) {
	const uri = "urn:example:bridge"
	v1 := fingerprinted(story(uri, 1, at(0), "Bridge closed after crash", "The bridge was closed after a crash.", src("wire", "b1", at(1))),
		"fp-bridge-1", pipeline.VerdictNew, "")
	v2 := fingerprinted(story(uri, 2, at(30), "CORRECTION: Bridge closed after lorry crash", "The bridge was closed after a lorry crash.", src("wire", "b1-c", at(31))),
		"fp-bridge-2", pipeline.VerdictCorrection, "headline changed; 1 paragraph changed")
	v2.FirstCreated = time.Time{}
	// A kill as the enrich stage sends it; the store marks the story canceled even if
	// the version says nothing about its status.
	v3 := fingerprinted(story(uri, 3, at(60), "KILL: Bridge closed after lorry crash", "This story has been withdrawn.", src("wire", "b1-k", at(61))),
		"fp-bridge-3", pipeline.VerdictKill, "killed")
	v3.PubStatus = ""
	other := story("urn:example:other", 1, at(10), "Ferry timetable changes", "New timetable from Monday.")

	s := openStore(t, open)
	upsert(t, s, v1, other)
	upsert(t, s, v2)
	upsert(t, s, v3)
	upsert(t, s, v3) // a redelivered kill changes nothing

	listed := all(t, s)
	sameURIs(t, listed, uri, "urn:example:other")
	want := v3
	want.FirstCreated = at(0)
	want.Sources = append(append(v1.Sources, v2.Sources...), v3.Sources...)
	want = record.Normalize(want)
	want.Versions = 3
	if len(listed) == 2 {
		sameStories(t, listed[:1], []pipeline.Story{want})
		if listed[0].PubStatus != pipeline.PubStatusCanceled {
			t.Errorf("killed story pubstatus = %q, want canceled", listed[0].PubStatus)
		}
	}

	got := get(t, s, uri)
	sameList(t, "history", historyOf(got),
		`1 new 2025-03-14T09:30:00Z "Bridge closed after crash" ""`,
		`2 correction 2025-03-14T10:00:00Z "CORRECTION: Bridge closed after lorry crash" "headline changed; 1 paragraph changed"`,
		`3 kill 2025-03-14T10:30:00Z "KILL: Bridge closed after lorry crash" "killed"`,
	)
	got.History = nil
	sameStories(t, []pipeline.Story{got}, []pipeline.Story{want})
}

func testOutOfOrder(t *testing.T, open func(t *testing.T) store.Store) {
	const uri = "urn:example:vote"
	v := func(n int, verdict string) pipeline.Story {
		return fingerprinted(story(uri, n, at(10*n), fmt.Sprintf("Vote count, take %d", n), fmt.Sprintf("Count at take %d.", n),
			src("wire", fmt.Sprintf("vote-%d", n), at(10*n))), fmt.Sprintf("fp-vote-%d", n), verdict, "")
	}
	v1, v2, v3 := v(1, pipeline.VerdictNew), v(2, pipeline.VerdictUpdate), v(3, pipeline.VerdictUpdate)

	s := openStore(t, open)
	upsert(t, s, v3)
	upsert(t, s, v1)
	upsert(t, s, v2, v1) // late and redelivered: kept for history, never the latest
	got := get(t, s, uri)
	if got.Version != 3 || got.Headline() != v3.Headline() || got.Versions != 3 {
		t.Errorf("story = v%d %q with %d versions, want v3 %q with 3", got.Version, got.Headline(), got.Versions, v3.Headline())
	}
	sameList(t, "history", historyOf(got),
		`1 new 2025-03-14T09:40:00Z "Vote count, take 1" ""`,
		`2 update 2025-03-14T09:50:00Z "Vote count, take 2" ""`,
		`3 update 2025-03-14T10:00:00Z "Vote count, take 3" ""`,
	)
	sameURIs(t, list(t, s, store.Query{Text: "take"}), uri)
	if l := all(t, s); len(l) != 1 || l[0].Versions != 3 {
		t.Errorf("list = %d stories, want 1 with 3 versions", len(l))
	}
}

func testAppearances(t *testing.T, open func(t *testing.T) store.Store) {
	const uri = "urn:example:harbour"
	a := fingerprinted(story(uri, 1, at(0), "Harbour reopens", "The harbour reopened.", src("wire", "h1", at(1))), "fp-h", pipeline.VerdictNew, "")
	exact := appearance(uri, "partner", "p1", at(5), pipeline.RelationDuplicate, 0, "fp-h")
	near := appearance(uri, "blog", "b1", at(7), pipeline.RelationNearDuplicate, 0.87, "fp-h-near")
	noRelation := appearance(uri, "radio", "r1", at(9), "", 0, "")
	// A copy under the story's own source key: the story's own sighting stays.
	ownKey := appearance(uri, "wire", "h1", at(2), pipeline.RelationDuplicate, 0, "")

	t.Run("exact and near copies, redelivered", func(t *testing.T) {
		s := openStore(t, open)
		upsert(t, s, a)
		attach(t, s, exact, near)
		attach(t, s, near, exact, noRelation, ownKey)
		got := get(t, s, uri)
		sameList(t, "sources", sourcesOf(got),
			"wire/h1:original", "partner/p1:duplicate", "blog/b1:near_duplicate:0.87", "radio/r1:duplicate")
		if got.Dedupe == nil || got.Dedupe.Fingerprint != "fp-h" || got.Dedupe.Cluster != uri {
			t.Errorf("dedupe = %+v, want fingerprint fp-h, cluster %s", got.Dedupe, uri)
		}
		if got.Versions != 1 {
			t.Errorf("versions = %d, want 1: appearances are not versions", got.Versions)
		}
		if l := all(t, s); len(l) != 1 || fmt.Sprint(sourcesOf(l[0])) != fmt.Sprint(sourcesOf(got)) {
			t.Errorf("list disagrees with get: %v", l)
		}
	})
	t.Run("appearance before its story", func(t *testing.T) {
		s := openStore(t, open)
		attach(t, s, near)
		if got := all(t, s); len(got) != 0 {
			t.Fatalf("list = %v before the story arrived, want nothing", uris(got))
		}
		if _, err := s.Get(ctxFor(t), uri); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("get before the story arrived = %v, want ErrNotFound", err)
		}
		upsert(t, s, a)
		sameList(t, "sources", sourcesOf(get(t, s, uri)), "wire/h1:original", "blog/b1:near_duplicate:0.87")
	})
	t.Run("story and appearance in one write", func(t *testing.T) {
		s := openStore(t, open)
		if err := s.Write(ctxFor(t), []pipeline.Story{a}, []pipeline.Appearance{exact}); err != nil {
			t.Fatalf("write: %v", err)
		}
		sameList(t, "sources", sourcesOf(get(t, s, uri)), "wire/h1:original", "partner/p1:duplicate")
	})
	t.Run("empty attach is a no-op", func(t *testing.T) {
		s := openStore(t, open)
		if err := s.Attach(ctxFor(t)); err != nil {
			t.Fatalf("attach of nothing: %v", err)
		}
		if err := s.Write(ctxFor(t), nil, nil); err != nil {
			t.Fatalf("write of nothing: %v", err)
		}
	})
}

func testInvalidAppearance(t *testing.T, open func(t *testing.T) store.Store) {
	good := story("urn:good", 1, at(0), "Fine", "Fine.")
	ok := appearance("urn:good", "partner", "p", at(1), pipeline.RelationDuplicate, 0, "")
	tests := []struct {
		name string
		bad  pipeline.Appearance
	}{
		{"empty uri", appearance("", "partner", "p", at(1), pipeline.RelationDuplicate, 0, "")},
		{"empty feed", appearance("urn:good", "", "p", at(1), pipeline.RelationDuplicate, 0, "")},
		{"unknown relation", appearance("urn:good", "partner", "q", at(1), "cousin", 0, "")},
		{"similarity above 1", appearance("urn:good", "partner", "q", at(1), pipeline.RelationNearDuplicate, 1.5, "")},
		{"similarity NaN", appearance("urn:good", "partner", "q", at(1), pipeline.RelationNearDuplicate, math.NaN(), "")},
		{"NUL in a guid", appearance("urn:good", "partner", "q\x00", at(1), pipeline.RelationDuplicate, 0, "")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openStore(t, open)
			err := s.Write(ctxFor(t), []pipeline.Story{good}, []pipeline.Appearance{ok, tt.bad})
			if !errors.Is(err, store.ErrInvalidAppearance) {
				t.Fatalf("write = %v, want ErrInvalidAppearance", err)
			}
			if got := all(t, s); len(got) != 0 {
				t.Errorf("store holds %v after a rejected batch, want nothing", uris(got))
			}
		})
	}
}

// Two enrich workers decide "new" for two copies of one text at the same instant: the
// sink stores the first and turns the second into an appearance of it.
func testLateDuplicate(t *testing.T, open func(t *testing.T) store.Store) {
	first := fingerprinted(story("urn:agency:fire", 1, at(0), "Warehouse fire in the port", "A warehouse burned overnight.",
		src("agency", "fire-1", at(1))), "fp-fire", pipeline.VerdictNew, "")
	copyOf := fingerprinted(story("urn:partner:fire", 1, at(2), "Port warehouse fire", "A warehouse burned overnight.",
		src("partner", "pf-9", at(3))), "fp-fire", pipeline.VerdictNew, "")

	t.Run("in two batches", func(t *testing.T) {
		s := openStore(t, open)
		// A copy of the partner's story, decided against the partner uri, arrives first.
		attach(t, s, appearance(copyOf.URI, "aggregator", "ag-1", at(4), pipeline.RelationNearDuplicate, 0.91, ""))
		upsert(t, s, first)
		upsert(t, s, copyOf)
		upsert(t, s, copyOf) // redelivered
		// Later decisions may still name the partner's uri.
		attach(t, s, appearance(copyOf.URI, "radio", "rf-2", at(6), pipeline.RelationDuplicate, 0, ""))
		got := all(t, s)
		sameURIs(t, got, first.URI)
		if len(got) == 1 {
			sameList(t, "sources", sourcesOf(got[0]),
				"agency/fire-1:original", "partner/pf-9:duplicate", "aggregator/ag-1:near_duplicate:0.91", "radio/rf-2:duplicate")
			if got[0].Versions != 1 || got[0].Headline() != first.Headline() {
				t.Errorf("story = %q with %d versions, want the first story's, 1 version", got[0].Headline(), got[0].Versions)
			}
		}
		if g := get(t, s, copyOf.URI); g.URI != first.URI {
			t.Errorf("get of the redirected uri = %s, want %s", g.URI, first.URI)
		}
	})
	t.Run("in one batch", func(t *testing.T) {
		s := openStore(t, open)
		upsert(t, s, copyOf, first) // stored in uri order: the agency's uri sorts first
		got := all(t, s)
		sameURIs(t, got, first.URI)
		if len(got) == 1 {
			sameList(t, "sources", sourcesOf(got[0]), "agency/fire-1:original", "partner/pf-9:duplicate")
		}
	})
	t.Run("a later version's fingerprint counts too", func(t *testing.T) {
		s := openStore(t, open)
		v2 := fingerprinted(story(first.URI, 2, at(20), "Warehouse fire in the port under control", "Firefighters contained the fire.",
			src("agency", "fire-2", at(21))), "fp-fire-2", pipeline.VerdictUpdate, "headline changed")
		late := fingerprinted(story("urn:other:fire", 1, at(22), "Fire under control", "Firefighters contained the fire.",
			src("other", "o1", at(23))), "fp-fire-2", pipeline.VerdictNew, "")
		upsert(t, s, first, v2)
		upsert(t, s, late)
		got := all(t, s)
		sameURIs(t, got, first.URI)
		if len(got) == 1 {
			sameList(t, "sources", sourcesOf(got[0]), "agency/fire-1:original", "agency/fire-2:original", "other/o1:duplicate")
		}
	})
	t.Run("a stored story's new version is never redirected", func(t *testing.T) {
		s := openStore(t, open)
		other := fingerprinted(story("urn:other:story", 1, at(5), "Other story", "Other text.", src("other", "x1", at(5))),
			"fp-other", pipeline.VerdictNew, "")
		otherV2 := fingerprinted(story(other.URI, 2, at(25), "Other story, now the same text", "A warehouse burned overnight.",
			src("other", "x2", at(25))), "fp-fire", pipeline.VerdictUpdate, "")
		upsert(t, s, first, other)
		upsert(t, s, otherV2)
		sameURIs(t, all(t, s), other.URI, first.URI)
		if g := get(t, s, other.URI); g.Version != 2 || g.Versions != 2 {
			t.Errorf("other story = v%d with %d versions, want v2 with 2", g.Version, g.Versions)
		}
	})
}

// Sinks writing copies of one text under different uris at the same time end with one
// story; the others are its exact-duplicate appearances.
func testConcurrentCopies(t *testing.T, open func(t *testing.T) store.Store) {
	const writers = 6
	s := openStore(t, open)
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	start := make(chan struct{})
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := fingerprinted(story(fmt.Sprintf("urn:copy:%d", w), 1, at(w), "Same text", "Same text everywhere.",
				src(fmt.Sprintf("feed-%d", w), "g", at(w))), "fp-same", pipeline.VerdictNew, "")
			<-start
			if err := s.Upsert(context.Background(), c); err != nil {
				errs <- fmt.Errorf("writer %d: %w", w, err)
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	got := all(t, s)
	if len(got) != 1 {
		t.Fatalf("store holds %v, want one story", uris(got))
	}
	originals, duplicates := 0, 0
	for _, src := range got[0].Sources {
		switch src.Relation {
		case pipeline.RelationOriginal:
			originals++
		case pipeline.RelationDuplicate:
			duplicates++
		}
	}
	if originals != 1 || duplicates != writers-1 {
		t.Errorf("sources = %q, want 1 original and %d duplicates", sourcesOf(got[0]), writers-1)
	}
}

func testUsable(t *testing.T, open func(t *testing.T) store.Store) {
	usable := story("urn:u:usable", 1, at(0), "Usable", "Usable.")
	empty := story("urn:u:empty", 1, at(1), "No status", "No status.")
	empty.PubStatus = ""
	withheld := story("urn:u:withheld", 1, at(2), "Withheld", "Withheld.")
	withheld.PubStatus = pipeline.PubStatusWithheld
	killed := fingerprinted(story("urn:u:killed", 2, at(3), "Killed", "Killed."), "", pipeline.VerdictKill, "")
	s := openStore(t, open)
	upsert(t, s, usable, empty, withheld, killed)
	sameURIs(t, all(t, s), "urn:u:killed", "urn:u:withheld", "urn:u:empty", "urn:u:usable")
	sameURIs(t, list(t, s, store.Query{Usable: true}), "urn:u:empty", "urn:u:usable")
	sameURIs(t, list(t, s, store.Query{Usable: true, Text: "killed"}))
}

func testGet(t *testing.T, open func(t *testing.T) store.Store) {
	s := openStore(t, open)
	a := fingerprinted(story("urn:get:a", 1, at(0), "Get me", "Body.", src("wire", "g", at(0))), "fp-get", pipeline.VerdictNew, "")
	upsert(t, s, a)
	if _, err := s.Get(ctxFor(t), "urn:get:missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("get of an unknown uri = %v, want ErrNotFound", err)
	}
	got := get(t, s, a.URI)
	sameList(t, "history", historyOf(got), `1 new 2025-03-14T09:30:00Z "Get me" ""`)
	got.History = nil
	sameStories(t, []pipeline.Story{got}, []pipeline.Story{record.Normalize(a)})
}
