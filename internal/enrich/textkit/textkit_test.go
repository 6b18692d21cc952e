package textkit

import (
	"reflect"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"ascii lower stays", "kyiv", "kyiv"},
		{"upper ascii", "KYIV", "kyiv"},
		{"german umlaut and sharp s", "Straße Zürich", "strasse zurich"},
		{"french accents", "Élysée Ministère", "elysee ministere"},
		{"spanish tilde", "España Peñalosa", "espana penalosa"},
		{"typographic apostrophe", "Côte d’Ivoire", "cote d'ivoire"},
		{"combining mark", "Jose\u0301", "jose"},
		{"mixed ascii and accents", "ÉLYSÉE said", "elysee said"},
		{"invalid utf-8 kept as replacement", "a\xffB", "a\uFFFDb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Fold(tt.in); got != tt.want {
				t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := string(AppendFold([]byte("x"), tt.in)); got != "x"+tt.want {
				t.Errorf("AppendFold(x, %q) = %q, want %q", tt.in, got, "x"+tt.want)
			}
		})
	}
}

func words(toks []Token) []string {
	var out []string
	for _, t := range toks {
		out = append(out, t.Text)
	}
	return out
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want []string
	}{
		{"possessive split", "Putin's forces", []string{"Putin", "forces"}},
		{"modifier letter apostrophe possessive", "Putinʼs forces", []string{"Putin", "forces"}},
		{"capital elision split", "L'Union D'Abord", []string{"L'", "Union", "D'", "Abord"}},
		{"capital abbreviation keeps its dot", "MR. Smith", []string{"MR", "Smith"}},
		{"elision split", "l'Union et la Côte d'Ivoire", []string{"l'", "Union", "et", "la", "Côte", "d'", "Ivoire"}},
		{"irish name kept", "Sinead O'Brien said", []string{"Sinead", "O'Brien", "said"}},
		{"west african name kept", "Anne-Sophie N'Diaye n'a rien dit", []string{"Anne-Sophie", "N'Diaye", "n'", "a", "rien", "dit"}},
		{"hyphenated name kept", "Jean-Pierre al-Assad", []string{"Jean-Pierre", "al-Assad"}},
		{"dotted acronym", "the U.S. and U.N. said", []string{"the", "U.S.", "and", "U.N.", "said"}},
		{"abbreviation keeps its dot", "Mr. Smith", []string{"Mr", "Smith"}},
		{"numbers and punctuation", "rose 1.9% in 2025.", []string{"rose", "1.9", "%", "in", "2025", "."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := words(Tokenize(tt.in))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestTokenizeOffsetsAndStarts(t *testing.T) {
	s := "He met Mr. Xi. Then \"The talks\" began.\n\nBerlin (dpa) - Die"
	toks := Tokenize(s)
	for _, tk := range toks {
		if s[tk.Start:tk.End] != tk.Text {
			t.Fatalf("token %q has offsets [%d,%d) = %q", tk.Text, tk.Start, tk.End, s[tk.Start:tk.End])
		}
	}
	starts := map[string]bool{}
	for _, tk := range toks {
		if tk.SentStart {
			starts[tk.Text] = true
		}
	}
	for _, w := range []string{"He", "Then", "The", "Berlin", "Die"} {
		if !starts[w] {
			t.Errorf("%q should start a sentence; starts = %v", w, starts)
		}
	}
	for _, w := range []string{"Xi", "met", "talks"} {
		if starts[w] {
			t.Errorf("%q should not start a sentence", w)
		}
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"abbreviations do not split", "Mr. Smith met Dr. Jones on Jan. 5 in the U.S. capital.", 1},
		{"two sentences", "Prices rose. Markets fell!", 2},
		{"paragraphs split", "First line\n\nSecond line", 2},
		{"initials do not split", "J. K. Rowling wrote it. She said so.", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sentences(tt.in)
			if len(got) != tt.want {
				t.Errorf("Sentences(%q) = %d spans %v, want %d", tt.in, len(got), got, tt.want)
			}
		})
	}
}

func TestCase(t *testing.T) {
	if !IsAllCaps("NATO") || IsAllCaps("Nato") || IsAllCaps("A") {
		t.Error("IsAllCaps: NATO yes, Nato no, single letter no")
	}
	if !IsCapitalized("Élysée") || IsCapitalized("élysée") {
		t.Error("IsCapitalized must read the first rune")
	}
	if !EqualFold("München", "MUNCHEN") {
		t.Error("EqualFold should ignore case and diacritics")
	}
}
