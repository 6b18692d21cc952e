package entity

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/gazetteer"
	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

type evalStory struct {
	ID   string `json:"id"`
	Item struct {
		Title    string `json:"title"`
		Body     string `json:"body"`
		Language string `json:"language"`
		Provider string `json:"provider"`
	} `json:"item"`
	Gold struct {
		Language string `json:"language"`
		Provider string `json:"provider"`
		Located  *struct {
			Name    string `json:"name"`
			Country string `json:"country"`
		} `json:"located"`
		People        []goldEntity `json:"people"`
		Organisations []goldEntity `json:"organisations"`
		Places        []goldPlace  `json:"places"`
	} `json:"gold"`
}

type goldEntity struct {
	Name string   `json:"name"`
	Aka  []string `json:"aka"`
}

type goldPlace struct {
	Name    string   `json:"name"`
	Country string   `json:"country"`
	Aka     []string `json:"aka"`
}

var (
	gazOnce sync.Once
	gazVal  *gazetteer.Gazetteer
	gazErr  error
)

func loadGazetteer(t testing.TB) *gazetteer.Gazetteer {
	gazOnce.Do(func() { gazVal, gazErr = gazetteer.Load() })
	if gazErr != nil {
		t.Fatalf("load gazetteer: %v", gazErr)
	}
	return gazVal
}

type prf struct{ tp, fp, fn int }

func (s prf) scores() (p, r, f float64) {
	if s.tp+s.fp > 0 {
		p = float64(s.tp) / float64(s.tp+s.fp)
	}
	if s.tp+s.fn > 0 {
		r = float64(s.tp) / float64(s.tp+s.fn)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func nameSet(names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		m[textkit.Fold(strings.TrimSpace(n))] = true
	}
	return m
}

func overlaps(a, b map[string]bool) bool {
	for k := range a {
		if b[k] {
			return true
		}
	}
	return false
}

// match counts one-to-one matches between predicted and gold name sets.
func match(pred, gold []map[string]bool, pc, gc []string) (s prf, missed, extra []int) {
	used := make([]bool, len(pred))
	for gi, g := range gold {
		found := false
		for pi, p := range pred {
			if used[pi] || pc != nil && pc[pi] != gc[gi] {
				continue
			}
			if overlaps(p, g) {
				used[pi], found = true, true
				break
			}
		}
		if found {
			s.tp++
		} else {
			s.fn++
			missed = append(missed, gi)
		}
	}
	for pi := range pred {
		if !used[pi] {
			s.fp++
			extra = append(extra, pi)
		}
	}
	return
}

func entitySets(es []pipeline.Entity) []map[string]bool {
	out := make([]map[string]bool, len(es))
	for i, e := range es {
		out[i] = nameSet(append([]string{e.Name}, e.Aliases...)...)
	}
	return out
}

// TestDevSet prints precision, recall and F1 on the dev stories. It asserts only a
// floor well under the goals, so that tuning shows in the numbers and a broken
// extractor fails.
func TestDevSet(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/eval/dev/*.json")
	if len(files) == 0 {
		t.Skip("no dev stories in testdata/eval/dev")
	}
	sort.Strings(files)
	if sub := os.Getenv("ENTITY_DEV_MATCH"); sub != "" {
		// ENTITY_DEV_MATCH="-1" keeps the 101+ stories, for example
		var keep []string
		for _, f := range files {
			if strings.Contains(filepath.Base(f), sub) {
				keep = append(keep, f)
			}
		}
		files = keep
	}
	x := New(loadGazetteer(t))
	var per, org, plc prf
	verbose := os.Getenv("ENTITY_DEV_VERBOSE") != ""
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s evalStory
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		in := Input{Headline: s.Item.Title, Body: s.Item.Body, Language: s.Gold.Language, Provider: s.Item.Provider}
		res := x.Extract(in)

		var gp, go_ []map[string]bool
		for _, g := range s.Gold.People {
			gp = append(gp, nameSet(append([]string{g.Name}, g.Aka...)...))
		}
		for _, g := range s.Gold.Organisations {
			go_ = append(go_, nameSet(append([]string{g.Name}, g.Aka...)...))
		}
		var gl, pl []map[string]bool
		var gc, pc []string
		for _, g := range s.Gold.Places {
			gl = append(gl, nameSet(append([]string{g.Name}, g.Aka...)...))
			gc = append(gc, g.Country)
		}
		for _, p := range res.Places {
			pl = append(pl, nameSet(append([]string{p.Name}, p.Aliases...)...))
			pc = append(pc, p.Country)
		}
		s1, m1, e1 := match(entitySets(res.People), gp, nil, nil)
		s2, m2, e2 := match(entitySets(res.Organisations), go_, nil, nil)
		s3, m3, e3 := match(pl, gl, pc, gc)
		add := func(a *prf, b prf) { a.tp += b.tp; a.fp += b.fp; a.fn += b.fn }
		add(&per, s1)
		add(&org, s2)
		add(&plc, s3)
		if verbose {
			var lines []string
			for _, i := range m1 {
				lines = append(lines, fmt.Sprintf("  person missed: %s %v", s.Gold.People[i].Name, s.Gold.People[i].Aka))
			}
			for _, i := range e1 {
				lines = append(lines, fmt.Sprintf("  person extra:  %s %v", res.People[i].Name, res.People[i].Aliases))
			}
			for _, i := range m2 {
				lines = append(lines, fmt.Sprintf("  org missed:    %s %v", s.Gold.Organisations[i].Name, s.Gold.Organisations[i].Aka))
			}
			for _, i := range e2 {
				lines = append(lines, fmt.Sprintf("  org extra:     %s %v", res.Organisations[i].Name, res.Organisations[i].Aliases))
			}
			for _, i := range m3 {
				lines = append(lines, fmt.Sprintf("  place missed:  %s %s %v", s.Gold.Places[i].Name, s.Gold.Places[i].Country, s.Gold.Places[i].Aka))
			}
			for _, i := range e3 {
				lines = append(lines, fmt.Sprintf("  place extra:   %s %s %v", res.Places[i].Name, res.Places[i].Country, res.Places[i].Aliases))
			}
			if len(lines) > 0 {
				t.Logf("%s\n%s", s.ID, strings.Join(lines, "\n"))
			}
		}
	}
	report := func(name string, s prf) float64 {
		p, r, f := s.scores()
		t.Logf("%-14s P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d)", name, p, r, f, s.tp, s.fp, s.fn)
		return f
	}
	t.Logf("dev stories: %d", len(files))
	fp := report("people", per)
	fo := report("organisations", org)
	fl := report("places", plc)
	if fp < 0.5 || fo < 0.4 || fl < 0.5 {
		t.Errorf("dev F1 fell below the floor: people %.2f, organisations %.2f, places %.2f", fp, fo, fl)
	}
}
