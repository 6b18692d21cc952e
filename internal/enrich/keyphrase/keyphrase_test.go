package keyphrase

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestExtract(t *testing.T) {
	tests := []struct {
		name, lang, headline, body string
		n                          int
		want                       []string // phrases that must be among the result
		not                        []string // phrases that must not appear (case-insensitive)
	}{
		{
			name: "english names kept whole and capitalised", lang: "en", n: 6,
			headline: "Dock workers strike at Eastmouth as pay talks fail",
			body: "EASTMOUTH, March 3 (Wirehose) - Dock workers at the port of Eastmouth went on strike on Tuesday after pay talks with the Harbour Workers' Union failed.\n\n" +
				"Union secretary Marta Ellison said dock workers would not accept the offer. The strike halted container traffic, and pay talks may resume on Thursday, Marta Ellison said.",
			want: []string{"dock workers", "pay talks", "Marta Ellison", "Eastmouth"},
			not:  []string{"wirehose", "march", "tuesday", "said"},
		},
		{
			name: "connector inside a name", lang: "en", n: 5,
			headline: "Bank of England holds rates",
			body:     "LONDON (Wirehose) - The Bank of England kept interest rates on hold on Thursday. The Bank of England said inflation was easing and interest rates would stay high.",
			want:     []string{"Bank of England", "interest rates"},
		},
		{
			name: "french elision and adjectives after a name", lang: "fr", n: 6,
			headline: "La Banque centrale européenne maintient ses taux",
			body:     "FRANCFORT, 5 mars 2026 (Wirehose) - La Banque centrale européenne a maintenu ses taux d'intérêt jeudi. La hausse des prix de l'énergie inquiète la Banque centrale européenne, qui surveille les taux d'intérêt.",
			want:     []string{"Banque centrale européenne", "taux d'intérêt"},
			not:      []string{"jeudi", "mars"},
		},
		{
			name: "spanish", lang: "es", n: 5,
			headline: "El Gobierno aprueba la ley de vivienda",
			body:     "MADRID, 5 mar (Wirehose).- El Consejo de Ministros aprobó la ley de vivienda asequible. La vivienda asequible es la prioridad del Gobierno, dijo la ministra.",
			want:     []string{"vivienda asequible", "Consejo de Ministros"},
			not:      []string{"dijo", "mar"},
		},
		{
			name: "german noun groups", lang: "de", n: 5,
			headline: "Verdi ruft zu Warnstreik in Häfen auf",
			body:     "Hamburg (Wirehose) - Die Gewerkschaft Verdi hat die Beschäftigten der Häfen zu einem ganztägigen Warnstreik aufgerufen. Der Warnstreik soll am Donnerstag beginnen, teilte Verdi mit.",
			want:     []string{"Verdi", "Warnstreik"},
			not:      []string{"ruft", "aufgerufen", "donnerstag", "teilte"},
		},
		{
			name: "plural collapses into one phrase", lang: "en", n: 5,
			headline: "Strike hits ports",
			body:     "The strike closed two ports. Another strike is planned, and the strikes could spread to more ports.",
			not:      []string{"strikes"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.headline, tt.body, tt.lang, tt.n)
			if len(got) == 0 || len(got) > tt.n {
				t.Fatalf("got %d phrases %q, want 1..%d", len(got), got, tt.n)
			}
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in %q", w, got)
				}
			}
			for _, g := range got {
				for _, w := range tt.not {
					if strings.EqualFold(g, w) {
						t.Errorf("unwanted %q in %q", w, got)
					}
				}
			}
		})
	}
}

func TestExtractEdgeCases(t *testing.T) {
	tests := []struct {
		name, headline, body string
		n                    int
	}{
		{"empty", "", "", 5},
		{"only stop words", "The and of", "It was what it was.", 5},
		{"zero n", "Port strike", "Dock workers strike.", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Extract(tt.headline, tt.body, "en", tt.n); len(got) != 0 {
				t.Errorf("got %q, want none", got)
			}
		})
	}
}

func TestExtractDeterministic(t *testing.T) {
	data, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	headline, body, _ := strings.Cut(string(data), "\n\n")
	first := Extract(headline, body, "en", 10)
	if len(first) != 10 {
		t.Fatalf("got %d phrases, want 10: %q", len(first), first)
	}
	for range 20 {
		if got := Extract(headline, body, "en", 10); !slices.Equal(got, first) {
			t.Fatalf("run differs: %q vs %q", got, first)
		}
	}
	seen := map[string]bool{}
	for _, p := range first {
		k := strings.ToLower(p)
		if seen[k] {
			t.Errorf("duplicate phrase %q in %q", p, first)
		}
		seen[k] = true
	}
}

func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	headline, body, _ := strings.Cut(string(data), "\n\n")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(headline, body, "en", 10)
	}
}

func TestExtractConcurrent(t *testing.T) {
	stories := []struct{ headline, body, lang string }{
		{"Dock workers strike at Eastmouth", "Dock workers at Eastmouth went on strike. Marta Ellison said dock workers would stay out.", "en"},
		{"La BCE maintient ses taux", "La Banque centrale européenne a maintenu ses taux d'intérêt. La Banque centrale européenne surveille l'inflation.", "fr"},
		{"Verdi ruft zu Warnstreik auf", "Die Gewerkschaft Verdi hat zu einem Warnstreik aufgerufen. Der Warnstreik beginnt am Donnerstag.", "de"},
	}
	want := make([][]string, len(stories))
	for i, s := range stories {
		want[i] = Extract(s.headline, s.body, s.lang, 5)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 30 {
				i := (g + k) % len(stories)
				s := stories[i]
				if got := Extract(s.headline, s.body, s.lang, 5); !slices.Equal(got, want[i]) {
					t.Errorf("concurrent result %q differs from %q", got, want[i])
					return
				}
			}
		})
	}
	wg.Wait()
}
