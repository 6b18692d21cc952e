// Package tone scores the sentiment of a story body: a score in [-1, 1] and the
// shares of positive and negative words.
//
// English uses a lexicon derived from VADER (vaderSentiment 3.3.2, MIT licence,
// (c) 2016 C.J. Hutto; see gen/); French, Spanish and German use smaller word
// lists written for wirehose on the same -4..4 valence scale.
package tone

import (
	"bufio"
	_ "embed"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

var (
	//go:embed vader_en.tsv
	vaderEN string
	//go:embed lexicon_fr.tsv
	lexFR string
	//go:embed lexicon_es.tsv
	lexES string
	//go:embed lexicon_de.tsv
	lexDE string
)

// Scoring constants. The negation factor and the booster step are VADER's; the
// damping term keeps a story with one mildly coloured word near neutral.
const (
	negationFactor = -0.74
	boosterStep    = 0.293
	negationWindow = 3
	damping        = 3.0
)

type language struct {
	valence    map[string]float32
	negators   map[string]bool
	boosters   map[string]float32 // + intensifies, - dampens
	properNoun bool               // capitalised words inside a sentence are names, not sentiment
	apostrophe bool               // keep apostrophes inside words (don't, isn't)
	words      *table             // all of the above, for one lookup per word
}

// languages is built once on first use and only read afterwards.
var languages = sync.OnceValue(func() map[string]*language {
	en := &language{
		valence:    parseTSV(vaderEN),
		negators:   set("not no never none nobody nothing neither nor nowhere without cannot can't don't doesn't didn't isn't aren't wasn't weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't ain't mustn't needn't lack lacks lacking"),
		boosters:   boosters("very 1 extremely 1 really 1 highly 1 deeply 1 hugely 1 incredibly 1 particularly 1 especially 1 so 1 too 1 most 1 more 1 totally 1 utterly 1 absolutely 1 completely 1 greatly 1 seriously 1 severely 1 slightly -1 somewhat -1 barely -1 hardly -1 marginally -1 partly -1 fairly -1 rather -1 less -1"),
		properNoun: true,
		apostrophe: true,
	}
	// Words whose VADER valence is about a sense news copy rarely uses, or that
	// are function words here ("like" as a preposition, "party" the political
	// organisation, "united", "supreme", "justice" in institution names).
	for _, w := range strings.Fields("like likes liked well yes no please kind pretty party parties united unite supreme justice lol haha ok okay sure certain want wants wanted care cares capital fine fined dear honor honour honored interest interests credit credits share shares") {
		delete(en.valence, w)
	}
	fr := &language{
		valence:    parseTSV(lexFR),
		negators:   set("ne n pas jamais sans aucun aucune ni guère rien personne nullement"),
		boosters:   boosters("très 1 extrêmement 1 vraiment 1 particulièrement 1 profondément 1 tellement 1 si 1 trop 1 totalement 1 absolument 1 fortement 1 gravement 1 légèrement -1 peu -1 assez -1 plutôt -1 moins -1"),
		properNoun: true,
	}
	es := &language{
		valence:    parseTSV(lexES),
		negators:   set("no nunca jamás sin ni tampoco ningún ninguna ninguno nada nadie"),
		boosters:   boosters("muy 1 extremadamente 1 realmente 1 especialmente 1 profundamente 1 tan 1 demasiado 1 totalmente 1 absolutamente 1 gravemente 1 ligeramente -1 poco -1 algo -1 bastante -1 menos -1"),
		properNoun: true,
	}
	de := &language{
		valence:  parseTSV(lexDE),
		negators: set("nicht kein keine keinen keinem keiner keines nie niemals ohne weder nichts niemand"),
		boosters: boosters("sehr 1 äußerst 1 extrem 1 wirklich 1 besonders 1 zutiefst 1 so 1 zu 1 völlig 1 absolut 1 total 1 schwer 1 stark 1 leicht -1 etwas -1 kaum -1 ziemlich -1 weniger -1"),
	}
	langs := map[string]*language{"en": en, "fr": fr, "es": es, "de": de}
	for _, l := range langs {
		l.words = newTable(l)
	}
	return langs
})

func parseTSV(data string) map[string]float32 {
	m := make(map[string]float32, 8192)
	sc := bufio.NewScanner(strings.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		word, val, ok := strings.Cut(line, "\t")
		if !ok {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(val), 32)
		if err != nil {
			continue // the embedded files are checked by the package tests
		}
		m[word] = float32(v)
	}
	return m
}

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

func boosters(pairs string) map[string]float32 {
	f := strings.Fields(pairs)
	m := make(map[string]float32, len(f)/2)
	for i := 0; i+1 < len(f); i += 2 {
		v, _ := strconv.ParseFloat(f[i+1], 32)
		m[f[i]] = float32(v) * boosterStep
	}
	return m
}

// Byte classes of the scanner; a byte from 0x80 up starts or continues a
// multi-byte rune, decoded only then.
const (
	clLetter uint8 = 1 << iota
	clDigit
	clApostrophe
	clHyphen
	clSentence // ends a sentence: negation and boosters stop there
	clComma
	clHigh
)

// byteClass and lowerByte are read-only tables over all byte values.
var byteClass, lowerByte = func() (cl [256]uint8, lo [256]byte) {
	for c := range 256 {
		lo[c] = byte(c)
		switch {
		case c >= 'a' && c <= 'z':
			cl[c] = clLetter
		case c >= 'A' && c <= 'Z':
			cl[c] = clLetter
			lo[c] = byte(c) + 'a' - 'A'
		case c >= '0' && c <= '9':
			cl[c] = clDigit
		case c >= utf8.RuneSelf:
			cl[c] = clHigh
		}
	}
	cl['\''] = clApostrophe
	cl['-'] = clHyphen
	for _, c := range ".!?;:\n" {
		cl[c] = clSentence
	}
	cl[','] = clComma
	return cl, lo
}()

// maxWord is the longest word looked up, in bytes; longer ones are skipped.
const maxWord = 64

// Score returns the tone of body. Languages without a lexicon are scored with
// the English one (names and numbers score nothing, so the result stays near
// neutral rather than wrong). An empty body is neutral.
func Score(body, lang string) pipeline.Tone {
	langs := languages()
	lx := langs[lang]
	if lx == nil {
		lx = langs["en"]
	}
	var (
		buf          [maxWord + 8]byte // slack for a whole group written at once
		words        int
		nPos, nNeg   int
		sumP, sumN   float64
		sinceNeg     = negationWindow + 1 // words since the last negator
		boost        float32
		sentenceHead = true
	)
	// inWord is the classes of ASCII bytes that continue a word once it has begun.
	inWord := clLetter | clDigit | clHyphen
	if lx.apostrophe {
		inWord |= clApostrophe
	}
	tab := lx.words
	var aposMask uint64 // the apostrophe's bytes count in a group's cont mask
	if lx.apostrophe {
		aposMask = high
	}
	i := 0
	for i < len(body) {
		c := body[i]
		cl := byteClass[c]
		var capital bool
		switch {
		case cl&(clLetter|clDigit) != 0:
			capital = c <= 'Z' && c >= 'A'
		case cl == clHigh:
			r, size := utf8.DecodeRuneInString(body[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += size
				continue
			}
			capital = unicode.IsUpper(r)
		default:
			switch cl {
			case clSentence:
				sentenceHead = true
				sinceNeg = negationWindow + 1
				boost = 0
			case clComma:
				boost = 0
			}
			i++
			continue
		}
		// Read one word, lower-cased into buf, hashing it as it goes (the
		// steps of hashBytes, kept in registers).
		n, overflow := 0, false
		var seen uint8 // classes of the word's runes: a word needs a letter
		h, lo, cur := uint64(hashSeed), uint64(0), uint64(0)
		if cl != clHigh {
			// Most words are ASCII: read them a group of eight bytes at a time,
			// falling back to the byte loop below for a word that meets a
			// non-ASCII byte, the end of the body or the length limit.
			start := i
			for i+8 <= len(body) {
				// The classes of group, written out: the call would not be inlined.
				x := load64(body, i)
				ascii := ^x & high
				x7 := x &^ high
				letters := inRange(x7|0x2020202020202020, 'a', 'z') & ascii
				upper := letters &^ (x7 << 2) // bit 5 clear: a capital
				cont := letters | inRange(x7, '0', '9') | inRange(x7, '-', '-') | inRange(x7, '\'', '\'')&aposMask
				k := firstStop(cont)
				if k == 8 {
					if n+8 >= maxWord {
						break
					}
					g := x | upper>>2
					binary.LittleEndian.PutUint64(buf[n:], g)
					if n == 0 {
						lo = g
					}
					h = mix(h, g)
					n += 8
					i += 8
					if letters != 0 {
						seen = clLetter
					}
					continue
				}
				if x>>(8*uint(k)+7)&1 != 0 {
					break // a non-ASCII byte: the word may go on
				}
				keep := uint64(1)<<(8*uint(k)) - 1
				g := (x | upper>>2) & keep
				binary.LittleEndian.PutUint64(buf[n:], g)
				if n == 0 {
					lo = g
				}
				if letters&keep != 0 {
					seen = clLetter
				}
				n += k
				i += k
				if x>>(8*uint(k))&0xFF == ' ' {
					i++ // the usual space after a word: skip the scan of it
				}
				h = mix(h^uint64(n), g)
				goto scanned
			}
			i, n, seen, h, lo = start, 0, 0, hashSeed, 0
		}
		for i < len(body) {
			c = body[i]
			cl = byteClass[c]
			if cl&inWord != 0 {
				seen |= cl
				if n < maxWord {
					b := lowerByte[c]
					buf[n] = b
					cur |= uint64(b) << (8 * uint(n&7))
					n++
					if n&7 == 0 {
						if n == 8 {
							lo = cur
						}
						h, cur = mix(h, cur), 0
					}
				} else {
					overflow = true
				}
				i++
				continue
			}
			if cl != clHigh {
				break
			}
			r, size := utf8.DecodeRuneInString(body[i:])
			if r == '\u2019' && lx.apostrophe {
				r = '\''
			} else if unicode.IsLetter(r) {
				seen |= clLetter
			} else if !unicode.IsDigit(r) {
				break
			}
			lr := unicode.ToLower(r)
			if m := utf8.RuneLen(lr); n+m > maxWord {
				overflow = true
			} else {
				utf8.EncodeRune(buf[n:], lr)
				for _, b := range buf[n : n+m] {
					cur |= uint64(b) << (8 * uint(n&7))
					n++
					if n&7 == 0 {
						if n == 8 {
							lo = cur
						}
						h, cur = mix(h, cur), 0
					}
				}
			}
			i += size
		}
		if n < 8 {
			lo = cur
		}
		h = mix(h^uint64(n), cur)
	scanned:
		if seen&clLetter == 0 || overflow {
			sentenceHead = false
			continue
		}
		if c := buf[n-1]; c == '\'' || c == '-' {
			// a trailing apostrophe or hyphen is punctuation
			for n > 0 && (buf[n-1] == '\'' || buf[n-1] == '-') {
				n--
			}
			h, lo = hashBytes(buf[:n])
		}
		words++
		word := buf[:n]
		head := sentenceHead
		sentenceHead = false
		e, ok := tab.get(word, h, lo)
		if !ok && n > 2 && lx.apostrophe && word[n-2] == '\'' && word[n-1] == 's' {
			h, lo = hashBytes(word[:n-2])
			e, ok = tab.get(word[:n-2], h, lo)
		}
		if ok && e.kind == negatorWord || lx.apostrophe && n > 3 && word[n-3] == 'n' && word[n-2] == '\'' && word[n-1] == 't' {
			sinceNeg = 0
			continue
		}
		if ok && e.kind == boosterWord {
			boost = e.value
			continue
		}
		sinceNeg++
		if !ok || (lx.properNoun && capital && !head) {
			boost = 0
			continue
		}
		val := float64(e.value)
		if boost != 0 {
			val += math.Copysign(1, val) * float64(boost)
			boost = 0
		}
		if sinceNeg <= negationWindow {
			val *= negationFactor
		}
		switch {
		case val > 0:
			nPos++
			sumP += val
		case val < 0:
			nNeg++
			sumN -= val
		}
	}
	if words == 0 {
		return pipeline.Tone{}
	}
	return pipeline.Tone{
		Score:    round3((sumP - sumN) / (sumP + sumN + damping)),
		Positive: round3(float64(nPos) / float64(words)),
		Negative: round3(float64(nNeg) / float64(words)),
	}
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func round3(x float64) float64 { return math.Round(x*1000) / 1000 }
