package dedupe

import (
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// benchStories is the size of the index the benchmarks look up in.
const benchStories = 100_000

// benchVocabulary is a fixed set of made-up words; stories draw them with a Zipf law,
// so that common words and stock phrases recur across stories as in real copy.
var benchVocabulary = sync.OnceValue(func() []string {
	syllables := []string{"ka", "lo", "re", "mi", "sa", "tu", "ne", "vo", "di", "ar", "en", "po", "li", "ga", "he", "ro", "su", "ta", "me", "ni"}
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 20_000)
	for i := range words {
		var b strings.Builder
		for range 1 + r.IntN(4) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		words[i] = b.String()
	}
	return words
})

// benchStory returns a deterministic story of about size bytes: a headline and
// paragraphs of 30 to 80 words, with commas and full stops.
func benchStory(n uint64, size int) string {
	words := benchVocabulary()
	r := rand.New(rand.NewPCG(n, 7))
	z := rand.NewZipf(r, 1.1, 3, uint64(len(words)-1))
	var b strings.Builder
	b.Grow(size + 100)
	for range 8 {
		b.WriteString(words[z.Uint64()] + " ")
	}
	b.WriteString("\n\n")
	for b.Len() < size {
		for i := range 30 + r.IntN(50) {
			b.WriteString(words[z.Uint64()])
			switch {
			case i%17 == 16:
				b.WriteString(". ")
			case i%7 == 6:
				b.WriteString(", ")
			default:
				b.WriteByte(' ')
			}
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// benchSignatures signs benchStories stories of 3 KB once per test binary.
var benchSignatures = sync.OnceValue(func() []Signature {
	sigs := make([]Signature, benchStories)
	for i := range sigs {
		sigs[i] = Sign(benchStory(uint64(i), 3000))
	}
	return sigs
})

var benchIndex = sync.OnceValue(func() *NearIndex {
	x := NewNearIndex()
	for i, s := range benchSignatures() {
		x.Add(benchID(i), s)
	}
	return x
})

func benchID(i int) string { return fmt.Sprintf("urn:newsml:wire.example:20260312:story-%08d", i) }

// benchQueries are 3 KB stories to look up: every other one a syndicated copy of an
// indexed story with a wrapper and a changed paragraph, the rest new stories.
func benchQueries() []string {
	q := make([]string, 64)
	for i := range q {
		if i%2 == 0 {
			text := benchStory(uint64(i*1000), 3000)
			paras := strings.Split(text, "\n\n")
			paras[2] = benchStory(uint64(benchStories+i), 200)
			q[i] = "By Staff\n\n" + strings.Join(paras, "\n\n") + "\n\nAFP\n\nShare this article"
		} else {
			q[i] = benchStory(uint64(benchStories+1000+i), 3000)
		}
	}
	return q
}

// BenchmarkNearLookup measures what the stage does per story: sign a 3 KB text and
// find its nearest duplicate among 100,000 indexed stories. It reports x_sha256, the
// cost relative to hashing the same text with SHA-256 in the same run.
func BenchmarkNearLookup(b *testing.B) {
	x := benchIndex()
	queries := benchQueries()
	found := 0
	for _, q := range queries {
		if _, _, ok := x.Nearest(Sign(q), ""); ok {
			found++
		}
	}
	if found != len(queries)/2 {
		b.Fatalf("%d of %d queries matched, want the %d copies", found, len(queries), len(queries)/2)
	}
	shaPerOp := bareSHA256(queries)

	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		q := queries[i%len(queries)]
		if _, _, ok := x.Nearest(Sign(q), ""); ok != (i%len(queries)%2 == 0) {
			b.Fatalf("query %d: match %v", i%len(queries), ok)
		}
	}
	b.StopTimer()
	// The baseline is taken before and after, as the machine's load may change.
	shaPerOp = (shaPerOp + bareSHA256(queries)) / 2
	perOp := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	b.ReportMetric(perOp/shaPerOp, "x_sha256")
	b.ReportMetric(float64(x.Len()), "indexed")
}

// BenchmarkSign measures signing alone, against SHA-256 of the same texts.
func BenchmarkSign(b *testing.B) {
	queries := benchQueries()
	shaPerOp := bareSHA256(queries)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		Sign(queries[i%len(queries)])
	}
	b.StopTimer()
	shaPerOp = (shaPerOp + bareSHA256(queries)) / 2
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/shaPerOp, "x_sha256")
}

// bareSHA256 returns the mean time in nanoseconds to hash one of texts.
func bareSHA256(texts []string) float64 {
	const rounds = 200
	start := time.Now()
	for i := range rounds * len(texts) {
		sha256.Sum256([]byte(texts[i%len(texts)]))
	}
	return float64(time.Since(start).Nanoseconds()) / float64(rounds*len(texts))
}

// BenchmarkNearIndexMemory reports the heap the index holds per story at 100,000
// stories (bytes/story), ids included.
func BenchmarkNearIndexMemory(b *testing.B) {
	sigs := benchSignatures()
	ids := make([]string, len(sigs))
	for i := range ids {
		ids[i] = benchID(i)
	}
	var perStory float64
	b.ResetTimer()
	for b.Loop() {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		x := NewNearIndex()
		for i, s := range sigs {
			x.Add(ids[i], s)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perStory = float64(after.HeapAlloc-before.HeapAlloc) / float64(x.Len())
		runtime.KeepAlive(x)
	}
	b.ReportMetric(perStory, "bytes/story")
	b.ReportMetric(0, "ns/op")
}
