package feed

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Hostile and broken documents: each must cost at most its own feed's poll,
// with a clear error, bounded memory, and the items before a break kept when
// the format allows it.

// allocated is how many bytes f allocates (the tests of this file do not run in parallel).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func rssItems(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "<item><guid>g%d</guid><title>Story %d</title><description>Text %d.</description></item>\n", i, i, i)
	}
	return b.String()
}

func g2Items(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `<newsItem guid="urn:g2:%d" version="1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>
			<contentMeta><headline>Story %d</headline></contentMeta>
			<contentSet><inlineXML contenttype="application/xhtml+xml"><html xmlns="http://www.w3.org/1999/xhtml"><body><p>Text %d.</p></body></html></inlineXML></contentSet></newsItem>`+"\n", i, i, i)
	}
	return b.String()
}

func titles(items []pipeline.RawItem) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return out
}

func TestBrokenDocumentsKeepTheItemsBeforeTheBreak(t *testing.T) {
	rss := `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>` + rssItems(3) + `</channel></rss>`
	g2 := `<?xml version="1.0"?><newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>` + g2Items(3) + `</itemSet></newsMessage>`
	atom := `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>` +
		`<entry><id>e1</id><title>Story 1</title></entry><entry><id>e2</id><title>Story 2</title></entry><entry><id>e3</id><title>Story 3</title></entry></feed>`
	rdf := `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="c"><title>t</title></channel>` +
		`<item rdf:about="i1"><title>Story 1</title><link>https://wire.example/1</link></item><item rdf:about="i2"><title>Story 2</title><link>https://wire.example/2</link></item><item rdf:about="i3"><title>Story 3</title></item></rdf:RDF>`
	jsonFeed := `{"version":"https://jsonfeed.org/version/1.1","title":"t","items":[{"id":"1","title":"Story 1"},{"id":"2","title":"Story 2"},{"id":"3","title":"Story 3"}]}`
	cut := func(doc, marker string) string { return doc[:strings.Index(doc, marker)+len(marker)] }

	tests := []struct {
		name    string
		format  string
		body    string
		titles  []string
		wantMsg string
	}{
		{"rss cut inside the third item", FormatAuto, cut(rss, "<title>Story 3</ti"), []string{"Story 1", "Story 2"}, "XML syntax error"},
		{"rss cut between items", FormatAuto, cut(rss, "Text 2.</description></item>"), []string{"Story 1", "Story 2"}, "document ends inside <channel>"},
		{"rss with a bad tag in the second item", FormatRSS, strings.Replace(rss, "<title>Story 2</title>", "<title>Story 2 < 3</title>", 1), []string{"Story 1"}, "line 2"},
		{"rdf cut inside the third item", FormatAuto, cut(rdf, "<item rdf:about=\"i3\"><tit"), []string{"Story 1", "Story 2"}, "XML syntax error"},
		{"atom cut inside the third entry", FormatAuto, cut(atom, "<entry><id>e3</i"), []string{"Story 1", "Story 2"}, "XML syntax error"},
		{"newsml-g2 message cut inside the third item", FormatAuto, cut(g2, "<headline>Story 3</head"), []string{"Story 1", "Story 2"}, "unexpected EOF"},
		{"newsml-g2 message with a bad tag in the second item", FormatNewsMLG2, strings.Replace(g2, "<headline>Story 2</headline>", "<headline>Story 2 <> 3</headline>", 1), []string{"Story 1"}, "XML syntax error on line 5"},
		{"json feed cut inside the third item", FormatAuto, cut(jsonFeed, `{"id":"3","tit`), []string{"Story 1", "Story 2"}, "unexpected EOF"},
		{"json feed with an item of the wrong type", FormatJSONFeed, strings.Replace(jsonFeed, `"title":"Story 2"`, `"title":{"text":"Story 2"}`, 1), []string{"Story 1", "Story 3"}, "1 of 3 items unreadable"},
		{"ninjs list cut inside the third item", FormatAuto, `[{"uri":"u1","headline":"Story 1"},{"uri":"u2","headline":"Story 2"},{"uri":"u3","headl`, []string{"Story 1", "Story 2"}, "unexpected EOF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseFeed(testFeed(tt.format), []byte(tt.body), "", fetchedAt)
			if !errors.Is(err, ErrPartialDocument) {
				t.Fatalf("error = %v, want ErrPartialDocument", err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "feed test-wire: parse ") {
				t.Errorf("error %q does not say where it broke (%q)", err, tt.wantMsg)
			}
			if got := titles(p.Items); !slices.Equal(got, tt.titles) {
				t.Errorf("kept %q, want %q", got, tt.titles)
			}
			for _, it := range p.Items {
				if len(it.ContentHash) != 64 || it.Feed != "test-wire" {
					t.Errorf("recovered item not finished: %+v", it)
				}
			}
		})
	}
}

