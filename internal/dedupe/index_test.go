package dedupe

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

var indexNow = time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)

func newTestIndex(cfg Config) (*Index, *time.Time) {
	x := NewIndex(cfg)
	now := indexNow
	x.SetClock(func() time.Time { return now })
	return x, &now
}

const (
	harbourText = "The harbour town opened a floating library on Monday. A converted ferry will carry four thousand books between the islands every week, the mayor said, and children will borrow them for free."
	budgetText  = "The city council approved the budget for the new school year on Tuesday after a long debate about teacher salaries, bus routes and the cost of heating old buildings in winter."
)

func story(uri, fp, text string, version int, seen time.Time) Entry {
	return Entry{URI: uri, Version: version, Verdict: "new", Fingerprint: fp, Headline: "Headline of " + uri,
		VersionCreated: seen, PubStatus: "usable", Cluster: uri, Signature: Sign(text), Seen: seen,
		From: Position{Topic: "wire.raw", Partition: 1, Offset: int64(version)}}
}

func copyOf(uri, canonical, fp string, seen time.Time) Entry {
	return Entry{URI: uri, Fingerprint: fp, Headline: "Copy " + uri, VersionCreated: seen, PubStatus: "usable",
		Cluster: canonical, Relation: "duplicate", Seen: seen}
}

func mustPut(t *testing.T, x *Index, e Entry) []Record {
	t.Helper()
	rs, err := x.Put(e)
	if err != nil {
		t.Fatalf("Put(%s): %v", e.URI, err)
	}
	return rs
}

func keys(rs []Record) string {
	var ks []string
	for _, r := range rs {
		ks = append(ks, string(r.Key))
	}
	return strings.Join(ks, " ")
}

func TestIndexPut(t *testing.T) {
	tests := []struct {
		name     string
		before   []Entry
		put      Entry
		wantKeys string
		wantFP   string // owner of the put entry's fingerprint afterwards
		wantNear bool   // the put entry is found by its own signature
	}{
		{"a new story owns its fingerprint", nil, story("urn:a", "fpa", harbourText, 1, indexNow),
			"u:urn:a f:fpa", "urn:a", true},
		{"a copy writes only its own record", []Entry{story("urn:a", "fpa", harbourText, 1, indexNow)},
			copyOf("urn:p", "urn:a", "fpa", indexNow), "u:urn:p", "urn:a", false},
		{"a version whose text another story has leaves the fingerprint to it",
			[]Entry{story("urn:a", "fpa", harbourText, 1, indexNow), story("urn:b", "fpb", budgetText, 1, indexNow)},
			story("urn:b", "fpa", budgetText, 2, indexNow), "u:urn:b", "urn:a", true},
		{"a new version of the owner rewrites its fingerprint", []Entry{story("urn:a", "fpa", harbourText, 1, indexNow)},
			story("urn:a", "fpa", harbourText, 2, indexNow), "u:urn:a f:fpa", "urn:a", true},
		{"a kill without text has no fingerprint", nil,
			Entry{URI: "urn:k", Version: 3, Verdict: "kill", PubStatus: "canceled", Cluster: "urn:k", Seen: indexNow},
			"u:urn:k", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := newTestIndex(Config{})
			for _, e := range tt.before {
				mustPut(t, x, e)
			}
			rs := mustPut(t, x, tt.put)
			if got := keys(rs); got != tt.wantKeys {
				t.Errorf("record keys = %q, want %q", got, tt.wantKeys)
			}
			got, ok := x.Lookup(tt.put.URI)
			if !ok || got.Version != tt.put.Version || got.Cluster != tt.put.Cluster || got.Fingerprint != tt.put.Fingerprint {
				t.Errorf("Lookup = %+v, %v; want the entry put", got, ok)
			}
			if owner, _ := x.Canonical(tt.put.Fingerprint); owner != tt.wantFP {
				t.Errorf("Canonical(%q) = %q, want %q", tt.put.Fingerprint, owner, tt.wantFP)
			}
			uri, sim, ok := x.Nearest(tt.put.Signature, "")
			if found := ok && uri == tt.put.URI; found != tt.wantNear {
				t.Errorf("Nearest(own signature) = %q %.2f %v, want found=%v", uri, sim, ok, tt.wantNear)
			}
		})
	}
}

