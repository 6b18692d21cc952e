package wire

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// Dateline is the opening of a wire story: where and when it was filed, and by which
// agency ("KYIV, June 16 (AFP) - ").
type Dateline struct {
	Place  string // in normal case: "KYIV" → "Kyiv"
	Region string // the state or country written after the place ("Kenya" in "NAIROBI, Kenya (AP)"), if any
	Agency string // canonical agency name when the dateline names one ("AFP")
	Date   string // as written ("June 16", "3 mars 2026"), if any
	Text   string // the dateline as written, without the separator
	Start  int    // byte offset where the dateline starts (after a byline paragraph, if any)
	End    int    // byte offset just after the separator: body[End:] is the lede
}

// maxDateline bounds how far into a paragraph a dateline may run.
const maxDateline = 140

// ParseDateline reads the dateline at the start of body, or at the start of the
// second paragraph when the first is a byline. It recognises the agency styles
// ("BERLIN (Reuters) -", "MADRID, 5 mar (EFE).-", "(Bloomberg) --",
// "NEW YORK, June 3, 2026 /PRNewswire/ --") and agency-less ones ("WASHINGTON —",
// "Kyiv, Ukraine — "), and refuses ordinary first sentences.
func ParseDateline(body string) (Dateline, bool) {
	start := skipSpace(body, 0)
	if d, ok := parseDatelineAt(body, start); ok {
		return d, true
	}
	if _, line, ok := Byline(body); ok {
		next := skipSpace(body, strings.Index(body, line)+len(line))
		if d, ok := parseDatelineAt(body, next); ok {
			return d, true
		}
	}
	return Dateline{}, false
}

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r') {
		i++
	}
	return i
}

// parseDatelineAt tries a dateline starting at body[start].
func parseDatelineAt(body string, start int) (Dateline, bool) {
	line := body[start:]
	if n := strings.IndexByte(line, '\n'); n >= 0 {
		line = line[:n]
	}
	if len(line) > maxDateline+20 {
		line = line[:maxDateline+20]
	}
	if line == "" {
		return Dateline{}, false
	}
	// Agency first: "(Bloomberg) -- ", "(ANSA) - ROME, June 3 - ".
	if line[0] == '(' {
		close := strings.IndexByte(line, ')')
		if close < 0 {
			return Dateline{}, false
		}
		agency, ok := agencyIn(line[1:close])
		if !ok {
			return Dateline{}, false
		}
		end, ok := separatorAt(line, close+1, true)
		if !ok {
			return Dateline{}, false
		}
		d := Dateline{Agency: agency, Text: line[:close+1], Start: start, End: start + end}
		// A place and date may follow, closed by a second separator.
		if sep, after, ok := findSeparator(line[end:]); ok {
			if h, ok := parseHead(line[end : end+sep]); ok && (h.date != "" || h.caps) {
				d.Place, d.Region, d.Date = h.place, h.region, h.date
				d.Text = line[:end+sep]
				d.End = start + end + after
			}
		}
		return d, true
	}
	limit := len(line)
	if limit > maxDateline {
		limit = maxDateline
	}
	for i := 0; i < limit; i++ {
		c := line[i]
		switch {
		case c == '(':
			close := strings.IndexByte(line[i:], ')')
			if close < 0 || close > 40 {
				return Dateline{}, false
			}
			close += i
			agency, ok := agencyIn(line[i+1 : close])
			if !ok {
				// A qualifier that is part of the place: "Frankfurt (Oder) (dpa) -".
				if _, q := placeWords(line[i+1 : close]); q && strings.HasPrefix(line[close+1:], " (") {
					i = close
					continue
				}
				return Dateline{}, false
			}
			h, ok := parseHead(strings.TrimSpace(line[:i]))
			if !ok {
				return Dateline{}, false
			}
			end, ok := separatorAt(line, close+1, false)
			if !ok {
				return Dateline{}, false
			}
			return Dateline{Place: h.place, Region: h.region, Agency: agency, Date: h.date,
				Text: line[:close+1], Start: start, End: start + end}, true
		case c == '/':
			close := strings.IndexByte(line[i+1:], '/')
			if close < 0 || close > 40 {
				continue // a place such as "Berlin/Hamburg"
			}
			close += i + 1
			agency, ok := agencyIn(line[i+1 : close])
			if !ok {
				continue
			}
			h, ok := parseHead(strings.TrimSpace(line[:i]))
			if !ok {
				return Dateline{}, false
			}
			end, ok := separatorAt(line, close+1, false)
			if !ok {
				return Dateline{}, false
			}
			return Dateline{Place: h.place, Region: h.region, Agency: agency, Date: h.date,
				Text: line[:close+1], Start: start, End: start + end}, true
		case c == '.' || c == '!' || c == '?' || c == ':' || c == ';' || c == '"':
			// A sentence ended before any separator: only abbreviation dots ("ST. LOUIS",
			// "WASHINGTON, D.C.") may appear in a dateline.
			if c == '.' && i+1 < len(line) && line[i+1] != ' ' {
				continue
			}
			if c == '.' && i > 0 && isAbbrevDot(line[:i]) {
				continue
			}
			if c == '.' && i+1 < len(line) && line[i+1] == '-' {
				continue
			}
			return Dateline{}, false
		default:
			sep, after, ok := separatorHere(line, i)
			if !ok {
				continue
			}
			h, ok := parseHead(strings.TrimSpace(line[:sep]))
			if !ok {
				return Dateline{}, false
			}
			// Without an agency only an upper-case place or a place with its country
			// or date is a dateline; "Barack Obama — the former president —" is not.
			if !h.caps && h.region == "" && h.date == "" {
				return Dateline{}, false
			}
			return Dateline{Place: h.place, Region: h.region, Date: h.date,
				Text: strings.TrimSpace(line[:sep]), Start: start, End: start + after}, true
		}
	}
	return Dateline{}, false
}

