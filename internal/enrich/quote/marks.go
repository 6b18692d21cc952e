// Package quote finds the direct quotations of a story and who said them.
package quote

import (
	"math/bits"
	"strings"
	"unicode"
	"unicode/utf8"
)

// family groups an opening quotation mark with the marks that close it.
type family uint8

const (
	famNone      family = iota
	famStraight         // "…"
	famCurly            // “…”
	famLow              // „…“ or „…”
	famGuillemet        // «…»
	famReversed         // »…« (German and Nordic style)
	famSingle           // ‘…’ when the text uses single quotes as primary marks
	famLowSingle        // ‚…‘ in the same case
)

// span is one quotation: the marks at outerStart and outerEnd, and the content ranges
// (several when a quotation runs over paragraphs).
type span struct {
	outerStart, outerEnd int
	parts                [][2]int
	text                 string
}

// opener returns the family a mark opens, looking at the rune after it for the
// ambiguous » (closing in French, opening in German).
func opener(r rune, next rune, single bool) family {
	switch r {
	case '"':
		return famStraight
	case '“':
		return famCurly
	case '„':
		return famLow
	case '«':
		return famGuillemet
	case '»':
		if unicode.IsLetter(next) || unicode.IsDigit(next) {
			return famReversed
		}
	case '‘':
		if single {
			return famSingle
		}
	case '‚':
		if single {
			return famLowSingle
		}
	}
	return famNone
}

// closes reports whether r closes a quotation of family f; prev and next are the runes around it.
func closes(f family, r, prev, next rune) bool {
	switch f {
	case famStraight:
		return r == '"'
	case famCurly:
		return r == '”'
	case famLow:
		return r == '“' || r == '”'
	case famGuillemet:
		return r == '»'
	case famReversed:
		return r == '«'
	case famSingle, famLowSingle:
		// ’ is also the apostrophe: it closes only when no letter follows it.
		return (r == '’' || (f == famLowSingle && r == '‘')) && !unicode.IsLetter(next) && prev != ' '
	}
	return false
}

// usesSingle reports whether the text quotes with single curly marks: it has ‘ and
// no double marks of any kind.
func usesSingle(body string) bool {
	if !strings.Contains(body, "‘") && !strings.Contains(body, "‚") {
		return false
	}
	return !strings.ContainsAny(body, "\"“”„«»")
}

// markStart flags the bytes that may begin a quotation mark or a paragraph break:
// '"', '\n', and the lead bytes of « » (C2) and the curly marks (E2).
var markStart = [256]bool{'"': true, '\n': true, 0xC2: true, 0xE2: true}

// load64 reads s[i:i+8] little-endian; the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

const (
	lowBits  = 0x7F7F7F7F7F7F7F7F
	highBits = 0x8080808080808080
	ones     = 0x0101010101010101
)

// zeroBytes sets the high bit of each zero byte of y, and only of those.
func zeroBytes(y uint64) uint64 {
	return ^((y&lowBits + lowBits) | y) & highBits
}

// markBytes flags the bytes of a group that markStart holds.
func markBytes(x uint64) uint64 {
	return zeroBytes(x^'"'*ones) | zeroBytes(x^'\n'*ones) | zeroBytes(x^0xC2*ones) | zeroBytes(x^0xE2*ones)
}