// TestIndexApplyRestores checks that a fresh index fed the records of another ends with the
// same table: what a worker restoring the topic, or tailing it, sees.
func TestIndexApplyRestores(t *testing.T) {
	src, _ := newTestIndex(Config{})
	var records []Record
	for _, e := range []Entry{
		story("urn:a", "fpa", harbourText, 1, indexNow),
		copyOf("urn:p", "urn:a", "fpa", indexNow.Add(time.Minute)),
		story("urn:b", "fpb", budgetText, 1, indexNow.Add(2*time.Minute)),
		story("urn:a", "fpa2", harbourText+" Updated.", 2, indexNow.Add(3*time.Minute)),
	} {
		records = append(records, mustPut(t, src, e)...)
	}
	dst, _ := newTestIndex(Config{})
	for _, r := range records {
		if err := dst.Apply(r); err != nil {
			t.Fatalf("Apply(%s): %v", r.Key, err)
		}
	}
	for _, uri := range []string{"urn:a", "urn:p", "urn:b"} {
		want, _ := src.Lookup(uri)
		got, ok := dst.Lookup(uri)
		if !ok || got.Version != want.Version || got.Cluster != want.Cluster || got.Fingerprint != want.Fingerprint ||
			got.Signature != want.Signature || !got.Seen.Equal(want.Seen) || got.From != want.From || got.Headline != want.Headline {
			t.Errorf("restored %s = %+v, want %+v", uri, got, want)
		}
	}
	for fp, want := range map[string]string{"fpa": "urn:a", "fpa2": "urn:a", "fpb": "urn:b"} {
		if got, _ := dst.Canonical(fp); got != want {
			t.Errorf("restored Canonical(%s) = %q, want %q", fp, got, want)
		}
	}
	if uri, _, ok := dst.Nearest(Sign(budgetText), ""); !ok || uri != "urn:b" {
		t.Errorf("restored near index: Nearest(budget) = %q %v, want urn:b", uri, ok)
	}
	if s, f := dst.Len(); s != 3 || f != 3 {
		t.Errorf("restored Len = %d stories %d fingerprints, want 3 and 3", s, f)
	}
}