// isAbbrevDot reports whether the dot after s closes an abbreviation or an initial.
func isAbbrevDot(s string) bool {
	j := len(s)
	for j > 0 && s[j-1] != ' ' && s[j-1] != ',' {
		j--
	}
	w := s[j:]
	if len(w) <= 1 || strings.IndexByte(w, '.') >= 0 {
		return true
	}
	switch strings.ToLower(w) {
	case "st", "ste", "mt", "ft", "pt", "sta", "sto", "calif", "fla", "mass", "wash", "ga", "va", "pa", "md", "mo", "ala", "ariz", "colo", "conn", "del", "ill", "ind", "kan", "ky", "la", "mich", "minn", "miss", "mont", "neb", "nev", "okla", "ore", "tenn", "tex", "wis", "wyo", "vt", "nh", "nj", "nm", "ny", "nc", "nd", "sc", "sd", "ri", "wva",
		"jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "janv", "févr", "fevr", "avr", "juil", "déc", "ene", "abr", "ago", "dic":
		return true
	}
	return false
}

// separatorHere reports whether a dateline separator (" - ", " -- ", " — ", "—",
// " – ") starts at line[i]: sep is where the head ends, after where the lede starts.
func separatorHere(line string, i int) (sep, after int, ok bool) {
	c := line[i]
	switch {
	case c == '-':
		if i == 0 || line[i-1] != ' ' {
			return 0, 0, false
		}
		j := i + 1
		if j < len(line) && line[j] == '-' {
			j++
		}
		if j < len(line) && line[j] != ' ' {
			return 0, 0, false
		}
		return i, skipSpace(line, j), true
	case c == 0xE2 && i+2 < len(line) && line[i+1] == 0x80 && (line[i+2] == 0x94 || line[i+2] == 0x93 || line[i+2] == 0x95):
		// — (U+2014), – (U+2013), ― (U+2015)
		if line[i+2] == 0x93 && (i == 0 || line[i-1] != ' ') {
			return 0, 0, false // an en dash inside a name or a range
		}
		return i, skipSpace(line, i+3), true
	}
	return 0, 0, false
}

// findSeparator finds the first separator in s.
func findSeparator(s string) (sep, after int, ok bool) {
	for i := 0; i < len(s) && i < maxDateline; i++ {
		if sep, after, ok := separatorHere(s, i); ok {
			return sep, after, true
		}
	}
	return 0, 0, false
}

