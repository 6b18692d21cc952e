package wire

import "strings"

// lastLine returns the last non-empty line of body.
func lastLine(body string) string {
	s := strings.TrimRight(body, " \t\r\n")
	if k := strings.LastIndexByte(s, '\n'); k >= 0 {
		s = s[k+1:]
	}
	return strings.TrimSpace(s)
}

// creditLeads are the words that introduce a source credit: "With AFP", "Avec AFP",
// "Con información de EFE", "Mit Material von dpa", "Source: Reuters".
var creditLeads = []string{
	"with reporting from", "with reporting by", "with ", "avec ", "con información de ", "con informacion de ",
	"con ", "mit material von ", "mit material der ", "mit ", "source: ", "sources: ", "source : ", "sources : ",
	"quelle: ", "quellen: ", "fuente: ", "fuentes: ", "copyright ", "© ", "(c) ", "©",
}

// CreditLine reads a last line that is only an agency credit — "AFP", "— Reuters",
// "(AP)", "afp/dpa", "jd/ab (AFP, Reuters)", "-- Reuters", "With AFP" — and returns
// the first agency it names (canonical) and the line as written.
func CreditLine(body string) (agency string, line string, ok bool) {
	line = lastLine(body)
	if a, ok := creditAgency(line); ok {
		return a, line, true
	}
	if onlyInitials(line) && strings.IndexByte(line, '/') > 0 {
		// Editors' initials under the credit: "EFE\n\nlf/jrh".
		rest := strings.TrimRight(body, " \t\r\n")
		prev := lastLine(rest[:len(rest)-len(line)])
		if a, ok := creditAgency(prev); ok {
			return a, prev, true
		}
	}
	return "", "", false
}

// creditAgency reads one credit line.
func creditAgency(line string) (string, bool) {
	if line == "" || len(line) > 80 {
		return "", false
	}
	s := strings.TrimLeft(line, "-—–―=* ")
	s = strings.TrimRight(s, ". ")
	if strings.HasPrefix(s, "(") && strings.HasSuffix(s, ")") {
		s = s[1 : len(s)-1]
	}
	// "jd/ab (AFP, Reuters)": editors' initials, then the sources in parentheses.
	if open := strings.IndexByte(s, '('); open >= 0 && strings.HasSuffix(s, ")") {
		if !onlyInitials(s[:open]) {
			return "", false
		}
		s = s[open+1 : len(s)-1]
	}
	low := strings.ToLower(s)
	for _, lead := range creditLeads {
		if strings.HasPrefix(low, lead) {
			s = s[len(lead):]
			break
		}
	}
	first := ""
	for _, tok := range splitCredit(s) {
		if a, ok := Agency(tok); ok {
			if first == "" {
				first = a
			}
			continue
		}
		if isInitials(tok) || isYear(tok) {
			continue
		}
		return "", false
	}
	return first, first != ""
}

// splitCredit splits a credit into its parts: "afp/dpa", "AFP, Reuters", "AFP and Reuters".
func splitCredit(s string) []string {
	var out []string
	f := func(r rune) bool { return r == '/' || r == ',' || r == ';' || r == '&' || r == '+' }
	for _, part := range strings.FieldsFunc(s, f) {
		part = strings.TrimSpace(part)
		for _, c := range []string{" and ", " et ", " y ", " und ", " e "} {
			if k := strings.Index(part, c); k > 0 {
				out = append(out, strings.TrimSpace(part[:k]))
				part = strings.TrimSpace(part[k+len(c):])
			}
		}
		if part != "" {
			out = append(out, part)
		}
	}
	return out
}

// isInitials accepts an editor's initials as German and French copy signs off: "jd", "ab", "AB".
func isInitials(s string) bool {
	if len(s) < 2 || len(s) > 4 {
		return false
	}
	lower, upper := true, true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 'a' || c > 'z' {
			lower = false
		}
		if c < 'A' || c > 'Z' {
			upper = false
		}
	}
	return lower || upper
}

func onlyInitials(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return true
	}
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == ' ' || r == ',' }) {
		if !isInitials(p) {
			return false
		}
	}
	return true
}

func isYear(s string) bool {
	if len(s) != 4 {
		return false
	}
	for i := 0; i < 4; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[0] == '1' || s[0] == '2'
}

// ReportingCredit reads a closing reporting credit in the Reuters style — "(Reporting
// by Jane Doe in London and John Roe; Editing by Max Muster)" — and returns the
// reporters and writers (not the editors) and the line as written. Such a line names
// people, not an agency, so CreditLine does not take it.
func ReportingCredit(body string) (names []string, line string, ok bool) {
	line = lastLine(body)
	if len(line) < 12 || len(line) > 300 {
		return nil, "", false
	}
	s := strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "("), ")"))
	low := strings.ToLower(s)
	if !strings.HasPrefix(low, "reporting by") && !strings.HasPrefix(low, "writing by") &&
		!strings.HasPrefix(low, "additional reporting by") && !strings.HasPrefix(low, "compiled by") {
		return nil, "", false
	}
	for _, seg := range strings.Split(s, ";") {
		seg = strings.TrimSpace(seg)
		k := strings.Index(strings.ToLower(seg), " by ")
		if k < 0 {
			continue
		}
		role := strings.ToLower(seg[:k])
		if strings.Contains(role, "edit") || strings.Contains(role, "graphic") || strings.Contains(role, "photo") {
			continue
		}
		for _, part := range strings.Split(seg[k+4:], ",") {
			for _, n := range splitConj(strings.TrimSpace(part)) {
				n, _ = cutPlace(strings.TrimSpace(n))
				if isName(n) && !contains(names, n) {
					names = append(names, n)
				}
			}
		}
	}
	return names, line, len(names) > 0
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
