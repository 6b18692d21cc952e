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
	family                                               bool  // starts with an East Asian family name followed by a given name
	quoted                                               bool  // the whole mention stands in quotation marks: a title of a work
	orgCue                                               bool  // an organisation noun stands before it ("carmaker", "le syndicat")
	apposOr                                              bool  // an organisation noun stands in apposition after it ("X, a consultancy,")
	orgVerb                                              bool  // followed by "said in a statement", "announced" or another institutional cue
	article                                              uint8 // the German definite article before it: articleDer, articleDas
}

// text is one tokenized text (headline or body) of a run.
type text struct {
	s        string
	toks     []textkit.Token
	folds    []string
	flags    []wordFlag
	orgN     []int32 // Extractor.orgFirst of the folded word, set with its flags
	skip     []bool  // tokens in dateline, byline and credit lines
	headline bool
	titling  bool // a title-case or all-caps headline: capitals say nothing
	base     int  // order offset
	lang     string
	romance  bool
	lex      map[string]wordFlag
	key      []byte // scratch for foldKey
	canon    *wordTable
}

func (x *Extractor) newText(s string, headline bool, base int, lang string) *text {
	t, _ := x.texts.Get().(*text)
	if t == nil {
		t = &text{}
	}
	*t = text{s: s, headline: headline, base: base, lang: lang,
		toks: t.toks[:0], folds: t.folds[:0], flags: t.flags[:0], orgN: t.orgN[:0], skip: t.skip[:0], key: t.key[:0]}
	t.romance = lang == "fr" || lang == "es" || lang == "it" || lang == "pt"
	t.toks = textkit.AppendTokens(t.toks, s)
	n := len(t.toks)
	t.folds = grow(t.folds, n)
	t.flags = grow(t.flags, n)
	t.orgN = grow(t.orgN, n)
	t.skip = grow(t.skip, n)
	t.lex = x.lex
	t.canon = &x.canon
	return t
}

