// Package keyphrase picks the key phrases of a story: runs of content words
// between stop words, scored by frequency, position and a headline boost, with
// names kept whole and repeats and sub-phrases collapsed.
package keyphrase

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

var (
	//go:embed stop_en.txt
	stopEN string
	//go:embed stop_fr.txt
	stopFR string
	//go:embed stop_es.txt
	stopES string
	//go:embed stop_de.txt
	stopDE string
)

// Scoring weights. A word in the headline counts as often as several in the
// body; phrases of two or three words name things better than single words.
const (
	headlineFreq  = 3.0
	headlineBoost = 1.5
	maxPhrase     = 5    // content words in one phrase
	singleWord    = 0.75 // a lone common word names a subject less well than a phrase or a name
	headlineOnly  = 0.4  // a lone headline word the body never uses is mostly its verb
	considered    = 2    // candidates examined per phrase wanted
)

var lengthFactor = [...]float64{0, 1.0, 1.35, 1.45, 1.3, 1.2}

// Word classes in a stop list.
const (
	soft      uint8 = 1 << iota // stop word; a capitalised one inside a name is kept
	strict                      // never part of a phrase
	connector                   // may join two capitalised words into one name ("Bank of England")
)

type stopList struct {
	class *table
	names bool // capitals mark names (not German, where every noun has one)
	// postAdjectives: adjectives follow the noun, also in names (fr, es).
	postAdjectives bool
}

var connectorWords = strings.Fields("of de del des du la von der für for on")

var stopLists = sync.OnceValue(func() map[string]*stopList {
	all := map[string]uint8{}
	m := map[string]*stopList{
		"en": parseStop(stopEN, true, false, all),
		"fr": parseStop(stopFR, true, true, all),
		"es": parseStop(stopES, true, true, all),
		"de": parseStop(stopDE, false, false, all),
	}
	m[""] = &stopList{class: newTable(all), names: true}
	return m
})

func parseStop(data string, names, post bool, all map[string]uint8) *stopList {
	classes := map[string]uint8{}
	class := soft
	for _, line := range strings.Split(data, "\n") {
		if strings.HasPrefix(line, "## strict") {
			class = strict
			continue
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			classes[w] |= class
			if strings.Contains(w, "'") {
				classes[strings.ReplaceAll(w, "'", "\u2019")] |= class // typographic apostrophe
			}
		}
	}
	for _, w := range connectorWords {
		classes[w] |= connector
	}
	for w, c := range classes {
		all[w] |= c
	}
	return &stopList{class: newTable(classes), names: names, postAdjectives: post}
}

// token is one word. It holds offsets rather than strings so that the token
// slice carries no pointers for the garbage collector to scan.
type token struct {
	h          uint64 // hash of the key
	start, end int32  // the word in its source text (possessive 's excluded)
	kstart     int32  // the key: src text[start:end] when already lower case, else arena[kstart:kend]
	kend       int32
	lowered    bool  // the key is in the arena
	stat       int32 // index of the word's statistics
	sent       int32 // sentence index; the headline is sentence 0
	src        uint8 // 0 headline, 1 body
	elided     uint8 // bytes of an elided article written before the word ("d'")
	class      uint8 // stop-list class
	cap        bool  // starts with an upper-case letter
	upper      bool  // all letters upper case (acronym)
	head       bool  // first word of a sentence
	brk        bool  // punctuation between the previous token and this one
	headline   bool
	content    bool
	name       bool // written with a capital that marks a name
}

// doc is the text the tokens point into: the headline and body as written,
// and an arena holding the lower-cased keys of words written with capitals.
type doc struct {
	src   [2]string
	arena string
}

func (d *doc) word(t *token) string { return d.src[t.src][t.start:t.end] }

func (d *doc) key(t *token) string {
	if t.lowered {
		return d.arena[t.kstart:t.kend]
	}
	return d.src[t.src][t.start:t.end]
}

type wordStat struct {
	freq      float64 // headline occurrences count headlineFreq times
	inBody    bool
	lowerSeen bool
	capForm   int32 // 1 + index of the first token capitalised inside a sentence
	tok       int32 // first token of the word
}