func TestBrokenDocumentsWithNothingToKeep(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		body    string
		wantMsg string
	}{
		{"rss cut inside the first item", FormatAuto, `<rss version="2.0"><channel><item><title>Only`, "XML syntax error"},
		{"rss that is not well-formed at all", FormatRSS, `<rss version="2.0"><channel><<<>>></channel></rss>`, "parse rss"},
		{"atom cut before any entry", FormatAuto, `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</ti`, "parse atom"},
		{"newsml-g2 cut inside its only item", FormatAuto, `<newsMessage><itemSet><newsItem guid="a"><contentMeta><headline>x`, "unexpected EOF"},
		{"json feed cut before any item", FormatAuto, `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","ti`, "parse json feed"},
		{"json feed whose items are all of the wrong type", FormatJSONFeed, `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":5},{"id":"2","tags":"x"}]}`, "cannot unmarshal"},
		{"json feed items not a list", FormatJSONFeed, `{"version":"https://jsonfeed.org/version/1.1","items":{"id":"1"}}`, "parse json feed"},
		{"ninjs nested 100k lists deep", FormatNinjs, strings.Repeat("[", 100000) + strings.Repeat("]", 100000), "declared but content is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseFeed(testFeed(tt.format), []byte(tt.body), "", fetchedAt)
			if err == nil || errors.Is(err, ErrPartialDocument) || p.Items != nil {
				t.Fatalf("ParseFeed = %d items, %v; want a plain error and no items", len(p.Items), err)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "feed test-wire") {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
		})
	}
}

// billionLaughs declares entities that expand to 10^9 copies of "lol".
func billionLaughs(root string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?>` + "\n<!DOCTYPE " + root + " [\n <!ENTITY lol \"lol\">\n")
	for i := 1; i <= 9; i++ {
		prev := "lol"
		if i > 1 {
			prev = fmt.Sprintf("lol%d", i-1)
		}
		fmt.Fprintf(&b, " <!ENTITY lol%d \"%s\">\n", i, strings.Repeat("&"+prev+";", 10))
	}
	b.WriteString(` <!ENTITY xxe SYSTEM "file:///etc/passwd">` + "\n]>\n")
	return b.String()
}

func TestEntityExpansionIsRefused(t *testing.T) {
	tests := []struct {
		name   string
		format string
		body   string
	}{
		{"rss", FormatRSS, billionLaughs("rss") + `<rss version="2.0"><channel><item><guid>g</guid><title>&lol9; &xxe;</title></item></channel></rss>`},
		{"atom", FormatAtom, billionLaughs("feed") + `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><title>&lol9; &xxe;</title></entry></feed>`},
		{"newsml-g2", FormatNewsMLG2, billionLaughs("newsItem") + `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentMeta><headline>&lol9; &xxe;</headline></contentMeta></newsItem>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				items []pipeline.RawItem
				err   error
			)
			n := allocated(func() { items, err = Parse(testFeed(tt.format), []byte(tt.body), "", fetchedAt) })
			if n > 4<<20 {
				t.Errorf("parsing a %d-byte document allocated %d bytes: entities were expanded", len(tt.body), n)
			}
			if err != nil {
				t.Fatalf("Parse: %v (the DTD is ignored, the items still parse)", err)
			}
			if len(items) != 1 || strings.Contains(items[0].Title, "lollol") || strings.Contains(items[0].Title, "root:") {
				t.Fatalf("items %+v: entities from the DTD must stay unexpanded", items)
			}
			if items[0].Title != "&lol9; &xxe;" {
				t.Errorf("title = %q, want the entity references as written", items[0].Title)
			}
		})
	}
}

