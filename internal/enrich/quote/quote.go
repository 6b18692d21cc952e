package quote

import (
	"strings"
	"sync"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// minWords is the shortest quotation kept. Shorter ones are mostly scare quotes
// ("so-called "terrorists""), titles and borrowed phrases ("stubbornly high"), not
// reported speech; the evaluation's annotation rules count a quotation from five words.
const minWords = 5

// Extract returns the direct quotations of body in order, each with its speaker's
// canonical name from speakers (the story's people, then its organisations) when the
// attribution names one, the name as written when it names someone else, and no
// speaker when the quotation is unattributed.
func Extract(body, lang string, speakers []pipeline.Entity) []pipeline.Quote {
	sc := scratchPool.Get().(*scratch)
	defer sc.release()
	all, parts := findSpans(body, sc.spans[:0], sc.parts[:0])
	sc.spans, sc.parts = all[:0], parts[:0]
	if len(all) == 0 {
		return nil
	}
	kept := sc.kept[:0]
	defer func() { sc.kept = kept[:0] }()
	for _, sp := range all {
		sp.text = content(body, sp)
		n, caps := wordCount(sp.text)
		if n < minWords || n <= 6 && caps == n {
			continue
		}
		kept = append(kept, sp)
	}
	if len(kept) == 0 {
		return nil
	}
	x := &sc.x
	*x = extractor{body: body, lang: lang, spans: all, quotes: kept, toks: x.toks[:0], pre: x.pre[:0], paras: x.paras[:0],
		res: x.res.reuse()}
	x.res.init(body, speakers, all)
	out := make([]pipeline.Quote, len(kept))
	speakerOf := sc.speakerOf[:0]
	for range kept {
		speakerOf = append(speakerOf, "")
	}
	defer func() { sc.speakerOf = speakerOf[:0] }()
	for i := range kept {
		who, found := x.attribute(i)
		if !found {
			who = x.fallback(i, speakerOf)
		}
		speakerOf[i] = who
		out[i] = pipeline.Quote{Text: kept[i].text, Speaker: who}
	}
	return out
}

// scratch is the working memory of one extraction, reused through a pool so
// that a busy worker does not allocate it for every story.
type scratch struct {
	spans     []span
	parts     [][2]int
	kept      []span
	speakerOf []string
	x         extractor
}

var scratchPool = sync.Pool{New: func() any { return new(scratch) }}

// release returns the scratch to the pool, keeping only its buffers. Their
// stale contents may keep the last story's body alive until the next
// extraction or until the pool is dropped at a collection; clearing them would
// cost more than the story.
func (sc *scratch) release() {
	x := &sc.x
	*x = extractor{toks: x.toks[:0], pre: x.pre[:0], paras: x.paras[:0], res: x.res.reuse()}
	scratchPool.Put(sc)
}

type extractor struct {
	body   string
	lang   string
	spans  []span // every quotation, short ones too
	quotes []span // the ones reported
	res    resolver
	toks   []token
	pre    []token
	paras  []int // offsets where paragraphs after the first start
	// parasDone reports paras filled in
	parasDone bool
}

// paragraph returns the bounds of the paragraph around byte offset i.
func (x *extractor) paragraph(i int) (start, end int) {
	if !x.parasDone {
		x.parasDone = true
		for off := 0; ; {
			k := strings.Index(x.body[off:], "\n\n")
			if k < 0 {
				break
			}
			off += k + 2
			x.paras = append(x.paras, off)
		}
	}
	start, end = 0, len(x.body)
	for _, p := range x.paras {
		if p > i {
			end = p - 2
			break
		}
		start = p
	}
	return start, end
}

// attribute finds the speech tag of quotation i in its sentence: right after it
// (", Smith said", ", a-t-il dit", ", dijo Sánchez", ", sagte er"), before it
// ("Smith said:", "Selon X,"), or later in the sentence.
func (x *extractor) attribute(i int) (string, bool) {
	q := x.quotes[i]
	_, qEnd := x.paragraph(q.outerEnd - 1)
	// After the quotation, up to the sentence end or the next quotation.
	postEnd := qEnd
	if i+1 < len(x.quotes) && x.quotes[i+1].outerStart < postEnd {
		postEnd = x.quotes[i+1].outerStart
	}
	if postEnd-q.outerEnd > 300 {
		postEnd = q.outerEnd + 300
	}
	if e := sentenceEnd(x.body, q.outerEnd, postEnd); e < postEnd {
		postEnd = e
	}
	toks := tokenize(x.body, q.outerEnd, postEnd, x.toks[:0])
	x.toks = toks[:0] // keep a grown buffer for the next quotation
	post := dropParens(x.sentenceAfter(toks))
	who, adjacent, postOK := x.postTag(post, q.outerStart)
	if postOK && adjacent {
		return who, true
	}
	// Before the quotation, from the sentence start.
	pStart, _ := x.paragraph(q.outerStart)
	from := pStart
	if i > 0 && x.quotes[i-1].outerEnd > from && x.quotes[i-1].outerEnd <= q.outerStart {
		from = x.quotes[i-1].outerEnd
	}
	if s := sentenceStart(x.body, q.outerStart); s > from {
		from = s
	}
	if q.outerStart-from > 400 {
		from = q.outerStart - 400
	}
	toks = tokenize(x.body, from, q.outerStart, x.pre[:0])
	x.pre = toks[:0]
	pre := dropParens(x.sentenceBefore(toks))
	if who, ok := x.preTag(pre, q.outerStart); ok {
		return who, true
	}
	if postOK {
		return who, true
	}
	// A sentence that opens the quotation with a colon speaks through its subject,
	// whatever its verb: "Er selbst wollte davon nichts wissen: „…“".
	if n := len(pre); n > 1 && pre[n-1].punct && pre[n-1].text == ":" {
		if p, o, ok := pronounKind(pre[0].fold); ok && !isDeterminer(pre[0].fold) {
			if who := x.res.pronoun(p, o, pronounGender(pre[0].fold), q.outerStart); who != "" {
				return who, true
			}
		}
		if who, ok := x.res.first(pre[0].start, q.outerStart); ok {
			return who, true
		}
	}
	return "", false
}

// dropParens removes the parenthesised asides of a tag, which hold acronyms and
// party labels ("the International Organisation of Employers (IOE) said", "Katherina
// Reiche (CDU) sagte"), in place.
func dropParens(toks []token) []token {
	open, depth := -1, 0
	for k, t := range toks {
		if !t.punct {
			continue
		}
		switch t.text {
		case "(":
			if open < 0 {
				open = k
			}
			depth++
		case ")":
			depth--
		}
	}
	if open < 0 || depth != 0 {
		return toks // none, or unbalanced: an aside cut by the window
	}
	out := toks[:open]
	for _, t := range toks[open:] {
		switch {
		case t.punct && t.text == "(":
			depth++
		case t.punct && t.text == ")" && depth > 0:
			depth--
		case depth == 0:
			out = append(out, t)
		}
	}
	return out
}

// sentenceAfter keeps the tokens up to the first sentence end.
func (x *extractor) sentenceAfter(toks []token) []token {
	for k, t := range toks {
		if t.punct && (t.text == "." || t.text == "!" || t.text == "?" || t.text == ";") {
			return toks[:k]
		}
	}
	return toks
}

// sentenceBefore keeps the tokens after the last sentence end.
func (x *extractor) sentenceBefore(toks []token) []token {
	for k := len(toks) - 1; k >= 0; k-- {
		t := toks[k]
		if t.punct && (t.text == "." || t.text == "!" || t.text == "?" || t.text == ";") {
			return toks[k+1:]
		}
	}
	return toks
}

// isTagPunct reports the punctuation that may open a speech tag after a quotation.
func isTagPunct(t token) bool {
	switch t.text {
	case ",", "—", "–", "-", ":", "(", "―":
		return true
	}
	return false
}

// inverted reports a French inverted pronoun ("a-t-il", "dit-elle", "ajoute-t-on").
func inverted(f string) (person, org bool, g gender, ok bool) {
	for _, suf := range []string{"-t-il", "-t-elle", "-t-ils", "-t-elles", "-il", "-elle", "-ils", "-elles"} {
		if strings.HasSuffix(f, suf) && len(f) > len(suf) {
			pro := suf[strings.LastIndexByte(suf, '-')+1:]
			p, o, _ := pronounKind(pro)
			return p, o, pronounGender(pro), true
		}
	}
	return false, false, genderUnknown, false
}

func (x *extractor) verbKind(t token, first bool) verbKind {
	if t.punct {
		return 0
	}
	if k, ok := speechVerbs[t.fold]; ok {
		return k
	}
	// German "so" closes a quotation with its speaker: „…“, so Scholz.
	if first && t.fold == "so" && x.lang == "de" {
		return verbRight
	}
	return 0
}

// postTag reads the speech tag after a quotation. adjacent reports a tag that
// starts right after it, which outranks a verb before the quotation.
func (x *extractor) postTag(toks []token, pos int) (who string, adjacent, ok bool) {
	lo := 0
	for lo < len(toks) && toks[lo].punct && isTagPunct(toks[lo]) {
		lo++
	}
	if lo >= len(toks) || toks[lo].punct {
		return "", false, false
	}
	// "a-t-il dit", "dit-elle", "ajoute-t-il".
	for k := lo; k < lo+2 && k < len(toks); k++ {
		if p, o, g, inv := inverted(toks[k].fold); inv {
			return x.res.pronoun(p, o, g, pos), true, true
		}
	}
	limit := lo + 16
	if limit > len(toks) {
		limit = len(toks)
	}
	for v := lo; v < limit; v++ {
		t := toks[v]
		if t.punct && (t.text == ":" || t.text == "(" || t.text == ")") {
			break
		}
		kind := x.verbKind(t, v == lo)
		if kind == 0 {
			continue
		}
		if kind == verbRight && t.fold == "according" && v+1 < len(toks) && toks[v+1].fold == "to" {
			v++
		}
		if v == lo || kind == verbRight || x.onlyAux(toks, lo, v) {
			// Verb first: the speaker follows, or is dropped (Spanish "«…», afirmó.").
			if kind == verbLeft {
				continue
			}
			np, found := npRight(toks, v+1, len(toks))
			if !found {
				if v == lo && kind == verbBoth {
					return x.res.pronoun(true, false, genderUnknown, pos), true, true
				}
				continue
			}
			if who, ok := x.resolve(np, pos); ok {
				return who, v <= lo+1, true
			}
			continue
		}
		np, start, found := npLeft(toks, lo, v)
		if !found {
			continue
		}
		if who, ok := x.resolve(np, pos); ok {
			return who, start == lo, true
		}
		if kind == verbBoth {
			if np, found := npRight(toks, v+1, len(toks)); found {
				if who, ok := x.resolve(np, pos); ok {
					return who, false, true
				}
			}
		}
	}
	return "", false, false
}

// onlyAux reports whether toks[lo:v] holds only auxiliaries ("a déclaré", "ha dicho").
func (x *extractor) onlyAux(toks []token, lo, v int) bool {
	for k := lo; k < v; k++ {
		if toks[k].punct || !isAux(toks[k].fold) {
			return false
		}
	}
	return true
}

// preTag reads a speech tag before the quotation in its sentence, nearest verb first:
// "Smith said:", "Smith told Reuters the plan was", "According to Smith,".
func (x *extractor) preTag(toks []token, pos int) (string, bool) {
	for v := len(toks) - 1; v >= 0; v-- {
		t := toks[v]
		kind := x.verbKind(t, false)
		if p, o, g, inv := inverted(t.fold); inv && !t.punct {
			return x.res.pronoun(p, o, g, pos), true
		}
		if kind == 0 {
			continue
		}
		if kind == verbRight {
			w := v
			if t.fold == "according" && w+1 < len(toks) && toks[w+1].fold == "to" {
				w++
			}
			if np, found := npRight(toks, w+1, len(toks)); found {
				if who, ok := x.resolve(np, pos); ok {
					return who, true
				}
			}
			continue
		}
		if np, _, found := npLeft(toks, 0, v); found {
			if who, ok := x.resolve(np, pos); ok {
				return who, true
			}
			continue
		}
		if kind == verbBoth {
			if np, found := npRight(toks, v+1, len(toks)); found {
				if who, ok := x.resolve(np, pos); ok {
					return who, true
				}
			}
		}
	}
	return "", false
}

// fallback attributes a quotation without a speech tag in its sentence, as a desk
// reads it: a quotation that follows another in the same paragraph, or opens the
// paragraph after it, continues that speaker; otherwise the person the paragraph
// has just named is speaking.
func (x *extractor) fallback(i int, speakerOf []string) string {
	q := x.quotes[i]
	pStart, _ := x.paragraph(q.outerStart)
	if i > 0 {
		prev := x.quotes[i-1]
		if prev.outerEnd >= pStart && speakerOf[i-1] != "" {
			return speakerOf[i-1]
		}
	}
	if who := x.res.lastIn(pStart, q.outerStart, true, false); who != "" {
		return who
	}
	if i > 0 && speakerOf[i-1] != "" {
		prev := x.quotes[i-1]
		prevStart, _ := x.paragraph(prev.outerStart)
		if pStart > 0 {
			before, _ := x.paragraph(pStart - 2)
			if prevStart >= before {
				return speakerOf[i-1]
			}
		}
	}
	return ""
}

// sentenceEnd returns the offset of the first full stop, question or exclamation mark
// or semicolon in body[from:to] that is not an abbreviation's dot, or to.
func sentenceEnd(body string, from, to int) int {
	for i := from; i < to; i++ {
		switch body[i] {
		case '!', '?', ';':
			return i
		case '.':
			k := i
			for k > from && body[k-1] != ' ' {
				k--
			}
			if i+1 < len(body) && body[i+1] != ' ' && body[i+1] != '\n' || k < i && isAbbrev(body[k:i]) {
				continue
			}
			return i
		}
	}
	return to
}
