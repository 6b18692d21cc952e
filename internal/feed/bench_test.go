package feed_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/feed"
)

// benchItems is the size of the benchmark's document: a busy wire's RSS page.
const benchItems = 50

// benchFeed is the feeds-file entry the document is parsed for.
var benchFeed = feed.Feed{ID: "bench", URL: "https://bulk.example/rss.xml", Format: feed.FormatAuto, Provider: "Example Wire"}

const benchContentType = "application/rss+xml; charset=utf-8"

// bareParse is the baseline: gofeed's universal parser with its defaults.
func bareParse(b *testing.B, doc []byte) int {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(doc))
	if err != nil {
		b.Fatal(err)
	}
	return len(f.Items)
}

func wirehoseParse(b *testing.B, doc []byte) int {
	items, err := feed.Parse(benchFeed, doc, benchContentType, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	return len(items)
}

// BenchmarkParse measures feed.Parse (sniff, parse through gofeed, clean, hash) of a
// 50-item RSS 2.0 document against a bare gofeed parse of the same bytes in the same run,
// and reports the ratio (x_bare); it asserts nothing about speed. "bare-gofeed" times the
// baseline alone. "wirehose" times feed.Parse and, with the benchmark timer stopped, a
// bare parse next to each one, so x_bare comes from pairs measured moments apart: load
// on a shared machine weighs on both sides alike.
//
// gofeed's default RSS translator parses every item's HTML looking for an image, which
// feed.Parse turns off, so x_bare can come out below 1.
func BenchmarkParse(b *testing.B) {
	doc := demo.Bulk(benchItems)

	b.Run("bare-gofeed", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		for i := 0; i < b.N; i++ {
			if n := bareParse(b, doc); n != benchItems {
				b.Fatalf("gofeed parsed %d items, want %d", n, benchItems)
			}
		}
	})

	b.Run("wirehose", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(doc)))
		var ours, baseline time.Duration
		bare := func() {
			b.StopTimer()
			start := time.Now()
			bareParse(b, doc)
			baseline += time.Since(start)
			b.StartTimer()
		}
		for i := 0; i < b.N; i++ {
			// Alternate which side goes first, so neither always finds the caches warm.
			if i%2 == 1 {
				bare()
			}
			start := time.Now()
			n := wirehoseParse(b, doc)
			ours += time.Since(start)
			if n != benchItems {
				b.Fatalf("feed.Parse returned %d items, want %d", n, benchItems)
			}
			if i%2 == 0 {
				bare()
			}
		}
		b.ReportMetric(float64(ours)/float64(baseline), "x_bare")
		b.ReportMetric(ours.Seconds()*1e6/float64(b.N), "parse_us/doc")
		b.ReportMetric(baseline.Seconds()*1e6/float64(b.N), "bare_us/doc")
	})
}
