package quote

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// devStory is the part of an evaluation story this package is measured on.
type devStory struct {
	ID   string `json:"id"`
	Item struct {
		Body string `json:"body"`
	} `json:"item"`
	Gold struct {
		Language      string      `json:"language"`
		People        []devEntity `json:"people"`
		Organisations []devEntity `json:"organisations"`
		Quotes        []devQuote  `json:"quotes"`
	} `json:"gold"`
}

type devEntity struct {
	Name string   `json:"name"`
	Aka  []string `json:"aka"`
}

type devQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
}

// normQuote folds what the comparison ignores: runs of spaces and the style of marks.
func normQuote(s string) string {
	r := strings.NewReplacer("“", "\"", "”", "\"", "„", "\"", "«", "\"", "»", "\"", "‘", "'", "’", "'", "\u00a0", " ", "\u202f", " ")
	return strings.Join(strings.Fields(r.Replace(s)), " ")
}

func prefix20(s string) string {
	if r := []rune(s); len(r) > 20 {
		return string(r[:20])
	}
	return s
}

// quotesMatch is the evaluation's rule: one text contains the other's first 20 characters.
func quotesMatch(pred, gold string) bool {
	p, g := normQuote(pred), normQuote(gold)
	return strings.Contains(p, prefix20(g)) || strings.Contains(g, prefix20(p))
}

// TestDevSet prints quote recall, precision and speaker accuracy on the development
// stories, with the gold people and organisations as the speakers.
func TestDevSet(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/eval/dev/*.json")
	if len(files) == 0 {
		t.Skip("no development stories in testdata/eval/dev")
	}
	// The stories numbered from 101 were written after the rules were; they are
	// reported apart, as the better guide to how attribution generalises.
	type tally struct{ gold, found, right, predicted, matchedPred int }
	var all, older, newer tally
	for _, f := range files {
		cur := &older
		if n := strings.SplitN(filepath.Base(f), "-", 3); len(n) == 3 && n[1] >= "101" {
			cur = &newer
		}
		var gold, found, right, predicted, matchedPred int
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s devStory
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var speakers []pipeline.Entity
		for _, e := range append(append([]devEntity{}, s.Gold.People...), s.Gold.Organisations...) {
			speakers = append(speakers, pipeline.Entity{Name: e.Name, Aliases: e.Aka})
		}
		got := Extract(s.Item.Body, s.Gold.Language, speakers)
		predicted += len(got)
		used := make([]bool, len(got))
		for _, g := range s.Gold.Quotes {
			gold++
			k := -1
			for i, p := range got {
				if !used[i] && quotesMatch(p.Text, g.Text) {
					k = i
					break
				}
			}
			if k < 0 {
				t.Logf("%s: missed %q (%s)", s.ID, g.Text, g.Speaker)
				continue
			}
			used[k] = true
			found++
			matchedPred++
			if strings.EqualFold(got[k].Speaker, g.Speaker) {
				right++
			} else {
				t.Logf("%s: %q speaker %q, want %q", s.ID, prefix20(g.Text), got[k].Speaker, g.Speaker)
			}
		}
		for i, p := range got {
			if !used[i] {
				t.Logf("%s: extra %q (%s)", s.ID, prefix20(p.Text), p.Speaker)
			}
		}
		for _, tl := range []*tally{cur, &all} {
			tl.gold += gold
			tl.found += found
			tl.right += right
			tl.predicted += predicted
			tl.matchedPred += matchedPred
		}
	}
	if all.gold == 0 {
		t.Skip("development stories hold no quotations")
	}
	for _, r := range []struct {
		name string
		tl   tally
	}{{"first stories", older}, {"stories 101+", newer}, {"all", all}} {
		tl := r.tl
		t.Logf("dev %s: %d gold quotes, recall %.3f, precision %.3f, speaker accuracy %.3f (%d/%d)", r.name, tl.gold,
			float64(tl.found)/float64(max(tl.gold, 1)), float64(tl.matchedPred)/float64(max(tl.predicted, 1)),
			float64(tl.right)/float64(max(tl.found, 1)), tl.right, tl.found)
	}
	if all.found > 0 && all.right == 0 {
		t.Errorf("no speaker right on %d matched quotations", all.found)
	}
}