// grow returns s with length n and every element zero, reusing its array when it can.
func grow[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// release returns a text's buffers for reuse by later runs.
func (x *Extractor) release(t *text) {
	if t == nil {
		return
	}
	t.s = ""
	clear(t.folds) // let the folded strings go
	x.texts.Put(t)
}

// fl returns the flags of token i, folding and looking the word up on first use:
// most words of a story are never asked about.
func (t *text) fl(i int) wordFlag {
	f := t.flags[i]
	if f&fDone != 0 {
		return f
	}
	tk := t.toks[i]
	f = fDone | f&(fCapDone|fCapYes|fDemDone|fDemYes)
	if tk.Kind == textkit.Word {
		w, lf, on := t.lookupWord(tk.Text)
		t.folds[i] = w
		t.orgN[i] = on
		f |= lf
		if t.lang == "de" && f&(fTitle|fGiven|fOrgHead) == 0 && textkit.IsCapitalized(tk.Text) {
			f |= germanCompound(w)
			if g := strings.TrimSuffix(w, "s"); f&fOrgHead == 0 && len(g) < len(w) && len(g) > 5 {
				f |= t.lex[g] & fOrgHead // the genitive of a head: "des Berliner Ensembles"
			}
		}
	}
	t.flags[i] = f
	return f
}

// foldKey returns Fold(surface) of tokens [a, b) in a scratch buffer, built from the
// cached folds when the tokens are words separated by single spaces, which saves
// folding and allocating again. The buffer is valid until the next call.
func (t *text) foldKey(a, b int, surface string) []byte {
	slow := func() []byte {
		t.key = textkit.AppendFold(t.key[:0], surface)
		return t.key
	}
	for k := a; k < b; k++ {
		if t.toks[k].Kind != textkit.Word || k > a && (t.toks[k].Start != t.toks[k-1].End+1 || t.s[t.toks[k-1].End] != ' ') {
			return slow()
		}
	}
	if t.toks[b-1].End != t.toks[a].Start+len(surface) {
		return slow() // a final stop kept ("Inc.")
	}
	buf := t.key[:0]
	for k := a; k < b; k++ {
		if k > a {
			buf = append(buf, ' ')
		}
		buf = append(buf, t.fold(k)...)
	}
	t.key = buf
	return buf
}

// lookupWord folds a word and returns its lexicon flags and orgFirst count, with one
// map lookup.
func (t *text) lookupWord(w string) (string, wordFlag, int32) {
	if len(w) <= 32 {
		var arr [32]byte
		b := arr[:0]
		h := uint64(fnvOffset)
		for i := 0; i < len(w); i++ {
			c := w[i]
			if c >= 0x80 {
				b = nil
				break
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			h ^= uint64(c)
			h *= fnvPrime
		}
		if b != nil {
			if e, ok := t.canon.get(b, h); ok {
				return e.key, e.flag, e.orgN
			}
			if string(b) == w {
				return w, 0, 0
			}
			return string(b), 0, 0
		}
	}
	f := textkit.Fold(w)
	if e, ok := t.canon.get([]byte(f), fnvString(f)); ok { // every lexicon word is in canon
		return f, e.flag, e.orgN
	}
	return f, 0, 0
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
	for _, p := range germanRelational {
		if strings.HasPrefix(f, p) && len(f) > len(p)+4 {
			return 0 // "Schwestergesellschaft": describes the name after it
		}
	}
	// the genitive of a head ("des Oberlandesgerichts Hamm", "des Polizeipräsidiums")
	if g := strings.TrimSuffix(f, "s"); len(g) < len(f) && len(g) > 6 {
		if fl := germanCompoundHead(strings.TrimSuffix(g, "e")); fl != 0 && strings.HasSuffix(g, "e") {
			return fl
		}
		if fl := germanCompoundHead(g); fl != 0 {
			return fl
		}
	}
	return germanCompoundHead(f)
}

// germanCompoundHead gives the organisation flags of a German compound in the nominative.
func germanCompoundHead(f string) wordFlag {
	named := strings.Contains(f, "bundes") || strings.HasPrefix(f, "landes")
	if k := strings.LastIndexByte(f, '-'); k > 1 {
		named = true // "Ifo-Institut", "Max-Planck-Gesellschaft"
		f = f[k+1:]
		for _, e := range germanOrgEnds {
			if f == e {
				return fNamedOrg | fOrgHead
			}
		}
	}
	if named {
		for _, e := range germanOrgEnds {
			if len(f) > len(e)+5 && strings.HasSuffix(f, e) {
				return fNamedOrg | fOrgHead
			}
		}
	}
	for _, e := range germanHeadEnds {
		if len(f) > len(e)+3 && strings.HasSuffix(f, e) {
			return fOrgHead
		}
	}
	return 0
}

func (t *text) cap(i int) bool {
	if uint(i) >= uint(len(t.flags)) {
		return false
	}
	if f := t.flags[i]; f&fCapDone != 0 {
		return f&fCapYes != 0 && !t.skip[i] // only words have fCapDone
	}
	if t.toks[i].Kind != textkit.Word || t.skip[i] {
		return false
	}
	c := t.capWord(i)
	t.flags[i] |= fCapDone
	if c {
		t.flags[i] |= fCapYes
	}
	return c
}

// capWord reports whether word i may start or continue a name.
func (t *text) capWord(i int) bool {
	w := t.toks[i].Text
	if c := w[len(w)-1]; c == '\'' || strings.HasSuffix(w, "’") {
		return false // an elision: "L'" of "L'Espagne"
	}
	c := w[0]
	if c >= 'A' && c <= 'Z' {
		return true
	}
	if c >= 0x80 {
		return textkit.IsCapitalized(w)
	}
	// a lower-case word is a name only with a capital inside
	upper := false
	for k := 1; k < len(w) && !upper; k++ {
		upper = w[k] >= 'A' && w[k] <= 'Z'
	}
	if !upper {
		return false
	}
	if c >= 'a' && c <= 'z' && brandShape(w) {
		return t.fl(i)&fNotOrgAcronym == 0 // "easyJet", "beIN", not "kWh"
	}
	return arabicArticle(w)
}

// demonym reports whether token i is a demonym ("German", "française"), asking the
// gazetteer once per token.
func (r *run) demonym(t *text, i int) bool {
	if f := t.flags[i]; f&fDemDone != 0 {
		return f&fDemYes != 0
	}
	d := r.x.places.demonym(t.toks[i].Text)
	t.flags[i] |= fDemDone
	if d {
		t.flags[i] |= fDemYes
	}
	return d
}

// possessive reports whether token i is followed by a possessive "'s" ("Germany's").
func (t *text) possessive(i int) bool {
	e := t.toks[i].End
	if e+1 >= len(t.s) || t.s[e] != '\'' && !strings.HasPrefix(t.s[e:], "’") {
		return false
	}
	k := e + 1
	if t.s[e] != '\'' {
		k = e + len("’")
	}
	return k < len(t.s) && (t.s[k] == 's' || t.s[k] == 'S') && (k+1 == len(t.s) || t.s[k+1] == ' ' || t.s[k+1] == ',' || t.s[k+1] == '.')
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

// adjective reports whether token i reads as an adjective of a Romance name, not a
// verb in the past tense that happens to end like one ("replicó", "indicó").
func (t *text) adjective(i int) bool {
	w := t.toks[i].Text
	return isAdjective(t.fold(i)) && !strings.HasSuffix(w, "ó") && !strings.HasSuffix(w, "é")
}

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
		if romance && t.lower(i) && !t.skip[i] && isLowerHeadWide(t.fold(i)) && !(i > 0 && isIndefiniteArticle(t.fold(i-1))) {
			if end := r.lowerHeadName(t, i); end > i {
				r.add(t, mention{kind: mOrg, org: -1}, i, end, -1)
				i = end - 1
				continue
			}
		}
		if !t.cap(i) {
			if t.lowerSuffix(i+1) && t.lower(i) && !t.skip[i] && t.fl(i)&(fCommon|fArticle|fConnector|fTitle|fRole|fOrgNoun) == 0 {
				r.add(t, mention{kind: mOrg, org: -1}, i, i+2, -1) // "its operator daa plc said"
				i++
			}
			continue
		}
		a, b := i, i+1
		adj := 0
		for b < n {
			if t.cap(b) {
				if t.possessive(b-1) && possessiveBreaks(t.fold(b-1)) {
					break // "Germany's Federal Court", "Doug Ford's Progressive Conservatives"
				}
				b++
				continue
			}
			if t.lowerSuffix(b) {
				b++ // "FirstGroup plc"
				break
			}
			if (t.punct(b, "'") || t.punct(b, "’")) && t.toks[b].Start == t.toks[b-1].End && strings.HasSuffix(t.toks[b-1].Text, "s") && t.cap(b+1) {
				b += 2 // a plural possessive inside a name: "Ontario Nurses' Association"
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
			if romance && adj < 2 && t.lower(b) && (t.is(b-1, fOrgHead|fOrgLead) || adj > 0) && t.adjective(b) {
				b++
				adj++
				continue
			}
			break
		}
		r.lastTok = 0
		r.segment(t, a, b)
		i = max(b, r.lastTok) - 1 // a name may run past the span: "Ministerio de Educación, Formación Profesional y Deportes"
	}
}

// suffixMatch returns the length of a company's name closed by a legal form, starting
// at i ("Caledonia Power plc", "Inversiones Lagasca S.L.", "Pagoligero S.A. de C.V."),
// or 0.
func (r *run) suffixMatch(t *text, i, b int) int {
	f := t.fl(i)
	if f&(fArticle|fTitle|fMonth) != 0 && f&(fOrgHead|fOrgLead) == 0 || f&fOrgSuffix != 0 || t.sentInit(i) && f&fCommon != 0 {
		return 0
	}
	if f&fOrgNoun != 0 && !t.sentInit(i) || t.lang == "de" && germanOrgNoun(t.fold(i)) {
		return 0 // "Konkurrent Traton SE": the descriptor stays out
	}
	for k := i + 1; k < b && k <= i+7; k++ {
		if t.toks[k].Kind == textkit.Word && !t.cap(k) && !t.lowerSuffix(k) && !t.is(k, fConnector) {
			return 0
		}
		if !t.is(k, fOrgSuffix) || !(t.cap(k) || t.lowerSuffix(k)) {
			continue
		}
		end := k + 1
		if fk := t.fold(k); (fk == "s.a." || fk == "sa" || fk == "s.a.b.") && t.lower(end) && t.fold(end) == "de" && end+1 < len(t.toks) && t.fold(end+1) == "c.v." {
			end += 2
		}
		if t.cap(end) && t.is(end, fGiven) || t.possessive(k) || r.demonym(t, i) {
			return 0 // "Texas AG Ken Paxton": a title; "German Norvend AG": a demonym
		}
		return end - i
	}
	return 0
}

// onlyLegalWords reports whether tokens [a, b) are legal forms and group words
// ("Holdings plc"): a known name followed by them is the same company.
func (r *run) onlyLegalWords(t *text, a, b int) bool {
	for k := a; k < b; k++ {
		if t.toks[k].Kind == textkit.Word && !t.is(k, fOrgSuffix) && !isGroupWord(t.fold(k)) && t.fold(k) != "de" {
			return false
		}
	}
	return true
}

// placeSuffix returns the length of a place closing the span at j, which names a branch
// of the organisation before it ("Greenpeace France", "AOK Baden-Württemberg"), or 0.
func (r *run) placeSuffix(t *text, j, b int) int {
	if j >= b || j == 0 || t.possessive(j-1) || !t.cap(j) {
		return 0
	}
	lp := r.placeMatch(t, j, b)
	if lp == 0 || j+lp != b || t.possessive(b-1) {
		return 0
	}
	if b < len(t.toks) && (t.punct(b, "(") || t.is(b, fSpeech) && t.lower(b)) && t.toks[b].Kind == textkit.Punct {
		return 0
	}
	return lp
}

// orgNounBefore reports whether a lower-case noun describing an organisation stands
// before token a, maybe with one adjective ("le syndicat", "la asociación civil").
func (r *run) orgNounBefore(t *text, a int) bool {
	k := a - 1
	if k >= 1 && t.lower(k) && (t.adjective(k) || civilAdjective(t.fold(k))) && !t.is(k, fOrgNoun) {
		k--
	}
	return k >= 0 && t.lower(k) && t.is(k, fOrgNoun) && !t.is(k, fRole)
}

func civilAdjective(f string) bool {
	switch f {
	case "civil", "civile", "civiles", "sans", "sin", "non", "no":
		return true
	}
	return false
}

// noPerson reports whether the span [i, b) holds no given name.
func (r *run) noPerson(t *text, i, b int) bool {
	for k := i; k < b; k++ {
		if t.is(k, fGiven) && !t.is(k, fTitle) {
			return false
		}
	}
	return true
}

// prefixOrg adds the organisation written before the hyphen of a compound at i and
// returns i+1, or 0: in German the party or company of a role ("SPD-Chef",
// "Grünen-Abgeordnete", "CSU-Fraktion"), in French and Spanish a union's branch named
// as a whole ("CGT-Spectacle").
func (r *run) prefixOrg(t *text, i int) int {
	w := t.toks[i].Text
	h := strings.IndexByte(w, '-')
	if h < 2 || h == len(w)-1 || t.skip[i] {
		return 0
	}
	pre := w[:h]
	ref, ok := r.x.orgForm[textkit.Fold(pre)]
	known := ok && !r.x.orgs[ref.entry].agency && (!ref.acronym || textkit.IsAllCaps(pre))
	acr := isAcronymShape(pre) && textkit.IsAllCaps(pre) && t.fl(i)&fNotOrgAcronym == 0 && r.x.lex[textkit.Fold(pre)]&fNotOrgAcronym == 0 && abbreviatedCountry(textkit.Fold(pre)) == ""
	if !known && !acr {
		return 0
	}
	post := textkit.Fold(w[h+1:])
	if t.lang == "de" {
		role := false
		for _, e := range germanRoleParts {
			if post == e {
				role = true
				break
			}
		}
		if !role && (!known || germanCompound(post)&fTitle == 0) {
			return 0 // "NRW-Innenminister": a region's acronym before a portfolio
		}
		m := mention{kind: mOrg, org: -1, surface: pre, words: []string{textkit.Fold(pre)}, order: t.base + t.toks[i].Start, end: t.toks[i].Start + h, headline: t.headline}
		if known {
			m.org = ref.entry
		}
		r.ments = append(r.ments, m)
		return i + 1
	}
	if !t.romance || !known || !ref.acronym || !textkit.IsCapitalized(w[h+1:]) {
		return 0
	}
	r.add(t, mention{kind: mOrg, org: -1}, i, i+1, -1)
	return i + 1
}

// lowerHeadName returns the end of an institution's name opened by a lower-case head
// at i: adjectives and complements after it, then a capitalised place or name ("cour
// d'appel de Douai", "tribunal correctionnel de Lille", "mairie de Lille", "hôpital
// Lariboisière"), or i when no capitalised name closes it.
func (r *run) lowerHeadName(t *text, i int) int {
	n := len(t.toks)
	j := i + 1
	for adj := 0; adj < 2 && j < n && t.lower(j) && t.adjective(j) && !t.is(j, fCommon); adj++ {
		j++
	}
	if k := t.romanceComplement(j, n); k > j {
		j = k
	}
	if k, ok := t.connects(j); ok && !isLooseConnector(t.fold(j)) {
		return r.x.extendOrg(t, k, n)
	}
	if j == i+1 && t.cap(j) && !t.is(j, fGiven|fTitle) {
		switch t.fold(i) {
		case "hopital", "clinique", "lycee", "college", "universite":
			return r.x.extendOrg(t, j, n) // "l'hôpital Lariboisière"
		}
	}
	return i
}

// lowerSuffix reports whether token i is a legal form written in lower case ("plc").
func (t *text) lowerSuffix(i int) bool {
	if i >= len(t.toks) {
		return false
	}
	w := t.toks[i].Text
	return w == "plc" || w == "llc"
}

// possessiveBreaks reports whether a possessive after the folded word ends a name:
// a country's or a person's ("Germany's", "Ford's"), unlike the plural nouns inside
// names ("Children's", "People's").
func possessiveBreaks(f string) bool {
	switch f {
	case "children", "women", "men", "people", "peoples", "workers", "king", "queen", "st", "saint", "lloyd", "mcdonald", "moody", "sotheby", "christie", "sainsbury", "macy", "kellogg", "domino", "nation", "veteran", "farmer", "traveller", "consumer", "teacher", "doctor", "nurse":
		return false
	}
	return true
}

// orgMatch returns the length of the longest known organisation starting at i.
func (r *run) orgMatch(t *text, i, b int) (int, int) {
	t.fl(i)
	max := int(t.orgN[i]) // orgFirst of the word
	if b-i < max {
		max = b - i
	}
	for n := max; n >= 1; n-- {
		if n > 1 && !t.cap(i+n-1) {
			continue
		}
		s := t.surface(i, i+n)
		key := t.foldKey(i, i+n, s)
		if e := i + n; t.punct(e, "+") && t.toks[e].Start == t.toks[e-1].End {
			key = append(key, '+') // "Canal+", "Movistar Plus+"
		}
		ref, ok := r.x.orgForm[string(key)]
		if !ok && key[len(key)-1] == '+' {
			ref, ok = r.x.orgForm[string(key[:len(key)-1])]
		}
		if !ok {
			continue
		}
		if n == 1 && i > 0 && t.lower(i-1) && isIndefiniteArticle(t.fold(i-1)) {
			continue // "ein Bild", "un Orange": the common noun
		}
		if ref.acronym && !textkit.IsAllCaps(s) || ref.poss && !t.possessive(i+n-1) {
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
			if t.is(i, fMonth|fArticle|fTitle|fSpeech) || r.demonym(t, i) {
				return 0
			}
			if t.lang == "de" && (t.is(i, fGermanNoun) || t.is(i-1, fArticle) && t.lower(i-1) && isIndefinite(t.fold(i-1))) {
				return 0 // "ein Mann", "die Lage"
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
	if i >= b {
		return 0
	}
	if t.lang == "de" && i+1 < b && !t.is(i, fOrgHead|fOrgLead) && germanOrgNoun(t.fold(i)) {
		return 0 // "Lastwagenbauer Daimler Truck": the descriptor stays out
	}
	if t.sentInit(i) && t.is(i, fCommon) && !t.is(i, fOrgHead|fOrgLead|fOrgSuffix) {
		return 0 // "Laut Statistischem Bundesamt", "Despite Acme Holdings"
	}
	if t.lang == "de" && i+1 < b && t.is(i+1, fNamedOrg) && r.cityAdjective(t.toks[i].Text) {
		return 0 // "das Münchner Ifo-Institut": the institute's name starts after the city
	}
	for k := i; k < b; k++ {
		if !t.cap(k) {
			if k > i && t.romance && t.lower(k) && t.adjective(k) {
				continue // "Banque centrale européenne"
			}
			if k > i && (t.punct(k, "'") || t.punct(k, "’")) && strings.HasSuffix(t.toks[k-1].Text, "s") {
				continue // "Ontario Nurses' Association"
			}
			return 0
		}
		if k > i && (r.titleBreak(t, k, b) || t.is(k, fMonth)) {
			return 0
		}
		if k > i && isAcronymShape(t.toks[k].Text) && textkit.IsAllCaps(t.toks[k].Text) && !t.is(k, fOrgSuffix|fOrgHead) && !isRoman(t.fold(k)) {
			return 0
		}
		if k > i && t.is(k, fCompanyHead) && !t.is(i, fGiven|fFamily|fTitle) && !t.is(k-1, fTitle) {
			return r.x.extendOrg(t, k+1, b) - i // "Thames Water", "Siemens Energy"
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
	nouns := 0
	for j < b || nouns < 2 && j < len(t.toks) && t.romance && t.lower(j) || j == b && t.punct(j, ",") {
		if j >= b {
			if k := t.romanceComplement(j, len(t.toks)); k > j {
				j = k
				nouns++
				continue
			}
			if k := x.coordinated(t, j, len(t.toks)); k > j {
				j = k
				continue
			}
			break
		}
		if t.cap(j) {
			if x.titleBreakAt(t, j, b) || t.is(j, fMonth) {
				break
			}
			if j >= 2 && t.cap(j-1) && t.cap(j-2) && t.is(j, fGiven) && !t.is(j, fOrgHead|fOrgLead) && j+1 < b && t.cap(j+1) && !t.is(j+1, fOrgHead|fOrgSuffix) {
				break // "du FC Nantes Ousmane Diop": a person's name after the club's
			}
			j++
			continue
		}
		if t.romance && t.lower(j) && t.adjective(j) && j > 0 && (t.cap(j-1) || t.lower(j-1)) {
			j++
			continue
		}
		if k, ok := t.connects(j); ok && !isLooseConnector(t.fold(j)) && t.is(j, fConnector) {
			j = k
			continue
		}
		if k := x.coordinated(t, j, b); k > j {
			j = k // "Ministerio para la Transición Ecológica y el Reto Demográfico"
			continue
		}
		if k := t.romanceComplement(j, b); k > j && nouns < 2 {
			j = k // "Fédération française de football", "Agence nationale de sécurité du médicament"
			nouns++
			continue
		}
		break
	}
	return j
}

// coordinated returns the end of portfolios coordinated inside an institution's name
// at j ("y el Reto Demográfico", ", Ciencia y Universidades", ", Maritime and Transport
// Workers"), or j. Each part is plain capitalised words: no place, person, acronym or
// known organisation, so that "Banco de España y Hacienda" stays two names.
func (x *Extractor) coordinated(t *text, j, b int) int {
	if j < 1 || !(t.punct(j, ",") && t.cap(j+1) || t.lower(j) && isCoordWord(t.fold(j))) || !t.cap(j-1) {
		return j // most words after a name join nothing
	}
	if x.plainRun(t, j-1, j, true) == 0 && !t.is(j-1, fOrgHead) {
		return j
	}
	if n, _ := x.places.lookup(t.toks[j-1].Text); n > 0 {
		return j
	}
	k := j
	list := false
	for t.punct(k, ",") && t.cap(k+1) {
		e := x.plainRun(t, k+1, b, true)
		if e == 0 {
			return j
		}
		k, list = e, true
	}
	if !t.lower(k) || !isCoordWord(t.fold(k)) {
		return j
	}
	k++
	if t.lower(k) && t.is(k, fArticle) && !list {
		k++
	}
	if e := x.plainRun(t, k, b, list); e > 0 {
		return e
	}
	return j
}

func isCoordWord(f string) bool {
	switch f {
	case "and", "y", "e", "et", "und":
		return true
	}
	return false
}

// plainRun returns the end of the capitalised words from k that are neither a place,
// a person's name, an acronym nor a known organisation (nor a head unless heads is
// set), or 0.
func (x *Extractor) plainRun(t *text, k, b int, heads bool) int {
	e := k
	for e < len(t.toks) && e < k+4 && t.cap(e) {
		w := t.toks[e].Text
		if t.is(e, fGiven|fMonth|fArticle) || isAcronymShape(w) && textkit.IsAllCaps(w) || !heads && t.is(e, fOrgHead|fOrgLead) {
			return 0
		}
		if _, ok := x.orgForm[t.fold(e)]; ok {
			return 0
		}
		if n, p := x.places.lookup(w); n > 0 && !t.is(e, fCommon) && (!heads || p.Kind == "country") {
			return 0 // in a list of portfolios only a country stops it: "Rail, Maritime and Transport"
		}
		e++
	}
	if e == k || e < len(t.toks) && t.cap(e) {
		return 0
	}
	return e
}

// romanceComplement returns the end of a lower-case complement of a French or Spanish
// organisation's name at j ("de football", "de la santé", "del medicamento"), or j.
func (t *text) romanceComplement(j, b int) int {
	if !t.romance || j < 1 || !t.lower(j) {
		return j
	}
	switch t.fold(j) {
	case "de", "du", "des", "del", "d'":
	default:
		return j
	}
	k := j + 1
	if t.lower(k) && (t.fold(k) == "la" || t.fold(k) == "l'" || t.fold(k) == "los" || t.fold(k) == "las") {
		k++
	}
	if !t.lower(k) || t.is(k, fCommon|fArticle|fMonth|fConnector) || t.toks[k].Kind != textkit.Word {
		return j
	}
	w := t.fold(k)
	if len(w) < 4 || isInfinitive(w, t.lang) {
		return j
	}
	k++
	for k < len(t.toks) && t.lower(k) && t.adjective(k) && !t.is(k, fCommon) {
		k++
	}
	return k
}

func isInfinitive(w, lang string) bool {
	switch lang {
	case "fr":
		return strings.HasSuffix(w, "er") || strings.HasSuffix(w, "ir")
	case "es", "pt":
		return strings.HasSuffix(w, "ar") || strings.HasSuffix(w, "er") || strings.HasSuffix(w, "ir")
	case "it":
		return strings.HasSuffix(w, "are") || strings.HasSuffix(w, "ere") || strings.HasSuffix(w, "ire")
	}
	return false
}

func isIndefinite(f string) bool {
	switch f {
	case "ein", "eine", "einen", "einem", "einer", "eines", "kein", "keine", "jeder", "jede", "jeden", "dieser", "diese", "diesen":
		return true
	}
	return false
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
	legal := false // a legal form in the span: only then can a company's name close on one
	for k := a + 1; k < b && !legal; k++ {
		legal = t.lowerSuffix(k) || t.cap(k) && t.is(k, fOrgSuffix)
	}
	titled := -1 // start of the titles just before a name
	for i < b {
		if !t.cap(i) {
			i++
			titled = -1
			continue
		}
		lo, entry := r.orgMatch(t, i, b)
		ls := 0
		if legal {
			ls = r.suffixMatch(t, i, b)
		}
		if ls > 0 {
			// a legal form closes a company's name: "SG Finance Central Europe SA"
			if lo == 0 || lo >= ls || !r.onlyLegalWords(t, i+lo, i+ls) {
				entry = -1 // "SG Finance Central Europe SA" is not Société Générale
			}
			r.add(t, mention{kind: mOrg, org: entry}, i, i+ls, -1)
			i += ls
			titled = -1
			continue
		}
		if k := r.prefixOrg(t, i); k > 0 {
			i, titled = k, -1 // "Grünen-Abgeordnete", "CGT-Spectacle"
			continue
		}
		if i == a && titled < 0 && a > 0 && lo < b-i && b-i >= 2 &&
			(t.is(i, fTitle) && lo == 0 || isAcronymShape(t.toks[i].Text) && textkit.IsAllCaps(t.toks[i].Text) || t.is(i, fArticle) && b-i >= 3) &&
			r.orgNounBefore(t, a) && r.noPerson(t, i, b) {
			r.add(t, mention{kind: mOrg, org: -1, orgCue: true}, i, b, -1) // "watchdog Transport Focus"
			i = b
			continue
		}
		lp := r.placeMatch(t, i, b)
		if lp == 1 && r.acrs.has(t.fold(i)) && textkit.IsAllCaps(t.toks[i].Text) {
			lp = 0 // an acronym the story defined: "la MEL"
		}
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
		if lo == 0 && lp <= 1 && f&fFamily != 0 {
			if j := r.familyName(t, i, b); j > i {
				r.add(t, mention{kind: mName, org: -1, family: true}, i, j, titled)
				i, titled = j, -1
				continue
			}
		}
		if lo == 0 && lp == 0 && lh == 0 && i+1 < b && t.cap(i+1) && f&(fGiven|fTitle) == 0 &&
			(t.lang == "de" && germanOrgNoun(t.fold(i)) || f&fOrgNoun != 0 && !t.sentInit(i)) {
			// "Hafenbetreiber HHLA", "Terminalbetreibers Eurogate": the name after the noun
			j := i + 1
			for j < b && t.cap(j) && !t.is(j, fTitle|fMonth) {
				j++
			}
			r.add(t, mention{kind: mOrg, org: -1}, i+1, j, -1)
			i, titled = j, -1
			continue
		}
		common := t.sentInit(i) && f&fCommon != 0 && (f&(fGiven|fTitle) == 0 || f&fGiven != 0 && !t.cap(i+1))
		if lo == 0 && lp == 0 && (f&fArticle != 0 || lh == 0 && common) {
			i++ // "The", "El", a common word starting a sentence
			continue
		}
		switch {
		case lo > 0 && lo >= lp && lo >= lh:
			if lp2 := r.placeSuffix(t, i+lo, b); lp2 > 0 {
				entry = -1 // a branch: "Friends of the Earth Ireland", "AOK Baden-Württemberg"
				lo += lp2
			}
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
			if lh2 := r.headMatch(t, i+lp, b); lh2 > 0 && lo == 0 && !t.is(i+lp, fTitle) && !(t.sentInit(i) && f&fCommon != 0) {
				// a place opening an institution's name: "Lagos State Emergency Management Agency"
				r.add(t, mention{kind: mOrg, org: -1}, i, i+lp+lh2, -1)
				i += lp + lh2
				titled = -1
				continue
			}
			if i+lp < b && t.cap(i+lp) && t.is(i+lp, fFacility) {
				i += lp + 1 // a building or street: "Stamford Bridge"
				titled = -1
				continue
			}
			// a given name followed by a surname is a person ("Jordan Bardella", "Paris
			// Hilton"), and so is any pair a role introduces ("the board president,
			// Hollis Brandt,", "l'arbitre portugais João Pinheiro")
			person := i+1 < b && t.cap(i+1) && !t.is(i+1, fTitle|fOrgHead|fFacility) &&
				(lp == 1 && f&fGiven != 0 || lp <= 2 && r.personContext(t, i, titled))
			if !person {
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
		if t.lang == "de" && lo == 0 && lh == 0 && f&(fGiven|fTitle) == 0 && i+1 < b && r.cityAdjective(t.toks[i].Text) {
			i++ // "Münchner", "Berliner": an adjective, not a name
			continue
		}
		if f&(fGiven|fTitle) == 0 && i+1 < b && r.demonym(t, i) && !r.definesAcronym(t, i, b) {
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
						if lp2 := r.placeSuffix(t, j, b); lp2 > 0 && t.fl(i)&fNotOrgAcronym == 0 && abbreviatedCountry(t.fold(i)) == "" {
							r.add(t, mention{kind: mOrg, org: -1}, i, j+lp2, -1)
							i, titled = j+lp2, -1
							j = -1
						}
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
		if j < 0 {
			continue
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
	for e > s && !t.cap(e-1) && (t.toks[e-1].Kind != textkit.Word || t.is(e-1, fConnector|fArticle|fParticle)) {
		e--
	}
	if e <= s {
		return
	}
	m.surface = t.surface(s, e)
	if t.punct(e, "+") && t.toks[e].Start == t.toks[e-1].End {
		m.surface += "+" // "Canal+", "Movistar Plus+"
	}
	m.end = t.toks[e-1].End
	r.lastTok = e
	if m.kind == mOrg && m.org >= 0 && t.possessive(e-1) && strings.HasSuffix(r.x.orgs[m.org].en, "'s") {
		m.surface += "'s" // "Moody's"
	}
	m.words = r.newWords(e - s)
	for k := s; k < e; k++ {
		if w := t.fold(k); w != "" {
			m.words = append(m.words, w)
		}
	}
	m.order = t.base + t.toks[s].Start
	m.headline = t.headline
	if t.lang == "de" && s > 0 && titled < 0 && t.toks[s-1].Kind == textkit.Word {
		switch t.fold(s - 1) {
		case "der":
			m.article = articleDer
		case "das":
			m.article = articleDas
		}
	}
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
		if k == before && t.is(k, fConnector) && !t.is(k, fTitle) {
			break // "le ministre des Transports": a portfolio, not a person
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
	if before >= 0 && t.lower(before) && t.is(before, fRole) && !t.is(before, fOrgNoun) {
		m.title = true // "economist Jane Doe", "l'agriculteur Jean Dupont"
	}
	if m.kind == mName && !m.title && t.punct(before, ",") && (t.punct(e, ",") || t.punct(e, ".") || t.is(e, fSpeech)) && t.roleBefore(before) {
		m.title = true // "Its general secretary, Lena Okoro, said", "La portavoz del grupo, Marta Ruiz,"
	}
	if before >= 1 && t.lower(before) && isAtPrep(t.fold(before)) && (t.lower(before-1) || t.toks[before-1].SentStart) && t.is(before-1, fRole) {
		m.orgCue = true // "an analyst at Bernstein", "juriste chez ClientEarth"
	}
	if before >= 0 && t.is(before, fOrgNoun) && (t.lower(before) || t.lang == "de") {
		m.orgCue = true // "carmaker Volkswagen", "le syndicat FO"
	}
	if before >= 0 && isOpenQuote(t.toks[before].Text) && e < len(t.toks) && isCloseQuote(t.toks[e].Text) {
		m.quoted = true
	}
	// cues after: a speech verb ("said", "a déclaré", "sagte"), an age or a role in apposition
	k := e
	if t.punct(k, ",") {
		if k+2 < len(t.toks) && t.toks[k+1].Kind == textkit.Number && (t.punct(k+2, ",") || t.punct(k+2, ")")) {
			m.appos = true
		} else if t.is(k+1, fArticle) && t.lower(k+1) {
			// "X, a nurse from Kharkiv," / "X, the agency's spokesperson" / "X, a
			// consultancy,": the last noun before a preposition heads the apposition
			org, per := false, false
			for j := k + 2; j < k+8 && j < len(t.toks) && t.toks[j].Kind == textkit.Word && !t.is(j, fLocPrep|fConnector); j++ {
				if t.is(j, fRole|fTitle) && t.lower(j) {
					org, per = false, true
				} else if t.is(j, fOrgNoun) && t.lower(j) {
					org, per = true, false
				}
			}
			m.appos = m.appos || per
			m.apposOr = org
		}
	} else if t.punct(k, "(") && k+1 < len(t.toks) && t.toks[k+1].Kind == textkit.Number {
		m.appos = true
	}
	if k+3 < len(t.toks) && t.lower(k) && t.is(k, fSpeech) && isStatementCue(t.fold(k+1), t.fold(k+2), t.fold(k+3)) {
		m.orgVerb = true // "said in a statement", "a indiqué dans un communiqué"
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
		if isAcronymShape(acr) && acronymMatches(acr, m.words, r.x.lex) || textkit.IsCapitalized(acr) && looseAcronym(acr, m.words, r.x.lex) {
			m.acr = acr
			r.defineAcronym(acr)
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

func isOpenQuote(s string) bool {
	switch s {
	case "\"", "“", "«", "„", "‘", "'":
		return true
	}
	return false
}

func isCloseQuote(s string) bool {
	switch s {
	case "\"", "”", "»", "“", "’", "'":
		return true
	}
	return false
}

// isStatementCue reports whether the words after a speech verb say it was said in a
// written statement, which institutions issue ("in a statement", "dans un communiqué",
// "en un comunicado", "in einer Mitteilung").
func isStatementCue(a, b, c string) bool {
	switch a {
	case "in", "dans", "en", "via", "par", "mediante":
	default:
		return false
	}
	switch b {
	case "a", "its", "un", "une", "su", "einer", "seiner", "ihrer", "son":
	default:
		return false
	}
	switch c {
	case "statement", "release", "communique", "comunicado", "mitteilung", "erklarung", "pressemitteilung", "nota", "note":
		return true
	}
	return false
}

// familyName returns the end of a name written family name first at i ("Nguyen Van
// Thanh", "Park Ji-won", "Wang Yi", "Kim Jong Un"), or i when the words after the
// family name do not read as a given name.
func (r *run) familyName(t *text, i, b int) int {
	if t.lang == "fr" || t.lang == "es" || t.lang == "it" || t.lang == "pt" {
		if t.fold(i) == "le" || t.fold(i) == "la" {
			return i
		}
	}
	if t.sentInit(i) && t.is(i, fArticle) {
		return i
	}
	if t.sentInit(i) && t.is(i, fCommon) && !(t.cap(i+1) && (t.is(i+1, fGiven) || strings.Contains(t.toks[i+1].Text, "-"))) {
		return i // "He", "Do", "Park" opening a sentence
	}
	j := i + 1
	for j < b && j < i+3 && t.cap(j) && !t.is(j, fTitle|fOrgHead|fOrgSuffix|fCompanyHead|fMonth|fFacility) {
		if n, _ := r.lookup(t.toks[j].Text); n > 0 && !t.is(j, fGiven) {
			break
		}
		j++
	}
	switch {
	case j == i+1:
		return i
	case j == i+2:
		w := t.toks[i+1].Text
		if strings.Contains(w, "-") || t.is(i+1, fGiven) {
			return j
		}
		return i
	}
	return j
}

// looseAcronym reports whether a mixed-case short form is made of the leading letters
// of the words, one or more from each, in order, connectors skipped ("Aemet" of
// "Agencia Estatal de Meteorología", "Ofgem" of "Office of Gas and Electricity Markets").
func looseAcronym(acr string, words []string, lex map[string]wordFlag) bool {
	a := textkit.Fold(acr)
	var match func(ai, wi, used int) bool
	match = func(ai, wi, used int) bool {
		if ai == len(a) {
			return used >= 2
		}
		if wi == len(words) {
			return false
		}
		w := words[wi]
		for n := 1; n <= len(w) && ai+n <= len(a); n++ {
			if w[n-1] != a[ai+n-1] {
				break
			}
			if match(ai+n, wi+1, used+1) {
				return true
			}
		}
		return lex[w]&(fConnector|fArticle|fParticle) != 0 && match(ai, wi+1, used)
	}
	return len(words) >= 2 && match(0, 0, 0)
}

// definesAcronym reports whether the span [i, b) is followed by an acronym in
// parentheses made of its initials: "Deutscher Wetterdienst (DWD)".
func (r *run) definesAcronym(t *text, i, b int) bool {
	if !t.punct(b, "(") || !t.punct(b+2, ")") || t.toks[b+1].Kind != textkit.Word {
		return false
	}
	acr := t.toks[b+1].Text
	return isAcronymShape(acr) && acronymMatches(acr, t.foldRange(i, b), r.x.lex)
}

// roleBefore reports whether the clause ending at the comma at c opens with a role
// noun phrase ("The agency's spokesperson, ...", "La présidente du conseil régional, ...",
// "Die Präsidentin des ZdK, ..."), so that the name after the comma is that person.
func (t *text) roleBefore(c int) bool {
	for j := c - 1; j >= 0 && j >= c-12; j-- {
		tk := t.toks[j]
		if tk.Kind == textkit.Punct {
			switch tk.Text {
			case "(", ")", "'", "’", "-":
				continue
			}
			return false
		}
		if t.is(j, fTitle|fRole) && !t.is(j, fOrgNoun|fGiven) && (t.lower(j) || t.lang == "de") {
			// the role must open the clause: an article, a possessive or the sentence start before it
			for k := j - 1; k >= 0 && k >= j-3; k-- {
				if t.toks[k].SentStart || t.is(k, fArticle) || t.punct(k, ",") {
					return true
				}
				if t.toks[k].Kind != textkit.Word || !(t.lower(k) || t.lang == "de") {
					break
				}
			}
			if t.toks[j].SentStart || j > 0 && t.is(j-1, fArticle) {
				return true
			}
		}
		if t.toks[j].ParaStart || t.toks[j].SentStart && j > 0 && isTerminal(t.toks[j-1].Text) {
			return false
		}
	}
	return false
}

func isTerminal(p string) bool { return p == "." || p == "!" || p == "?" || p == ":" }

func isAtPrep(f string) bool {
	switch f {
	case "at", "chez", "bei", "with", "from", "of", "de", "du", "del", "en", "von", "der":
		return true
	}
	return false
}

// arabicArticle reports whether w is a name written with a lower-case Arabic article
// ("al-Nour", "el-Sisi", "ad-Din"), which is part of a name like a capitalised word.
func arabicArticle(w string) bool {
	k := strings.IndexByte(w, '-')
	if k < 2 || k > 3 || k+1 >= len(w) {
		return false
	}
	switch w[:k] {
	case "al", "el", "ad", "as", "an", "ar", "at", "az", "ash", "ul", "ed", "es":
	default:
		return false
	}
	c := w[k+1]
	return 'A' <= c && c <= 'Z'
}

// key returns the folded words of the mention joined by spaces.
func (m *mention) key() string {
	if len(m.words) == 1 {
		return m.words[0]
	}
	return strings.Join(m.words, " ")
}

// personContext reports whether the words before i introduce a person: a title, a role
// noun (possibly with a demonym after it) or a role phrase closed by a comma.
func (r *run) personContext(t *text, i, titled int) bool {
	if titled >= 0 {
		return true
	}
	k := i - 1
	if k >= 0 && t.lower(k) && r.demonym(t, k) {
		k-- // "l'arbitre portugais"
	}
	if k >= 0 && t.lower(k) && t.is(k, fRole|fTitle) && !t.is(k, fOrgNoun) {
		return true
	}
	return t.punct(i-1, ",") && t.roleBefore(i-1)
}

func isIndefiniteArticle(f string) bool {
	switch f {
	case "a", "an", "ein", "eine", "einen", "einem", "einer", "un", "une", "una", "uno":
		return true
	}
	return false
}

// cityAdjective reports whether w is a German adjective made from a place name
// ("Münchner", "Berliner", "Kölner").
func (r *run) cityAdjective(w string) bool {
	if !strings.HasSuffix(w, "er") || len(w) < 6 {
		return false
	}
	stem := w[:len(w)-2]
	if n, _ := r.lookup(stem); n > 0 {
		return true
	}
	if strings.HasSuffix(stem, "n") {
		if n, _ := r.lookup(stem[:len(stem)-1] + "en"); n > 0 {
			return true // "Münchner" of "München"
		}
	}
	return false
}
