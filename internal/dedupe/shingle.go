package dedupe

import (
	"bytes"
	"math/bits"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// shingleSize is the number of words in one shingle. On the labelled pairs in
// testdata/pairs, 3-word shingles kept light rewrites and cut paragraphs clearly above
// different stories on the same topic; 4 and 5 lowered the rewrites towards the false
// friends, 2 lifted the false friends (shared names and stock phrases) towards the copies.
const shingleSize = 3

// maxWrapperWords is the longest line, in words, that can be taken for an outlet's
// wrapper ("Read more: ...", "Published 12 March 2026, 09:41"). Longer lines are story
// text even when they start the same way ("By midday, 31 ships were waiting ...").
const maxWrapperWords = 12

// maxBylineWords is the longest line taken for a byline ("By Coastal Herald staff"),
// and bylineLines the number of lines at the top of a text where one is looked for:
// after a headline and a date line, before the story starts.
const (
	maxBylineWords = 5
	bylineLines    = 3
)

// wrapperPrefixes are the starts, after folding, of lines that outlets wrap around a
// syndicated story: link teasers, share and subscription prompts, date lines,
// copyright and reporting credits. The list is short on purpose: each entry is a
// phrase that does not open a sentence of news in the language it belongs to.
var wrapperPrefixes = []string{
	// en
	"read more", "read also", "see also", "related", "share this", "share on",
	"subscribe", "sign up", "follow us", "advertisement", "published", "updated",
	"posted", "copyright", "reporting by", "additional reporting", "editing by",
	"writing by", "all rights reserved",
	// fr
	"lire aussi", "lire la suite", "à lire aussi", "publié le", "mis à jour",
	"partager", "abonnez vous", "publicité",
	// es
	"lee también", "leer más", "publicado", "actualizado", "compartir",
	"suscríbete", "publicidad",
	// de
	"lesen sie auch", "mehr zum thema", "veröffentlicht", "aktualisiert",
	"artikel teilen", "teilen", "abonnieren", "anzeige",
}

// bylinePrefixes start a byline; such a line is dropped only when it is very short.
var bylinePrefixes = []string{"by", "par", "por", "von"}

// agencies are credit words that, alone or combined ("AFP", "— Reuters", "(AP)",
// "with AFP", "dpa/AP"), make up an agency credit line at the end of a story.
var agencies = map[string]bool{
	"afp": true, "reuters": true, "ap": true, "dpa": true, "efe": true, "ansa": true,
	"apa": true, "kyodo": true, "xinhua": true, "aap": true, "pa": true, "sda": true,
	"ats": true, "anp": true, "belga": true, "epa": true, "upi": true, "europa": true,
	"press": true, "tt": true, "ntb": true, "rtr": true,
	// joining words in "with AFP", "avec AFP", "con EFE", "mit dpa"
	"with": true, "and": true, "avec": true, "et": true, "con": true, "y": true,
	"mit": true, "und": true,
}

// joiners are the entries of agencies that are not agencies.
var joiners = map[string]bool{
	"with": true, "and": true, "avec": true, "et": true, "con": true, "y": true,
	"mit": true, "und": true,
}

// nearFold holds the text near-duplicate detection compares: the words of the kept
// lines, folded by appendFolded and separated by single spaces, and where each line
// starts. Its buffers are reused from one text to the next.
type nearFold struct {
	text    []byte
	starts  []int
	credits []bool // per kept line: shaped like a credit line ("— Name", "(Name)", "AFP")
}

// fold reads text — wirehose's plain text, markup already removed, one paragraph per
// line — dropping wrapper lines anywhere, a byline near the top and agency credit
// lines at the end.
func (f *nearFold) fold(text string) {
	f.text, f.starts, f.credits = f.text[:0], f.starts[:0], f.credits[:0]
	for n := 0; text != ""; {
		var line string
		line, text = nextLine(text)
		start, from := len(f.text), len(f.text)
		if start > 0 {
			f.text = append(f.text, ' ')
			from++
		}
		f.text = appendFolded(f.text, line)
		words := f.text[from:]
		if len(words) == 0 {
			f.text = f.text[:start]
			continue
		}
		n++
		if bytes.Count(words, []byte{' '}) < maxWrapperWords {
			if w := string(words); isWrapper(line, w) || n <= bylineLines && isByline(w) {
				f.text = f.text[:start]
				continue
			}
		}
		f.starts = append(f.starts, start)
		f.credits = append(f.credits, creditShaped(line))
	}
	for k := len(f.starts) - 1; k >= 0; k-- {
		from := f.starts[k]
		if from > 0 {
			from++
		}
		if !isCredit(string(f.text[from:])) && !f.credits[k] {
			break
		}
		f.text = f.text[:f.starts[k]]
		f.starts = f.starts[:k]
		f.credits = f.credits[:k]
	}
}

// nearText is the text near-duplicate detection compares, as a string.
func nearText(text string) string {
	var f nearFold
	f.fold(text)
	return string(f.text)
}

// isWrapper reports whether a line, raw and folded, is outlet furniture.
func isWrapper(raw, folded string) bool {
	if wordCount(folded) > maxWrapperWords {
		return false
	}
	if strings.HasPrefix(strings.TrimSpace(raw), "©") {
		return true
	}
	for _, p := range wrapperPrefixes {
		if folded == p || strings.HasPrefix(folded, p+" ") {
			return true
		}
	}
	return strings.Contains(folded, "all rights reserved") || strings.Contains(folded, "tous droits réservés")
}

// isByline reports a short line opening with "by" or its translation.
func isByline(folded string) bool {
	first, rest, more := strings.Cut(folded, " ")
	if !more || wordCount(rest) >= maxBylineWords {
		return false
	}
	return slices.Contains(bylinePrefixes, first)
}

// isCredit reports a line made only of agency credit words, at most four of them.
func isCredit(folded string) bool {
	if wordCount(folded) > 4 {
		return false
	}
	agency := false
	for w := range strings.SplitSeq(folded, " ") {
		if !agencies[w] {
			return false
		}
		if !joiners[w] {
			agency = true
		}
	}
	return agency
}

// creditShaped reports a raw line that reads as an agency credit whatever the agency's
// name: at most four words, and either set off as a credit ("— Meridian Press",
// "(Meridian Press)") or a short all-capitals code ("MPA", "DPA/AP").
func creditShaped(raw string) bool {
	line := strings.TrimSpace(raw)
	words := strings.Fields(line)
	if len(words) == 0 || len(words) > 4 {
		return false
	}
	switch {
	case strings.HasPrefix(line, "(") && strings.HasSuffix(line, ")"):
		return true
	case strings.HasPrefix(line, "—") || strings.HasPrefix(line, "–") || strings.HasPrefix(line, "- "):
		return true
	}
	if len(words) > 2 || len(line) > 12 {
		return false
	}
	letters := 0
	for _, r := range line {
		switch {
		case unicode.IsLower(r):
			return false
		case unicode.IsUpper(r):
			letters++
		}
	}
	return letters >= 2
}

func wordCount(folded string) int {
	if folded == "" {
		return 0
	}
	return strings.Count(folded, " ") + 1
}

// nextLine splits text at its first line break.
func nextLine(text string) (line, rest string) {
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c < utf8.RuneSelf {
			if c == '\n' || c == '\r' || c == '\v' || c == '\f' {
				return text[:i], text[i+1:]
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == '\u0085' || r == '\u2028' || r == '\u2029' {
			return text[:i], text[i+size:]
		}
		i += size - 1
	}
	return text, ""
}

// appendFolded appends the words of s to dst, separated by single spaces: NFKC
// (full-width and ligature forms become plain letters), lower case, and anything that
// is not a letter, digit or combining mark taken as a separator. Lines of plain ASCII,
// most of English copy, skip normalisation, which would not change them.
func appendFolded(dst []byte, s string) []byte {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	start, gap := len(dst), false
	if ascii {
		for i := 0; i < len(s); i++ {
			c := s[i]
			switch {
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
			case 'A' <= c && c <= 'Z':
				c += 'a' - 'A'
			default:
				gap = true
				continue
			}
			if gap && len(dst) > start {
				dst = append(dst, ' ')
			}
			gap = false
			dst = append(dst, c)
		}
		return dst
	}
	for _, r := range norm.NFKC.String(s) {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
			gap = true
			continue
		}
		if gap && len(dst) > start {
			dst = append(dst, ' ')
		}
		gap = false
		dst = utf8.AppendRune(dst, unicode.ToLower(r))
	}
	return dst
}

// appendWordHashes appends the FNV-1a hash of every word of folded text.
func appendWordHashes(dst []uint64, folded []byte) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h, inWord := uint64(offset), false
	for _, c := range folded {
		if c == ' ' {
			if inWord {
				dst = append(dst, h)
			}
			h, inWord = offset, false
			continue
		}
		h = (h ^ uint64(c)) * prime
		inWord = true
	}
	if inWord {
		dst = append(dst, h)
	}
	return dst
}

// shingles hashes every run of k consecutive words, given as word hashes, to 64 bits:
// the word hashes rotated by their position, combined, and mixed once, so the cost is
// linear in the text and the order of the words counts. A text shorter than k words
// is one shingle. Repeated shingles are kept: MinHash ignores them.
func shingles(words []uint64, k int, out []uint64) []uint64 {
	if len(words) == 0 {
		return out
	}
	if len(words) < k {
		k = len(words)
	}
	for i := 0; i+k <= len(words); i++ {
		h := uint64(k)
		for j, wh := range words[i : i+k] {
			h ^= bits.RotateLeft64(wh, 21*j)
		}
		out = append(out, mix64(h))
	}
	return out
}

// mix64 is the SplitMix64 finaliser: it spreads every input bit over the output, so
// the top bits (the MinHash bin) and the low bits (the value) are independent.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// ContentText is a story's text reduced to what identifies its content: its words, folded,
// without outlet wrapper lines, a byline near the top or trailing agency credit lines. The
// exact-duplicate fingerprint hashes it, so a partner's republication with its own furniture
// is still an exact copy of the agency's story.
func ContentText(text string) string { return nearText(text) }
