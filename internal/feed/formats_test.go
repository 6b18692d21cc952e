package feed

import (
	"slices"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestParseRSSFeedFacts(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		ttl      time.Duration
		language string
	}{
		{"ttl in minutes", `<rss version="2.0"><channel><language>de-CH</language><ttl>15</ttl><item><title>a</title></item></channel></rss>`, 15 * time.Minute, "de-CH"},
		{"ttl with spaces", `<rss version="2.0"><channel><ttl> 60 </ttl><item><title>a</title></item></channel></rss>`, time.Hour, ""},
		{"ttl capped at a day", `<rss version="2.0"><channel><ttl>525600</ttl><item><title>a</title></item></channel></rss>`, 24 * time.Hour, ""},
		{"ttl junk", `<rss version="2.0"><channel><ttl>soon</ttl><item><title>a</title></item></channel></rss>`, 0, ""},
		{"ttl negative", `<rss version="2.0"><channel><ttl>-5</ttl><item><title>a</title></item></channel></rss>`, 0, ""},
		{"no ttl", `<rss version="2.0"><channel><item><title>a</title></item></channel></rss>`, 0, ""},
		{"atom language", `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr"><entry><id>e</id><title>a</title></entry></feed>`, 0, "fr"},
		{"json feed language", `{"version":"https://jsonfeed.org/version/1.1","language":"pt-BR","items":[{"id":"1","title":"a"}]}`, 0, "pt-BR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseFeed(testFeed(FormatAuto), []byte(tt.body), "", fetchedAt)
			if err != nil {
				t.Fatal(err)
			}
			if p.TTL != tt.ttl || p.Language != tt.language {
				t.Errorf("TTL %s language %q, want %s %q", p.TTL, p.Language, tt.ttl, tt.language)
			}
			if len(p.Items) != 1 || p.Items[0].Language != tt.language {
				t.Errorf("items %+v: the feed language is the item's default", p.Items)
			}
		})
	}
}

func TestParseEnclosures(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []pipeline.Enclosure
	}{
		{"rss enclosure and media rss", `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>a</title>
			<enclosure url="/audio/a.mp3" type="audio/mpeg" length="12345"/>
			<media:content url="https://wire.example/p/a.jpg" type="image/jpeg" fileSize="2048"/>
			<media:group><media:content url="https://wire.example/v/a.mp4" medium="video"/><media:content url="https://wire.example/p/a.jpg"/></media:group>
			</item></channel></rss>`, []pipeline.Enclosure{
			{URL: "https://wire.example/audio/a.mp3", Type: "audio/mpeg", Length: 12345},
			{URL: "https://wire.example/p/a.jpg", Type: "image/jpeg", Length: 2048},
			{URL: "https://wire.example/v/a.mp4", Type: "video"},
		}},
		{"rss enclosure with junk length", `<rss version="2.0"><channel><item><title>a</title><enclosure url="https://wire.example/a.mp3" length="about 3MB"/></item></channel></rss>`,
			[]pipeline.Enclosure{{URL: "https://wire.example/a.mp3"}}},
		{"atom enclosure link", `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>a</title>
			<link rel="enclosure" href="https://wire.example/p/e.jpg" type="image/jpeg" length="99"/></entry></feed>`,
			[]pipeline.Enclosure{{URL: "https://wire.example/p/e.jpg", Type: "image/jpeg", Length: 99}}},
		{"json feed attachment", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"a",
			"attachments":[{"url":"https://wire.example/p/j.png","mime_type":"image/png","size_in_bytes":77}]}]}`,
			[]pipeline.Enclosure{{URL: "https://wire.example/p/j.png", Type: "image/png", Length: 77}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Parse(testFeed(FormatAuto), []byte(tt.body), "", fetchedAt)
			if err != nil || len(items) != 1 {
				t.Fatalf("Parse: %d items, %v", len(items), err)
			}
			if !slices.Equal(items[0].Enclosures, tt.want) {
				t.Errorf("enclosures\n got %+v\nwant %+v", items[0].Enclosures, tt.want)
			}
		})
	}
}

func TestParseRSSDateFallback(t *testing.T) {
	tests := []struct {
		pubDate string
		want    string
	}{
		{"Tue, 10 Mar 2026 09:40:00 +0100", "2026-03-10T08:40:00Z"},
		{"10.03.2026 09:40", "2026-03-10T09:40:00Z"},
		{"2026-W11-2", "2026-03-10T00:00:00Z"},
		{"Tue, 10 Mar 2026 09:40:00 +0100 (CET)", "2026-03-10T08:40:00Z"},
		{"sometime in March", ""},
	}
	for _, tt := range tests {
		t.Run(tt.pubDate, func(t *testing.T) {
			body := `<rss version="2.0"><channel><item><guid>g</guid><title>a</title><pubDate>` + tt.pubDate + `</pubDate></item></channel></rss>`
			items, err := Parse(testFeed(FormatRSS), []byte(body), "", fetchedAt)
			if err != nil || len(items) != 1 {
				t.Fatalf("an odd date must never fail the feed: %d items, %v", len(items), err)
			}
			got := ""
			if items[0].Published != nil {
				got = items[0].Published.Format(time.RFC3339)
			}
			if got != tt.want {
				t.Errorf("published = %q, want %q", got, tt.want)
			}
		})
	}
}