func TestDeepNestingIsRefused(t *testing.T) {
	const depth = 100000
	nest := strings.Repeat("<div>", depth) + strings.Repeat("</div>", depth)
	tests := []struct {
		name   string
		format string
		body   string
	}{
		{"rss", FormatAuto, `<rss version="2.0"><channel><item><title>t</title><x:ext xmlns:x="urn:x">` + nest + `</x:ext></item></channel></rss>`},
		{"atom", FormatAuto, `<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><content type="xhtml">` + nest + `</content></entry></feed>`},
		{"newsml-g2", FormatAuto, `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentSet><inlineXML>` + nest + `</inlineXML></contentSet></newsItem>`},
		{"newsml-g2 unclosed", FormatNewsMLG2, `<newsItem guid="g">` + strings.Repeat("<a>", depth)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := allocated(func() { _, err = Parse(testFeed(tt.format), []byte(tt.body), "", fetchedAt) })
			if !errors.Is(err, ErrTooDeep) {
				t.Fatalf("error = %v, want ErrTooDeep", err)
			}
			if !strings.Contains(err.Error(), "more than 1000 levels") || !strings.HasPrefix(err.Error(), "feed test-wire: parse ") {
				t.Errorf("error %q is not clear", err)
			}
			if n > uint64(4*len(tt.body)) {
				t.Errorf("refusing a %d-byte document allocated %d bytes", len(tt.body), n)
			}
		})
	}

	// Real documents nest far less; a few hundred levels still parse.
	ok := `<rss version="2.0"><channel><item><title>t</title><description>` + strings.Repeat("<b>", 300) + "x" + strings.Repeat("</b>", 300) + `</description></item></channel></rss>`
	if _, err := Parse(testFeed(FormatRSS), []byte(ok), "", fetchedAt); err != nil {
		t.Errorf("300 levels: %v", err)
	}
}

func TestTextInManyPiecesStaysLinear(t *testing.T) {
	const pieces = 100000
	body := `<newsItem guid="g"><contentMeta><headline>` + strings.Repeat("<![CDATA[ab]]>", pieces) + `</headline></contentMeta></newsItem>`
	var items []pipeline.RawItem
	var err error
	n := allocated(func() { items, err = Parse(testFeed(FormatNewsMLG2), []byte(body), "", fetchedAt) })
	if err != nil || len(items) != 1 || len(items[0].Title) != 2*pieces {
		t.Fatalf("Parse: %d items, %v", len(items), err)
	}
	// Joining the pieces by copying the text so far each time would allocate ~10 GB.
	if n > uint64(64*len(body)) {
		t.Errorf("a %d-byte document allocated %d bytes", len(body), n)
	}
}

func TestCheckXMLDepth(t *testing.T) {
	tests := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"within", "<a><b><c/></b></a>", true},
		{"too deep", "<a><b><c><d>x</d></c></b></a>", false},
		{"self-closing does not nest", "<a><b/><b/><b/><b/></a>", true},
		{"void HTML elements do not nest", "<a><br><br><img src=x><hr></a>", true},
		{"markup in comments, CDATA and attributes", `<a t="<b><c><d>"><!-- <b><c><d> --><![CDATA[<b><c><d>]]><?pi <b><c>?></a>`, true},
		{"doctype with an internal subset", `<!DOCTYPE a [<!ENTITY e "<b><c><d>">]><a><b/></a>`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := checkXMLDepth([]byte(tt.doc), 3)
			if (err == nil) != tt.ok {
				t.Errorf("checkXMLDepth(%q, 3) = %v", tt.doc, err)
			}
		})
	}
}

