package entity

import (
	"slices"
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// run is the state of one Extract call. Runs are pooled by the Extractor: the
// buffers below keep their memory from one call to the next.
type run struct {
	x        *Extractor
	in       Input
	lang     string
	maxPlace int
	head     *text
	body     *text
	ments    []mention
	// the dateline
	dlPlaces []mention
	agencies []int   // known organisation entries that filed the story
	agencyF  foldSet // folded agency names that filed the story
	acrs     foldSet // folded acronyms the story defines in parentheses
	lastTok  int     // the token after the last mention added, in the text being scanned
	sports   int8    // 0 not yet known, 1 a sports story, -1 not

	scratch
}

// lookup asks the gazetteer whether s names a place, once per form and story.
func (r *run) lookup(s string) (int, placeCand) {
	pm := r.placeMemo(s)
	return pm.n, pm.best
}

// newRun returns a run for in, reusing a pooled one when there is one.
func (x *Extractor) newRun(in Input) *run {
	r, _ := x.runs.Get().(*run)
	if r == nil {
		r = &run{}
	}
	r.reset()
	r.x, r.in, r.lang, r.maxPlace = x, in, strings.ToLower(in.Language), x.places.maxWords()
	if r.maxPlace > 6 {
		r.maxPlace = 6
	}
	if r.maxPlace < 1 {
		r.maxPlace = 1
	}
	r.addAgency(in.Provider)
	return r
}

// reset empties a run for the next story, keeping the memory of its buffers.
func (r *run) reset() {
	sc := r.scratch
	sc.reset()
	*r = run{
		ments:    r.ments[:0],
		dlPlaces: r.dlPlaces[:0],
		agencies: r.agencies[:0],
		agencyF:  r.agencyF.reset(),
		acrs:     r.acrs.reset(),
		scratch:  sc,
	}
}

// releaseRun returns a run and its texts to the pools.
func (x *Extractor) releaseRun(r *run) {
	x.release(r.body)
	x.release(r.head)
	r.body, r.head = nil, nil
	r.in = Input{}
	clear(r.ments) // let the strings of the story go
	clear(r.dlPlaces)
	x.runs.Put(r)
}

func (r *run) isAgency(entry int) bool {
	for _, e := range r.agencies {
		if e == entry {
			return true
		}
	}
	return false
}

func (r *run) addAgency(name string) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	for name != "" {
		part := name
		if k := strings.IndexAny(name, "/,"); k >= 0 {
			part, name = name[:k], name[k+1:]
		} else {
			name = ""
		}
		if part == "" {
			continue // nothing between two separators
		}
		f := textkit.Fold(strings.TrimSpace(part))
		r.agencyF.add(f)
		if ref, ok := r.x.orgForm[f]; ok && !r.isAgency(ref.entry) {
			r.agencies = append(r.agencies, ref.entry)
		}
	}
}

const bodyBase = 1 << 24

func (r *run) scanBody() {
	t := r.x.newText(r.in.Body, false, bodyBase, r.lang)
	r.body = t
	r.skipWireLines(t)
	r.definedAcronyms(t)
	r.scan(t)
}

func (r *run) scanHeadline() {
	h := strings.TrimSpace(r.in.Headline)
	if h == "" {
		return
	}
	t := r.x.newText(h, true, 0, r.lang)
	r.head = t
	t.titling = isTitleCase(t)
	r.scan(t)
}

// isTitleCase reports whether a headline capitalises its words ("Dockers Walk Out At
// Rotterdam") or is all capitals, so that capitals there say nothing about names.
func isTitleCase(t *text) bool {
	words, caps, upper := 0, 0, 0
	for i, tk := range t.toks {
		if tk.Kind != textkit.Word || i == 0 {
			continue
		}
		if len(tk.Text) < 4 && t.fl(i)&fCommon != 0 {
			continue
		}
		words++
		if textkit.IsCapitalized(tk.Text) {
			caps++
		}
		if textkit.IsAllCaps(tk.Text) {
			upper++
		}
	}
	return words >= 2 && (caps*10 >= words*8 || upper*10 >= words*8)
}

// skipWireLines marks the dateline, a byline, a credit line and reporting credits,
// and records the dateline's places and agency.
func (r *run) skipWireLines(t *text) {
	s := t.s
	// paragraphs
	start := 0
	first := true
	for start <= len(s) {
		end := strings.Index(s[start:], "\n")
		if end < 0 {
			end = len(s)
		} else {
			end += start
		}
		para := strings.TrimSpace(s[start:end])
		if para != "" {
			last := strings.TrimSpace(s[end:]) == ""
			switch {
			case first && isByline(para):
				r.skipRange(t, start, end)
			case first:
				first = false
				if n := r.dateline(t, start, end); n > start {
					r.skipRange(t, start, n)
				}
			case isReportingCredit(para) || last && r.isCreditLine(para):
				r.skipRange(t, start, end)
			}
		}
		if end >= len(s) {
			break
		}
		start = end + 1
	}
}

