package quote

import (
	"context"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/internal/evaluate"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// goldSpeakers extracts quotations with a case's gold people and organisations as the
// speakers, so that the evaluation's scoring measures attribution alone.
type goldSpeakers map[string]evaluate.Case // by item GUID

func (g goldSpeakers) EnrichItem(_ context.Context, it pipeline.RawItem) (pipeline.Story, error) {
	c := g[it.GUID]
	var speakers []pipeline.Entity
	for _, e := range append(append([]evaluate.GoldEntity{}, c.Gold.People...), c.Gold.Organisations...) {
		speakers = append(speakers, pipeline.Entity{Name: e.Name, Aliases: e.AKA})
	}
	return pipeline.Story{Quotes: Extract(it.Body, c.Gold.Language, speakers)}, nil
}

// TestDevSet prints quote recall and speaker accuracy on the development stories, with
// the gold people and organisations as the speakers, scored as `wirehose eval` scores
// them. The stories numbered from 101 were written after the first rules were; they are
// reported apart, as the better guide to how attribution generalises.
func TestDevSet(t *testing.T) {
	cases, err := evaluate.Load("../../../testdata/eval/dev")
	if err != nil {
		t.Fatal(err)
	}
	byID := goldSpeakers{}
	var first, later []evaluate.Case
	for _, c := range cases {
		byID[c.ID] = c
		if n := strings.SplitN(c.ID, "-", 3); len(n) == 3 && n[1] >= "101" {
			later = append(later, c)
		} else {
			first = append(first, c)
		}
	}
	for _, set := range []struct {
		name  string
		cases []evaluate.Case
	}{{"first stories", first}, {"stories 101+", later}, {"all", cases}} {
		r, err := evaluate.Run(context.Background(), byID, set.cases)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("dev %s: %d gold quotes, found %.3f, speaker right %.3f (%d/%d)", set.name, r.QuotesFound.Total,
			r.QuotesFound.Value(), r.Speakers.Value(), r.Speakers.Right, r.Speakers.Total)
		if set.name != "all" {
			continue
		}
		for _, line := range r.Errors {
			if strings.Contains(line, "quote") {
				t.Log(line)
			}
		}
		if r.Speakers.Total == 0 || r.Speakers.Value() < 0.5 {
			t.Errorf("speaker accuracy %.3f on %d gold quotations, want at least 0.5", r.Speakers.Value(), r.Speakers.Total)
		}
	}
}
