package textkit

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Kind is what a token is made of.
type Kind uint8

// Token kinds.
const (
	Word   Kind = iota + 1 // letters, with inner hyphens, apostrophes or acronym dots
	Number                 // starts with a digit
	Punct                  // one punctuation or symbol character
)

// Token is one word, number or punctuation mark of a text, with its byte offsets.
type Token struct {
	Text       string
	Start, End int // byte offsets in the tokenized text: Text == s[Start:End]
	Kind       Kind
	// SentStart is set on the first word of a sentence, of a paragraph and of a
	// quotation: there a capital letter says nothing about a name.
	SentStart bool
	// ParaStart is set on the first token of a paragraph.
	ParaStart bool
	// Dot is set when the word is directly followed by a full stop that belongs to it
	// as an abbreviation or initial ("Mr.", "J.", "Jan.").
	Dot bool
}

// elisions are the French and Italian clitics written before an apostrophe; they are
// split off so that "d'Ivoire" and "l'Union" yield the capitalised word.
func isElision(s string) bool {
	var b [6]byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return elision(strings.ToLower(s))
		}
		if i == len(b) {
			return false // longer than any elision
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return elision(string(b[:len(s)]))
}

func elision(lower string) bool {
	switch lower {
	case "l", "d", "j", "n", "s", "c", "m", "t", "qu", "lorsqu", "puisqu", "jusqu", "dell", "all", "nell", "sull", "un", "dall":
		return true
	}
	return false
}

func isApos(r rune) bool { return r == '\'' || r == '’' || r == 'ʼ' }

func isHyphen(r rune) bool { return r == '-' || r == '‐' || r == '‑' }

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// Tokenize splits s into words, numbers and punctuation with byte offsets. Words keep
// inner hyphens ("Jean-Pierre", "al-Assad") and apostrophes ("O'Brien"); French
// elisions ("d'", "l'") and English possessives ("'s") become tokens of their own;
// dotted acronyms ("U.S.", "U.N.") stay one word. Sentence and paragraph starts are
// marked, using the abbreviations of IsAbbreviation.
func Tokenize(s string) []Token {
	return AppendTokens(make([]Token, 0, len(s)/5+4), s)
}

// AppendTokens appends the tokens of s to dst, as Tokenize, so that a caller can
// reuse one buffer across texts.
func AppendTokens(dst []Token, s string) []Token {
	toks := dst
	sentStart, paraStart := true, true
	i := 0
	for i < len(s) {
		if s[i] == ' ' {
			i++
			continue
		}
		r, w := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, w = utf8.DecodeRuneInString(s[i:])
		}
		if r == '\n' {
			sentStart, paraStart = true, true // every line is a paragraph
			i += w
			continue
		}
		if r == ' ' || r == '\t' || r == '\r' || r > utf8.RuneSelf && unicode.IsSpace(r) {
			i += w
			continue
		}
		start := i
		if isWordRune(r) {
			end, k := scanWord(s, i)
			next := end
			text := s[start:end]
			// Split an elision ("d'Ivoire") or a possessive ("Putin's").
			if k > 0 {
				pre := text[:k]
				_, aw := utf8.DecodeRuneInString(text[k:])
				post := text[k+aw:]
				switch {
				case pre == "N" && IsCapitalized(post):
					// "N'Diaye", "N'Golo": part of the name, not the negation "n'"
				case isElision(pre) && post != "":
					toks = append(toks, Token{Text: text[:k+aw], Start: start, End: start + k + aw, Kind: Word, SentStart: sentStart, ParaStart: paraStart})
					sentStart, paraStart = false, false
					start += k + aw
					text = post
				case post == "s" || post == "S":
					end = start + k
					text = pre
				}
			}
			kind := Word
			if c := text[0]; c < utf8.RuneSelf && '0' <= c && c <= '9' || c >= utf8.RuneSelf && unicode.IsDigit(firstRune(text)) {
				kind = Number
			}
			dot := end < len(s) && s[end] == '.' && kind == Word && IsAbbreviation(text)
			toks = append(toks, Token{Text: text, Start: start, End: end, Kind: kind, SentStart: sentStart && kind == Word, ParaStart: paraStart, Dot: dot})
			if kind == Word {
				sentStart = false
			}
			paraStart = false
			i = next
			if dot {
				i = end + 1 // the dot belongs to the abbreviation
			}
			continue
		}
		// punctuation: one rune
		toks = append(toks, Token{Text: s[i : i+w], Start: i, End: i + w, Kind: Punct, ParaStart: paraStart})
		paraStart = false
		switch r {
		case '.', '!', '?', '…':
			sentStart = true
		case ':', '“', '«', '„', '‘', '¿', '¡', '—', '–', '(', '[':
			sentStart = true
		case '"', '\'':
			// a straight quote opens when it follows a space or starts the text
			if i == 0 || unicode.IsSpace(lastRune(s[:i])) || strings.ContainsRune("([—–-", lastRune(s[:i])) {
				sentStart = true
			}
		case '-':
			if i > 0 && s[i-1] == ' ' && i+1 < len(s) && s[i+1] == ' ' {
				sentStart = true // a dash between spaces, as after a dateline
			}
		}
		i += w
	}
	return toks
}

// asciiAlnum marks the ASCII letters and digits; other bytes need decoding.
var asciiAlnum = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

// scanWord returns the end of the word that starts at i, and the offset from i of
// its first apostrophe, or -1.
func scanWord(s string, i int) (end, apos int) {
	end, apos = i, -1
	for end < len(s) {
		if asciiAlnum[s[end]] {
			end++
			continue
		}
		r, w := utf8.DecodeRuneInString(s[end:])
		if isWordRune(r) {
			if apos < 0 && isApos(r) {
				apos = end - i // 'ʼ' is a letter
			}
			end += w
			continue
		}
		if (r == '.' || r == ',') && end > i && isDigit(s[end-1]) && end+1 < len(s) && isDigit(s[end+1]) {
			end++ // "1.9", "2,000"
			continue
		}
		if isApos(r) || isHyphen(r) || r == '.' || r == '&' {
			// joiner: only between word characters
			nr, _ := utf8.DecodeRuneInString(s[end+w:])
			if end+w < len(s) && isWordRune(nr) {
				if r == '.' {
					// dotted acronym: single letters separated by dots ("U.S.", "U.N.")
					if !singleLetterBefore(s, i, end) || !singleLetterAfter(s, end+w) {
						break
					}
				}
				if r == '&' && !(IsAllCaps(s[i:end]) || end-i <= 2) {
					break
				}
				if apos < 0 && isApos(r) {
					apos = end - i
				}
				end += w
				continue
			}
			if r == '.' && singleLetterBefore(s, i, end) && strings.Contains(s[i:end], ".") {
				end += w // closing dot of "U.S."
			}
		}
		break
	}
	return end, apos
}

func singleLetterBefore(s string, start, end int) bool {
	r, w := utf8.DecodeLastRuneInString(s[start:end])
	if !unicode.IsUpper(r) {
		return false
	}
	p := end - w
	if p == start {
		return true
	}
	return s[p-1] == '.'
}

func singleLetterAfter(s string, i int) bool {
	r, w := utf8.DecodeRuneInString(s[i:])
	if !unicode.IsUpper(r) {
		return false
	}
	if i+w >= len(s) {
		return true
	}
	nr, _ := utf8.DecodeRuneInString(s[i+w:])
	return !isWordRune(nr)
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }
