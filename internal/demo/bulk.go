package demo

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// bulkWords is the vocabulary of generated bodies. Bodies are drawn from it at random (seeded
// by the item number), so two generated stories share almost no word sequences and near-
// duplicate detection rightly keeps them apart.
var bulkWords = strings.Fields(`council budget harbour river bridge school hospital farmers
	railway tunnel airport market prices wages union strike vote mayor minister election court
	ruling police inquiry fire flood storm drought harvest wheat coffee copper steel shipping
	container tanker pipeline solar wind turbine grid battery factory plant workers contract
	tender permit licence museum library festival concert stadium league final coach striker
	goalkeeper season record marathon cyclists mountain valley coast island village district
	province capital border customs exports imports tariffs bank loan bonds shares investors
	profit revenue forecast quarter inflation rates housing rents tenants landlords students
	teachers nurses doctors patients vaccine clinic research scientists telescope comet satellite
	launch orbit drone software network outage cable engineers repairs delays passengers ferry
	buses trams cars traffic cyclists parking emissions pollution recycling waste water reservoir
	dam irrigation forest wildfire rangers wildlife park tourists hotels restaurants chefs
	fishermen quota catch boats crews rescue coastguard volunteers charity donations appeal
	museum archive mosaic excavation archaeologists discovery statue painting auction gallery
	parliament senate committee hearing report audit budget deficit surplus pension reform
	referendum campaign protest march rally talks agreement treaty summit delegation envoy`)

func bulkSentence(r *rand.Rand) string {
	words := make([]string, 9+r.IntN(6))
	for i := range words {
		words[i] = bulkWords[r.IntN(len(bulkWords))]
	}
	return strings.ToUpper(words[0][:1]) + words[0][1:] + " " + strings.Join(words[1:], " ") + "."
}

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
		r := rand.New(rand.NewPCG(uint64(i), 0x9e3779b97f4a7c15))
		standfirst := fmt.Sprintf("Officials in %s said on %s that %s %s. %s",
			place, published.Format("Monday"), subject, action, bulkSentence(r))
		body := fmt.Sprintf("<p>%s</p><p>%s %s</p><p>%s %s Reference number %06d.</p>",
			standfirst, bulkSentence(r), bulkSentence(r), bulkSentence(r), bulkSentence(r), i)
		fmt.Fprintf(&b, `<item>
<title>%s</title>
<link>https://bulk.example/story/%06d</link>
<guid isPermaLink="false">urn:demo:bulk:%06d</guid>
<pubDate>%s</pubDate>
<dc:creator>Bulk Desk %d</dc:creator>
<category>Generated</category>
<description>%s</description>
<content:encoded><![CDATA[%s]]></content:encoded>
</item>
`, title, i, i, published.Format(time.RFC1123Z), i%17+1, standfirst, body)
	}
	b.WriteString("</channel>\n</rss>\n")
	return []byte(b.String())
}
