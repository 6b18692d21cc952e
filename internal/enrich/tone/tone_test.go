package tone

import (
	"os"
	"strings"
	"sync"
	"testing"
)

func TestScore(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		lang     string
		min, max float64 // wanted Score range
	}{
		{"clearly positive", "The festival was a great success and visitors were happy with the wonderful show.", "en", 0.5, 1},
		{"clearly negative", "The attack killed twelve people and left the town in terrible grief and fear.", "en", -1, -0.5},
		{"neutral report", "The committee will meet on Tuesday in Geneva to review the draft text.", "en", -0.1, 0.1},
		{"negated positive", "The talks were not good.", "en", -1, -0.05},
		{"negated negative", "The outcome was not bad for the company.", "en", 0.05, 1},
		{"contraction negation", "Officials said the plan isn't good enough.", "en", -1, -0.05},
		{"names are not sentiment", "He spoke at the United Nations and the Supreme Court of Justice.", "en", -0.05, 0.05},
		{"empty", "", "en", 0, 0},
		{"french positive", "La réunion a été un succès et les habitants sont heureux.", "fr", 0.4, 1},
		{"french negated", "Le résultat n'est pas bon.", "fr", -1, -0.05},
		{"spanish negative", "El atentado dejó muertos y heridos en una tragedia terrible.", "es", -1, -0.5},
		{"german negative", "Bei dem Anschlag gab es viele Tote und Verletzte.", "de", -1, -0.5},
		{"german negated", "Das Ergebnis ist nicht gut.", "de", -1, -0.05},
		{"unknown language falls back to English", "A great success.", "it", 0.3, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Score(tt.body, tt.lang)
			if got.Score < tt.min || got.Score > tt.max {
				t.Errorf("Score(%q) = %+v, want score in [%v, %v]", tt.body, got, tt.min, tt.max)
			}
			if got.Score < -1 || got.Score > 1 || got.Positive < 0 || got.Negative < 0 || got.Positive+got.Negative > 1 {
				t.Errorf("Score(%q) = %+v out of range", tt.body, got)
			}
		})
	}
}

func TestBoosters(t *testing.T) {
	tests := []struct {
		name, plain, boosted string
		stronger             bool
	}{
		{"intensifier", "The results were good.", "The results were very good.", true},
		{"dampener", "The results were good.", "The results were slightly good.", false},
		{"negative intensifier", "The damage was bad.", "The damage was extremely bad.", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, b := Score(tt.plain, "en").Score, Score(tt.boosted, "en").Score
			if p == 0 {
				t.Fatalf("plain sentence scored neutral")
			}
			abs := func(x float64) float64 {
				if x < 0 {
					return -x
				}
				return x
			}
			if (abs(b) > abs(p)) != tt.stronger {
				t.Errorf("boosted %v vs plain %v, want stronger=%v", b, p, tt.stronger)
			}
		})
	}
}

func TestShares(t *testing.T) {
	got := Score("good bad bad plain", "en")
	if got.Positive != 0.25 || got.Negative != 0.5 {
		t.Errorf("shares = %+v, want positive 0.25 negative 0.5", got)
	}
}

func TestLexiconsLoad(t *testing.T) {
	langs := languages()
	for lang, min := range map[string]int{"en": 7000, "fr": 90, "es": 90, "de": 90} {
		if n := len(langs[lang].valence); n < min {
			t.Errorf("%s lexicon has %d words, want at least %d", lang, n, min)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	data, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	body := string(data)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Score(body, "en")
	}
}

func TestScoreConcurrent(t *testing.T) {
	body := "The attack killed twelve people. Officials said the response was not good enough, but rescuers were praised."
	want := Score(body, "en")
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				if got := Score(body, "en"); got != want {
					t.Errorf("concurrent result %+v differs from %+v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestScannerPaths checks that a lexicon word scores the same whether the scanner
// reads it a group of eight bytes at a time or byte by byte (at the end of the
// body, or next to a non-ASCII letter), for words of every length around a group.
func TestScannerPaths(t *testing.T) {
	langs := languages()
	byLen := map[int]string{}
	for w := range langs["en"].valence {
		if len(w) <= 20 && !strings.ContainsAny(w, "'-") && (byLen[len(w)] == "" || w < byLen[len(w)]) {
			byLen[len(w)] = w
		}
	}
	for n := 3; n <= 20; n++ {
		w := byLen[n]
		if w == "" {
			continue
		}
		t.Run(w, func(t *testing.T) {
			want := Score(w, "en") // shorter than a group: the byte loop
			if want.Positive+want.Negative != 1 {
				t.Fatalf("Score(%q) = %+v, want the word scored", w, want)
			}
			for _, body := range []string{
				w + " and more words after it",
				w + ", and more words after it",
				strings.ToUpper(w[:1]) + w[1:] + " and more words after it",
				"plain " + w + "",
				w + "… and more words after it",
			} {
				got := Score(body, "en")
				if (got.Score > 0) != (want.Score > 0) || got.Positive+got.Negative == 0 {
					t.Errorf("Score(%q) = %+v, want the word scored like %+v", body, got, want)
				}
			}
			if got := Score(w+"é and more words", "en"); got.Positive+got.Negative != 0 {
				t.Errorf("a word followed by a letter was scored: %+v", got)
			}
		})
	}
}
