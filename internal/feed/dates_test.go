package feed

import (
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string // RFC 3339 in UTC; "" for no date
	}{
		{"RFC 3339", "2026-03-10T09:40:00+01:00", "2026-03-10T08:40:00Z"},
		{"RFC 3339 with fraction", "2018-10-19T11:17:00.150Z", "2018-10-19T11:17:00.15Z"},
		{"trailing spaces", "2018-10-31T11:37:23+01:00    ", "2018-10-31T10:37:23Z"},
		{"offset without colon", "2026-03-10T09:40:00+0100", "2026-03-10T08:40:00Z"},
		{"no zone is UTC", "2026-03-10T09:40:00", "2026-03-10T09:40:00Z"},
		{"space instead of T", "2026-03-10 09:40:00", "2026-03-10T09:40:00Z"},
		{"no seconds", "2026-03-10T09:40Z", "2026-03-10T09:40:00Z"},
		{"date only", "2019-12-07", "2019-12-07T00:00:00Z"},
		{"ISO basic", "20260310T094000Z", "2026-03-10T09:40:00Z"},
		{"ISO week with day", "2026-W11-2", "2026-03-10T00:00:00Z"},
		{"ISO week compact", "2026W112", "2026-03-10T00:00:00Z"},
		{"ISO week alone is its Monday", "2026-W01", "2025-12-29T00:00:00Z"},
		{"RFC 1123", "Tue, 10 Mar 2026 09:40:00 GMT", "2026-03-10T09:40:00Z"},
		{"RFC 1123 numeric zone", "Tue, 10 Mar 2026 09:40:00 +0100", "2026-03-10T08:40:00Z"},
		{"RFC 822 zone name", "Tue, 10 Mar 2026 09:40:00 EST", "2026-03-10T14:40:00Z"},
		{"European zone name", "Tue, 10 Mar 2026 09:40:00 CEST", "2026-03-10T07:40:00Z"},
		{"offset with a zone comment", "Tue, 10 Mar 2026 09:40:00 +0100 (CET)", "2026-03-10T08:40:00Z"},
		{"unknown zone name read as UTC", "Tue, 10 Mar 2026 09:40:00 XYZT", "2026-03-10T09:40:00Z"},
		{"no weekday, no seconds", "10 Mar 2026 09:40 +0100", "2026-03-10T08:40:00Z"},
		{"one-digit day, two-digit year", "Tue, 3 Mar 26 09:40:00 +0000", "2026-03-03T09:40:00Z"},
		{"RFC 850", "Tuesday, 10-Mar-26 09:40:00 GMT", "2026-03-10T09:40:00Z"},
		{"lower-case month", "tue, 10 mar 2026 09:40:00 gmt", "2026-03-10T09:40:00Z"},
		{"no zone at all", "Tue, 10 Mar 2026 09:40:00", "2026-03-10T09:40:00Z"},
		{"long English form", "Tuesday, March 10, 2026", "2026-03-10T00:00:00Z"},
		{"German dotted", "10.03.2026 09:40", "2026-03-10T09:40:00Z"},
		{"ANSI C", "Tue Mar 10 09:40:00 2026", "2026-03-10T09:40:00Z"},
		{"empty", "   ", ""},
		{"words", "yesterday afternoon", ""},
		{"impossible day", "2026-02-30T10:00:00Z", ""},
		{"week 54", "2026-W54-1", ""},
		{"year zero", "0000-01-01T00:00:00Z", ""},
		{"year beyond JSON", "99999-01-01", ""},
		{"very long", "2026-03-10T09:40:00Z" + string(make([]byte, 100)), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseDate(tt.in)
			switch {
			case tt.want == "" && got != nil:
				t.Errorf("parseDate(%q) = %v, want no date", tt.in, got)
			case tt.want != "" && got == nil:
				t.Errorf("parseDate(%q) = nil, want %s", tt.in, tt.want)
			case got != nil && got.UTC().Format(time.RFC3339Nano) != tt.want:
				t.Errorf("parseDate(%q) = %s, want %s", tt.in, got.UTC().Format(time.RFC3339Nano), tt.want)
			}
		})
	}
}
