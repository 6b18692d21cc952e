package entity

import (
	"os"
	"testing"
)

// BenchmarkExtract runs the extractor on a 3 KB English wire story.
func BenchmarkExtract(b *testing.B) {
	body, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	x := New(loadGazetteer(b))
	in := Input{Headline: "EU ministers agree to tighten bank transfer rules", Body: string(body), Language: "en", Provider: "AFP"}
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		x.Extract(in)
	}
}
