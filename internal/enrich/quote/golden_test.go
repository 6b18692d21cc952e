package quote

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/internal/enrich/golden"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// pairSpeakers builds a speaker list from the text alone: each pair of adjacent
// capitalised words, in order of first appearance (every other one with its second
// word as an alias), then the acronyms.
func pairSpeakers(body string) []pipeline.Entity {
	capital := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	trim := func(w string) string {
		return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	var out []pipeline.Entity
	seen := map[string]bool{}
	fields := strings.Fields(body)
	for i := 0; i+1 < len(fields) && len(out) < 16; i++ {
		a, b := fields[i], fields[i+1]
		if a != trim(a) || !capital(a) || !capital(trim(b)) {
			continue
		}
		name := a + " " + trim(b)
		if seen[name] {
			continue
		}
		seen[name] = true
		e := pipeline.Entity{Name: name}
		if len(out)%2 == 1 {
			e.Aliases = []string{trim(b)}
		}
		out = append(out, e)
	}
	acronyms := 0
	for _, f := range fields {
		w := trim(f)
		if len(w) < 2 || acronyms == 4 || seen[w] || strings.ToUpper(w) != w || strings.ToLower(w) == w {
			continue
		}
		seen[w] = true
		out = append(out, pipeline.Entity{Name: w})
		acronyms++
	}
	return out
}

// TestGolden guards the output: every evaluation story, in its language and the
// four quote languages, with no speakers and with speakers built from its text,
// must give the quotations the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story    string           `json:"story"`
		Lang     string           `json:"lang"`
		Speakers []string         `json:"speakers"`
		Quotes   []pipeline.Quote `json:"quotes"`
	}
	var recs []record
	for _, it := range golden.Stories(t) {
		name := it.Name
		synthetic := pairSpeakers(it.Body)
		var list []string
		for _, e := range synthetic {
			list = append(list, strings.Join(append([]string{e.Name}, e.Aliases...), "|"))
		}
		for _, lang := range []string{it.Language, "en", "fr", "es", "de"} {
			recs = append(recs, record{name, lang, nil, Extract(it.Body, lang, nil)})
			recs = append(recs, record{name, lang, list, Extract(it.Body, lang, synthetic)})
		}
	}
	golden.Check(t, recs, func(i int) string { return recs[i].Story })
}
