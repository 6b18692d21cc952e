package entity

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// isSports reports whether the story reports a match: a score ("3-2", "31:28") and
// words of the game, or many such words.
func (r *run) isSports() bool {
	if r.sports != 0 {
		return r.sports > 0
	}
	r.sports = -1
	scores, words := 0, 0
	texts := [2]*text{r.head, r.body}
	for _, t := range texts {
		for i := 0; t != nil && i < len(t.toks); i++ {
			if tk := t.toks[i]; tk.Kind == textkit.Number && (strings.IndexByte(tk.Text, '-') > 0 || t.punct(i+1, ":") && i+2 < len(t.toks) && t.toks[i+2].Kind == textkit.Number) {
				scores++
			}
		}
	}
	if scores == 0 {
		return false // a match report gives a score: most stories stop here without folding a word
	}
	for _, t := range texts {
		for i := 0; t != nil && i < len(t.toks) && words < 2; i++ {
			if tk := t.toks[i]; tk.Kind == textkit.Word && len(tk.Text) > 2 && sportWordSet[t.fold(i)] {
				words++
			}
		}
	}
	if words >= 2 {
		r.sports = 1
	}
	return r.sports > 0
}

// teams turns places that name a team in a sports story into that team: a club's
// short form ("Newcastle" of Newcastle United, "Rennes" of Stade rennais), a word of a
// club named in the story ("Flensburg" of "SG Flensburg-Handewitt"), or a city that is
// the subject of a match verb ("Rennes domine Lens"). One word keeps one sense in a
// story; the dateline stays a place.
func (r *run) teams(places, orgs []*mention) ([]*mention, []*mention) {
	if len(places) == 0 || !r.isSports() {
		return places, orgs
	}
	team := map[string]*mention{} // word → a club mention it belongs to, or nil
	clubWord := func(w string) *mention {
		for _, o := range orgs {
			if len(o.words) < 2 {
				continue
			}
			for _, ow := range o.words {
				if ow == w {
					return o
				}
				for _, part := range strings.Split(ow, "-") {
					if part == w {
						return o
					}
				}
			}
		}
		return nil
	}
	for _, m := range places {
		if len(m.words) != 1 || r.inDateline(m) || r.locative(m) {
			continue // "played in Munich" is the city
		}
		w := m.words[0]
		if _, done := team[w]; done {
			continue
		}
		if _, ok := r.x.sportForm[w]; ok {
			team[w] = nil
		} else if o := clubWord(w); o != nil {
			team[w] = o
		} else if matchVerbSet[r.nextWord(m)] {
			team[w] = nil
		}
	}
	if len(team) == 0 {
		return places, orgs
	}
	keep := places[:0]
	for _, m := range places {
		club, ok := team[m.key()]
		if !ok || r.inDateline(m) || len(m.words) != 1 || r.locative(m) {
			keep = append(keep, m)
			continue
		}
		m.kind = mOrg
		if e, known := r.x.sportForm[m.words[0]]; known {
			m.org = e
		} else if club != nil {
			m.org = club.org
			m.words = club.words // the club's key: merged with it
		}
		orgs = append(orgs, m)
	}
	return keep, orgs
}

// locative reports whether a preposition of place stands right before the mention
// ("in Munich", "à Nantes", "a Tenerife").
func (r *run) locative(m *mention) bool {
	if m.loc {
		return true
	}
	t := r.body
	if m.headline {
		t = r.head
	}
	if t == nil {
		return false
	}
	start := m.order - t.base
	for i, tk := range t.toks {
		if tk.Start >= start {
			return i > 0 && t.lower(i-1) && t.is(i-1, fLocPrep)
		}
	}
	return false
}

// nextWord returns the folded word right after a mention.
func (r *run) nextWord(m *mention) string {
	t := r.body
	if m.headline {
		t = r.head
	}
	if t == nil {
		return ""
	}
	for i, tk := range t.toks {
		if tk.Start >= m.end {
			if tk.Kind != textkit.Word {
				return ""
			}
			return t.fold(i)
		}
	}
	return ""
}
