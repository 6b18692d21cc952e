package entity

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

type mKind uint8

const (
	mName  mKind = iota + 1 // a person, or nothing, decided at resolution
	mOrg                    // an organisation
	mPlace                  // a gazetteer place
)

// mention is one candidate name in the text.
type mention struct {
	kind    mKind
	surface string   // the name as written, without titles
	titled  string   // with the honorific or title before it, when there is one
	words   []string // folded words of surface
	order   int      // position for sorting: headline first, then body offset
	end     int      // byte offset where the mention ends in its text
	org     int      // known organisation entry, or -1
	acr     string   // acronym defined for it in parentheses
	// cues
	title, speech, appos, given, loc, sentInit, headline bool
}

// text is one tokenized text (headline or body) of a run.
type text struct {
	s        string
	toks     []textkit.Token
	folds    []string
	flags    []wordFlag
	skip     []bool // tokens in dateline, byline and credit lines
	headline bool
	titling  bool // a title-case or all-caps headline: capitals say nothing
	base     int  // order offset
	lang     string
	romance  bool
	lex      map[string]wordFlag
}

func (x *Extractor) newText(s string, headline bool, base int, lang string) *text {
	t := &text{s: s, headline: headline, base: base, lang: lang}
	t.romance = lang == "fr" || lang == "es" || lang == "it" || lang == "pt"
	t.toks = textkit.Tokenize(s)
	t.folds = make([]string, len(t.toks))
	t.flags = make([]wordFlag, len(t.toks))
	t.skip = make([]bool, len(t.toks))
	t.lex = x.lex
	return t
}

// fl returns the flags of token i, folding and looking the word up on first use:
// most words of a story are never asked about.
func (t *text) fl(i int) wordFlag {
	f := t.flags[i]
	if f&fDone != 0 {
		return f
	}
	tk := t.toks[i]
	f = fDone
	if tk.Kind == textkit.Word {
		w := textkit.Fold(tk.Text)
		t.folds[i] = w
		f |= t.lex[w]
		if t.lang == "de" && f&(fTitle|fGiven|fOrgHead) == 0 && textkit.IsCapitalized(tk.Text) {
			f |= germanCompound(w)
		}
	}
	t.flags[i] = f
	return f
}

// fold returns token i folded ("" for punctuation and numbers).
func (t *text) fold(i int) string {
	t.fl(i)
	return t.folds[i]
}

