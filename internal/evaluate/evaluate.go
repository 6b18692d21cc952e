// Package evaluate measures the enricher chain against a labelled set of stories: per
// entity type precision, recall and F1, quote speakers, language, main topic, and the
// agency, dateline and byline. The set's format and annotation rules are in
// testdata/eval/README.md.
package evaluate

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Case is one labelled story.
type Case struct {
	ID   string `json:"id"`
	Item struct {
		Title    string `json:"title"`
		Body     string `json:"body"`
		Language string `json:"language"`
		Provider string `json:"provider"`
	} `json:"item"`
	Gold Gold `json:"gold"`
}

// Gold holds a story's answers.
type Gold struct {
	Language      string       `json:"language"`
	Provider      string       `json:"provider"`
	Located       *GoldPlace   `json:"located"`
	By            string       `json:"by"`
	People        []GoldEntity `json:"people"`
	Organisations []GoldEntity `json:"organisations"`
	Places        []GoldPlace  `json:"places"`
	Quotes        []GoldQuote  `json:"quotes"`
	Topic         string       `json:"topic"`
	Topics        []string     `json:"topics"`
}

// GoldEntity is a person or organisation with the names that are equally right.
type GoldEntity struct {
	Name string   `json:"name"`
	AKA  []string `json:"aka"`
}

// GoldPlace is a place with its country.
type GoldPlace struct {
	Name    string   `json:"name"`
	Country string   `json:"country"`
	AKA     []string `json:"aka"`
}

// GoldQuote is the start of a quotation and its speaker's gold name.
type GoldQuote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
}

// Load reads every *.json case in dir, in name order.
func Load(dir string) ([]Case, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, fmt.Errorf("evaluate: list %s: %w", dir, err)
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("evaluate: no *.json stories in %s", dir)
	}
	sort.Strings(paths)
	cases := make([]Case, 0, len(paths))
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
		var c Case
		dec := json.NewDecoder(strings.NewReader(string(b)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&c); err != nil {
			return nil, fmt.Errorf("evaluate: %s: %w", p, err)
		}
		if c.ID == "" {
			c.ID = strings.TrimSuffix(filepath.Base(p), ".json")
		}
		cases = append(cases, c)
	}
	return cases, nil
}

// RawItem is the feed item the case stands for.
func (c Case) RawItem() pipeline.RawItem {
	return pipeline.RawItem{
		Feed: "eval", Format: "eval", GUID: c.ID, Title: c.Item.Title, Body: c.Item.Body,
		Language: c.Item.Language, Provider: c.Item.Provider,
	}
}

// enricher is what the evaluation runs: the chain, item by item.
type enricher interface {
	EnrichItem(ctx context.Context, item pipeline.RawItem) (pipeline.Story, error)
}

// Run enriches every case and scores the results.
func Run(ctx context.Context, e enricher, cases []Case) (*Report, error) {
	r := &Report{}
	for _, c := range cases {
		st, err := e.EnrichItem(ctx, c.RawItem())
		if err != nil {
			return nil, fmt.Errorf("evaluate: %s: %w", c.ID, err)
		}
		r.Add(c, st)
	}
	return r, nil
}

// Count is a confusion count for one kind of entity.
type Count struct{ TP, FP, FN int }

// Precision, Recall and F1 of the count; 1 when there was nothing to find and nothing found.
func (c Count) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }
func (c Count) Recall() float64    { return ratio(c.TP, c.TP+c.FN) }
func (c Count) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Accuracy counts right answers among questions asked.
type Accuracy struct{ Right, Total int }

// Value is Right/Total, 1 with nothing asked.
func (a Accuracy) Value() float64 { return ratio(a.Right, a.Total) }

