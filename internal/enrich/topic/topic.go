// Package topic assigns IPTC Media Topics (the 17 top-level concepts) to a story
// from weighted cue lexicons written per language (en, fr, es, de).
//
// IPTC Media Topics: (c) IPTC, International Press Telecommunications Council,
// https://iptc.org/standards/media-topics/, licensed CC BY 4.0. Only the codes
// and English labels of the top-level concepts are used; the cue lexicons are
// our own.
package topic

import (
	"embed"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Concept is a top-level IPTC Media Topic.
type Concept struct {
	Code string // "medtop:04000000"
	Name string // official English (en-GB) label
}

// URI is the concept's identifier on cv.iptc.org.
func (c Concept) URI() string {
	return "http://cv.iptc.org/newscodes/mediatopic/" + strings.TrimPrefix(c.Code, "medtop:")
}

// Concepts returns the 17 top-level Media Topics in code order.
func Concepts() []Concept {
	return []Concept{
		{"medtop:01000000", "arts, culture, entertainment and media"},
		{"medtop:02000000", "crime, law and justice"},
		{"medtop:03000000", "disaster, accident and emergency incident"},
		{"medtop:04000000", "economy, business and finance"},
		{"medtop:05000000", "education"},
		{"medtop:06000000", "environment"},
		{"medtop:07000000", "health"},
		{"medtop:08000000", "human interest"},
		{"medtop:09000000", "labour"},
		{"medtop:10000000", "lifestyle and leisure"},
		{"medtop:11000000", "politics and government"},
		{"medtop:12000000", "religion"},
		{"medtop:13000000", "science and technology"},
		{"medtop:14000000", "society"},
		{"medtop:15000000", "sport"},
		{"medtop:16000000", "conflict, war and peace"},
		{"medtop:17000000", "weather"},
	}
}

const nTopics = 17

// Weights and limits of the scoring. Headline words say most about what a story
// is about; the lead paragraph states the news, later paragraphs add context.
const (
	headlineWeight = 3.0
	leadWeight     = 2.0
	relativeCutoff = 0.5 // a further topic needs half the main topic's score
	minSecondScore = 4.0 // ... and enough evidence of its own
	maxTopics      = 3
	saturation     = 6.0 // score at which the main topic is 63% certain

	// Later paragraphs count with diminishing returns, so that a long body
	// drifting into background (the economy behind a strike, the weather
	// behind a flood) does not outvote what the headline and lead announce.
	bodyDamping = 16.0
	// A topic backed by a single supporting word (weight below 2) is more
	// often a stray sense of a common word than the subject of the story.
	singleWeakCue = 0.5

	disasterTopic     = 2  // index of medtop:03000000
	weatherTopic      = 16 // index of medtop:17000000
	weatherToDisaster = 0.6
)

//go:embed lexicon/*.txt
var lexiconFS embed.FS

// Classifier assigns Media Topics. It is read-only after New and safe for
// concurrent use.
type Classifier struct {
	concepts []Concept
	uris     []string
	byLang   map[string]*lexicon
	any      *lexicon // every language's cues, for stories in other languages
}

type lexicon struct {
	fwd, rev *trie
}

func newLexicon() *lexicon { return &lexicon{fwd: newTrie(), rev: newTrie()} }

// New builds the classifier from the embedded lexicons. The lexicons are part of
// the binary and are checked by the package tests, so a malformed line is a
// programming error.
func New() *Classifier {
	c, err := build()
	if err != nil {
		panic(err)
	}
	return c
}

func build() (*Classifier, error) {
	c := &Classifier{concepts: Concepts(), byLang: map[string]*lexicon{}, any: newLexicon()}
	for _, k := range c.concepts {
		c.uris = append(c.uris, k.URI())
	}
	files, err := lexiconFS.ReadDir("lexicon")
	if err != nil {
		return nil, fmt.Errorf("topic: read lexicons: %w", err)
	}
	for _, f := range files {
		lang := strings.TrimSuffix(f.Name(), ".txt")
		data, err := lexiconFS.ReadFile("lexicon/" + f.Name())
		if err != nil {
			return nil, fmt.Errorf("topic: read lexicon %s: %w", f.Name(), err)
		}
		lx := newLexicon()
		if err := parseLexicon(string(data), lx, c.any); err != nil {
			return nil, fmt.Errorf("topic: lexicon %s: %w", f.Name(), err)
		}
		c.byLang[lang] = lx
	}
	for _, lx := range append([]*lexicon{c.any}, mapValues(c.byLang)...) {
		lx.fwd.compact()
		lx.rev.compact()
	}
	return c, nil
}

func mapValues(m map[string]*lexicon) []*lexicon {
	out := make([]*lexicon, 0, len(m))
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// parseLexicon reads lines "TT W term term ...": TT the topic number (01-17),
// W the weight, then terms. "stem*" matches any word starting with stem,
// "*head" any word ending with it (German compounds), and words joined by "_"
// form a phrase.
func parseLexicon(data string, dst ...*lexicon) error {
	for ln, line := range strings.Split(data, "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) < 3 {
			return fmt.Errorf("line %d: want topic, weight and terms", ln+1)
		}
		tn, err := strconv.Atoi(f[0])
		if err != nil || tn < 1 || tn > nTopics {
			return fmt.Errorf("line %d: bad topic %q", ln+1, f[0])
		}
		w, err := strconv.ParseFloat(f[1], 32)
		if err != nil || w <= 0 {
			return fmt.Errorf("line %d: bad weight %q", ln+1, f[1])
		}
		cu := cue{topic: uint8(tn - 1), weight: float32(w)}
		for _, term := range f[2:] {
			prefix := strings.HasSuffix(term, "*")
			suffix := strings.HasPrefix(term, "*")
			term = strings.Trim(term, "*")
			folded := foldTerm(strings.ReplaceAll(term, "_", " "))
			if len(folded) < 2 {
				return fmt.Errorf("line %d: term %q too short", ln+1, term)
			}
			for _, lx := range dst {
				ok := false
				if suffix {
					ok = lx.rev.insert(reverse(folded), true, cu)
				} else {
					ok = lx.fwd.insert(folded, prefix, cu)
				}
				if !ok {
					return fmt.Errorf("line %d: term %q has characters outside the alphabet, or the lexicon is too large", ln+1, term)
				}
			}
		}
	}
	return nil
}

func foldTerm(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		if r == ' ' || r == '-' || r == '\'' {
			out = append(out, ' ')
			continue
		}
		b, n, _, _ := foldRune(r)
		out = append(out, b[:n]...)
	}
	return out
}