type candidate struct {
	first, n  int32 // tokens of the first occurrence: toks[first : first+n]
	count     float64
	bodyCount int32
	sent      int32 // sentence of the first occurrence
	inHead    bool
}

// scratch holds the working memory of one extraction; it is reused through a
// pool so that a busy worker does not allocate and clear it for every story.
type scratch struct {
	toks   []token
	arena  []byte
	stats  []wordStat
	cands  []candidate
	rank   []ranked
	hslots []int32
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// slots returns n cleared hash slots.
func (sc *scratch) slots(n int) []int32 {
	if cap(sc.hslots) < n {
		sc.hslots = make([]int32, n)
	}
	s := sc.hslots[:n]
	clear(s)
	return s
}

type ranked struct {
	c     int32
	score float64
}

// Extract returns up to n key phrases of the story, best first. Phrases are
// lower case except for names, which keep their capitals. The result is
// deterministic for the same input.
func Extract(headline, body, lang string, n int) []string {
	if n <= 0 {
		return nil
	}
	lists := stopLists()
	sl := lists[lang]
	if sl == nil {
		sl = lists[""]
	}
	body = stripCredit(stripCredit(stripDateline(stripByline(body))))
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	d := &doc{src: [2]string{headline, body}}
	arena := sc.arena[:0]
	toks := sc.toks[:0]
	toks, arena = tokenize(toks, d, 0, arena)
	toks, arena = tokenize(toks, d, 1, arena)
	sc.toks, sc.arena = toks[:0], arena[:0]
	if len(toks) == 0 {
		return nil
	}
	d.arena = string(arena)
	for i := range toks {
		t := &toks[i]
		key := d.key(t)
		h, lo := hashString(key)
		t.h = h
		t.class = sl.class.get(key, h, lo)
	}
	titleCase := isTitleCase(toks)
	markContent(d, toks, sl)

	// Word statistics: frequency and the evidence for writing a word as a name.
	stats := sc.stats[:0]
	slots := sc.slots(pow2(2 * len(toks)))
	mask := uint64(len(slots) - 1)
	for i := range toks {
		t := &toks[i]
		if !t.content {
			continue
		}
		key := d.key(t)
		for j := t.h & mask; ; j = (j + 1) & mask {
			s := slots[j]
			if s == 0 {
				stats = append(stats, wordStat{})
				stats[len(stats)-1].tok = int32(i)
				slots[j] = int32(len(stats))
				t.stat = int32(len(stats) - 1)
				break
			}
			if o := &toks[stats[s-1].tok]; o.h == t.h && d.key(o) == key {
				t.stat = s - 1
				break
			}
		}
		st := &stats[t.stat]
		if t.headline {
			st.freq += headlineFreq
		} else {
			st.freq++
			st.inBody = true
		}
		if !t.cap {
			st.lowerSeen = true
		} else if !t.head && (!t.headline || !titleCase) && st.capForm == 0 {
			st.capForm = int32(i) + 1
		}
	}
	sc.stats = stats[:0]
	markNames(toks, sl, titleCase, stats)

	cands := collect(d, toks, sl, stats, sc)
	if len(cands) == 0 {
		return nil
	}
	// Only the best few candidates are ever looked at: keep them in a small
	// sorted list instead of sorting every candidate.
	keep := min(len(cands), considered*n)
	rank := sc.rank[:0]
	for i := range cands {
		c := &cands[i]
		words := toks[c.first : c.first+c.n]
		nw := 0
		wsum := 0.0
		for j := range words {
			if words[j].content {
				wsum += stats[words[j].stat].freq
				nw++
			}
		}
		if nw == 1 && words[0].end-words[0].start < 3 && !words[0].upper && utf8.RuneCountInString(d.key(&words[0])) < 3 {
			continue
		}
		lf := lengthFactor[len(lengthFactor)-1]
		if nw < len(lengthFactor) {
			lf = lengthFactor[nw]
		}
		s := (c.count + 0.5*wsum/float64(nw)) * lf * (1 + 1/float64(1+c.sent))
		if c.inHead {
			s *= headlineBoost
		}
		if nw == 1 && !words[0].name && !words[0].upper {
			s *= singleWord
			if !stats[words[0].stat].inBody {
				s *= headlineOnly
			}
		}
		if len(rank) == keep && s <= rank[keep-1].score {
			continue // ties keep the earlier candidate
		}
		j := len(rank)
		rank = append(rank, ranked{})
		for j > 0 && rank[j-1].score < s {
			rank[j] = rank[j-1]
			j--
		}
		rank[j] = ranked{int32(i), s}
		if len(rank) > keep {
			rank = rank[:keep]
		}
	}
	sc.rank = rank[:0]
	return choose(d, toks, cands, rank, n, sl, stats)
}

func pow2(n int) int {
	p := 16
	for p < n {
		p *= 2
	}
	return p
}

// collect reads the candidate phrases: runs of content tokens with no
// punctuation between them, split where a name meets ordinary words.
func collect(d *doc, toks []token, sl *stopList, stats []wordStat, sc *scratch) []candidate {
	slots := sc.slots(pow2(len(toks)))
	mask := uint64(len(slots) - 1)
	cands := sc.cands[:0]
	defer func() { sc.cands = cands[:0] }()
	runStart, runLen := -1, 0
	afterName := false
	nameish := false // the last content word of the run is (part of) a name
	add := func(first, n int) {
		if afterName && toks[first].headline && !toks[first].cap && !stats[toks[first].stat].inBody {
			// the headline word after a name that the body never uses is its verb
			// ("Lagarde signals patience")
			first, n = first+1, n-1
		}
		afterName = false
		for n > 0 && !toks[first].content {
			first, n = first+1, n-1
		}
		for n > 0 && !toks[first+n-1].content {
			n--
		}
		if n == 0 {
			return
		}
		h := uint64(fnvOffset)
		for j := first; j < first+n; j++ {
			h = (h ^ toks[j].h) * fnvPrime
		}
		var c *candidate
		for j := h & mask; ; j = (j + 1) & mask {
			s := slots[j]
			if s == 0 {
				cands = append(cands, candidate{})
				slots[j] = int32(len(cands))
				c = &cands[len(cands)-1]
				c.first, c.n, c.sent = int32(first), int32(n), toks[first].sent
				break
			}
			if o := &cands[s-1]; samePhrase(d, toks, o, first, n) {
				c = o
				break
			}
		}
		if toks[first].headline {
			c.count += headlineFreq
			c.inHead = true
		} else {
			c.count++
			c.bodyCount++
		}
	}
	flush := func() {
		for runLen > 0 {
			m := min(runLen, maxPhrase)
			first := runStart
			runStart += m
			runLen -= m
			n := m
			if sl.names {
				// a trailing past participle is the verb of the clause ("fire threatened")
				for n > 1 && !toks[first+n-1].cap && strings.HasSuffix(d.key(&toks[first+n-1]), "ed") {
					n--
				}
			} else {
				// German: the noun group ends at the last noun; a lower-case word
				// without an attributive ending is a verb and starts a new run.
				for j := first; j < first+n; j++ {
					t := &toks[j]
					if t.cap || !t.content || attributive(d.key(t)) {
						continue
					}
					runStart, runLen = j+1, runLen+(first+n-j-1)
					n = j - first
					break
				}
				for n > 0 && !toks[first+n-1].cap {
					n--
				}
			}
			add(first, n)
		}
		runStart, runLen = -1, 0
	}
	for i := range toks {
		t := &toks[i]
		if t.brk || (runLen > 0 && t.headline != toks[runStart].headline) {
			flush()
		}
		if t.content && runLen > 0 && sl.names {
			// A name and the words around it are separate phrases; in French and
			// Spanish adjectives follow the noun, so a name may run on in lower
			// case ("Banque centrale européenne").
			if t.name && !nameish {
				flush()
			} else if !t.name && nameish && !(sl.postAdjectives && adjective(d.key(t))) {
				flush()
				afterName = true
			}
		}
		switch {
		case t.content:
			if runLen == 0 {
				runStart, nameish = i, t.name
			} else {
				nameish = nameish || t.name
			}
			runLen++
		case runLen > 0 && sl.names && t.class&connector != 0 && toks[i-1].cap && toks[i-1].content &&
			i+1 < len(toks) && toks[i+1].content && toks[i+1].cap && !toks[i+1].brk:
			runLen++ // "Bank of England"
		case runLen > 0 && runLen < 3 && sl.postAdjectives && d.key(t) == "de" && !nameish && toks[i-1].content &&
			i+1 < len(toks) && toks[i+1].content && !toks[i+1].name && !toks[i+1].brk && toks[i+1].elided == 0:
			runLen++ // a French or Spanish compound noun: "motion de censure", "tipo de interés"
		default:
			flush()
		}
	}
	flush()
	return cands
}

func samePhrase(d *doc, toks []token, c *candidate, first, n int) bool {
	if int(c.n) != n {
		return false
	}
	for j := 0; j < n; j++ {
		a, b := &toks[int(c.first)+j], &toks[first+j]
		if a.h != b.h || d.key(a) != d.key(b) {
			return false
		}
	}
	return true
}

// choose picks the n best phrases, dropping repeats and phrases that only
// extend one already chosen, and letting a recurring phrase replace a part of it
// that was chosen first.
func choose(d *doc, toks []token, cands []candidate, rank []ranked, n int, sl *stopList, stats []wordStat) []string {
	out := make([]string, 0, n)
	norms := make([]string, 0, n)
	chosen := make([]int32, 0, n)
	for _, r := range rank {
		c := &cands[r.c]
		norm := normalise(d, toks[c.first:c.first+c.n])
		dup := false
		for j, seen := range norms {
			prev := &cands[chosen[j]]
			if strings.Contains(seen, norm) {
				// a recurring shorter phrase replaces a longer one seen only in the headline
				if prev.bodyCount == 0 && c.bodyCount >= 2 && c.n >= 2 {
					out[j], norms[j], chosen[j] = surface(d, toks, c, sl, stats), norm, r.c
				}
				dup = true
				break
			}
			if strings.Contains(norm, seen) {
				if (isName(toks, c, sl) && isName(toks, prev, sl)) || (prev.n == 1 && c.bodyCount >= 2) {
					// a fuller name, or a recurring phrase built on a single word chosen first
					out[j], norms[j], chosen[j] = surface(d, toks, c, sl, stats), norm, r.c
				}
				dup = true
				break
			}
		}
		if dup || len(out) == n {
			continue
		}
		out = append(out, surface(d, toks, c, sl, stats))
		norms = append(norms, norm)
		chosen = append(chosen, r.c)
	}
	return dedupe(out)
}

// dedupe drops a phrase that became equal to an earlier one after replacement.
func dedupe(out []string) []string {
	for i := 0; i < len(out); i++ {
		for j := i + 1; j < len(out); j++ {
			if strings.EqualFold(out[i], out[j]) {
				out = append(out[:j], out[j+1:]...)
				j--
			}
		}
	}
	return out
}

func isName(toks []token, c *candidate, sl *stopList) bool {
	if !sl.names {
		return false
	}
	for _, t := range toks[c.first : c.first+c.n] {
		if t.content && !t.name && !t.upper {
			return false
		}
	}
	return true
}

// normalise writes the phrase with plural and inflection endings folded, and
// spaces around it, so "strike" and "strikes", "24-stündigem" and
// "24-stündigen" match when phrases are compared.
func normalise(d *doc, words []token) string {
	var b strings.Builder
	b.Grow(int(words[len(words)-1].end-words[0].start) + 2)
	b.WriteByte(' ')
	for i := range words {
		b.WriteString(stem(d.key(&words[i])))
		b.WriteByte(' ')
	}
	return b.String()
}

func stem(w string) string {
	if len(w) > 5 {
		for _, suf := range []string{"es", "en", "em", "er"} {
			if strings.HasSuffix(w, suf) {
				return w[:len(w)-2]
			}
		}
	}
	if len(w) > 3 && (strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") || strings.HasSuffix(w, "e")) {
		return w[:len(w)-1]
	}
	return w
}

// surface writes a phrase in lower case, keeping the capitals of names and
// acronyms as the story writes them.
func surface(d *doc, toks []token, c *candidate, sl *stopList, stats []wordStat) string {
	var b strings.Builder
	b.Grow(int(toks[c.first+c.n-1].end-toks[c.first].start) + 8)
	for j := c.first; j < c.first+c.n; j++ {
		t := &toks[j]
		if j > c.first {
			b.WriteByte(' ')
			if t.elided > 0 {
				b.WriteString(strings.ToLower(d.src[t.src][t.start-int32(t.elided) : t.start]))
			}
		}
		w := d.word(t)
		switch {
		case !t.content:
			b.WriteString(d.key(t)) // connector inside a name
		case t.upper && utf8.RuneCountInString(w) > 1, hasDigit(w):
			b.WriteString(w)
		case !sl.names && t.cap:
			b.WriteString(w) // German nouns keep their capital
		case t.name:
			b.WriteString(w)
		default:
			if st := &stats[t.stat]; st.capForm != 0 && !st.lowerSeen {
				b.WriteString(d.word(&toks[st.capForm-1]))
			} else {
				b.WriteString(d.key(t))
			}
		}
	}
	return b.String()
}

// markContent decides which tokens may be part of a phrase.
func markContent(d *doc, toks []token, sl *stopList) {
	for i := range toks {
		t := &toks[i]
		switch {
		case t.class&(strict|soft) != 0:
		case isNumber(d.key(t)):
		case t.end-t.start < 2 && !t.upper:
		case t.end-t.start < 4 && utf8.RuneCountInString(d.key(t)) < 2 && !t.upper:
		default:
			t.content = true
		}
	}
	if !sl.names {
		return
	}
	// A capitalised soft stop word inside a name ("World Cup", "New York").
	for i := range toks {
		t := &toks[i]
		if t.content || !t.cap || t.head || t.class&strict != 0 || isNumber(d.key(t)) {
			continue
		}
		next := i+1 < len(toks) && !toks[i+1].brk && toks[i+1].cap && toks[i+1].content
		prev := i > 0 && !t.brk && toks[i-1].cap && toks[i-1].content && !toks[i-1].head
		if next || prev {
			t.content = true
		}
	}
}

// markNames flags capitals that mark names: inside a sentence, or at its start
// when the word is written as a name elsewhere or the next word is a name
// ("Georgia Stanway scored").
func markNames(toks []token, sl *stopList, titleCase bool, stats []wordStat) {
	if !sl.names {
		return
	}
	for i := range toks {
		t := &toks[i]
		switch {
		case !t.content || !t.cap:
		case t.upper:
			t.name = true // acronym
		case !t.head && !(t.headline && titleCase):
			t.name = true
		default:
			if st := &stats[t.stat]; st.capForm != 0 && !st.lowerSeen {
				t.name = true
			}
		}
	}
	for i := range toks {
		t := &toks[i]
		if t.cap && t.content && !t.name && i+1 < len(toks) && toks[i+1].name && !toks[i+1].brk {
			t.name = true
		}
	}
}

// isTitleCase reports a headline written In Title Case, whose capitals say
// nothing about names.
func isTitleCase(toks []token) bool {
	words, caps := 0, 0
	for _, t := range toks {
		if !t.headline {
			break
		}
		if t.head || t.class != 0 {
			continue
		}
		words++
		if t.cap {
			caps++
		}
	}
	return words >= 2 && caps*10 >= words*7
}

// wordByte marks ASCII letters and digits.
var wordByte = func() (t [128]bool) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-32] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	return t
}()

