package enrich

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/wirehose/wirehose/internal/dedupe"
)

// fingerprint identifies a story's content for exact-duplicate detection. It hashes the
// body's content text (dedupe.ContentText: folded words without outlet wrapper lines,
// bylines or the trailing agency credit), or the folded headline when the body has no
// words, so copies that differ only in markup, spacing, punctuation, letter case, Unicode
// form or an outlet's furniture share one fingerprint. It is 32 hex digits (128 bits of
// SHA-256), or "" when both are empty.
func fingerprint(body, headline string) string {
	key := dedupe.ContentText(body)
	if key == "" {
		key = foldText(headline)
	}
	if key == "" {
		// No words at all (symbols, emoji): the exact characters are the content.
		key = norm.NFKC.String(strings.TrimSpace(body + "\n" + headline))
	}
	if key == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// foldText reduces text to its words: NFKC (full-width and ligature forms become
// plain letters), lower case, and every run of characters that is not a letter,
// digit or combining mark replaced by one space.
func foldText(s string) string {
	s = strings.ToLower(norm.NFKC.String(s))
	var b strings.Builder
	b.Grow(len(s))
	gap := false
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.IsMark(r) {
			gap = true
			continue
		}
		if gap && b.Len() > 0 {
			b.WriteByte(' ')
		}
		gap = false
		b.WriteRune(r)
	}
	return b.String()
}
