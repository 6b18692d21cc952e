package textkit

import (
	"os"
	"testing"
)

func BenchmarkTokenize(b *testing.B) {
	body, err := os.ReadFile("../entity/testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(body)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		Tokenize(s)
	}
}

func BenchmarkFold(b *testing.B) {
	words := []string{"Zürich", "KYIV", "said", "Organisation", "Ministère", "straße"}
	b.ReportAllocs()
	for b.Loop() {
		for _, w := range words {
			Fold(w)
		}
	}
}

// BenchmarkAppendTokens tokenizes into a reused buffer, as the extractors do.
func BenchmarkAppendTokens(b *testing.B) {
	body, err := os.ReadFile("../entity/testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	s := string(body)
	var toks []Token
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for b.Loop() {
		toks = AppendTokens(toks[:0], s)
	}
}
