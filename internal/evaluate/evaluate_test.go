package evaluate

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// canned answers a fixed story for every item, standing in for the chain.
type canned pipeline.Story

func (c canned) EnrichItem(context.Context, pipeline.RawItem) (pipeline.Story, error) {
	return pipeline.Story(c), nil
}

func TestScoring(t *testing.T) {
	c := Case{ID: "en-001"}
	c.Gold = Gold{
		Language: "en", Provider: "AFP", By: "Jane Doe", Topic: "medtop:11000000",
		Located:       &GoldPlace{Name: "Kyiv", Country: "UA", AKA: []string{"Kiev"}},
		People:        []GoldEntity{{Name: "Olaf Scholz"}, {Name: "Émilie Durand"}, {Name: "Xi Jinping"}},
		Organisations: []GoldEntity{{Name: "North Atlantic Treaty Organization", AKA: []string{"NATO"}}},
		Places:        []GoldPlace{{Name: "Kyiv", Country: "UA"}, {Name: "Paris", Country: "FR"}},
		Quotes: []GoldQuote{
			{Text: "We will not give an inch on this", Speaker: "Olaf Scholz"},
			{Text: "Nothing has been decided yet in Brussels", Speaker: "North Atlantic Treaty Organization"},
			{Text: "This quote is never found by anyone", Speaker: "Xi Jinping"},
		},
	}
	pred := pipeline.Story{
		Language: "en", Provider: "afp", By: "Jane Doe",
		Subjects: []pipeline.Subject{{Code: "medtop:16000000"}, {Code: "medtop:11000000", Confidence: 0.8}},
		Location: &pipeline.Place{Name: "Kiev", Country: "UA"},
		People: []pipeline.Entity{
			{Name: "Olaf Scholz", Aliases: []string{"Scholz"}},
			{Name: "Emilie Durand"}, // diacritics folded
			{Name: "Mr Li"},         // spurious
		},
		Organisations: []pipeline.Entity{{Name: "NATO"}},
		Places: []pipeline.Place{
			{Name: "Kyiv", Country: "UA"},
			{Name: "Paris", Country: "US"}, // wrong country: a miss and a spurious place
		},
		Quotes: []pipeline.Quote{
			{Text: "We will not give an inch on this issue, ever", Speaker: "Scholz"},
			{Text: "Nothing has been decided yet in Brussels", Speaker: "NATO"},
		},
	}
	r, err := Run(context.Background(), canned(pred), []Case{c})
	if err != nil {
		t.Fatal(err)
	}
	if r.People != (Count{TP: 2, FP: 1, FN: 1}) {
		t.Errorf("people = %+v", r.People)
	}
	if r.Organisations != (Count{TP: 1}) {
		t.Errorf("organisations = %+v", r.Organisations)
	}
	if r.Places != (Count{TP: 1, FP: 1, FN: 1}) {
		t.Errorf("places = %+v", r.Places)
	}
	// "Scholz" is not a gold name of Olaf Scholz: the speaker must be resolved.
	if r.QuotesFound != (Accuracy{2, 3}) || r.Speakers != (Accuracy{1, 3}) {
		t.Errorf("quotes found %+v, speakers %+v", r.QuotesFound, r.Speakers)
	}
	for name, a := range map[string]Accuracy{"language": r.Language, "topic": r.Topic, "provider": r.Provider, "located": r.Located, "by": r.By} {
		if a != (Accuracy{1, 1}) {
			t.Errorf("%s = %+v, want right", name, a)
		}
	}
	if got := r.People.F1(); got < 0.666 || got > 0.667 {
		t.Errorf("people F1 = %f, want 2/3", got)
	}
	var out bytes.Buffer
	if err := r.Print(&out, true); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"people", "0.667", "MISSED", `en-001: spurious person "Mr Li"`, `missed place "Paris" (FR)`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, out.String())
		}
	}
	if m := r.Missed(); len(m) == 0 || !strings.HasPrefix(m[0], "people F1 0.667") {
		t.Errorf("missed = %v", m)
	}
}

func TestLoadRejectsUnknownFields(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "no *.json") {
		t.Errorf("Load of an empty dir = %v", err)
	}
	writeFile(t, dir+"/a.json", `{"id":"a","gold":{"peple":[]}}`)
	if _, err := Load(dir); err == nil || !strings.Contains(err.Error(), "peple") {
		t.Errorf("Load = %v, want the misspelt field named", err)
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