func reverse(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[len(b)-1-i] = c
	}
	return out
}

// Classify returns the Media Topics the story is about, best first; the first is
// the main topic. It returns nil when the text is empty or carries no cue.
func (c *Classifier) Classify(headline, body, lang string) []pipeline.Subject {
	if strings.TrimSpace(headline) == "" && strings.TrimSpace(body) == "" {
		return nil
	}
	lx := c.byLang[lang]
	if lx == nil {
		lx = c.any
	}
	var head, first, later evidence
	lx.score(headline, &head)
	lead, rest := splitLead(body)
	lx.score(lead, &first)
	lx.score(rest, &later)
	var sc [nTopics]float64
	for t := range sc {
		b := later.score[t]
		if b > 0 {
			b = bodyDamping * math.Log1p(b/bodyDamping)
		}
		s := headlineWeight*head.score[t] + leadWeight*first.score[t] + b
		if head.hits[t]+first.hits[t]+later.hits[t] == 1 && !(head.strong[t] || first.strong[t] || later.strong[t]) {
			s *= singleWeakCue
		}
		sc[t] = s
	}
	return c.subjects(&sc)
}

// evidence is what one part of a story says for each topic.
type evidence struct {
	score  [nTopics]float64
	hits   [nTopics]uint16
	strong [nTopics]bool // a cue of weight 2 or more matched
}

// splitLead separates the first paragraph of at least a sentence's length
// (a lone dateline or byline paragraph does not count as the lead).
func splitLead(body string) (lead, rest string) {
	off := 0
	for {
		i := strings.Index(body[off:], "\n\n")
		if i < 0 {
			return body, ""
		}
		end := off + i
		if end >= 80 {
			return body[:end], body[end:]
		}
		off = end + 2
	}
}

func (c *Classifier) subjects(sc *[nTopics]float64) []pipeline.Subject {
	var order [nTopics]int
	for i := range order {
		order[i] = i
	}
	// insertion sort: 17 items, stable on ties so lower codes win deterministically
	for i := 1; i < nTopics; i++ {
		for j := i; j > 0 && sc[order[j]] > sc[order[j-1]]; j-- {
			order[j], order[j-1] = order[j-1], order[j]
		}
	}
	// Weather that kills or destroys is a disaster story: IPTC files storms,
	// floods and heatwaves with casualties or damage under disasters and keeps
	// weather for conditions and forecasts.
	if order[0] == weatherTopic && sc[disasterTopic] >= weatherToDisaster*sc[weatherTopic] {
		for j := 1; j < nTopics; j++ {
			if order[j] == disasterTopic {
				copy(order[1:j+1], order[0:j])
				order[0] = disasterTopic
				break
			}
		}
	}
	best, second := sc[order[0]], sc[order[1]]
	if best <= 0 {
		return nil
	}
	if second > best {
		second = best
	}
	certainty := (1 - math.Exp(-best/saturation)) * best / (best + second)
	out := make([]pipeline.Subject, 0, maxTopics)
	for _, t := range order[:maxTopics] {
		s := sc[t]
		if len(out) > 0 && (s < relativeCutoff*best || s < minSecondScore) {
			break
		}
		conf := certainty * math.Min(s, best) / best
		conf = math.Max(0.01, math.Min(1, math.Round(conf*1000)/1000))
		out = append(out, pipeline.Subject{
			Code:       c.concepts[t].Code,
			Name:       c.concepts[t].Name,
			URI:        c.uris[t],
			Confidence: conf,
		})
	}
	return out
}