func TestEmptyFeedsHaveNoItemsAndNoError(t *testing.T) {
	tests := []struct {
		name   string
		format string
		body   string
	}{
		{"rss", FormatAuto, `<rss version="2.0"><channel><title>Quiet wire</title></channel></rss>`},
		{"rdf", FormatAuto, `<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"><channel rdf:about="c"><title>t</title></channel></rdf:RDF>`},
		{"atom", FormatAuto, `<feed xmlns="http://www.w3.org/2005/Atom"><title>Quiet</title></feed>`},
		{"json feed", FormatAuto, `{"version":"https://jsonfeed.org/version/1","title":"Quiet","items":[]}`},
		{"newsml-g2 message", FormatAuto, `<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><header><sent>2026-03-10T10:00:00Z</sent></header></newsMessage>`},
		{"newsml-g2 self-closed item set", FormatNewsMLG2, `<newsMessage><itemSet/></newsMessage>`},
		{"ninjs array", FormatAuto, `[]`},
		{"ninjs wrapper", FormatNinjs, `{"items": []}`},
		{"rss of empty items", FormatAuto, `<rss version="2.0"><channel><item></item><item><guid>g</guid></item></channel></rss>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParseFeed(testFeed(tt.format), []byte(tt.body), "", fetchedAt)
			if err != nil || len(p.Items) != 0 {
				t.Errorf("ParseFeed = %d items, %v; want none and no error", len(p.Items), err)
			}
		})
	}
}

func TestItemsWithoutIdentity(t *testing.T) {
	body := `<rss version="2.0"><channel><link>https://wire.example/</link>
		<item><description>Description only: kept, identified by what StoryKey falls back to.</description><pubDate>Tue, 10 Mar 2026 09:40:00 GMT</pubDate></item>
		<item><title>Title only</title></item>
		<item><link>https://wire.example/link-only</link></item>
		<item><guid>guid-only</guid></item>
		<item><title>Same title</title><pubDate>Tue, 10 Mar 2026 09:00:00 GMT</pubDate></item>
		<item><title>Same title</title><pubDate>Tue, 10 Mar 2026 10:00:00 GMT</pubDate></item>
	</channel></rss>`
	p, err := ParseFeed(testFeed(FormatRSS), []byte(body), "", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got := titles(p.Items); !slices.Equal(got, []string{"", "Title only", "Same title", "Same title"}) {
		t.Fatalf("kept %q", got)
	}
	if got := skippedIDs(p); !slices.Equal(got, []string{"https://wire.example/link-only: no headline or text", "guid-only: no headline or text"}) {
		t.Errorf("skipped %q", got)
	}
	keys := map[string]bool{}
	for _, it := range p.Items {
		keys[pipeline.StoryKey(it)] = true
	}
	if len(keys) != len(p.Items) {
		t.Errorf("%d items share %d story keys", len(p.Items), len(keys))
	}
}

func TestEncodings(t *testing.T) {
	const want = "Café “naïve” €5"
	latin1 := "Caf\xe9 \x93na\xefve\x94 \x805" // Windows-1252 bytes of want
	rss := func(prolog, title string) []byte {
		return []byte(prolog + `<rss version="2.0"><channel><item><guid>g</guid><title>` + title + `</title></item></channel></rss>`)
	}
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"windows-1252 declared", rss(`<?xml version="1.0" encoding="windows-1252"?>`, latin1), "", want},
		{"ISO-8859-1 declared (read as Windows-1252, as browsers do)", rss(`<?xml version="1.0" encoding='ISO-8859-1'?>`, latin1), "", want},
		{"windows-1252 from Content-Type only", rss(`<?xml version="1.0"?>`, latin1), "application/rss+xml; charset=windows-1252", want},
		{"declaration wins over Content-Type", rss(`<?xml version="1.0" encoding="windows-1252"?>`, latin1), "text/xml; charset=utf-8", want},
		{"no declaration, Latin-1 bytes", rss("", latin1), "", want},
		{"UTF-8 declared but Latin-1 bytes", rss(`<?xml version="1.0" encoding="UTF-8"?>`, latin1), "text/xml", want},
		{"UTF-8 with one stray byte keeps its UTF-8", rss("", "Café \xff “ok”"), "", "Café \uFFFD “ok”"},
		{"UTF-8 byte order mark", append([]byte("\xef\xbb\xbf"), rss(`<?xml version="1.0" encoding="utf-8"?>`, want)...), "", want},
		{"UTF-16 with byte order mark", utf16LE(`<?xml version="1.0" encoding="UTF-16"?>` + string(rss("", want))), "", want},
		{"newsml-g2 in windows-1252", []byte(`<?xml version="1.0" encoding="windows-1252"?><newsItem guid="g"><contentMeta><headline>` + latin1 + `</headline></contentMeta></newsItem>`), "", want},
		{"unknown charset label leaves the bytes alone", rss("", "plain"), "text/xml; charset=x-unknown", "plain"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Parse(testFeed(FormatAuto), tt.body, tt.contentType, fetchedAt)
			if err != nil || len(items) != 1 {
				t.Fatalf("Parse: %d items, %v", len(items), err)
			}
			if items[0].Title != tt.want {
				t.Errorf("title = %q, want %q", items[0].Title, tt.want)
			}
		})
	}
}

func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, r := range s {
		if r > 0xffff {
			panic("test text is in the BMP")
		}
		out = append(out, byte(r), byte(r>>8))
	}
	return out
}
