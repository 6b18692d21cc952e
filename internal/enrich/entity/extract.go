// Package entity finds the people, organisations and places a wire story names, with
// rules and word lists for English, French, Spanish and German: capitalised spans cut
// by titles, organisation heads, known organisations and the gazetteer, classified by
// context cues (titles, speech verbs, prepositions), then merged by coreference
// (surnames, titled forms, acronyms) into one entity per referent.
package entity

import (
	_ "embed"
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

//go:embed givennames.txt
var givenNamesText string

//go:embed orgs.txt
var orgsText string

// Input is what the extractor reads of a story.
type Input struct {
	Headline string
	Body     string
	Language string // ISO 639-1
	Provider string // the filing agency, never reported as an organisation
	// Context lists ISO 3166-1 countries already known for the story (the dateline's),
	// used to choose between places of the same name.
	Context []string
}

// Result holds the entities of one story, each list in order of first mention.
type Result struct {
	People        []pipeline.Entity
	Organisations []pipeline.Entity
	Places        []pipeline.Place
}

// Extractor finds entities. It is read-only after construction and safe for
// concurrent use.
type Extractor struct {
	places  placeIndex
	lex     map[string]wordFlag
	orgs    []orgEntry
	orgForm map[string]orgRef
	maxOrg  int
	// orgFirst maps the first word of every known organisation form to the most
	// tokens a form starting with it has, so most words need no n-gram lookups.
	orgFirst map[string]int
}

type orgEntry struct {
	en     string
	byLang map[string]string
	agency bool
}

type orgRef struct {
	entry   int
	acronym bool // matches only text written in capitals
	variant bool // an inflected form, never a canonical name
}

func newExtractor(p placeIndex) *Extractor {
	x := &Extractor{
		places:   p,
		lex:      buildLexicon(givenNamesText),
		orgForm:  make(map[string]orgRef, 1024),
		orgFirst: make(map[string]int, 1024),
	}
	for _, line := range strings.Split(orgsText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e := orgEntry{byLang: map[string]string{}}
		idx := len(x.orgs)
		for i, f := range strings.Split(line, "|") {
			f = strings.TrimSpace(f)
			if f == "@agency" {
				e.agency = true
				continue
			}
			if len(f) > 3 && f[2] == ':' {
				lang := f[:2]
				f = f[3:]
				if _, ok := e.byLang[lang]; !ok {
					e.byLang[lang] = f
				}
			}
			if i == 0 {
				e.en = f
			}
			toks := textkit.Tokenize(f)
			if len(toks) == 0 {
				continue
			}
			key := textkit.Fold(f)
			if _, dup := x.orgForm[key]; !dup {
				x.orgForm[key] = orgRef{entry: idx, acronym: textkit.IsAllCaps(f) && !strings.Contains(f, " ")}
			}
			// German adjectives inflect: "Deutsche Bank" is "der Deutschen Bank"
			if first, rest, ok := strings.Cut(key, " "); ok && strings.HasSuffix(first, "e") {
				if _, dup := x.orgForm[first+"n "+rest]; !dup {
					x.orgForm[first+"n "+rest] = orgRef{entry: idx, variant: true}
					if n := x.orgFirst[textkit.Fold(toks[0].Text)]; n > x.orgFirst[first+"n"] {
						x.orgFirst[first+"n"] = n
					}
				}
			}
			n := len(toks)
			first := textkit.Fold(toks[0].Text)
			if n > x.orgFirst[first] {
				x.orgFirst[first] = n
			}
			if n > x.maxOrg {
				x.maxOrg = n
			}
		}
		x.orgs = append(x.orgs, e)
	}
	return x
}

func (x *Extractor) flag(fold string) wordFlag { return x.lex[fold] }

// Extract returns the people, organisations and places of one story.
func (x *Extractor) Extract(in Input) Result {
	r := newRun(x, in)
	r.scanBody()
	r.scanHeadline()
	return r.resolve()
}
