package entity

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/gazetteer"
	"github.com/wirehose/wirehose/internal/evaluate"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var loadGazetteer = func() func(t testing.TB) *gazetteer.Gazetteer {
	load := sync.OnceValues(gazetteer.Load)
	return func(t testing.TB) *gazetteer.Gazetteer {
		g, err := load()
		if err != nil {
			t.Fatalf("load gazetteer: %v", err)
		}
		return g
	}
}()

// extractor enriches an evaluation item with the extractor alone, so that the
// evaluation's scoring measures entities without the rest of the chain.
type extractor struct {
	x    *Extractor
	lang map[string]string // item GUID → gold language
}

func (e extractor) EnrichItem(_ context.Context, it pipeline.RawItem) (pipeline.Story, error) {
	r := e.x.Extract(Input{Headline: it.Title, Body: it.Body, Language: e.lang[it.GUID], Provider: it.Provider})
	return pipeline.Story{People: r.People, Organisations: r.Organisations, Places: r.Places}, nil
}

// TestDevSet prints precision, recall and F1 on the dev stories, scored as `wirehose
// eval` scores them. It asserts only a floor well under the goals, so that tuning shows
// in the numbers and a broken extractor fails. ENTITY_DEV_MATCH keeps the stories whose
// id contains it ("-1" for the 101+ batch); ENTITY_DEV_VERBOSE lists every miss.
func TestDevSet(t *testing.T) {
	cases, err := evaluate.Load("../../../testdata/eval/dev")
	if err != nil {
		t.Fatal(err)
	}
	if sub := os.Getenv("ENTITY_DEV_MATCH"); sub != "" {
		var keep []evaluate.Case
		for _, c := range cases {
			if strings.Contains(c.ID, sub) {
				keep = append(keep, c)
			}
		}
		cases = keep
	}
	e := extractor{x: New(loadGazetteer(t)), lang: map[string]string{}}
	for _, c := range cases {
		e.lang[c.ID] = c.Gold.Language
	}
	r, err := evaluate.Run(context.Background(), e, cases)
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("ENTITY_DEV_VERBOSE") != "" {
		for _, line := range r.Errors {
			if strings.Contains(line, "person") || strings.Contains(line, "organisation") || strings.Contains(line, "place") {
				t.Log(line)
			}
		}
	}
	t.Logf("dev stories: %d", len(cases))
	for _, row := range []struct {
		name string
		c    evaluate.Count
	}{{"people", r.People}, {"organisations", r.Organisations}, {"places", r.Places}} {
		t.Logf("%-14s P=%.3f R=%.3f F1=%.3f (tp=%d fp=%d fn=%d)", row.name, row.c.Precision(), row.c.Recall(), row.c.F1(),
			row.c.TP, row.c.FP, row.c.FN)
	}
	if fp, fo, fl := r.People.F1(), r.Organisations.F1(), r.Places.F1(); fp < 0.5 || fo < 0.4 || fl < 0.5 {
		t.Errorf("dev F1 fell below the floor: people %.2f, organisations %.2f, places %.2f", fp, fo, fl)
	}
}
