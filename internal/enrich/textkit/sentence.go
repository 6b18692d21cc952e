package textkit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// abbreviations end with a full stop that does not end a sentence: titles,
// months and common wire-copy shortenings in en/fr/es/de.
func isKnownAbbreviation(lower string) bool {
	switch lower {
	case "mr", "mrs", "ms", "dr", "prof", "st", "sr", "sra", "srta", "jr", "messrs", "mme", "mlle", "mm",
		"gen", "lt", "col", "capt", "sgt", "maj", "adm", "gov", "sen", "rep", "rev", "hon", "pres", "insp", "supt",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
		"mon", "tue", "tues", "wed", "thu", "thurs", "fri", "sat", "sun",
		"no", "nos", "vs", "etc", "approx", "dept", "est", "fig", "inc", "ltd", "co", "corp", "bros",
		"av", "avda", "ave", "blvd", "nr", "str", "bzw", "z", "ca", "vgl", "dres", "hr", "fr", "ud", "uds", "dña",
		"env", "cf", "p", "pp", "mgr", "me", "vol":
		return true
	}
	return false
}

// IsAbbreviation reports whether word, written before a full stop, is an
// abbreviation or an initial ("Mr", "Jan", "J") rather than a sentence end.
func IsAbbreviation(word string) bool {
	if len(word) == 1 {
		c := word[0]
		return 'A' <= c && c <= 'Z'
	}
	if len(word) > 6 {
		return false
	}
	var b [6]byte
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf {
			return isKnownAbbreviation(strings.ToLower(word))
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return isKnownAbbreviation(string(b[:len(word)])) // lower-cased on the stack
}

// Span is a byte range [Start, End).
type Span struct{ Start, End int }

// Sentences splits s into sentences: at ".", "!", "?" and "…" followed by a space and
// an upper-case letter, a digit or a quotation mark, unless the stop belongs to an
// abbreviation or an initial; and at every line break. Spans exclude surrounding space.
func Sentences(s string) []Span {
	var out []Span
	start := -1
	toks := Tokenize(s)
	for i, t := range toks {
		if t.SentStart || t.ParaStart {
			if start >= 0 && (t.ParaStart || boundaryBefore(toks, i) && opensSentence(t.Text)) {
				out = append(out, Span{start, toks[i-1].End})
				start = -1
			}
		}
		if start < 0 {
			start = t.Start
		}
	}
	if start >= 0 && len(toks) > 0 {
		out = append(out, Span{start, toks[len(toks)-1].End})
	}
	return out
}

// boundaryBefore reports whether a sentence ends just before toks[i]: the previous
// non-quote token is a terminal mark.
func boundaryBefore(toks []Token, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch toks[j].Text {
		case "\"", "”", "»", "“", "«", "'", "’", ")":
			continue
		case ".", "!", "?", "…":
			return true
		}
		return false
	}
	return false
}

func opensSentence(w string) bool {
	r := firstRune(w)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("\"“«„'‘¿¡(", r)
}
