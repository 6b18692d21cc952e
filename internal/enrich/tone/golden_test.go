package tone

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/golden"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// goldenLangs are the languages every story is scored in: each lexicon, and one
// without a lexicon.
var goldenLangs = []string{"en", "fr", "es", "de", "it"}

// TestGolden guards the output: every evaluation story, its headline and an
// upper-case copy, scored in every language, must give what the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story string        `json:"story"`
		Input string        `json:"input"`
		Lang  string        `json:"lang"`
		Tone  pipeline.Tone `json:"tone"`
	}
	var recs []record
	for _, it := range golden.Stories(t) {
		name := it.Name
		inputs := []struct{ kind, text string }{
			{"body", it.Body},
			{"title", it.Title},
			{"upper", strings.ToUpper(it.Body)},
		}
		// Paragraphs alone, so that a small change in one is not lost in the rounding
		// of a whole story's score.
		for k, p := range strings.Split(it.Body, "\n\n") {
			inputs = append(inputs, struct{ kind, text string }{fmt.Sprintf("para%d", k), p})
		}
		langs := goldenLangs
		if it.Language != "" {
			langs = append([]string{it.Language}, langs...)
		}
		for _, in := range inputs {
			for _, lang := range langs {
				recs = append(recs, record{name, in.kind, lang, Score(in.text, lang)})
			}
		}
	}
	golden.Check(t, recs, func(i int) string { return recs[i].Story })
}
