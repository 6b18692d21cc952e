package gazetteer

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// folder turns a surface form into the key the index is built on: lower case, no
// diacritics, hyphens and dashes as spaces, no dots, runs of spaces as one. It must agree
// with fold() in gen/generate.py, which uses it to merge forms.
type folder struct {
	// latin maps the Latin-1, Latin Extended and Latin Extended Additional runes to their
	// folded form; built once so that folding a word never decomposes at run time.
	latin map[rune]string
}

func newFolder() *folder {
	f := &folder{latin: make(map[rune]string, 1200)}
	special := map[rune]string{
		'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe", 'ø': "o", 'Ø': "o",
		'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'Þ': "th", 'ð': "d", 'Ð': "d",
		'’': "'", '‘': "'", 'ʼ': "'", 'ʻ': "'", '`': "'",
		'‐': " ", '‑': " ", '–': " ", '—': " ", '\u00a0': " ",
	}
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			if s, ok := special[r]; ok {
				f.latin[r] = s
				continue
			}
			var out []rune
			for _, d := range norm.NFD.String(string(unicode.ToLower(r))) {
				if !unicode.Is(unicode.Mn, d) {
					out = append(out, d)
				}
			}
			f.latin[r] = string(out)
		}
	}
	add(0x80, 0x24F)
	add(0x1E00, 0x1EFF)
	add(0x2010, 0x2019)
	for r, s := range special {
		f.latin[r] = s
	}
	return f
}

// fold appends the folded form of s to dst and returns it.
func (f *folder) fold(dst []byte, s string) []byte {
	space := true // at start: drop leading spaces
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'A' && c <= 'Z':
				dst = append(dst, c+('a'-'A'))
				space = false
			case c == '.':
			case c == '-' || c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
				if !space {
					dst = append(dst, ' ')
					space = true
				}
			case c == '`':
				dst = append(dst, '\'')
				space = false
			default:
				dst = append(dst, c)
				space = false
			}
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if m, ok := f.latin[r]; ok {
			for j := 0; j < len(m); j++ {
				if m[j] == ' ' {
					if !space {
						dst = append(dst, ' ')
						space = true
					}
					continue
				}
				dst = append(dst, m[j])
				space = false
			}
			continue
		}
		if unicode.Is(unicode.Mn, r) {
			continue // a combining mark of decomposed input
		}
		if unicode.IsSpace(r) {
			if !space {
				dst = append(dst, ' ')
				space = true
			}
			continue
		}
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
		space = false
	}
	if len(dst) > 0 && dst[len(dst)-1] == ' ' {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// allCaps tells whether every letter of s is upper case (and there is at least one), so
// that "US" may name the United States but "us" may not.
func allCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters++
		}
	}
	return letters > 0
}
