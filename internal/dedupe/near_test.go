package dedupe

import (
	"fmt"
	"strings"
	"sync"
	"testing"
)

// nearStory makes a distinct text of about 200 words for story n; rewrite replaces
// the first `rewrite` words so that copies differ by a known amount.
func nearStory(n, rewrite int) string {
	var b strings.Builder
	for i := range 200 {
		if i < rewrite {
			fmt.Fprintf(&b, "changed%d ", i)
			continue
		}
		fmt.Fprintf(&b, "s%dw%d ", n, i)
	}
	return b.String()
}

func TestNearIndexNearest(t *testing.T) {
	x := NewNearIndex()
	for n := range 50 {
		x.Add(fmt.Sprintf("story-%d", n), Sign(nearStory(n, 0)))
	}
	tests := []struct {
		name    string
		query   string
		exclude string
		wantID  string
		wantOK  bool
	}{
		{"exact copy", nearStory(7, 0), "", "story-7", true},
		{"light rewrite", nearStory(7, 30), "", "story-7", true},
		{"heavy rewrite below the threshold", nearStory(7, 170), "", "", false},
		{"excluded id is skipped", nearStory(7, 0), "story-7", "", false},
		{"new story", nearStory(99, 0), "", "", false},
		{"empty text", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id, sim, ok := x.Nearest(Sign(tt.query), tt.exclude)
			if id != tt.wantID || ok != tt.wantOK {
				t.Fatalf("Nearest = %q, %.3f, %v; want %q, %v", id, sim, ok, tt.wantID, tt.wantOK)
			}
			if ok && sim < NearThreshold {
				t.Errorf("similarity %.3f below NearThreshold", sim)
			}
		})
	}
}

func TestNearIndexPrefersMostSimilarThenSmallestID(t *testing.T) {
	x := NewNearIndex()
	x.Add("far", Sign(nearStory(1, 60)))
	x.Add("near", Sign(nearStory(1, 10)))
	if id, _, _ := x.Nearest(Sign(nearStory(1, 0)), ""); id != "near" {
		t.Errorf("Nearest = %q, want the more similar %q", id, "near")
	}
	for _, id := range []string{"copy-c", "copy-a", "copy-b"} {
		x.Add(id, Sign(nearStory(2, 0)))
	}
	if id, sim, _ := x.Nearest(Sign(nearStory(2, 0)), ""); id != "copy-a" || sim != 1 {
		t.Errorf("Nearest among equal copies = %q (%.3f), want copy-a", id, sim)
	}
}

func TestNearIndexAddRemove(t *testing.T) {
	x := NewNearIndex()
	// Copies share every bucket, so removing one unlinks it from the middle of chains.
	for _, id := range []string{"a", "b", "c", "d"} {
		x.Add(id, Sign(nearStory(1, 0)))
	}
	x.Add("empty", Signature{})
	if x.Len() != 5 {
		t.Fatalf("Len = %d, want 5", x.Len())
	}
	x.Remove("b")
	x.Remove("a")
	x.Remove("missing")
	if x.Len() != 3 {
		t.Fatalf("Len after removals = %d, want 3", x.Len())
	}
	if id, _, _ := x.Nearest(Sign(nearStory(1, 0)), ""); id != "c" {
		t.Errorf("Nearest after removals = %q, want c", id)
	}
	if _, _, ok := x.Nearest(Sign(nearStory(1, 0)), "c"); !ok {
		t.Error("d is no longer found once c is excluded")
	}

	// Re-adding an id replaces its signature; freed slots are reused.
	x.Add("c", Sign(nearStory(2, 0)))
	x.Add("e", Sign(nearStory(3, 0)))
	if id, _, _ := x.Nearest(Sign(nearStory(2, 0)), ""); id != "c" {
		t.Errorf("Nearest to the new text of c = %q", id)
	}
	if id, _, _ := x.Nearest(Sign(nearStory(1, 0)), ""); id != "d" {
		t.Errorf("Nearest to the old text of c = %q, want d", id)
	}
	for _, id := range []string{"c", "d", "e", "empty"} {
		x.Remove(id)
	}
	if x.Len() != 0 {
		t.Errorf("Len = %d after removing everything", x.Len())
	}
	for b, m := range x.heads {
		if len(m) != 0 {
			t.Errorf("band %d keeps %d buckets after removing everything", b, len(m))
		}
	}
}

// TestNearIndexConcurrent runs adds, removes and lookups at once; -race checks the
// locking, and every lookup of an id that is never removed must find it.
func TestNearIndexConcurrent(t *testing.T) {
	x := NewNearIndex()
	stable := Sign(nearStory(99999, 0))
	x.Add("stable", stable)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 100 {
				id := fmt.Sprintf("w%d-%d", w, i)
				x.Add(id, Sign(nearStory(w*1000+i, 0)))
				if i%2 == 0 {
					x.Remove(id)
				}
			}
		})
	}
	errs := make(chan string, 200)
	for range 2 {
		wg.Go(func() {
			for range 100 {
				if id, _, ok := x.Nearest(stable, ""); !ok || id != "stable" {
					errs <- fmt.Sprintf("Nearest = %q, %v", id, ok)
				}
				_ = x.Len()
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if got := x.Len(); got != 1+4*50 {
		t.Errorf("Len = %d, want %d", got, 1+4*50)
	}
}