func (r *run) skipRange(t *text, from, to int) {
	// tokens come in order of their offsets
	i, _ := slices.BinarySearchFunc(t.toks, from, func(tk textkit.Token, off int) int { return tk.Start - off })
	for ; i < len(t.toks) && t.toks[i].Start < to; i++ {
		t.skip[i] = true
	}
}

func isByline(p string) bool {
	if len(p) > 80 {
		return false
	}
	for _, pre := range []string{"By ", "BY ", "Par ", "PAR ", "Por ", "POR ", "Von ", "VON ", "De "} {
		if strings.HasPrefix(p, pre) && !strings.ContainsAny(p, ".!?") || strings.HasPrefix(p, pre) && strings.Count(p, " ") <= 6 && !strings.Contains(p, ". ") {
			return true
		}
	}
	return false
}

func isReportingCredit(p string) bool {
	p = strings.TrimLeft(p, "([ ")
	for _, pre := range []string{"Reporting by", "Writing by", "Editing by", "Additional reporting", "Compiled by", "Written by", "Reporting and writing", "With reporting"} {
		if strings.HasPrefix(p, pre) {
			return true
		}
	}
	return false
}

// isCreditLine reports whether a last paragraph only credits agencies or initials
// ("AFP", "— Reuters", "ab/jd", "afp/dpa").
func (r *run) isCreditLine(p string) bool {
	if len(p) > 60 {
		return false
	}
	ok := false
	for _, w := range strings.FieldsFunc(p, func(c rune) bool {
		return c == ' ' || c == '/' || c == '(' || c == ')' || c == '-' || c == '—' || c == '–' || c == ',' || c == '.'
	}) {
		f := textkit.Fold(w)
		if ref, found := r.x.orgForm[f]; found && r.x.orgs[ref.entry].agency {
			if !r.isAgency(ref.entry) {
				r.agencies = append(r.agencies, ref.entry)
			}
			ok = true
			continue
		}
		if len(w) <= 4 && textkit.IsLower(w) {
			ok = true
			continue
		}
		return false
	}
	return ok
}

// dateline parses "KYIV, June 16 (AFP) - ", "NAIROBI, Kenya (AP) —", "Berlin (dpa) -" or
// "MADRID, 5 mar (EFE).-" at the start of a paragraph, records its places and agency,
// and returns where it ends (start when there is none).
func (r *run) dateline(t *text, start, end int) int {
	p := t.s[start:end]
	lim := len(p)
	if lim > 160 {
		lim = 160
	}
	head := p[:lim]
	cut, sepLen := -1, 0
	for _, sep := range []string{" - ", " — ", " – ", " -- ", ".-", " —", "— ", " -"} {
		if k := strings.Index(head, sep); k > 0 && (cut < 0 || k < cut) {
			cut, sepLen = k, len(sep)
		}
	}
	if cut < 0 {
		return start
	}
	pre := head[:cut]
	if strings.Contains(pre, ". ") || strings.ContainsAny(pre, "\"“«") {
		return start
	}
	lp := strings.IndexByte(pre, '(')
	placePart := pre
	if lp >= 0 {
		rp := strings.IndexByte(pre[lp:], ')')
		if rp < 0 {
			return start
		}
		r.addAgency(pre[lp+1 : lp+rp])
		placePart = pre[:lp]
	} else {
		first := strings.FieldsFunc(pre, func(c rune) bool { return c == ',' || c == ' ' })
		if len(first) == 0 || !textkit.IsAllCaps(first[0]) {
			return start
		}
	}
	parts := strings.Split(placePart, ",")
	for i, part := range parts {
		part = strings.TrimSpace(part)
		if part == "" || strings.ContainsAny(part, "0123456789") {
			continue
		}
		if i > 0 && r.x.lex[textkit.Fold(strings.Fields(part)[0])]&fMonth != 0 {
			continue
		}
		off := start + strings.Index(p, part)
		m := mention{kind: mPlace, surface: part, order: bodyBase + off, org: -1, loc: true}
		if n, _ := r.lookup(part); n == 0 && abbreviatedCountry(textkit.Fold(part)) == "" {
			continue
		}
		r.dlPlaces = append(r.dlPlaces, m)
		r.ments = append(r.ments, m)
	}
	e := start + cut + sepLen
	for e < end && (t.s[e] == ' ' || t.s[e] == '-') {
		e++
	}
	return e
}

