package dedupe

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// labelledPair is one file of testdata/pairs: two texts and whether they are the same
// story (dup) or not (distinct), with the kind of difference between them.
type labelledPair struct {
	Name  string `yaml:"-"`
	Kind  string `yaml:"kind"`
	Label string `yaml:"label"`
	Note  string `yaml:"note"`
	A     string `yaml:"a"`
	B     string `yaml:"b"`
}

func loadPairs(t testing.TB) []labelledPair {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "pairs", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var pairs []labelledPair
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var p labelledPair
		if err := yaml.Unmarshal(raw, &p); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		p.Name = strings.TrimSuffix(filepath.Base(f), ".yaml")
		if p.Label != "dup" && p.Label != "distinct" || p.Kind == "" || p.A == "" || p.B == "" {
			t.Fatalf("%s: needs kind, label dup|distinct, a and b", f)
		}
		pairs = append(pairs, p)
	}
	return pairs
}

// confusion counts pair verdicts against labels.
type confusion struct{ tp, fp, fn, tn int }

func (c *confusion) add(dup, predicted bool) {
	switch {
	case dup && predicted:
		c.tp++
	case dup:
		c.fn++
	case predicted:
		c.fp++
	default:
		c.tn++
	}
}

// precision and recall are 1 when nothing was predicted or nothing was to be found.
func (c confusion) precision() float64 {
	if c.tp+c.fp == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fp)
}

func (c confusion) recall() float64 {
	if c.tp+c.fn == 0 {
		return 1
	}
	return float64(c.tp) / float64(c.tp+c.fn)
}

// achievedPrecision and achievedRecall are what NearThreshold reaches on the labelled
// pairs today; the test fails if a change to normalisation, shingling or signing
// makes either worse. The project's aim is P ≥ 0.95 and R ≥ 0.90.
const (
	achievedPrecision = 1.0
	achievedRecall    = 1.0
)

func TestNearLabelledPairs(t *testing.T) {
	pairs := loadPairs(t)
	if len(pairs) < 40 {
		t.Fatalf("%d labelled pairs, want at least 40", len(pairs))
	}
	sims, exact := make([]float64, len(pairs)), make([]float64, len(pairs))
	for i, p := range pairs {
		sims[i] = Similarity(Sign(p.A), Sign(p.B))
		exact[i] = exactJaccard(p.A, p.B)
	}

	// Per kind at NearThreshold.
	var total confusion
	byKind := map[string]*confusion{}
	lowest, highest := map[string]float64{}, map[string]float64{}
	exactLow, exactHigh := map[string]float64{}, map[string]float64{}
	for i, p := range pairs {
		c := byKind[p.Kind]
		if c == nil {
			c = &confusion{}
			byKind[p.Kind] = c
			lowest[p.Kind], highest[p.Kind] = 1, 0
			exactLow[p.Kind], exactHigh[p.Kind] = 1, 0
		}
		predicted := sims[i] >= NearThreshold
		c.add(p.Label == "dup", predicted)
		total.add(p.Label == "dup", predicted)
		lowest[p.Kind] = min(lowest[p.Kind], sims[i])
		highest[p.Kind] = max(highest[p.Kind], sims[i])
		exactLow[p.Kind] = min(exactLow[p.Kind], exact[i])
		exactHigh[p.Kind] = max(exactHigh[p.Kind], exact[i])
		if predicted != (p.Label == "dup") {
			t.Logf("wrong at threshold %.2f: %s (%s, %s) similarity %.3f", NearThreshold, p.Name, p.Kind, p.Label, sims[i])
		}
	}
	kinds := make([]string, 0, len(byKind))
	for k := range byKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	t.Logf("threshold %.2f over %d pairs", NearThreshold, len(pairs))
	t.Logf("%-13s %5s %4s %4s %4s %4s %13s %13s", "kind", "pairs", "tp", "fn", "fp", "tn", "similarity", "exact jaccard")
	for _, k := range kinds {
		c := byKind[k]
		t.Logf("%-13s %5d %4d %4d %4d %4d %6.3f-%6.3f %6.3f-%6.3f", k, c.tp+c.fn+c.fp+c.tn, c.tp, c.fn, c.fp, c.tn,
			lowest[k], highest[k], exactLow[k], exactHigh[k])
	}
	t.Logf("%-13s %5d %4d %4d %4d %4d  precision %.3f recall %.3f", "all", len(pairs), total.tp, total.fn, total.fp, total.tn, total.precision(), total.recall())

	// The sweep the threshold was chosen from.
	t.Logf("%-9s %9s %6s", "threshold", "precision", "recall")
	thresholds := []float64{NearThreshold}
	for i := range 26 {
		thresholds = append(thresholds, 0.10+0.02*float64(i))
	}
	slices.Sort(thresholds)
	for _, th := range thresholds {
		var c confusion
		for i, p := range pairs {
			c.add(p.Label == "dup", sims[i] >= th)
		}
		mark := ""
		if th == NearThreshold {
			mark = " <- NearThreshold"
		}
		t.Logf("%9.2f %9.3f %6.3f%s", th, c.precision(), c.recall(), mark)
	}

	if p := total.precision(); p < achievedPrecision {
		t.Errorf("precision %.3f at threshold %.2f, want at least %.3f", p, NearThreshold, achievedPrecision)
	}
	if r := total.recall(); r < achievedRecall {
		t.Errorf("recall %.3f at threshold %.2f, want at least %.3f", r, NearThreshold, achievedRecall)
	}
}

// exactJaccard is the Jaccard similarity of the two texts' shingle sets, which
// Similarity estimates.
func exactJaccard(a, b string) float64 {
	set := func(text string) map[uint64]bool {
		words := appendWordHashes(nil, []byte(nearText(text)))
		m := map[uint64]bool{}
		for _, h := range shingles(words, shingleSize, nil) {
			m[h] = true
		}
		return m
	}
	sa, sb := set(a), set(b)
	both := 0
	for h := range sa {
		if sb[h] {
			both++
		}
	}
	if len(sa)+len(sb) == 0 {
		return 0
	}
	return float64(both) / float64(len(sa)+len(sb)-both)
}

// TestNearIndexFindsLabelledCopies checks that the index's buckets do not lose what
// Similarity finds: with every "a" text indexed, each "b" text of a dup pair must find
// its own "a", and no "b" of a distinct pair may be matched to its "a".
func TestNearIndexFindsLabelledCopies(t *testing.T) {
	pairs := loadPairs(t)
	x := NewNearIndex()
	for _, p := range pairs {
		x.Add(p.Name, Sign(p.A))
	}
	for _, p := range pairs {
		id, sim, ok := x.Nearest(Sign(p.B), "")
		switch {
		case p.Label == "dup" && (!ok || Similarity(Sign(p.B), Sign(p.A)) > sim):
			t.Errorf("%s: nearest is %q (%.3f, found %v), want %q or a copy as similar", p.Name, id, sim, ok, p.Name)
		case p.Label == "distinct" && ok && id == p.Name:
			t.Errorf("%s: matched to its different story with similarity %.3f", p.Name, sim)
		}
	}
}
