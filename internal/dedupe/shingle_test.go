package dedupe

import (
	"slices"
	"testing"
)

func TestShingleNearText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"folds case, punctuation and unicode forms",
			"Ｑuake hits CHILE — 6.1 magnitude!\n\nResidents fled, officials said.",
			"quake hits chile 6 1 magnitude residents fled officials said"},
		{"keeps accents and non-latin letters",
			"Séisme à Antofagasta\nÜberschwemmung in Köln",
			"séisme à antofagasta überschwemmung in köln"},
		{"drops a trailing agency credit",
			"Story text here.\n\nAFP", "story text here"},
		{"drops a dash credit and a parenthesised one",
			"Story text here.\n\n— Reuters\n\n(AP)", "story text here"},
		{"drops combined credits",
			"Story text here.\n\nwith AFP\n\ndpa/AP", "story text here"},
		{"keeps a credit word inside the story",
			"AFP\n\nReuters reported the deal first.", "afp reuters reported the deal first"},
		{"drops wrappers before and after",
			"By Coastal Herald staff\nPublished 12 March 2026, 09:41\nStory text here.\nRead more: Chile strengthens tsunami warnings\nShare this article\n© 2026 The Herald\nSubscribe to our newsletter",
			"story text here"},
		{"drops wrappers in French, Spanish and German",
			"Publié le 9 juillet 2026\nPar La Rédaction\nTexte.\nPartager cet article\nCompartir este artículo\nArtikel teilen\nMehr zum Thema: Hochwasser",
			"texte"},
		{"drops reporting credits and all rights reserved",
			"Story text here.\nReporting by Lars Eide; Editing by Tom Hart\nNordic Daily. All rights reserved.",
			"story text here"},
		{"keeps long lines that open like a wrapper",
			"By midday, 31 ships were waiting outside the harbour, according to ship-tracking data, and lines diverted cargo.",
			"by midday 31 ships were waiting outside the harbour according to ship tracking data and lines diverted cargo"},
		{"drops a byline at the top",
			"Headline\nBy Staff Writer\nText.", "headline text"},
		{"keeps a short line opening with by inside the story",
			"Headline\nFirst.\nSecond.\nBy the river, floods.", "headline first second by the river floods"},
		{"empty and symbols only", " \n — \n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := nearText(tt.in); got != tt.want {
				t.Errorf("nearText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestShingleHashes(t *testing.T) {
	words := func(s string) []uint64 { return appendWordHashes(nil, []byte(nearText(s))) }
	tests := []struct {
		name  string
		text  string
		k     int
		count int
	}{
		{"one shingle per window", "a b c d e", 3, 3},
		{"text shorter than k is one shingle", "a b", 3, 1},
		{"exactly k words", "a b c", 3, 1},
		{"no words no shingles", "", 3, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := shingles(words(tt.text), tt.k, nil); len(got) != tt.count {
				t.Errorf("shingles(%q, %d) gave %d, want %d", tt.text, tt.k, len(got), tt.count)
			}
		})
	}

	t.Run("equal windows hash equal, order matters", func(t *testing.T) {
		a := shingles(words("x y z x y z"), 3, nil)
		if a[0] != a[3] {
			t.Errorf("repeated window hashed %x and %x", a[0], a[3])
		}
		if b := shingles(words("z y x"), 3, nil); b[0] == a[0] {
			t.Error("reversed window hashed like the original")
		}
		if c := shingles(words("X, y; Z!"), 3, nil); !slices.Equal(c, a[:1]) {
			t.Error("case and punctuation changed the shingle")
		}
	})
}

func TestContentTextDropsCreditLinesOfAnyAgency(t *testing.T) {
	body := "The port reopened on Monday after the storm.\nShips queued outside the harbour."
	want := ContentText(body)
	tests := []struct {
		name, text string
		same       bool
	}{
		{"dash credit", body + "\n— Meridian Press", true},
		{"bracketed credit", body + "\n(Meridian Press)", true},
		{"agency code", body + "\nMPA", true},
		{"credit after a footer", body + "\nRead more: port news\n(Meridian Press)", true},
		{"a short last sentence stays", body + "\nTalks resume on Friday.", false},
		{"a long bracketed line stays", body + "\n(The port handled nine million tonnes last year.)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContentText(tt.text); (got == want) != tt.same {
				t.Errorf("ContentText(%q) = %q, want same as body: %v", tt.text, got, tt.same)
			}
		})
	}
}