// definedAcronyms finds "Organisation mondiale de la santé (OMS)": an acronym in
// parentheses whose letters are the initials of the words before it, lower-case words
// included, and known organisations written with lower-case words.
func (r *run) definedAcronyms(t *text) {
	n := len(t.toks)
	for p := 1; p+2 < n; p++ {
		if !t.punct(p, "(") || !t.punct(p+2, ")") || t.toks[p+1].Kind != textkit.Word || t.skip[p] {
			continue
		}
		acr := t.toks[p+1].Text
		loose := false
		if !isAcronymShape(acr) {
			if !textkit.IsCapitalized(acr) || len(acr) < 3 {
				continue
			}
			loose = true // "Agencia Estatal de Meteorología (Aemet)"
		}
		if w := p - 1; !loose && t.cap(w) && !t.skip[w] && compoundAcronym(acr, t.fold(w)) {
			// "das Landeskriminalamt (LKA)": the letters of one compound word
			r.defineAcronym(acr)
			m := mention{kind: mOrg, org: -1, surface: t.toks[w].Text, acr: acr, order: t.base + t.toks[w].Start, end: t.toks[w].End}
			m.words = []string{t.fold(w)}
			r.ments = append(r.ments, m)
			t.skip[w], t.skip[p], t.skip[p+1], t.skip[p+2] = true, true, true, true
			continue
		}
		lo := p - len(acr) - 5
		if lo < 0 {
			lo = 0
		}
		for s := p - 2; s >= lo; s-- {
			if t.toks[s].Kind != textkit.Word || t.skip[s] {
				break
			}
			if !t.cap(s) || t.toks[s].SentStart && t.is(s, fCommon|fArticle) {
				continue
			}
			if loose && !looseAcronym(acr, t.foldRange(s, p), r.x.lex) || !loose && !acronymMatches(acr, t.foldRange(s, p), r.x.lex) {
				continue
			}
			hasLower := false
			for k := s; k < p; k++ {
				if t.lower(k) && (!t.is(k, fConnector|fParticle|fArticle) || isLooseConnector(t.fold(k)) || t.lang == "de") {
					hasLower = true // words the span scanner would cut at
				}
			}
			if !hasLower && !loose {
				break // the span scanner sees it whole
			}
			r.defineAcronym(acr)
			m := mention{kind: mOrg, org: -1, surface: t.surface(s, p), acr: acr, order: t.base + t.toks[s].Start, end: t.toks[p-1].End}
			m.words = t.foldRange(s, p)
			if ref, ok := r.x.orgForm[textkit.Fold(m.surface)]; ok {
				m.org = ref.entry
			}
			r.ments = append(r.ments, m)
			for k := s; k <= p+2; k++ {
				t.skip[k] = true
			}
			break
		}
	}
	// known names with lower-case words: "Fonds monétaire international"
	if r.lang == "en" || r.x.maxOrg < 2 {
		return
	}
	for i := 0; i < n; i++ {
		if !t.cap(i) || !t.is(i, fOrgHead) || !t.lower(i+1) {
			continue
		}
		max := r.x.maxOrg
		if i+max > n {
			max = n - i
		}
		for l := max; l >= 2; l-- {
			if t.toks[i+l-1].Kind != textkit.Word || t.skip[i+l-1] {
				continue
			}
			s := t.surface(i, i+l)
			ref, ok := r.x.orgForm[textkit.Fold(s)]
			if !ok {
				continue
			}
			m := mention{kind: mOrg, org: ref.entry, surface: s, order: t.base + t.toks[i].Start}
			m.words = t.foldRange(i, i+l)
			r.ments = append(r.ments, m)
			for k := i; k < i+l; k++ {
				t.skip[k] = true
			}
			i += l - 1
			break
		}
	}
}

// defineAcronym records an acronym the story defines in parentheses.
func (r *run) defineAcronym(acr string) { r.acrs.addFold(acr) }

// compoundAcronym reports whether acr abbreviates one compound word: its first letter
// opens the word and the others follow in order ("LKA" of "Landeskriminalamt", "BKA"
// of "Bundeskriminalamt").
func compoundAcronym(acr, word string) bool {
	if len(acr) < 2 || len(acr) > 5 || len(word) < 8 || !textkit.IsAllCaps(acr) {
		return false
	}
	a := textkit.Fold(acr)
	if word[0] != a[0] {
		return false
	}
	j := 1
	for i := 1; i < len(word) && j < len(a); i++ {
		if word[i] == a[j] {
			j++
		}
	}
	return j == len(a)
}