// foldRange returns the folded words of tokens [a, b), skipping punctuation.
func (t *text) foldRange(a, b int) []string {
	out := make([]string, 0, b-a)
	for k := a; k < b; k++ {
		if w := t.fold(k); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// germanCompound gives the flags of a German compound from its last part: a role
// ("Ifo-Präsident") is a title, a federal institution ("Bundespolizei") an organisation.
func germanCompound(f string) wordFlag {
	for _, e := range germanTitleEnds {
		if len(f) > len(e)+2 && strings.HasSuffix(f, e) {
			return fTitle
		}
	}
	if strings.HasPrefix(f, "bundes") || strings.HasPrefix(f, "landes") {
		for _, e := range germanOrgEnds {
			if len(f) > len(e)+5 && strings.HasSuffix(f, e) {
				return fNamedOrg | fOrgHead
			}
		}
	}
	for _, e := range germanOrgEnds[:10] {
		if len(f) > len(e)+3 && strings.HasSuffix(f, e) {
			return fOrgHead
		}
	}
	return 0
}

func (t *text) cap(i int) bool {
	if i < 0 || i >= len(t.toks) || t.toks[i].Kind != textkit.Word || t.skip[i] {
		return false
	}
	w := t.toks[i].Text
	if c := w[len(w)-1]; c == '\'' || strings.HasSuffix(w, "’") {
		return false // an elision: "L'" of "L'Espagne"
	}
	return textkit.IsCapitalized(w)
}

func (t *text) lower(i int) bool {
	return i >= 0 && i < len(t.toks) && t.toks[i].Kind == textkit.Word && textkit.IsLower(t.toks[i].Text)
}

func (t *text) is(i int, f wordFlag) bool {
	return i >= 0 && i < len(t.toks) && t.fl(i)&f != 0
}

func (t *text) punct(i int, p string) bool {
	return i >= 0 && i < len(t.toks) && t.toks[i].Kind == textkit.Punct && t.toks[i].Text == p
}

// surface returns the original text of tokens [a, b).
func (t *text) surface(a, b int) string {
	end := t.toks[b-1].End
	if t.toks[b-1].Dot && b-1 > a && len(t.toks[b-1].Text) <= 3 && t.fl(b-1)&fTitle == 0 {
		end++ // keep the stop of a final abbreviation ("Jr.", "S.A.")
	}
	return strings.TrimSpace(t.s[t.toks[a].Start:end])
}

func (t *text) sentInit(i int) bool { return t.titling || t.toks[i].SentStart }

func isAdjective(fold string) bool {
	for _, e := range adjEndings {
		if strings.HasSuffix(fold, e) && len(fold) > len(e)+2 {
			return true
		}
	}
	return false
}

// connects reports whether the lower-case words from i join two capitalised parts of a
// name, returning the index of the capitalised word after them.
func (t *text) connects(i int) (int, bool) {
	if !t.lower(i) || !t.is(i, fConnector|fParticle) {
		return 0, false
	}
	// German articles in the genitive do not join names: "Kopf der Gruppe"
	if t.lang == "de" {
		switch t.fold(i) {
		case "der", "des", "den", "dem", "die", "das", "und":
			return 0, false
		}
	}
	// "and", "in" join only inside a longer name ("Bosnia and Herzegovina");
	// the segmenter splits the span again where no name spans the join.
	k := i + 1
	if t.lower(k) && t.is(k, fConnector|fParticle|fArticle) {
		k++
	}
	if t.cap(k) {
		return k, true
	}
	return 0, false
}

// scan finds the capitalised spans of t and cuts them into mentions.
func (r *run) scan(t *text) {
	n := len(t.toks)
	romance := t.romance
	for i := 0; i < n; i++ {
		if romance && t.lower(i) && !t.skip[i] && isLowerHead(t.fold(i)) {
			if k, ok := t.connects(i + 1); ok {
				end := r.x.extendOrg(t, k, n)
				r.add(t, mention{kind: mOrg, org: -1}, i, end, -1)
				i = end - 1
				continue
			}
		}
		if !t.cap(i) {
			continue
		}
		a, b := i, i+1
		adj := 0
		for b < n {
			if t.cap(b) {
				b++
				continue
			}
			if t.punct(b, "&") && t.cap(b+1) {
				b += 2
				continue
			}
			if k, ok := t.connects(b); ok {
				b = k + 1
				continue
			}
			if romance && adj < 2 && t.lower(b) && (t.is(b-1, fOrgHead|fOrgLead) || adj > 0) && isAdjective(t.fold(b)) {
				b++
				adj++
				continue
			}
			break
		}
		r.segment(t, a, b)
		i = b - 1
	}
}

// orgMatch returns the length of the longest known organisation starting at i.
func (r *run) orgMatch(t *text, i, b int) (int, int) {
	max := r.x.orgFirst[t.fold(i)]
	if b-i < max {
		max = b - i
	}
	for n := max; n >= 1; n-- {
		if n > 1 && !t.cap(i+n-1) {
			continue
		}
		s := t.surface(i, i+n)
		ref, ok := r.x.orgForm[textkit.Fold(s)]
		if !ok {
			continue
		}
		if ref.acronym && !textkit.IsAllCaps(s) {
			continue
		}
		return n, ref.entry
	}
	return 0, -1
}

// placeMatch returns the length of the longest gazetteer name starting at i.
func (r *run) placeMatch(t *text, i, b int) int {
	max := r.maxPlace
	if b-i < max {
		max = b - i
	}
	// place names hold no titles or months: "Prime Minister Keir Starmer" needs no n-grams
	for k := i + 1; k < i+max; k++ {
		if t.cap(k) && t.is(k, fTitle|fMonth) && !t.is(k, fPlaceHead) {
			max = k - i
			break
		}
	}
	for n := max; n >= 1; n-- {
		if !t.cap(i + n - 1) {
			continue
		}
		s := t.surface(i, i+n)
		if n == 1 {
			if abbreviatedCountry(t.fold(i)) != "" && textkit.IsAllCaps(s) {
				return 1
			}
			if t.is(i, fMonth|fArticle|fTitle|fSpeech) || r.x.places.demonym(s) {
				return 0
			}
		}
		if c, _ := r.lookup(s); c > 0 {
			return n
		}
	}
	return 0
}

// headMatch returns the length of an organisation name built on a head noun starting
// at i: "Supreme Court", "Bank of England", "Ministerio de Defensa", "Siemens AG",
// "FC Nantes", "Museum Ludwig".
func (r *run) headMatch(t *text, i, b int) int {
	if t.is(i, fArticle) || t.is(i, fTitle) && !t.is(i, fOrgHead|fOrgLead) {
		return 0
	}
	for k := i; k < b; k++ {
		if !t.cap(k) {
			if k > i && t.romance && t.lower(k) && isAdjective(t.fold(k)) {
				continue // "Banque centrale européenne"
			}
			return 0
		}
		if k > i && (r.titleBreak(t, k, b) || t.is(k, fMonth)) {
			return 0
		}
		if k > i && isAcronymShape(t.toks[k].Text) && textkit.IsAllCaps(t.toks[k].Text) && !t.is(k, fOrgSuffix|fOrgHead) && !isRoman(t.fold(k)) {
			return 0
		}
		if !(t.is(k, fOrgHead|fOrgSuffix) || k == i && t.is(k, fOrgLead)) {
			continue
		}
		end := r.x.extendOrg(t, k+1, b)
		if k == i && end == k+1 && !t.is(k, fNamedOrg) {
			continue // a head alone names nothing: "the Ministry"
		}
		return end - i
	}
	return 0
}

// extendOrg extends an organisation's name from j over capitalised words, adjectives
// after a Romance head and "of"-constructions, up to a title before a person's name.
func (x *Extractor) extendOrg(t *text, j, b int) int {
	for j < b {
		if t.cap(j) {
			if x.titleBreakAt(t, j, b) || t.is(j, fMonth) {
				break
			}
			j++
			continue
		}
		if t.romance && t.lower(j) && isAdjective(t.fold(j)) && j > 0 && (t.cap(j-1) || t.lower(j-1)) {
			j++
			continue
		}
		if k, ok := t.connects(j); ok && !isLooseConnector(t.fold(j)) && t.is(j, fConnector) {
			j = k
			continue
		}
		break
	}
	return j
}

func (r *run) titleBreak(t *text, k, b int) bool { return r.x.titleBreakAt(t, k, b) }

// titleBreakAt reports whether a title at k opens a person's name after it ("Bank of
// England Governor Andrew Bailey"), rather than being part of a name ("Ministry of
// Foreign Affairs", "Defence Ministry").
func (x *Extractor) titleBreakAt(t *text, k, b int) bool {
	if !t.is(k, fTitle) || t.is(k, fOrgHead|fGiven) {
		return false
	}
	j := k + 1
	for j < b && t.cap(j) && t.is(j, fTitle) && !t.is(j, fOrgHead|fGiven) {
		j++
	}
	if j >= b || !t.cap(j) || t.is(j, fOrgHead) {
		return false
	}
	return t.is(j, fGiven) || j+1 < b && t.cap(j+1) || t.toks[k].Dot || t.is(k, fHonorific)
}

func isLowerHead(f string) bool {
	switch f {
	case "ministere", "ministerio", "secretariat", "parquet", "prefecture":
		return true
	}
	return false
}

func isLooseConnector(f string) bool {
	switch f {
	case "and", "et", "y", "e", "in", "on", "against", "the", "und":
		return true
	}
	return false
}

// segment cuts the span [a, b) into organisation, place and name mentions.
func (r *run) segment(t *text, a, b int) {
	i := a
	titled := -1 // start of the titles just before a name
	for i < b {
		if !t.cap(i) {
			i++
			titled = -1
			continue
		}
		lo, entry := r.orgMatch(t, i, b)
		lp := r.placeMatch(t, i, b)
		lh := r.headMatch(t, i, b)
		f := t.fl(i)
		if f&fArticle != 0 && i+1 < b && (lo > 0 || lp > 0) {
			// "El Banco Central": the article belongs to a name only if nothing as
			// long starts after it ("Los Angeles", "The Hague")
			lo2, _ := r.orgMatch(t, i+1, b)
			lp2 := r.placeMatch(t, i+1, b)
			lh2 := r.headMatch(t, i+1, b)
			if lo2+1 >= lo && lo > 0 || lp2+1 >= lp && lp > 0 || lh2 > 0 {
				lo, lp = 0, 0
			}
		}
		common := t.sentInit(i) && f&fCommon != 0 && (f&(fGiven|fTitle) == 0 || f&fGiven != 0 && !t.cap(i+1))
		if lo == 0 && lp == 0 && (f&fArticle != 0 || lh == 0 && common) {
			i++ // "The", "El", a common word starting a sentence
			continue
		}
		switch {
		case lo > 0 && lo >= lp && lo >= lh:
			r.add(t, mention{kind: mOrg, org: entry}, i, i+lo, -1)
			i += lo
			titled = -1
			continue
		case lh > 0 && lh > lp:
			r.add(t, mention{kind: mOrg, org: -1}, i, i+lh, -1)
			i += lh
			titled = -1
			continue
		case lp > 0:
			if i+lp < b && t.cap(i+lp) && t.is(i+lp, fFacility) {
				i += lp + 1 // a building or street: "Stamford Bridge"
				titled = -1
				continue
			}
			// a given name followed by a surname is a person ("Jordan Bardella", "Paris Hilton")
			if !(lp == 1 && f&fGiven != 0 && i+1 < b && t.cap(i+1) && !t.is(i+1, fTitle|fOrgHead|fFacility)) {
				if !(lp == 1 && t.sentInit(i) && f&fCommon != 0) {
					r.add(t, mention{kind: mPlace, org: -1}, i, i+lp, -1)
				}
				i += lp
				titled = -1
				continue
			}
		}
		if f&fMonth != 0 && f&fGiven == 0 {
			i++
			continue
		}
		if f&fTitle != 0 && f&fGiven == 0 && (i+1 < b || t.toks[i].Dot) {
			if titled < 0 {
				titled = i
			}
			i++
			continue
		}
		if f&(fGiven|fTitle) == 0 && i+1 < b && r.x.places.demonym(t.toks[i].Text) {
			i++ // "German Chancellor ...", "Russian forces"
			continue
		}
		// a name: capitalised words and particles up to a title, a connector or the end
		j := i
		for j < b {
			if t.cap(j) {
				if j > i && (t.is(j, fMonth) && !t.is(j, fGiven) || r.titleBreak(t, j, b)) {
					break
				}
				if isAcronymShape(t.toks[j].Text) && textkit.IsAllCaps(t.toks[j].Text) && !t.toks[j].Dot && !isRoman(t.fold(j)) {
					if j == i {
						j++ // an acronym stands alone: "Hafenbetreiber HHLA"
					}
					break
				}
				j++
				continue
			}
			if t.lower(j) && t.is(j, fParticle) && !isLooseConnector(t.fold(j)) {
				if k, ok := t.connects(j); ok && !t.is(k, fOrgHead|fOrgLead) {
					j = k
					continue
				}
			}
			break
		}
		if j == i {
			i++
			continue
		}
		// "Intérieur Gérald Darmanin": a given name inside starts the person
		if !t.is(i, fGiven) {
			for k := i + 1; k < j-1; k++ {
				if t.cap(k) && t.is(k, fGiven) && !t.is(k, fTitle) {
					r.add(t, mention{kind: mName, org: -1}, i, k, titled)
					i, titled = k, -1
					break
				}
			}
		}
		r.add(t, mention{kind: mName, org: -1}, i, j, titled)
		titled = -1
		i = j
	}
}

// add fills in the surface and context cues of a mention of tokens [s, e).
func (r *run) add(t *text, m mention, s, e, titled int) {
	for e > s && !t.cap(e-1) && !(t.romance && t.lower(e-1) && isAdjective(t.fold(e-1))) {
		e--
	}
	if e <= s {
		return
	}
	m.surface = t.surface(s, e)
	m.end = t.toks[e-1].End
	m.words = make([]string, 0, e-s)
	for k := s; k < e; k++ {
		if w := t.fold(k); w != "" {
			m.words = append(m.words, w)
		}
	}
	m.order = t.base + t.toks[s].Start
	m.headline = t.headline
	m.sentInit = t.sentInit(s)
	m.given = t.is(s, fGiven)
	before := s - 1
	if titled >= 0 {
		m.title = true
		before = titled - 1
		if e == s+1 {
			m.titled = t.surface(titled, e) // "Mr Xi", "President Putin"
		}
		m.sentInit = t.sentInit(titled)
	}
	// particles written before a surname: "von der Leyen"
	if m.kind == mName && e == s+1 && !t.is(s, fOrgHead|fOrgLead|fCommon) {
		p := s
		for p > 0 && t.lower(p-1) && t.is(p-1, fParticle) && !t.is(p-1, fArticle|fLocPrep) {
			p--
		}
		if p < s && p > 0 && !t.cap(p-1) {
			m.surface = t.surface(p, e)
			m.words = append(t.foldRange(p, s), m.words...)
		}
	}
	// cues before: a lower-case title ("le président", "Bundeskanzler"), a speech verb, a preposition
	for k := before; k >= 0 && k >= before-1; k-- {
		if t.toks[k].Kind != textkit.Word {
			break
		}
		if t.is(k, fTitle) && !t.cap(k) || t.is(k, fTitle) && k == before && m.kind == mName {
			m.title = true
		}
		if k == before && t.lower(k) && t.is(k, fSpeechPre) {
			m.speech = true
		}
		if k == before && t.lower(k) && t.is(k, fLocPrep) {
			m.loc = true
		}
		if !t.lower(k) || !t.is(k, fTitle|fArticle) {
			break
		}
	}
	if before >= 0 && t.is(before, fSpeechPre) && t.lower(before) {
		m.speech = true
	}
	// cues after: a speech verb ("said", "a déclaré", "sagte"), an age in apposition
	k := e
	if t.punct(k, ",") {
		if k+2 < len(t.toks) && t.toks[k+1].Kind == textkit.Number && (t.punct(k+2, ",") || t.punct(k+2, ")")) {
			m.appos = true
		}
	} else if t.punct(k, "(") && k+1 < len(t.toks) && t.toks[k+1].Kind == textkit.Number {
		m.appos = true
	}
	if k < len(t.toks) && t.lower(k) {
		if t.is(k, fSpeech) && t.fold(k) != "a" {
			m.speech = true
		} else if (t.fold(k) == "a" || t.fold(k) == "hat" || t.fold(k) == "has" || t.fold(k) == "had" || t.fold(k) == "ha") && t.is(k+1, fSpeech) {
			m.speech = true
		}
	}
	// an acronym defined in parentheses right after: "North Atlantic Treaty Organization (NATO)"
	if t.punct(e, "(") && e+2 < len(t.toks) && t.punct(e+2, ")") && t.toks[e+1].Kind == textkit.Word {
		acr := t.toks[e+1].Text
		if isAcronymShape(acr) && acronymMatches(acr, m.words, r.x.lex) {
			m.acr = acr
			if m.kind != mPlace {
				m.kind = mOrg
			}
			t.skip[e+1] = true
		}
	}
	r.ments = append(r.ments, m)
}

// isAcronymShape reports whether w looks like an acronym: 2 to 8 letters, mostly capitals
// ("NATO", "AfD", "UE").
func isAcronymShape(w string) bool {
	if len(w) < 2 || len(w) > 8 {
		return false
	}
	up := 0
	for _, c := range w {
		if c >= 'A' && c <= 'Z' {
			up++
		} else if !(c >= 'a' && c <= 'z') && c != '-' && c != '&' && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return up >= 2 && w[0] >= 'A' && w[0] <= 'Z'
}

// acronymMatches reports whether the letters of acr are the initials of words, where
// connectors and articles may be skipped ("Alternative für Deutschland" is AfD,
// "Organisation mondiale de la santé" is OMS).
func acronymMatches(acr string, words []string, lex map[string]wordFlag) bool {
	a := textkit.Fold(strings.ReplaceAll(acr, "-", ""))
	ws := words
	var match func(ai, wi int) bool
	match = func(ai, wi int) bool {
		if ai == len(a) {
			for ; wi < len(ws); wi++ {
				if lex[ws[wi]]&(fConnector|fArticle|fParticle) == 0 {
					return false
				}
			}
			return true
		}
		if wi == len(ws) {
			return false
		}
		w := ws[wi]
		skippable := lex[w]&(fConnector|fArticle|fParticle) != 0
		if w[0] == a[ai] {
			if match(ai+1, wi+1) {
				return true
			}
			// a word may give two letters ("Co-operation", "ExxonMobil" aside)
			if ai+1 < len(a) && len(w) > 1 && strings.IndexByte(w[1:], a[ai+1]) >= 0 && match(ai+2, wi+1) && wi+1 == len(ws) {
				return true
			}
		}
		return skippable && match(ai, wi+1)
	}
	return len(ws) >= 2 && match(0, 0)
}

func isRoman(f string) bool {
	switch f {
	case "ii", "iii", "iv", "vi", "vii", "viii", "ix", "xi", "xii", "xiii", "xiv", "xv", "xvi":
		return true
	}
	return false
}