func (a *Accuracy) add(ok bool) {
	a.Total++
	if ok {
		a.Right++
	}
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Report is the scores over a set, with what went wrong per story.
type Report struct {
	Stories                       int
	People, Organisations, Places Count
	QuotesFound, Speakers         Accuracy // of gold quotes: found; found with the right speaker
	Language, Topic               Accuracy
	Provider, Located, By         Accuracy
	Errors                        []string // "<id>: <what>", for --verbose
}

// Add scores one story.
func (r *Report) Add(c Case, st pipeline.Story) {
	r.Stories++
	miss := func(format string, a ...any) { r.Errors = append(r.Errors, c.ID+": "+fmt.Sprintf(format, a...)) }

	r.People = add(r.People, matchEntities(c.Gold.People, st.People, "person", miss))
	r.Organisations = add(r.Organisations, matchEntities(c.Gold.Organisations, st.Organisations, "organisation", miss))
	r.Places = add(r.Places, matchPlaces(c.Gold.Places, st.Places, miss))
	r.scoreQuotes(c, st, miss)

	r.Language.add(st.Language == c.Gold.Language)
	if st.Language != c.Gold.Language {
		miss("language %q, want %q", st.Language, c.Gold.Language)
	}
	if c.Gold.Topic != "" {
		top := mainTopic(st.Subjects)
		r.Topic.add(top == c.Gold.Topic)
		if top != c.Gold.Topic {
			miss("topic %q, want %q", top, c.Gold.Topic)
		}
	}
	r.Provider.add(fold(st.Provider) == fold(c.Gold.Provider))
	if fold(st.Provider) != fold(c.Gold.Provider) {
		miss("provider %q, want %q", st.Provider, c.Gold.Provider)
	}
	if g := c.Gold.Located; g != nil {
		ok := st.Location != nil && st.Location.Country == g.Country &&
			overlap(locatedNames(c.Gold), names(st.Location.Name, st.Location.Aliases, st.Located))
		r.Located.add(ok)
		if !ok {
			miss("located %q %+v, want %s (%s)", st.Located, st.Location, g.Name, g.Country)
		}
	}
	r.By.add(fold(st.By) == fold(c.Gold.By))
	if fold(st.By) != fold(c.Gold.By) {
		miss("by %q, want %q", st.By, c.Gold.By)
	}
}

func add(a, b Count) Count { return Count{a.TP + b.TP, a.FP + b.FP, a.FN + b.FN} }

// mainTopic is the code of the enricher's best IPTC Media Topic: the first subject it
// assigned (the agency's own codes carry no confidence).
func mainTopic(subjects []pipeline.Subject) string {
	for _, s := range subjects {
		if s.Confidence > 0 && strings.HasPrefix(s.Code, "medtop:") {
			return s.Code
		}
	}
	return ""
}

// matchEntities pairs gold and predicted entities sharing a name (any form, folded);
// each gold and each prediction is used once.
func matchEntities(gold []GoldEntity, pred []pipeline.Entity, kind string, miss func(string, ...any)) Count {
	used := make([]bool, len(pred))
	var c Count
	for _, g := range gold {
		gn := names(g.Name, g.AKA)
		found := false
		for i, p := range pred {
			if !used[i] && overlap(gn, names(p.Name, p.Aliases)) {
				used[i], found = true, true
				break
			}
		}
		if found {
			c.TP++
		} else {
			c.FN++
			miss("missed %s %q", kind, g.Name)
		}
	}
	for i, p := range pred {
		if !used[i] {
			c.FP++
			miss("spurious %s %q", kind, p.Name)
		}
	}
	return c
}

// matchPlaces is matchEntities for places, which must also have the gold's country.
func matchPlaces(gold []GoldPlace, pred []pipeline.Place, miss func(string, ...any)) Count {
	used := make([]bool, len(pred))
	var c Count
	for _, g := range gold {
		gn := names(g.Name, g.AKA)
		found := false
		for i, p := range pred {
			if !used[i] && p.Country == g.Country && overlap(gn, names(p.Name, p.Aliases)) {
				used[i], found = true, true
				break
			}
		}
		if found {
			c.TP++
		} else {
			c.FN++
			miss("missed place %q (%s)", g.Name, g.Country)
		}
	}
	for i, p := range pred {
		if !used[i] {
			c.FP++
			miss("spurious place %q (%s)", p.Name, p.Country)
		}
	}
	return c
}

// scoreQuotes finds each gold quote among the predicted ones (one text holds the
// other's first 20 characters, folded) and checks its speaker against every name of
// the gold speaker.
func (r *Report) scoreQuotes(c Case, st pipeline.Story, miss func(string, ...any)) {
	used := make([]bool, len(st.Quotes))
	for _, g := range c.Gold.Quotes {
		gt := fold(g.Text)
		at := -1
		for i, q := range st.Quotes {
			if !used[i] && quoteMatch(gt, fold(q.Text)) {
				at = i
				break
			}
		}
		r.QuotesFound.add(at >= 0)
		if at < 0 {
			r.Speakers.add(false)
			miss("missed quote %q", g.Text)
			continue
		}
		used[at] = true
		ok := overlap(speakerNames(c.Gold, g.Speaker), names(st.Quotes[at].Speaker, nil))
		r.Speakers.add(ok)
		if !ok {
			miss("quote %q: speaker %q, want %q", g.Text, st.Quotes[at].Speaker, g.Speaker)
		}
	}
}

func quoteMatch(a, b string) bool {
	head := func(s string) string {
		if r := []rune(s); len(r) > 20 {
			return string(r[:20])
		}
		return s
	}
	return a != "" && b != "" && (strings.Contains(b, head(a)) || strings.Contains(a, head(b)))
}

// locatedNames are the names the gold gives the dateline place: its own, and those of
// the same place in the gold places, which hold the form the story uses ("Köln" for
// Cologne).
func locatedNames(g Gold) []string {
	out := names(g.Located.Name, g.Located.AKA)
	for _, p := range g.Places {
		if p.Country == g.Located.Country && slices.Contains(names(p.Name, p.AKA), fold(g.Located.Name)) {
			out = append(out, names(p.Name, p.AKA)...)
		}
	}
	return out
}

// speakerNames are all the names the gold gives the speaker.
func speakerNames(g Gold, speaker string) []string {
	for _, list := range [][]GoldEntity{g.People, g.Organisations} {
		for _, e := range list {
			if fold(e.Name) == fold(speaker) || slices.ContainsFunc(e.AKA, func(a string) bool { return fold(a) == fold(speaker) }) {
				return names(e.Name, e.AKA)
			}
		}
	}
	return names(speaker, nil)
}

// names folds a name and its other forms into one list.
func names(name string, other []string, more ...string) []string {
	out := make([]string, 0, 1+len(other)+len(more))
	out = append(out, fold(name))
	for _, list := range [][]string{other, more} { // never append to other: it is the caller's
		for _, o := range list {
			out = append(out, fold(o))
		}
	}
	return slices.DeleteFunc(out, func(s string) bool { return s == "" })
}

func overlap(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// fold makes names comparable: diacritics removed, lower case, punctuation and
// spaces collapsed, typographic apostrophes made straight.
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	s, _, _ = transform.String(t, s)
	s = strings.ToLower(strings.NewReplacer("’", "'", "‘", "'", "«", " ", "»", " ", "“", " ", "”", " ", "\"", " ").Replace(s))
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '.' || r == ',' || r == ';' || r == ':'
	}), " ")
}
