package dedupe

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"testing"
)

const signText = `Dock workers at Port Halden begin 48-hour strike over pay

HALDEN, Nov 4 - Dock workers at Port Halden, the country's largest container terminal, began a 48-hour strike on Tuesday over pay and shift patterns, halting the loading of ships.

The union said about 2,300 members had walked out after talks with the port operators broke down on Monday night.`

func TestSignSimilarity(t *testing.T) {
	base := Sign(signText)
	tests := []struct {
		name     string
		other    string
		min, max float64
	}{
		{"same text", signText, 1, 1},
		{"syndicated with wrappers and credit", "By Staff\n" + signText + "\n\nAFP\n\nShare this article", 1, 1},
		{"different case and punctuation", strings.ToUpper(strings.ReplaceAll(signText, ", ", " ; ")), 1, 1},
		{"one sentence dropped", strings.Split(signText, "\n\nThe union")[0], 0.4, 0.95},
		{"unrelated text", "Ilse Varga beat Mara Colt 6-4 3-6 6-2 in the Halden Open final on Sunday to win her first grass-court title.", 0, 0.05},
		{"no words", " — ", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Similarity(base, Sign(tt.other))
			if got < tt.min || got > tt.max {
				t.Errorf("Similarity = %.3f, want in [%.2f, %.2f]", got, tt.min, tt.max)
			}
			if back := Similarity(Sign(tt.other), base); back != got {
				t.Errorf("Similarity not symmetric: %.3f and %.3f", got, back)
			}
		})
	}
}

func TestSignEmptyTextIsZero(t *testing.T) {
	for _, text := range []string{"", "\n\n", "AFP", "Share this article\n© 2026 Herald"} {
		s := Sign(text)
		if !s.IsZero() {
			t.Errorf("Sign(%q) is not zero", text)
		}
		if got := Similarity(s, s); got != 0 {
			t.Errorf("Similarity of an empty text with itself = %v, want 0", got)
		}
	}
	if Sign("one").IsZero() {
		t.Error("Sign of a one-word text is zero")
	}
}

// TestSimilarityEstimatesJaccard compares the estimate with the exact Jaccard
// similarity of the 3-shingle sets, over texts made to overlap by known amounts.
func TestSimilarityEstimatesJaccard(t *testing.T) {
	word := func(i int) string { return fmt.Sprintf("w%d", i) }
	text := func(from, to int) string {
		var b strings.Builder
		for i := from; i < to; i++ {
			b.WriteString(word(i) + " ")
		}
		return b.String()
	}
	tests := []struct {
		name        string
		a, b        [2]int
		want, slack float64
	}{
		// Overlap of n-2 shingles out of a union of (|a|-2)+(|b|-2)-(overlap).
		{"long texts, half shared", [2]int{0, 1200}, [2]int{400, 1600}, 798.0 / 1598, 0.1},
		{"short texts, most shared", [2]int{0, 100}, [2]int{10, 110}, 88.0 / 108, 0.1},
		{"disjoint", [2]int{0, 500}, [2]int{1000, 1500}, 0, 0.02},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Similarity(Sign(text(tt.a[0], tt.a[1])), Sign(text(tt.b[0], tt.b[1])))
			if math.Abs(got-tt.want) > tt.slack {
				t.Errorf("Similarity = %.3f, exact Jaccard %.3f (allowed error %.2f)", got, tt.want, tt.slack)
			}
		})
	}
}

func TestSignatureText(t *testing.T) {
	s := Sign(signText)
	raw, err := json.Marshal(struct{ Sig Signature }{s})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(raw), `{"Sig":"`) {
		t.Errorf("signature is not a JSON string: %.60s", raw)
	}
	var back struct{ Sig Signature }
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatal(err)
	}
	if back.Sig != s {
		t.Error("signature changed through JSON")
	}

	for _, bad := range []string{"", "AAAA", strings.Repeat("A", 400), strings.Repeat("!", 342)} {
		var got Signature
		if err := got.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("UnmarshalText(%.10q… %d bytes) accepted", bad, len(bad))
		}
	}
}
