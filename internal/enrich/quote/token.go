package quote

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// token is a word or a punctuation mark of an attribution window.
type token struct {
	text       string
	start, end int // byte offsets in the body
	punct      bool
	cap        bool   // a word that opens with a capital letter
	fold       string // lower case without diacritics (words only)
}

// tokenize splits body[from:to] into words and punctuation. Words keep inner
// hyphens and abbreviation dots ("a-t-il", "U.S.", "Mr."); elided articles are
// words of their own ("l'AFP" → "l'", "AFP").
func tokenize(body string, from, to int, out []token) []token {
	base := len(out)
	var arena [256]byte
	buf := arena[:0]
	i := from
	for i < to {
		r, w := utf8.DecodeRuneInString(body[i:])
		if isSpace(r) {
			i += w
			continue
		}
		if r == '\'' || r == '’' {
			i += w // a possessive or stray apostrophe carries nothing here
			continue
		}
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			out = append(out, token{})
			t := &out[len(out)-1]
			t.text, t.start, t.end, t.punct = body[i:i+w], i, i+w, true
			i += w
			continue
		}
		j := i + w
		apos := false
		for j < to {
			c := body[j]
			if c < utf8.RuneSelf && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
				j++
				continue
			}
			r2, w2 := utf8.DecodeRuneInString(body[j:])
			if unicode.IsLetter(r2) || unicode.IsDigit(r2) || unicode.Is(unicode.Mn, r2) {
				j += w2
				continue
			}
			if r2 == '-' || r2 == '\'' || r2 == '’' || r2 == '.' {
				// Inner only: a letter must follow.
				if j+w2 < to {
					r3, _ := utf8.DecodeRuneInString(body[j+w2:])
					if unicode.IsLetter(r3) {
						apos = apos || r2 != '-' && r2 != '.'
						j += w2
						continue
					}
				}
				if r2 == '.' && isAbbrev(body[i:j]) {
					j += w2
				}
			}
			break
		}
		if apos {
			// French and Italian elisions are words of their own: "l'OFSP" → "l'", "OFSP".
			if e := elision(body[i:j]); e > 0 {
				out = append(out, token{text: body[i : i+e], start: i, end: i + e})
				i += e
				r, _ = utf8.DecodeRuneInString(body[i:])
			}
		}
		// Fill the token in place: copying one built field by field on the stack
		// stalls on store forwarding.
		out = append(out, token{})
		t := &out[len(out)-1]
		t.text, t.start, t.end, t.cap = body[i:j], i, j, unicode.IsUpper(r)
		i = j
	}
	// Fold the words: lower-case ASCII words are their own fold; other ASCII words are
	// lower-cased into one shared string; the rest go through textkit.Fold.
	type span struct{ k, a, b int }
	var pending [24]span
	spans := pending[:0]
	for k := base; k < len(out); k++ {
		t := &out[k]
		if t.punct {
			continue
		}
		plain, lower := true, true
		for n := 0; n < len(t.text); n++ {
			c := t.text[n]
			if c >= utf8.RuneSelf || c == '.' {
				plain = false
				break
			}
			if 'A' <= c && c <= 'Z' {
				lower = false
			}
		}
		switch {
		case plain && lower:
			t.fold = t.text
		case plain && len(buf)+len(t.text) <= cap(buf):
			a := len(buf)
			for n := 0; n < len(t.text); n++ {
				c := t.text[n]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				buf = append(buf, c)
			}
			spans = append(spans, span{k, a, len(buf)})
		default:
			t.fold = foldWord(t.text)
		}
	}
	if len(spans) > 0 {
		all := string(buf)
		for _, sp := range spans {
			out[sp.k].fold = all[sp.a:sp.b]
		}
	}
	return out
}

// foldWord folds a word and drops an abbreviation's dot.
func foldWord(w string) string {
	f := textkit.Fold(w)
	if len(f) > 0 && f[len(f)-1] == '.' {
		f = f[:len(f)-1]
	}
	return f
}

// elision returns the length of an elided article or pronoun opening w ("l'",
// "d'", "qu'", "dell'"), or 0.
func elision(w string) int {
	k := strings.IndexByte(w, '\'')
	n := 1
	if k2 := strings.Index(w, "’"); k2 >= 0 && (k < 0 || k2 < k) {
		k, n = k2, len("’")
	}
	if k < 1 || k > 6 || k+n >= len(w) {
		return 0
	}
	switch strings.ToLower(w[:k]) {
	case "l", "d", "j", "n", "s", "c", "m", "t", "qu", "lorsqu", "puisqu", "jusqu", "dell", "all", "nell", "sull", "dall":
		return k + n
	}
	return 0
}
