package keyphrase

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/golden"
)

// TestGolden guards the output: every evaluation story, as written, with its
// paragraphs alone and with upper-case text, in every stop-list language and
// one without a list, must give the phrases the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story   string   `json:"story"`
		Input   string   `json:"input"`
		Lang    string   `json:"lang"`
		N       int      `json:"n"`
		Phrases []string `json:"phrases"`
	}
	var recs []record
	for _, it := range golden.Stories(t) {
		name := it.Name
		type input struct{ kind, headline, body string }
		inputs := []input{
			{"story", it.Title, it.Body},
			{"upper-headline", strings.ToUpper(it.Title), it.Body},
			{"no-headline", "", it.Body},
			{"upper-body", it.Title, strings.ToUpper(it.Body)},
		}
		for k, p := range strings.Split(it.Body, "\n\n") {
			inputs = append(inputs, input{fmt.Sprintf("para%d", k), it.Title, p})
		}
		langs := []string{"en", "fr", "es", "de", "it"}
		if it.Language != "" {
			langs = append([]string{it.Language}, langs...)
		}
		for i, in := range inputs {
			for _, lang := range langs {
				for _, n := range []int{10, 3} {
					if i > 0 && n != 10 {
						continue
					}
					recs = append(recs, record{name, in.kind, lang, n, Extract(in.headline, in.body, lang, n)})
				}
			}
		}
	}
	golden.Check(t, recs, func(i int) string { return recs[i].Story })
}
