package wire

import (
	"strings"
	"unicode"
)

// bylineLead is the word that opens a byline in each language.
func isBylineLead(w string) bool {
	switch w {
	case "By", "BY", "by", "Par", "PAR", "par", "Por", "POR", "por", "Von", "VON", "von", "Di", "DI", "Door", "DOOR":
		return true
	}
	return false
}

// Byline reads a byline standing alone in the first paragraph — "By Jane Doe",
// "Par Jean Dupont et Marie Curie, AFP", "Por Ana García en Madrid", "Von Max
// Muster" — and returns its authors as a list ("Jane Doe, John Roe") and the line
// as written.
func Byline(body string) (by string, line string, ok bool) {
	start := skipSpace(body, 0)
	line = body[start:]
	if n := strings.IndexByte(line, '\n'); n >= 0 {
		line = line[:n]
	}
	line = strings.TrimRight(line, " \t")
	if len(line) < 5 || len(line) > 120 {
		return "", "", false
	}
	sp := strings.IndexByte(line, ' ')
	if sp < 0 || !isBylineLead(line[:sp]) {
		return "", "", false
	}
	rest := strings.TrimSpace(line[sp+1:])
	// A trailing agency after a bar or dash: "By Jane Doe | Reuters".
	for _, sep := range []string{" | ", " - ", " — ", " – "} {
		if k := strings.LastIndex(rest, sep); k > 0 {
			if _, isAgency := Agency(strings.TrimSpace(rest[k+len(sep):])); isAgency {
				rest = rest[:k]
			}
		}
	}
	names := splitAuthors(rest)
	if len(names) == 0 {
		return "", "", false
	}
	return strings.Join(names, ", "), line, true
}

// splitAuthors splits "Jane Doe and John Roe, AFP" into names, dropping the agency,
// a place ("in Kyiv", "à Paris") and a role ("Staff Writer").
func splitAuthors(s string) []string {
	var names []string
	for _, seg := range strings.Split(s, ",") {
		seg = strings.TrimSpace(seg)
		if seg == "" {
			continue
		}
		if _, isAgency := Agency(seg); isAgency || isRoleSegment(seg) {
			break
		}
		for _, part := range splitConj(seg) {
			name, tail := cutPlace(part)
			if !isName(name) {
				return nil
			}
			names = append(names, normalCase(name))
			if tail {
				return names
			}
		}
	}
	return names
}

// splitConj splits on the conjunctions that join two authors.
func splitConj(s string) []string {
	for _, c := range []string{" and ", " et ", " y ", " und ", " e ", " & ", " AND ", " ET ", " Y ", " UND "} {
		if k := strings.Index(s, c); k > 0 {
			left, right := s[:k], s[k+len(c):]
			return append([]string{left}, splitConj(right)...)
		}
	}
	return []string{s}
}

// cutPlace drops "in Kyiv" / "à Paris" / "en Madrid" / "aus Berlin" after a name.
func cutPlace(s string) (string, bool) {
	for _, p := range []string{" in ", " à ", " a ", " en ", " aus ", " from ", " IN ", " À ", " EN ", " AUS "} {
		if k := strings.Index(s, p); k > 0 {
			return strings.TrimSpace(s[:k]), true
		}
	}
	return s, false
}

func isRoleSegment(s string) bool {
	l := strings.ToLower(s)
	for _, w := range []string{"writer", "correspondent", "reporter", "editor", "staff", "journalist", "envoyé", "envoyée", "correspons", "redakteur", "korrespondent", "corresponsal", "redacción", "bureau", "news"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// isName accepts one to five capitalised words, with the particles of surnames
// ("de", "van", "von", "al-") and initials ("J.").
func isName(s string) bool {
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 {
		return false
	}
	caps := 0
	for k, w := range words {
		r := []rune(w)
		switch {
		case unicode.IsUpper(r[0]):
			caps++
		case k > 0 && k < len(words)-1 && isNameParticle(w):
		default:
			return false
		}
		for _, c := range r {
			if !unicode.IsLetter(c) && c != '-' && c != '\'' && c != '’' && c != '.' {
				return false
			}
		}
	}
	if _, isAgency := Agency(s); isAgency {
		return false
	}
	return caps >= 1 && (len(words) >= 2 || len(s) > 3)
}

func isNameParticle(w string) bool {
	switch strings.ToLower(w) {
	case "de", "del", "della", "di", "da", "do", "dos", "das", "du", "des", "la", "le", "van", "von", "der", "den", "ten", "ter", "bin", "ben", "al", "el", "y", "zu", "af":
		return true
	}
	return false
}