const maxWord = 48

// symbols maps an ASCII byte to its trie symbol plus one (letters folded to
// lower case); 0 marks a byte that is not part of a word.
var symbols = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = uint8(c-'a') + 1
		t[c-32] = uint8(c-'a') + 1
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = uint8(c-'0') + 27
	}
	return t
}()

// walker follows one word through the forward trie, one symbol at a time.
type walker struct {
	node  int32 // current node; -1 once the word left the trie
	cues  int32 // cues of the deepest stem passed
	depth int
}

func (w *walker) step(t *trie, s uint8, depth int) {
	if w.node < 0 {
		return
	}
	n := int32(t.nodes[w.node].next[s])
	if n == 0 {
		w.node = -1
		return
	}
	w.node = n
	if p := t.nodes[n].prefix; p != 0 {
		w.cues, w.depth = p, depth
	}
}

// score adds the cue weight to ev for every cue found in text. It reads
// the text once, walking the trie as it goes; the word is kept only for the
// reversed (compound head) walk.
func (lx *lexicon) score(text string, ev *evidence) {
	var (
		buf      [maxWord]uint8
		n        int
		usable   = true
		inWord   bool
		root     = walker{}
		pend     [2]walker // phrases waiting for this word
		next     [2]int32  // phrase nodes for the following word
		hasRev   = len(lx.rev.nodes) > 1
		fwd, rev = lx.fwd, lx.rev
	)
	pend[0].node, pend[1].node = -1, -1
	for i := 0; i <= len(text); {
		c := byte(' ') // a separator after the text ends its last word
		if i < len(text) {
			c = text[i]
		}
		var s0, s1 uint8 // symbols + 1
		var r rune
		if c < utf8.RuneSelf {
			i++
			s0 = symbols[c]
			r = rune(c)
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
			b, bn, ok, other := foldRune(r)
			if ok && other {
				usable, inWord = false, true
				continue
			}
			if ok {
				s0 = uint8(sym(b[0]) + 1)
				if bn == 2 {
					s1 = uint8(sym(b[1]) + 1)
				}
			}
		}
		if s0 != 0 {
			inWord = true
			if n+2 > maxWord {
				usable = false
				continue
			}
			buf[n] = s0 - 1
			n++
			root.step(fwd, s0-1, n)
			if pend[0].node >= 0 || pend[1].node >= 0 {
				pend[0].step(fwd, s0-1, n)
				pend[1].step(fwd, s0-1, n)
			}
			if s1 != 0 { // ß → ss, œ → oe
				buf[n] = s1 - 1
				n++
				root.step(fwd, s1-1, n)
				pend[0].step(fwd, s1-1, n)
				pend[1].step(fwd, s1-1, n)
			}
			continue
		}
		// r ends the word, if any
		if inWord {
			next = [2]int32{-1, -1}
			if usable && n > 0 {
				cues, depth, src := root.cues, root.depth, fwd
				if root.node > 0 {
					if e := fwd.nodes[root.node].exact; e != 0 {
						cues, depth = e, n
					}
					next[0] = int32(fwd.nodes[root.node].next[spaceSym])
				}
				if hasRev {
					if rc, rd := rev.walkReverse(buf[:n]); rd > depth {
						cues, src = rc, rev
					}
				}
				src.add(cues, ev)
				for k := range pend {
					p := &pend[k]
					if p.node < 0 && p.cues == 0 {
						continue
					}
					pc := p.cues
					if p.node > 0 {
						if e := fwd.nodes[p.node].exact; e != 0 {
							pc = e
						}
						if nx := fwd.nodes[p.node].next[spaceSym]; nx != 0 {
							next[1] = int32(nx)
						}
					}
					fwd.add(pc, ev)
				}
			}
			for k := range pend {
				pend[k] = walker{node: next[k]}
				if next[k] == 0 {
					pend[k].node = -1
				}
			}
			root = walker{}
			n, usable, inWord = 0, true, false
		}
		switch r {
		case ' ', '\t', '\n', '\r', '-', '\'', '\u2019', '\u00a0', '\u2010', '\u2011':
			// a phrase may continue across spaces, hyphens and elisions
		default:
			pend[0].node, pend[1].node = -1, -1
		}
	}
}

func (t *trie) add(cues int32, ev *evidence) {
	if cues == 0 {
		return
	}
	for _, c := range t.cues[cues-1] {
		ev.score[c.topic] += float64(c.weight)
		ev.hits[c.topic]++
		if c.weight >= 2 {
			ev.strong[c.topic] = true
		}
	}
}
