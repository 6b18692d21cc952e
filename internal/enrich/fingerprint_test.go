package enrich

import (
	"regexp"
	"testing"
)

func TestFingerprintSameContent(t *testing.T) {
	base := "<p>The council approved the budget on Monday.</p><p>AFP</p>"
	tests := []struct {
		name string
		body string
	}{
		{"identical", base},
		{"other markup", "<div class=\"story\"><h3>The council approved the <b>budget</b> on Monday.</h3><br>AFP</div>"},
		{"plain text", "The council approved the budget on Monday.\nAFP"},
		{"spacing", "<p>  The council   approved\nthe budget on Monday. </p>\n\n<p>AFP </p>"},
		{"letter case", "<p>THE COUNCIL APPROVED THE BUDGET ON MONDAY.</p><p>afp</p>"},
		{"punctuation", "<p>The council approved the budget on Monday!</p><p>— AFP —</p>"},
		{"entities", "<p>The&nbsp;council approved the budget on&#32;Monday.</p><p>AFP</p>"},
		{"full-width letters (NFKC)", "<p>The council approved the budget on Monday.</p><p>ＡＦＰ</p>"},
		{"partner wrapper, own credit line", "<p>By Staff Writer</p><p>The council approved the budget on Monday.</p><p>Read more: council news</p><p>— Reuters</p>"},
		{"no credit line", "<p>The council approved the budget on Monday.</p>"},
	}
	want := fingerprint(htmlToText(base), "")
	if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(want) {
		t.Fatalf("fingerprint %q is not 32 hex digits", want)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fingerprint(htmlToText(tt.body), "any headline"); got != want {
				t.Errorf("fingerprint differs from the base text: got %s, want %s", got, want)
			}
		})
	}
}

func TestFingerprintDifferentContent(t *testing.T) {
	base := fingerprint("The council approved the budget on Monday.", "")
	tests := []struct {
		name, body string
	}{
		{"changed word", "The council rejected the budget on Monday."},
		{"changed number", "The council approved the 2025 budget on Monday."},
		{"extra word", "The council approved the budget on Monday night."},
		{"words joined", "The council approved the budget onMonday."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fingerprint(tt.body, ""); got == base {
				t.Errorf("fingerprint(%q) equals the base text's", tt.body)
			}
		})
	}
}

func TestFingerprintHeadlineFallback(t *testing.T) {
	h := fingerprint("", "Quake hits coast")
	if h == "" {
		t.Fatal("no fingerprint for a headline-only item")
	}
	if got := fingerprint("", "QUAKE hits coast!"); got != h {
		t.Errorf("headline folding: got %s, want %s", got, h)
	}
	if got := fingerprint("Quake hits coast", "Other headline"); got != h {
		t.Errorf("a body with the same words should match the headline-only fingerprint: got %s, want %s", got, h)
	}
	if got := fingerprint("", "Quake hits inland"); got == h {
		t.Error("different headlines share a fingerprint")
	}
	if got := fingerprint("🔥", ""); got == "" || got == fingerprint("🌊", "") {
		t.Errorf("text without words needs its own fingerprint, got %q", got)
	}
	if got := fingerprint("", ""); got != "" {
		t.Errorf("fingerprint of nothing = %q, want empty", got)
	}
}

func TestFoldText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"punctuation and spaces", "  Hello,   world!  ", "hello world"},
		{"apostrophes", "don’t don't", "don t don t"},
		{"ligature and full width", "ﬁnance ＡＢＣ", "finance abc"},
		{"accents kept", "Été à Paris", "été à paris"},
		{"digits", "1,000.5", "1 000 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := foldText(tt.in); got != tt.want {
				t.Errorf("foldText(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