// tokenize appends the words of source src of d.
func tokenize(toks []token, d *doc, src uint8, arena []byte) ([]token, []byte) {
	text := d.src[src]
	headline := src == 0
	sent := int32(src)
	brk, head := true, true
	elided := 0
	i := 0
	for i < len(text) {
		c := text[i]
		if c == ' ' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		} else if !wordByte[c] {
			switch c {
			case '.', '!', '?', '\n':
				// a dot after a single capital is an initial, not a sentence end
				if c != '.' || len(toks) == 0 || !isInitial(d, &toks[len(toks)-1]) {
					head = true
					if !headline {
						sent++
					}
				}
				brk = true
			case ',', ';', ':', '(', ')', '"', '[', ']', '/':
				brk = true
			case '-':
				if i+1 < len(text) && text[i+1] == ' ' {
					brk = true
				}
			}
			i++
			continue
		}
		if c >= utf8.RuneSelf && !isWordRune(r) {
			switch r {
			case '\u201c', '\u201d', '\u00ab', '\u00bb', '\u201e', '\u2013', '\u2014':
				brk = true
			}
			i += size
			continue
		}
		start := i
		upperSeen, wide := false, false
		// Skip the word's ASCII letters and digits a group at a time; the byte
		// loop below goes on from the first other byte.
		for i+8 <= len(text) {
			x := load64(text, i)
			ascii := ^x & high
			x7 := x &^ high
			letters := inRange(x7|0x2020202020202020, 'a', 'z') & ascii
			k := firstStop(letters | inRange(x7, '0', '9')&ascii)
			keep := ^uint64(0)
			if k < 8 {
				keep = uint64(1)<<(8*uint(k)) - 1
			}
			if letters&^(x7<<2)&keep != 0 { // bit 5 clear: a capital
				upperSeen = true
			}
			i += k
			if k < 8 {
				break
			}
		}
		for i < len(text) {
			c = text[i]
			if c < utf8.RuneSelf && wordByte[c] {
				upperSeen = upperSeen || c <= 'Z' && c >= 'A'
				i++
				continue
			}
			r, size = rune(c), 1
			if c >= utf8.RuneSelf {
				r, size = utf8.DecodeRuneInString(text[i:])
			}
			if c >= utf8.RuneSelf {
				wide = true
			}
			if isWordRune(r) {
				upperSeen = upperSeen || unicode.IsUpper(r)
				i += size
				continue
			}
			// inner hyphen or apostrophe followed by a letter continues the word
			if (r == '-' || r == '\'' || r == '\u2019') && i+size < len(text) {
				nr, _ := utf8.DecodeRuneInString(text[i+size:])
				if isWordRune(nr) {
					if r != '-' && isElision(text[start:i]) {
						break // French/Italian elision: l'économie, d'Italie
					}
					i += size
					continue
				}
			}
			break
		}
		end := i
		if i < len(text) && end-start <= 6 && (text[i] == '\'' || strings.HasPrefix(text[i:], "\u2019")) && isElision(text[start:end]) {
			// elided article: skip it and its apostrophe, keep it for writing
			if text[i] == '\'' {
				i++
			} else {
				i += len("\u2019")
			}
			elided = i - start
			continue
		}
		// English possessive: "Germany's" → "Germany", and the phrase ends there
		possessive := false
		if w := text[start:end]; len(w) > 2 && w[len(w)-1] == 's' && w[len(w)-2] == '\'' {
			end -= 2
			possessive = true
		} else if wide && strings.HasSuffix(w, "\u2019s") {
			end -= len("\u2019s")
			possessive = true
		}
		// Append a zero token and fill it in place: copying a token built
		// field by field on the stack stalls on store forwarding.
		toks = append(toks, token{})
		t := &toks[len(toks)-1]
		t.start, t.end, t.src, t.sent = int32(start), int32(end), src, sent
		t.head, t.brk, t.elided, t.headline = head, brk, uint8(min(elided, 255)), headline
		if w := text[start:end]; upperSeen || wide && strings.Contains(w, "\u2019") {
			t.lowered = true
			t.kstart = int32(len(arena))
			for _, r := range w {
				if r == '\u2019' {
					r = '\''
				}
				if r < utf8.RuneSelf {
					if r >= 'A' && r <= 'Z' {
						r += 'a' - 'A'
					}
					arena = append(arena, byte(r))
				} else {
					arena = utf8.AppendRune(arena, unicode.ToLower(r))
				}
			}
			t.kend = int32(len(arena))
		}
		if c := text[start]; c < utf8.RuneSelf {
			t.cap = c >= 'A' && c <= 'Z'
		} else {
			fr, _ := utf8.DecodeRuneInString(text[start:])
			t.cap = unicode.IsUpper(fr)
		}
		t.upper = t.cap && isUpper(text[start:end])
		head, brk, elided = false, possessive, 0
	}
	return toks, arena
}

