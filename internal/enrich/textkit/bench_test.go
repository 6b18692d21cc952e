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
