package demo

import (
	"fmt"
	"strings"
	"time"
)

// Bulk returns an RSS 2.0 document of n generated stories, newest first. It is
// deterministic: the same n always gives the same bytes.
func Bulk(n int) []byte {
	if n < 0 {
		n = 0
	}
	// Combined with the item number, these give every story a distinct headline and body.
	places := []string{"a northern port", "the capital", "a mountain valley", "a river delta", "an island district", "a border town", "a coastal city", "a farming region"}
	subjects := []string{"the regional council", "a transport authority", "a hospital network", "a water utility", "a farmers' cooperative", "a university", "a port operator", "an energy supplier"}
	actions := []string{"approves a new budget", "opens a public consultation", "announces a hiring drive", "delays a building project", "publishes annual figures", "signs a supply agreement", "launches a pilot scheme", "reviews safety rules"}
	newest := modifiedAt()
	var b strings.Builder
	b.Grow(n*820 + 600)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Bulk wire (wirehose demo)</title>
<link>https://bulk.example/</link>
<description>Generated synthetic stories for wirehose load tests.</description>
<language>en</language>
`)
	for i := 1; i <= n; i++ {
		place := places[i%len(places)]
		subject := subjects[(i/len(places))%len(subjects)]
		action := actions[(i/(len(places)*len(subjects)))%len(actions)]
		published := newest.Add(-time.Duration(i) * time.Minute)
		title := fmt.Sprintf("In %s, %s %s (report %d)", place, subject, action, i)
		standfirst := fmt.Sprintf("Officials in %s said on %s that %s %s. This is report %d of the generated feed.",
			place, published.Format("Monday"), subject, action, i)
		fmt.Fprintf(&b, `<item>
<title>%s</title>
<link>https://bulk.example/story/%06d</link>
<guid isPermaLink="false">urn:demo:bulk:%06d</guid>
<pubDate>%s</pubDate>
<dc:creator>Bulk Desk %d</dc:creator>
<category>Generated</category>
<description>%s</description>
<content:encoded><![CDATA[<p>%s</p><p>The decision follows weeks of discussion, and a further statement is expected. Reference number %06d-%x.</p><p>DEMO</p>]]></content:encoded>
</item>
`, title, i, i, published.Format(time.RFC1123Z), i%17+1, standfirst, standfirst, i, i*2654435761%0xffffffff)
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}