func isInitial(d *doc, t *token) bool {
	return t.cap && utf8.RuneCountInString(d.word(t)) == 1
}

// adjective reports a French or Spanish word with an adjective ending, which
// may continue a name in lower case ("Banque centrale européenne", "Fondo
// Monetario", "Olympique lyonnais"); a verb ("maintient", "aprueba") may not.
func adjective(w string) bool {
	for _, suf := range []string{"al", "ale", "ales", "aux", "el", "elle", "ien", "ienne", "éen", "éenne", "ais", "aise", "ois", "oise", "ain", "aine", "ique", "iques", "if", "ive", "aire", "ier", "ière", "ial", "iale",
		"ano", "ana", "anos", "anas", "ico", "ica", "icos", "icas", "ista", "ense", "ario", "aria", "ivo", "iva", "ino", "ina", "ola", "eño", "eña", "és", "esa", "ar", "ares"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func attributive(w string) bool {
	for _, suf := range []string{"e", "en", "er", "es", "em"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}

func isNumber(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && c != '.' && c != ',' {
			return false
		}
	}
	return true
}

func isElision(w string) bool {
	if len(w) > 6 {
		return false
	}
	switch strings.ToLower(w) {
	case "l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu", "dell", "all", "nell", "sull", "dall", "un":
		return true
	}
	return false
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func isUpper(w string) bool {
	letters := 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return isUpperSlow(w)
		}
		if c >= 'a' && c <= 'z' {
			return false
		}
		if c >= 'A' && c <= 'Z' {
			letters++
		}
	}
	return letters > 1
}

func isUpperSlow(w string) bool {
	letters := 0
	for _, r := range w {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters > 1
}

// stripDateline drops a wire dateline ("BERLIN (Reuters) - ", "MADRID, 5 mar
// (EFE).- ") so the place and agency do not become key phrases.
func stripDateline(body string) string {
	limit := min(len(body), 160)
	head := body[:limit]
	if end := strings.Index(head, "\n"); end >= 0 {
		head = head[:end]
	}
	for _, sep := range []string{" - ", " \u2013 ", " \u2014 ", ".- ", ".\u2013 ", ") -", ") \u2013", ") \u2014", ")-"} {
		i := strings.Index(head, sep)
		if i < 0 {
			continue
		}
		prefix := head[:i]
		first, _, _ := strings.Cut(strings.TrimSpace(prefix), " ")
		if strings.ContainsRune(prefix, '(') || isUpper(strings.TrimRight(first, ",")) {
			return body[i+len(sep):]
		}
	}
	return body
}

// stripByline drops a first paragraph that is only a byline ("By Jane Doe").
func stripByline(body string) string {
	i := strings.Index(body, "\n\n")
	if i < 0 || i > 60 {
		return body
	}
	first := body[:i]
	for _, p := range []string{"By ", "BY ", "Par ", "PAR ", "Por ", "POR ", "Von ", "VON ", "Di ", "De "} {
		if strings.HasPrefix(first, p) && !strings.ContainsAny(first, ".!?") {
			return body[i+2:]
		}
	}
	return body
}

// stripCredit drops a last paragraph that is only a short credit ("AFP", "ab/jd").
func stripCredit(body string) string {
	i := strings.LastIndex(body, "\n\n")
	if i < 0 {
		return body
	}
	last := strings.TrimSpace(body[i:])
	if len(last) <= 24 && !strings.ContainsAny(last, ".!?") {
		return body[:i]
	}
	return body
}
