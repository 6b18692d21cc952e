package feed_test

import (
	"bytes"
	"fmt"
	"strings"
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
		// The same ratio the other way up: wirehose's throughput over gofeed's (goal >= 0.8).
		b.ReportMetric(float64(baseline)/float64(ours), "speed_vs_gofeed")
		b.ReportMetric(ours.Seconds()*1e6/float64(b.N), "parse_us/doc")
		b.ReportMetric(baseline.Seconds()*1e6/float64(b.N), "bare_us/doc")
	})
}

// newsMLG2Message is a generated newsMessage of n text items shaped like an
// agency's (metadata, subjects, an XHTML body of four paragraphs), about the
// size per item of the RSS benchmark's items plus the G2 metadata.
func newsMLG2Message(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-03-10T10:00:00Z</sent></header><itemSet>
`)
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<newsItem guid="urn:newsml:bulk.example:20260310:%06d" version="%d" standard="NewsML-G2" standardversion="2.35" xml:lang="en">
<itemMeta><itemClass qcode="ninat:text"/><provider qcode="nprov:BULK"><name>Bulk Wire</name></provider>
<versionCreated>2026-03-10T09:%02d:00Z</versionCreated><firstCreated>2026-03-10T08:%02d:00Z</firstCreated>
<pubStatus qcode="stat:usable"/><signal qcode="sig:update"/></itemMeta>
<contentMeta><urgency>%d</urgency><located><name>Report town %d</name></located><creator><name>Bulk Desk %d</name></creator>
<language tag="en"/><subject type="cpnat:abstract" qcode="medtop:20000%03d"><name>topic %d</name></subject>
<subject type="cpnat:geoArea" qcode="bulkgeo:%d"><name>region %d</name></subject>
<slugline>bulk-%d</slugline><headline>Generated report %d on the regional council's budget</headline>
<dateline>Report town %d (Bulk Wire) - </dateline><creditline>Bulk Wire</creditline>
<description role="drol:summary">Officials said on Tuesday that report %d of the generated feed follows weeks of discussion.</description></contentMeta>
<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Generated report %d</title></head><body><section class="main">
<p>Officials said on Tuesday that report %d of the generated feed follows weeks of discussion, and a further statement is expected.</p>
<p>The decision was taken after a long meeting; members asked for <em>more time</em> to study the figures &amp; the plans.</p>
<p>Reference number %06d-%x, kept so that every item differs from the others.</p>
<p>Bulk Wire</p></section></body></html></inlineXML></contentSet>
</newsItem>
`, i, i%5+1, i%60, i%60, i%9+1, i, i%17, i%1000, i, i%40, i%40, i, i, i, i, i, i, i, i*2654435761%0xffffffff)
	}
	b.WriteString("</itemSet></newsMessage>\n")
	return []byte(b.String())
}

// BenchmarkParseNewsMLG2 measures feed.Parse of a 50-item NewsML-G2 newsMessage:
// MB/s is the figure (there is no reference library to compare with).
func BenchmarkParseNewsMLG2(b *testing.B) {
	doc := newsMLG2Message(benchItems)
	f := feed.Feed{ID: "bench-g2", URL: "https://bulk.example/g2.xml", Format: feed.FormatAuto}
	b.ReportAllocs()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		items, err := feed.Parse(f, doc, "application/xml", time.Now())
		if err != nil || len(items) != benchItems {
			b.Fatalf("feed.Parse = %d items, %v; want %d", len(items), err, benchItems)
		}
	}
	b.ReportMetric(float64(benchItems), "items/doc")
}