func TestIndexApplyRules(t *testing.T) {
	rec := func(t *testing.T, e Entry) []Record {
		x, _ := newTestIndex(Config{})
		return mustPut(t, x, e)
	}
	tests := []struct {
		name  string
		apply func(t *testing.T, x *Index)
		check func(t *testing.T, x *Index)
	}{
		{"an older version does not replace a newer one", func(t *testing.T, x *Index) {
			mustPut(t, x, story("urn:a", "fp2", harbourText, 2, indexNow))
			if err := x.Apply(rec(t, story("urn:a", "fp1", harbourText, 1, indexNow))[0]); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, x *Index) {
			if e, _ := x.Lookup("urn:a"); e.Version != 2 {
				t.Errorf("version = %d, want 2 kept", e.Version)
			}
		}},
		{"a later fingerprint record wins", func(t *testing.T, x *Index) {
			mustPut(t, x, story("urn:a", "fp", harbourText, 1, indexNow))
			if err := x.Apply(rec(t, story("urn:b", "fp", harbourText, 1, indexNow))[1]); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, x *Index) {
			if uri, _ := x.Canonical("fp"); uri != "urn:b" {
				t.Errorf("Canonical = %q, want urn:b, the topic's last word", uri)
			}
		}},
		{"tombstones remove both kinds", func(t *testing.T, x *Index) {
			mustPut(t, x, story("urn:a", "fp", harbourText, 1, indexNow))
			for _, k := range []string{"u:urn:a", "f:fp"} {
				if err := x.Apply(Record{Key: []byte(k)}); err != nil {
					t.Fatal(err)
				}
			}
		}, func(t *testing.T, x *Index) {
			_, okU := x.Lookup("urn:a")
			_, okF := x.Canonical("fp")
			_, _, okN := x.Nearest(Sign(harbourText), "")
			if okU || okF || okN {
				t.Errorf("after tombstones: lookup %v canonical %v near %v, want all gone", okU, okF, okN)
			}
		}},
		{"records older than the window are ignored", func(t *testing.T, x *Index) {
			for _, r := range rec(t, story("urn:a", "fp", harbourText, 1, indexNow.Add(-DefaultWindow))) {
				if err := x.Apply(r); err != nil {
					t.Fatal(err)
				}
			}
		}, func(t *testing.T, x *Index) {
			if s, f := x.Len(); s != 0 || f != 0 {
				t.Errorf("Len = %d, %d, want nothing kept", s, f)
			}
		}},
		{"a copy turning into a story of its own", func(t *testing.T, x *Index) {
			mustPut(t, x, copyOf("urn:p", "urn:a", "fp", indexNow))
			if err := x.Apply(rec(t, story("urn:p", "fp9", budgetText, 1, indexNow))[0]); err != nil {
				t.Fatal(err)
			}
		}, func(t *testing.T, x *Index) {
			if e, _ := x.Lookup("urn:p"); !e.Canonical() {
				t.Errorf("entry %+v, want the story", e)
			}
			if uri, _, ok := x.Nearest(Sign(budgetText), ""); !ok || uri != "urn:p" {
				t.Errorf("Nearest = %q %v, want urn:p in the near index", uri, ok)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := newTestIndex(Config{})
			tt.apply(t, x)
			tt.check(t, x)
		})
	}
}

func TestIndexApplyBadRecords(t *testing.T) {
	tests := []struct {
		name string
		r    Record
	}{
		{"unknown key kind", Record{Key: []byte("x:1"), Value: []byte(`{}`)}},
		{"empty id", Record{Key: []byte("u:"), Value: []byte(`{}`)}},
		{"not json", Record{Key: []byte("u:a"), Value: []byte(`{not json`)}},
		{"unknown schema", Record{Key: []byte("u:a"), Value: []byte(`{"schema":"wirehose.dedupe/9","story":{"uri":"a"}}`)}},
		{"uri differs from key", Record{Key: []byte("u:a"), Value: []byte(`{"schema":"wirehose.dedupe/1","story":{"uri":"b","seen":"2025-03-03T10:00:00Z"}}`)}},
		{"fingerprint value under a story key", Record{Key: []byte("u:a"), Value: []byte(`{"schema":"wirehose.dedupe/1","fingerprint":{"uri":"a"}}`)}},
		{"fingerprint without uri", Record{Key: []byte("f:fp"), Value: []byte(`{"schema":"wirehose.dedupe/1","fingerprint":{"seen":"2025-03-03T10:00:00Z"}}`)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			x, _ := newTestIndex(Config{})
			if err := x.Apply(tt.r); !errors.Is(err, ErrBadRecord) {
				t.Errorf("Apply = %v, want ErrBadRecord", err)
			}
			if s, f := x.Len(); s != 0 || f != 0 {
				t.Errorf("Len = %d, %d after a bad record, want 0, 0", s, f)
			}
		})
	}
}

func TestIndexWindow(t *testing.T) {
	x, now := newTestIndex(Config{Window: time.Hour})
	mustPut(t, x, story("urn:a", "fpa", harbourText, 1, indexNow))
	*now = now.Add(59 * time.Minute)
	if _, ok := x.Lookup("urn:a"); !ok {
		t.Fatal("entry gone before the window ended")
	}
	*now = now.Add(time.Minute)
	if _, ok := x.Lookup("urn:a"); ok {
		t.Error("Lookup found an entry as old as the window")
	}
	if _, ok := x.Canonical("fpa"); ok {
		t.Error("Canonical found a fingerprint as old as the window")
	}
	x.Expire()
	if s, f := x.Len(); s != 0 || f != 0 {
		t.Errorf("Len after Expire = %d, %d, want 0, 0", s, f)
	}
	if _, _, ok := x.Nearest(Sign(harbourText), ""); ok {
		t.Error("the near index kept an expired story")
	}
}

func TestIndexMaxEntries(t *testing.T) {
	x, _ := newTestIndex(Config{MaxEntries: 3})
	for i := range 5 {
		mustPut(t, x, story(fmt.Sprintf("urn:%d", i), fmt.Sprintf("fp%d", i), fmt.Sprintf("%s %d", harbourText, i), 1, indexNow.Add(time.Duration(i)*time.Second)))
	}
	if s, f := x.Len(); s != 3 || f != 3 {
		t.Fatalf("Len = %d, %d, want 3, 3", s, f)
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := x.Lookup(fmt.Sprintf("urn:%d", i)); ok != want {
			t.Errorf("urn:%d kept = %v, want %v (the oldest go first)", i, ok, want)
		}
	}
}

func TestIndexConcurrent(t *testing.T) {
	x, _ := newTestIndex(Config{MaxEntries: 50})
	src, _ := newTestIndex(Config{})
	var records []Record
	for i := range 100 {
		records = append(records, mustPut(t, src, story(fmt.Sprintf("urn:t%d", i), fmt.Sprintf("ft%d", i), budgetText, 1, indexNow))...)
	}
	var wg sync.WaitGroup
	wg.Go(func() { // a tail
		for _, r := range records {
			if err := x.Apply(r); err != nil {
				t.Error(err)
			}
		}
	})
	for w := range 3 { // deciders
		wg.Go(func() {
			for i := range 100 {
				uri := fmt.Sprintf("urn:w%d-%d", w, i)
				x.Lookup(uri)
				x.Canonical(uri)
				x.Nearest(Sign(harbourText), uri)
				if _, err := x.Put(story(uri, "f"+uri, harbourText, 1, indexNow)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if s, f := x.Len(); s != 50 || f != 50 {
		t.Errorf("Len = %d, %d, want the bound 50, 50", s, f)
	}
}

// entryOfSize is a story entry with realistic field sizes: an agency uri, a 32-digit
// fingerprint, an 80-character headline and a short change summary.
func entryOfSize(i int) Entry {
	uri := fmt.Sprintf("urn:newsml:agency.example:20250303:%024d", i)
	e := story(uri, fmt.Sprintf("%032x", i), "", 2, indexNow)
	e.Headline = fmt.Sprintf("%-80s", fmt.Sprintf("Harbour town opens floating library %d", i))
	e.Change, e.Verdict = "headline changed; 1 paragraph added", "update"
	e.Signature = Sign(fmt.Sprintf("%s %d", harbourText, i))
	return e
}

// heapPerEntry measures the live heap the index holds per story (its entry, fingerprint and
// near-index share) over n stories.
func heapPerEntry(n int) float64 {
	entries := make([]Entry, n)
	for i := range entries {
		entries[i] = entryOfSize(i)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewIndex(Config{MaxEntries: n})
	x.SetClock(func() time.Time { return indexNow })
	for _, e := range entries {
		if _, err := x.Put(e); err != nil {
			panic(err)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(x)
	runtime.KeepAlive(entries)
	return float64(after.HeapAlloc-before.HeapAlloc) / float64(n)
}

func TestIndexMemoryPerEntry(t *testing.T) {
	if testing.Short() {
		t.Skip("measures the heap over 20,000 entries")
	}
	per := heapPerEntry(20000)
	t.Logf("index memory: %.0f bytes per story (entry, fingerprint, near index; field sizes of an agency story)", per)
	// The strings of an entry alone are about 250 bytes; above 4 KB something is leaking.
	if per < 250 || per > 4096 {
		t.Errorf("%.0f bytes per story, want between 250 and 4096", per)
	}
}

func BenchmarkIndexApply(b *testing.B) {
	src := NewIndex(Config{MaxEntries: b.N + 1})
	src.SetClock(func() time.Time { return indexNow })
	var records []Record
	for i := range b.N {
		rs, err := src.Put(entryOfSize(i))
		if err != nil {
			b.Fatal(err)
		}
		records = append(records, rs...)
	}
	x := NewIndex(Config{MaxEntries: b.N + 1})
	x.SetClock(func() time.Time { return indexNow })
	b.ResetTimer()
	for _, r := range records {
		if err := x.Apply(r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(records))/b.Elapsed().Seconds(), "records/s")
}
