// Package entity finds the people, organisations and places a wire story names, with
// rules and word lists for English, French, Spanish and German: capitalised spans cut
// by titles, organisation heads, known organisations and the gazetteer, classified by
// context cues (titles, speech verbs, prepositions), then merged by coreference
// (surnames, titled forms, acronyms) into one entity per referent.
package entity

import (
	_ "embed"
	"strings"
	"sync"

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
	canon   wordTable // every lexicon key and first word of an organisation, with its flags
	orgs    []orgEntry
	orgForm map[string]orgRef
	maxOrg  int
	// orgFirst maps the first word of every known organisation form to the most
	// tokens a form starting with it has, so most words need no n-gram lookups.
	orgFirst map[string]int
	// sportForm maps the short forms of clubs that name them only in sports stories
	// ("Newcastle", "Rennes") to their entries.
	sportForm map[string]int
	// texts holds token buffers and runs the buffers of a call, for reuse between calls.
	texts sync.Pool
	runs  sync.Pool
}

// canonEntry is a lexicon word's own key string, its flags and its orgFirst count,
// so that one lookup answers every question asked of a word.
type canonEntry struct {
	key  string
	flag wordFlag
	orgN int32
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
	poss    bool // matches only a word followed by a possessive "'s" ("Moody's")
}

func newExtractor(p placeIndex) *Extractor {
	x := &Extractor{
		places:    p,
		lex:       buildLexicon(givenNamesText),
		orgForm:   make(map[string]orgRef, 1024),
		orgFirst:  make(map[string]int, 1024),
		sportForm: map[string]int{},
	}
	for _, line := range strings.Split(orgsText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e := orgEntry{byLang: map[string]string{}}
		idx := len(x.orgs)
		for _, f := range strings.Split(line, "|") {
			f = strings.TrimSpace(f)
			if len(f) > 3 && f[2] == ':' {
				f = f[3:]
			}
			if ref, ok := x.orgForm[textkit.Fold(f)]; ok && !ref.acronym && !ref.variant && !ref.poss {
				// a second line for a known organisation adds forms to it
				idx = ref.entry
				e = x.orgs[idx]
				break
			}
		}
		for i, f := range strings.Split(line, "|") {
			f = strings.TrimSpace(f)
			if f == "@agency" {
				e.agency = true
				continue
			}
			if sf, ok := strings.CutPrefix(f, "sport:"); ok {
				x.sportForm[textkit.Fold(sf)] = idx
				continue
			}
			if len(f) > 3 && f[2] == ':' {
				lang := f[:2]
				f = f[3:]
				if _, ok := e.byLang[lang]; !ok {
					e.byLang[lang] = f
				}
			}
			if i == 0 && e.en == "" {
				e.en = f
			}
			toks := textkit.Tokenize(f)
			if len(toks) == 0 {
				continue
			}
			key := textkit.Fold(f)
			if strings.Contains(key, ",") {
				// written with or without the commas of a list: "Rail, Maritime and Transport"
				if k := strings.ReplaceAll(key, ",", ""); x.orgForm[k].entry == 0 {
					x.orgForm[k] = orgRef{entry: idx}
				}
			}
			if _, dup := x.orgForm[key]; !dup {
				x.orgForm[key] = orgRef{entry: idx, acronym: textkit.IsAllCaps(f) && !strings.Contains(f, " ")}
			}
			if k, ok := strings.CutSuffix(key, "'s"); ok && len(toks) == 1 {
				// "Moody's": the tokenizer leaves the possessive out of the word
				if _, dup := x.orgForm[k]; !dup {
					x.orgForm[k] = orgRef{entry: idx, poss: true}
				}
			}
			// German inflects: "Deutsche Bank" is "der Deutschen Bank", "Statistisches
			// Bundesamt" is "des Statistischen Bundesamtes"
			for _, v := range germanVariants(key) {
				if _, dup := x.orgForm[v]; !dup {
					x.orgForm[v] = orgRef{entry: idx, variant: true}
					first, _, _ := strings.Cut(v, " ")
					if n := len(toks); n > x.orgFirst[first] {
						x.orgFirst[first] = n
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
		if idx < len(x.orgs) {
			x.orgs[idx] = e
			continue
		}
		x.orgs = append(x.orgs, e)
	}
	canon := make(map[string]canonEntry, len(x.lex)+len(x.orgFirst))
	for w, f := range x.lex {
		canon[w] = canonEntry{w, f, int32(x.orgFirst[w])}
	}
	for w, n := range x.orgFirst {
		if _, ok := canon[w]; !ok {
			canon[w] = canonEntry{w, 0, int32(n)}
		}
	}
	x.canon = newWordTable(canon)
	return x
}

func (x *Extractor) flag(fold string) wordFlag { return x.lex[fold] }

// Extract returns the people, organisations and places of one story.
func (x *Extractor) Extract(in Input) Result {
	r := x.newRun(in)
	r.scanBody()
	r.scanHeadline()
	res := r.resolve()
	x.releaseRun(r)
	return res
}

// germanVariants returns the inflected forms of a German name of two words or more:
// the adjective's endings on the first word and the genitive "-s"/"-es" on the last.
func germanVariants(key string) []string {
	first, rest, ok := strings.Cut(key, " ")
	if !ok || len(first) < 5 || strings.Contains(rest, " ") && !strings.HasSuffix(first, "e") && !strings.HasSuffix(first, "er") && !strings.HasSuffix(first, "es") {
		return nil
	}
	var stems []string
	switch {
	case strings.HasSuffix(first, "er") || strings.HasSuffix(first, "es") || strings.HasSuffix(first, "en") || strings.HasSuffix(first, "em"):
		stems = append(stems, first[:len(first)-2])
	case strings.HasSuffix(first, "e"):
		stems = append(stems, first[:len(first)-1])
	}
	firsts := []string{first}
	for _, st := range stems {
		for _, e := range []string{"e", "en", "em", "er", "es"} {
			if st+e != first {
				firsts = append(firsts, st+e)
			}
		}
	}
	lasts := []string{rest}
	if !strings.HasSuffix(rest, "s") && !strings.ContainsAny(rest[len(rest)-1:], "aeiouy") {
		lasts = append(lasts, rest+"s", rest+"es")
	} else if strings.HasSuffix(rest, "e") {
		lasts = append(lasts, rest+"s")
	}
	var out []string
	for _, f := range firsts {
		for _, l := range lasts {
			if f == first && l == rest {
				continue
			}
			out = append(out, f+" "+l)
		}
	}
	return out
}
