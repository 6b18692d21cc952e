package enrich

import (
	"context"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// benchStory is a 3 KB English wire story: headline on the first line, then the body.
func benchStory(t testing.TB) pipeline.Story {
	t.Helper()
	b, err := os.ReadFile("testdata/bench_story_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	headline, body, _ := strings.Cut(string(b), "\n")
	st, err := newStory(pipeline.RawItem{Feed: "bench", GUID: "bench-1", Title: headline, Body: body, Language: "en"}, time.Now(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// BenchmarkChain runs the default enricher chain on a 3 KB English story. Run it
// with -cpu 1 for the rate of one core.
func BenchmarkChain(b *testing.B) {
	chain, err := BuildChain(DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	base := benchStory(b)
	b.SetBytes(int64(len(base.Text()) + len(base.Headline())))
	b.ReportAllocs()
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		st := base
		st.Bodies = []pipeline.Body{base.Bodies[0]}
		if err := chain.Run(ctx, &st, nopObserver{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "stories/s")
}

// TestChainFootprint builds the default chain, with all its reference data, and reports
// how long that took and the heap it holds; and checks the chain fills every field a
// stored story is promised.
func TestChainFootprint(t *testing.T) {
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	chain, err := BuildChain(DefaultConfig(), nil)
	if err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("default chain built in %s; heap in use %.1f MB (%.1f MB more than before)", took.Round(time.Millisecond),
		float64(after.HeapInuse)/(1<<20), (float64(after.HeapInuse)-float64(before.HeapInuse))/(1<<20))

	st := benchStory(t)
	if err := chain.Run(context.Background(), &st, nopObserver{}); err != nil {
		t.Fatal(err)
	}
	if st.Enrichment == nil || st.Enrichment.Partial {
		t.Fatalf("enrichment %+v, want every enricher to succeed", st.Enrichment)
	}
	switch {
	case len(st.People) == 0, len(st.Organisations) == 0, len(st.Places) == 0, len(st.Quotes) == 0,
		len(st.Keywords) == 0, st.Tone == nil, st.WordCount == 0, st.Location == nil, st.Provider != "AFP",
		st.Language != "en", len(st.Subjects) == 0:
		t.Errorf("enriched story lacks a field: %+v", st)
	}
	runtime.KeepAlive(chain)
}

// BenchmarkEnrichers runs each enricher of the default chain alone on the 3 KB story as
// the enrichers before it left it, to show where the chain's time goes.
func BenchmarkEnrichers(b *testing.B) {
	chain, err := BuildChain(DefaultConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	st := benchStory(b)
	ctx := context.Background()
	for _, step := range chain.steps {
		before := st
		before.Bodies = []pipeline.Body{st.Bodies[0]}
		b.Run(step.e.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s := before
				s.Bodies = []pipeline.Body{before.Bodies[0]}
				if err := step.e.Enrich(ctx, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
		if err := step.e.Enrich(ctx, &st); err != nil {
			b.Fatal(err)
		}
	}
}
