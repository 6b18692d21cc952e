package feed

import (
	"strconv"
	"strings"
	"time"
)

// Dates in feeds are whatever the publishing system printed. parseDate reads the
// forms wire feeds are seen to use and gives up quietly on the rest: a date it
// cannot read leaves the field empty, it never fails the item or the feed.

// dateLayouts are tried in order after the zone abbreviation (if any) has been
// replaced by a numeric offset. Layouts without a zone read the time as UTC.
var dateLayouts = []string{
	// ISO 8601 / RFC 3339 and the variants agencies send.
	time.RFC3339Nano,
	"2006-01-02T15:04:05.999999999Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04Z0700",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999 Z07:00",
	"2006-01-02 15:04:05.999999999Z0700",
	"2006-01-02 15:04:05.999999999 -0700",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02",
	"20060102T150405Z0700",
	"20060102T150405Z07:00",
	"20060102T150405",
	"20060102T1504Z0700",
	"20060102",
	// RFC 822 / 1123 and their common deviations (no weekday, no seconds,
	// one-digit day, two-digit year, a dash or comma in odd places).
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 -07:00",
	"Mon, 2 Jan 2006 15:04 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04 -0700",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon, 2 Jan 2006 15:04",
	"Mon 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 January 2006 15:04:05 -0700",
	"Monday, 2 Jan 2006 15:04:05 -0700",
	"Monday, 02-Jan-06 15:04:05 -0700",
	"Mon, 2-Jan-2006 15:04:05 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"2 Jan 2006 15:04 -0700",
	"2 Jan 06 15:04:05 -0700",
	"2 Jan 2006 15:04:05",
	"2 Jan 2006",
	"2 January 2006 15:04:05 -0700",
	"2 January 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon Jan 2 15:04:05 2006",
	"Jan 2, 2006 15:04:05 -0700",
	"Jan 2, 2006 3:04 PM -0700",
	"Jan 2, 2006",
	"January 2, 2006 15:04:05 -0700",
	"January 2, 2006",
	"2006/01/02 15:04:05 -0700",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"02.01.2006 15:04:05 -0700",
	"02.01.2006 15:04",
	"02.01.2006",
}

// zoneOffsets are the abbreviations RFC 822 defines plus the ones European and
// Asian agencies print. Ambiguous ones (IST, CST as China time) keep the RFC
// meaning or are left out.
var zoneOffsets = map[string]string{
	"GMT": "+0000", "UT": "+0000", "UTC": "+0000", "Z": "+0000", "WET": "+0000",
	"EST": "-0500", "EDT": "-0400", "CST": "-0600", "CDT": "-0500",
	"MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
	"AKST": "-0900", "AKDT": "-0800", "HST": "-1000",
	"BST": "+0100", "WEST": "+0100", "CET": "+0100", "MET": "+0100", "MEZ": "+0100",
	"CEST": "+0200", "MEST": "+0200", "MESZ": "+0200", "EET": "+0200", "EEST": "+0300",
	"MSK": "+0300", "GST": "+0400", "PKT": "+0500", "ICT": "+0700", "WIB": "+0700",
	"HKT": "+0800", "SGT": "+0800", "AWST": "+0800", "JST": "+0900", "KST": "+0900",
	"AEST": "+1000", "AEDT": "+1100", "NZST": "+1200", "NZDT": "+1300",
}

// parseDate reads a feed date, or returns nil. A time with no zone is taken as
// UTC. Years outside 1800..9999 are refused: they are junk, and a year beyond
// 9999 cannot be encoded in JSON.
func parseDate(s string) *time.Time {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || len(s) > 64 {
		return nil
	}
	s = strings.TrimSuffix(s, ".") // "Tue, 10 Mar 2026 09:40:00 GMT."
	if t, ok := isoWeekDate(s); ok {
		return sane(t)
	}
	s = numericZone(s)
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return sane(t)
		}
	}
	// "Tuesday, March 10, 2026 ..." and other long forms: try again without the weekday.
	if i := strings.IndexByte(s, ','); i > 0 && i < 10 && isWeekday(s[:i]) {
		return parseDate(s[i+1:])
	}
	return nil
}

func sane(t time.Time) *time.Time {
	if y := t.Year(); y < 1800 || y > 9999 {
		return nil
	}
	return &t
}

// numericZone replaces a trailing zone abbreviation ("GMT", "CEST", "(CET)")
// with its numeric offset, and drops one it does not know, so the time is read
// as UTC rather than not at all.
func numericZone(s string) string {
	i := strings.LastIndexByte(s, ' ')
	if i < 0 {
		return s
	}
	head, tok := s[:i], s[i+1:]
	if strings.HasPrefix(tok, "(") && strings.HasSuffix(tok, ")") {
		// "+0100 (CET)": a comment repeating the offset.
		if j := strings.LastIndexByte(head, ' '); j >= 0 && isOffset(head[j+1:]) {
			return head
		}
		tok = strings.Trim(tok, "()")
	}
	if tok == "" || !isLetters(tok) {
		return s
	}
	if off, ok := zoneOffsets[strings.ToUpper(tok)]; ok {
		return head + " " + off
	}
	if isWeekdayOrMonth(tok) || strings.EqualFold(tok, "AM") || strings.EqualFold(tok, "PM") {
		return s
	}
	return head
}

func isOffset(s string) bool {
	if len(s) < 5 || s[0] != '+' && s[0] != '-' {
		return false
	}
	for i := 1; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && s[i] != ':' {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

var weekdays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func isWeekday(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, w := range weekdays {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

func isWeekdayOrMonth(s string) bool {
	if isWeekday(s) {
		return true
	}
	_, err := time.Parse("Jan", s)
	if err != nil {
		_, err = time.Parse("January", s)
	}
	return err == nil
}

// isoWeekDate reads ISO 8601 week dates: 2026-W11, 2026-W11-2, 2026W112.
func isoWeekDate(s string) (time.Time, bool) {
	if len(s) < 7 || s[4] != '-' && s[4] != 'W' {
		return time.Time{}, false
	}
	year, err := strconv.Atoi(s[:4])
	if err != nil {
		return time.Time{}, false
	}
	rest := strings.TrimPrefix(s[4:], "-")
	if !strings.HasPrefix(rest, "W") {
		return time.Time{}, false
	}
	rest = strings.ReplaceAll(rest[1:], "-", "")
	if len(rest) != 2 && len(rest) != 3 {
		return time.Time{}, false
	}
	week, err := strconv.Atoi(rest[:2])
	if err != nil || week < 1 || week > 53 {
		return time.Time{}, false
	}
	day := 1
	if len(rest) == 3 {
		day = int(rest[2] - '0')
		if day < 1 || day > 7 {
			return time.Time{}, false
		}
	}
	// Week 1 is the week with the year's first Thursday; January 4th is always in it.
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	monday := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return monday.AddDate(0, 0, (week-1)*7+day-1), true
}