// findSpans returns the quotations of body in order. A quotation left open at the end
// of a paragraph continues when the next paragraph opens with the same mark (the
// convention for a quotation over several paragraphs); otherwise it is dropped.
//
// The content ranges of all the quotations go into parts, one shared buffer,
// returned for reuse.
func findSpans(body string, out []span, parts [][2]int) ([]span, [][2]int) {
	single := usesSingle(body)
	var (
		fam   family
		cur   span
		start int
		p0    int // cur's ranges are parts[p0:]; len(parts) when none is open
	)
	for i := 0; i < len(body); {
		if !markStart[body[i]] {
			// Skip eight bytes at a time to the next byte that may start a mark.
			i++
			for i+8 <= len(body) {
				m := markBytes(load64(body, i))
				if m != 0 {
					i += bits.TrailingZeros64(m) >> 3
					break
				}
				i += 8
			}
			continue
		}
		c := body[i]
		if c == '\n' {
			if i+1 >= len(body) || body[i+1] != '\n' {
				i++
				continue
			}
			j := i + 2
			for j < len(body) && (body[j] == '\n' || body[j] == ' ') {
				j++
			}
			if fam != famNone {
				r, w := utf8.DecodeRuneInString(body[j:])
				var next rune
				if j+w < len(body) {
					next, _ = utf8.DecodeRuneInString(body[j+w:])
				}
				if j < len(body) && opener(r, next, single) == fam {
					parts = append(parts, [2]int{start, i})
					start = j + w
					i = j + w
					continue
				}
				fam, cur = famNone, span{}
				parts = parts[:p0]
			}
			i = j
			continue
		}
		r, w := utf8.DecodeRuneInString(body[i:])
		if r != '"' && (r < 0x2018 || r > 0x201E) && r != '«' && r != '»' {
			i += w
			continue
		}
		var next rune = ' '
		if i+w < len(body) {
			next, _ = utf8.DecodeRuneInString(body[i+w:])
		}
		prev := ' '
		if i > 0 {
			prev, _ = utf8.DecodeLastRuneInString(body[:i])
		}
		if fam != famNone && closes(fam, r, prev, next) {
			parts = append(parts, [2]int{start, i})
			cur.parts = parts[p0:len(parts):len(parts)]
			p0 = len(parts)
			cur.outerEnd = i + w
			out = append(out, cur)
			fam, cur = famNone, span{}
		} else if f := opener(r, next, single); f != famNone && (fam == famNone || f == fam && f != famStraight) {
			// A second opening mark of the same family before a close means the first
			// was never closed: start again from here.
			fam = f
			cur = span{outerStart: i}
			parts = parts[:p0]
			start = i + w
		}
		i += w
	}
	return out, parts[:p0]
}

// isSpace reports the spaces that may sit inside a quotation, French thin and
// no-break spaces included.
func isSpace(r rune) bool {
	return r == ' ' || r == '\n' || r == '\t' || r == '\r' || r == '\u00a0' || r == '\u202f' || r == '\u2009' || r == '\u2007'
}

// content returns the quotation's text with runs of spaces collapsed and the ends
// trimmed; a one-paragraph quotation with clean spacing is a slice of the body.
func content(body string, sp span) string {
	if len(sp.parts) == 1 {
		s := body[sp.parts[0][0]:sp.parts[0][1]]
		if clean(s) {
			return s
		}
	}
	var b strings.Builder
	n := 0
	for _, p := range sp.parts {
		n += p[1] - p[0] + 1
	}
	b.Grow(n)
	space := false
	for _, p := range sp.parts {
		s := body[p[0]:p[1]]
		for _, r := range s {
			if isSpace(r) {
				space = true
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		space = true
	}
	return b.String()
}

// clean reports text with single ASCII spaces between words and none at the ends.
func clean(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == ' ':
			if s[i+1] == ' ' {
				return false
			}
		case c == '\n' || c == '\t' || c == '\r':
			return false
		case c == 0xC2 && i+1 < len(s) && s[i+1] == 0xA0: // no-break space
			return false
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x80 && (s[i+2] == 0xAF || s[i+2] == 0x89 || s[i+2] == 0x87):
			return false
		}
	}
	return true
}

// wordCount counts the words of a quotation, and how many of them open with a capital.
func wordCount(s string) (words, caps int) {
	in := false
	for _, r := range s {
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z' || '0' <= r && r <= '9':
				if !in {
					words++
				}
				in = true
			case 'A' <= r && r <= 'Z':
				if !in {
					words++
					caps++
				}
				in = true
			case r == '\'' || r == '-':
			default:
				in = false
			}
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if !in {
				words++
				if unicode.IsUpper(r) {
					caps++
				}
			}
			in = true
			continue
		}
		if r == '\'' || r == '’' || r == '-' {
			continue
		}
		in = false
	}
	return words, caps
}