// separatorAt reads the separator after an agency's closing parenthesis at line[i]:
// " - ", " -- ", " — ", ".-", ". — ". Agencies that use none ("(PTI) Prime
// Minister...") need only a space, unless required is set (the agency opens the line).
func separatorAt(line string, i int, required bool) (int, bool) {
	j := i
	if j < len(line) && line[j] == '.' {
		j++
	}
	for j < len(line) && line[j] == ' ' {
		j++
	}
	switch {
	case strings.HasPrefix(line[j:], "--"):
		return skipSpace(line, j+2), true
	case strings.HasPrefix(line[j:], "-"):
		return skipSpace(line, j+1), true
	case strings.HasPrefix(line[j:], "—"), strings.HasPrefix(line[j:], "–"), strings.HasPrefix(line[j:], "―"):
		return skipSpace(line, j+3), true
	case strings.HasPrefix(line[j:], ":"):
		return skipSpace(line, j+1), true
	}
	if required || j == i {
		if j == len(line) {
			return j, !required
		}
		return 0, false
	}
	return j, true
}

// agencyIn reads the agency of a dateline parenthesis: "AFP", "dpa/lby",
// "Keystone-ATS", "EUROPA PRESS", "AFP, Reuters".
func agencyIn(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if a, ok := Agency(s); ok {
		return a, true
	}
	for _, cut := range []byte{'/', ',', ' '} {
		if k := strings.IndexByte(s, cut); k > 0 {
			if a, ok := Agency(s[:k]); ok {
				return a, true
			}
		}
	}
	return "", false
}

type head struct {
	place, region, date string
	caps                bool // the place is written in capitals
}

// parseHead splits the part of a dateline before the agency or separator into place,
// region and date: "NAIROBI, Kenya", "PARIS, 3 mars 2026", "NEW YORK, June 3, 2026".
func parseHead(s string) (head, bool) {
	var h head
	if s == "" || len(s) > 100 {
		return h, false
	}
	parts := strings.Split(s, ",")
	place := strings.TrimSpace(parts[0])
	bare := place
	if k := strings.IndexByte(place, '('); k > 0 && strings.HasSuffix(place, ")") {
		if _, ok := placeWords(place[k+1 : len(place)-1]); !ok {
			return h, false
		}
		bare = strings.TrimSpace(place[:k])
	}
	caps, ok := placeWords(bare)
	if !ok {
		return h, false
	}
	h.caps = caps
	h.place = normalCase(place)
	dateFrom := -1
	for k, p := range parts[1:] {
		p = strings.TrimSpace(p)
		if p == "" {
			return h, false
		}
		if dateFrom < 0 && isDatePart(p) {
			dateFrom = k + 1
		}
		if dateFrom >= 0 {
			if !isDatePart(p) {
				return h, false
			}
			continue
		}
		if h.region != "" {
			h.region += ", "
		}
		if _, ok := placeWords(p); !ok && !isStateAbbrev(p) {
			return h, false
		}
		h.region += normalCase(p)
	}
	if dateFrom > 0 {
		h.date = strings.TrimSpace(strings.Join(parts[dateFrom:], ","))
	}
	return h, true
}

// isStateAbbrev accepts AP-style state abbreviations ("Calif.", "D.C.", "N.Y.").
func isStateAbbrev(s string) bool {
	if len(s) > 8 || !strings.HasSuffix(s, ".") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// particles are the lower-case words inside place names ("Rio de Janeiro",
// "Frankfurt am Main", "Stratford-upon-Avon").
func isParticle(w string) bool {
	switch strings.ToLower(w) {
	case "de", "del", "della", "di", "da", "do", "dos", "das", "des", "du", "la", "le", "les", "el", "los", "las",
		"am", "an", "im", "in", "ob", "bei", "sur", "sous", "en", "upon", "on", "of", "y", "e", "et", "and", "the", "au", "aux", "sul", "al":
		return true
	}
	return false
}

// stopHeads are capitalised words that open ordinary copy, never a dateline.
func isStopHead(w string) bool {
	switch strings.ToUpper(w) {
	case "BREAKING", "UPDATE", "URGENT", "FLASH", "EXCLUSIVE", "ANALYSIS", "CORRECTED", "CORRECTION", "WATCH", "LIVE",
		"EDITORS", "NOTE", "ADVISORY", "OPINION", "COMMENT", "FACTBOX", "EXPLAINER", "REFILE", "BULLETIN", "ALERT":
		return true
	}
	return false
}

// placeWords checks that s can be a place: one to five words, each capitalised or a
// particle, letters only (with hyphens, apostrophes and abbreviation dots). caps
// reports whether it is written in capitals.
func placeWords(s string) (caps bool, ok bool) {
	if s == "" || len(s) > 48 {
		return false, false
	}
	words := strings.Fields(s)
	if len(words) > 5 {
		return false, false
	}
	caps = true
	letters := 0
	for k, w := range words {
		if k == 0 && isStopHead(w) {
			return false, false
		}
		first := true
		for _, r := range w {
			switch {
			case unicode.IsLetter(r):
				letters++
				if first && !unicode.IsUpper(r) && !(k > 0 && isParticle(w)) {
					return false, false
				}
				if unicode.IsLower(r) {
					caps = false
				}
			case r == '-' || r == '\'' || r == '’' || r == '.':
			default:
				return false, false
			}
			first = false
		}
	}
	if letters < 2 {
		return false, false
	}
	return caps, true
}

// normalCase writes a capitalised place in normal case: "SÃO PAULO" → "São Paulo",
// "RIO DE JANEIRO" → "Rio de Janeiro", "N'DJAMENA" → "N'Djamena"; names already in
// mixed case are kept.
func normalCase(s string) string {
	hasLower := false
	for _, r := range s {
		if unicode.IsLower(r) {
			hasLower = true
			break
		}
	}
	if hasLower {
		return strings.Join(strings.Fields(s), " ")
	}
	var b strings.Builder
	b.Grow(len(s))
	words := strings.Fields(s)
	for k, w := range words {
		if k > 0 {
			b.WriteByte(' ')
		}
		// Hyphenated parts are cased one by one ("STRATFORD-UPON-AVON").
		parts := strings.Split(w, "-")
		for pk, p := range parts {
			if pk > 0 {
				b.WriteByte('-')
			}
			if (k > 0 || pk > 0) && isParticle(p) {
				b.WriteString(strings.ToLower(p))
				continue
			}
			capNext := true
			for i, r := range p {
				if capNext {
					b.WriteRune(r)
					capNext = false
				} else {
					b.WriteRune(unicode.ToLower(r))
				}
				// "N'DJAMENA", "L'AQUILA": a one-letter elision keeps the next capital.
				if (r == '\'' || r == '’') && i <= 2 {
					capNext = true
				}
				if r == '.' {
					capNext = true
				}
			}
		}
	}
	return b.String()
}

// months holds the folded month names and abbreviations of the languages wirehose reads.
var months = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre janv fevr avr juil dec
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre ene abr ago dic
januar janner februar marz april mai juni juli august september oktober november dezember
gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre gen giu lug set ott
janeiro fevereiro marco abril maio junho julho agosto setembro outubro novembro dezembro fev out dez`) {
		m[w] = true
	}
	return m
}()

// isDatePart reports whether a comma-separated part of a dateline is a date: it has
// a day or year number or a month name, and nothing else but small words.
func isDatePart(s string) bool {
	hasDate := false
	for _, w := range strings.Fields(s) {
		w = strings.TrimRight(w, ".")
		if w == "" {
			continue
		}
		if w[0] >= '0' && w[0] <= '9' {
			for i := 0; i < len(w); i++ {
				if (w[i] < '0' || w[i] > '9') && w[i] != '.' && w[i] != '/' && !strings.Contains("stndrdthºer", string(w[i])) {
					return false
				}
			}
			hasDate = true
			continue
		}
		f := textkit.Fold(w)
		switch {
		case months[f]:
			hasDate = true
		case f == "de" || f == "of" || f == "le" || f == "du" || f == "del" || f == "di":
		default:
			return false
		}
	}
	return hasDate
}
