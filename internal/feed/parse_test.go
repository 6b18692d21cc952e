package feed

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

var fetchedAt = time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func testFeed(format string) Feed {
	return Feed{ID: "test-wire", URL: "https://wire.example/feeds/main.xml", Format: format, Provider: "TestWire"}
}

func ptime(s string) *time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return &t
}

func TestParseRSS(t *testing.T) {
	items, err := Parse(testFeed(FormatRSS), readFixture(t, "rss.xml"), "application/rss+xml", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 3 {
		t.Fatalf("got %d items, want 3 (the empty <item> is dropped)", len(items))
	}
	first := items[0]
	want := pipeline.RawItem{
		Feed:       "test-wire",
		Format:     FormatRSS,
		Provider:   "TestWire",
		FeedURL:    "https://wire.example/feeds/main.xml",
		GUID:       "urn:test:rss:1",
		Link:       "https://wire.example/news/night-ferry", // resolved against the feed URL
		Title:      "Harbour authority approves night ferry service",
		Summary:    "A ferry will run between the two harbours after midnight from May.",
		Authors:    []string{"Anna Keller", "Tom Reyes"},
		Language:   "en-GB",
		Categories: []string{"Transport", "Local"},
		Published:  ptime("2026-03-10T08:40:00Z"),
		Fetched:    fetchedAt,
	}
	checkItem(t, first, want)
	if !strings.HasPrefix(first.Body, "<p>A ferry will run") || !strings.HasSuffix(first.Body, "<p>AFP</p>") {
		t.Errorf("Body should be content:encoded as published, got %q", first.Body)
	}

	second := items[1]
	if second.Language != "fr" {
		t.Errorf("item dc:language: got %q, want fr", second.Language)
	}
	if !slices.Equal(second.Authors, []string{"Marie Dubois"}) {
		t.Errorf("rss author: got %q, want [Marie Dubois]", second.Authors)
	}
	if second.Body != "" || second.Summary == "" {
		t.Errorf("without content:encoded Body stays empty and description is the Summary: %+v", second)
	}
	if items[2].GUID != "" || items[2].Link != "https://wire.example/no-guid" {
		t.Errorf("link-only item: %+v", items[2])
	}
}

func TestParseRDF(t *testing.T) {
	items, err := Parse(testFeed(FormatAuto), readFixture(t, "rdf.xml"), "", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 1 {
		t.Fatalf("got %d items, want 1", len(items))
	}
	it := items[0]
	if it.Format != FormatRSS || it.Title != "Library extends opening hours" || !slices.Equal(it.Authors, []string{"Jon Park"}) {
		t.Errorf("rdf item: %+v", it)
	}
	if it.Published == nil || !it.Published.Equal(*ptime("2026-03-08T10:00:00Z")) {
		t.Errorf("dc:date: got %v", it.Published)
	}
}

func TestParseAtom(t *testing.T) {
	items, err := Parse(testFeed(FormatAtom), readFixture(t, "atom.xml"), "application/atom+xml", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	checkItem(t, items[0], pipeline.RawItem{
		Feed: "test-wire", Format: FormatAtom, Provider: "TestWire", FeedURL: "https://wire.example/feeds/main.xml",
		GUID:       "urn:test:atom:1",
		Link:       "https://wire.example/de/strom",
		Title:      "Stadtwerke senken Strompreis",
		Summary:    "Der Preis sinkt ab April um vier Prozent.",
		Authors:    []string{"Petra Lang"},
		Language:   "de",
		Categories: []string{"Energie"},
		Published:  ptime("2026-03-10T10:00:00Z"),
		Updated:    ptime("2026-03-10T11:00:00Z"),
		Fetched:    fetchedAt,
	})
	if items[0].Body != "<p>Der Preis sinkt ab April um vier Prozent.</p><p>dpa</p>" {
		t.Errorf("Body = %q", items[0].Body)
	}
	// No author of its own: the feed's author applies; no published: updated stands in.
	if !slices.Equal(items[1].Authors, []string{"Atom Desk"}) {
		t.Errorf("inherited author: got %q", items[1].Authors)
	}
	if items[1].Published == nil || !items[1].Published.Equal(*ptime("2026-03-09T08:00:00Z")) {
		t.Errorf("published fallback: got %v", items[1].Published)
	}
}

func TestParseJSONFeed(t *testing.T) {
	items, err := Parse(testFeed(FormatJSONFeed), readFixture(t, "jsonfeed.json"), "application/feed+json", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 2 {
		t.Fatalf("got %d items, want 2", len(items))
	}
	checkItem(t, items[0], pipeline.RawItem{
		Feed: "test-wire", Format: FormatJSONFeed, Provider: "TestWire", FeedURL: "https://wire.example/feeds/main.xml",
		GUID:       "urn:test:json:1",
		Link:       "https://wire.example/es/puente",
		Title:      "Abre el nuevo puente peatonal",
		Summary:    "El puente une los dos barrios del río.",
		Authors:    []string{"Luis Prado", "Ana Gil"},
		Language:   "es",
		Categories: []string{"ciudad", "obras"},
		Published:  ptime("2026-03-10T10:00:00Z"),
		Updated:    ptime("2026-03-10T11:30:00Z"),
		Fetched:    fetchedAt,
	})
	if items[0].Body != "<p>El puente une los dos barrios del río.</p><p>EFE</p>" {
		t.Errorf("Body = %q", items[0].Body)
	}
	second := items[1]
	if second.Language != "en" || second.Body != "The market will use the old tram depot." || !slices.Equal(second.Authors, []string{"Mesa JSON"}) {
		t.Errorf("item language, content_text and inherited authors: %+v", second)
	}
}

// checkItem compares every field except Body (checked by the callers) and the hash.
func checkItem(t *testing.T, got, want pipeline.RawItem) {
	t.Helper()
	if got.ContentHash == "" || len(got.ContentHash) != 64 {
		t.Errorf("ContentHash %q is not a hex sha256", got.ContentHash)
	}
	if got.Published != nil && got.Published.Location() != time.UTC {
		t.Errorf("Published not in UTC: %v", got.Published)
	}
	eqTime := func(a, b *time.Time) bool { return a == nil && b == nil || a != nil && b != nil && a.Equal(*b) }
	if !eqTime(got.Published, want.Published) {
		t.Errorf("Published = %v, want %v", got.Published, want.Published)
	}
	if !eqTime(got.Updated, want.Updated) {
		t.Errorf("Updated = %v, want %v", got.Updated, want.Updated)
	}
	if !eqTime(got.Embargoed, want.Embargoed) {
		t.Errorf("Embargoed = %v, want %v", got.Embargoed, want.Embargoed)
	}
	if !slices.Equal(got.Subjects, want.Subjects) {
		t.Errorf("Subjects\n got %+v\nwant %+v", got.Subjects, want.Subjects)
	}
	if !slices.Equal(got.Authors, want.Authors) {
		t.Errorf("Authors = %q, want %q", got.Authors, want.Authors)
	}
	if !slices.Equal(got.Categories, want.Categories) {
		t.Errorf("Categories = %q, want %q", got.Categories, want.Categories)
	}
	got.Body, got.ContentHash, got.Published, got.Updated, got.Authors, got.Categories = "", "", nil, nil, nil, nil
	want.Published, want.Updated, want.Authors, want.Categories = nil, nil, nil, nil
	got.Embargoed, got.Subjects, want.Embargoed, want.Subjects = nil, nil, nil, nil
	if got.Fetched.Equal(want.Fetched) {
		got.Fetched = want.Fetched
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("item\n got %+v\nwant %+v", got, want)
	}
}

func TestSniff(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"rss fixture", "rss.xml", FormatRSS},
		{"rdf fixture", "rdf.xml", FormatRSS},
		{"atom fixture", "atom.xml", FormatAtom},
		{"json feed fixture", "jsonfeed.json", FormatJSONFeed},
		{"newsml-g2 newsItem", "newsmlg2.xml", FormatNewsMLG2},
		{"newsml-g2 newsMessage", "newsmlg2-message.xml", FormatNewsMLG2},
		{"ninjs item", "ninjs.json", FormatNinjs},
		{"ninjs items list", "ninjs-list.json", FormatNinjs},
		{"packageItem", `<?xml version="1.0"?><packageItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>`, FormatNewsMLG2},
		{"ninjs array", `[{"uri":"urn:x:1","versioncreated":"2026-03-10T10:00:00Z"}]`, FormatNinjs},
		{"ninjs 1.x headline", `{"headline":"Hi","uri":"urn:x:2"}`, FormatNinjs},
		{"json feed 1.0 over http", `{"items":[],"version":"http://jsonfeed.org/version/1"}`, FormatJSONFeed},
		{"bom and whitespace before rss", "\xef\xbb\xbf\n  <rss version=\"2.0\"><channel/></rss>", FormatRSS},
		{"comment and doctype before atom", `<?xml version="1.0"?><!-- c --><!DOCTYPE feed><feed xmlns="http://www.w3.org/2005/Atom"/>`, FormatAtom},
		{"latin-1 declared rss", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>Caf\xe9</title></channel></rss>", FormatRSS},
		{"prefixed newsItem", `<nar:newsItem xmlns:nar="http://iptc.org/std/nar/2006-10-01/" guid="g"/>`, FormatNewsMLG2},
		{"newsMessage without namespace", `<newsMessage><itemSet/></newsMessage>`, FormatNewsMLG2},
		{"conceptItem (skipped by the parser, not unknown)", `<conceptItem xmlns="http://iptc.org/std/nar/2006-10-01/"/>`, FormatNewsMLG2},
		{"UTF-16 newsItem", string(utf16LE(`<newsItem guid="g"/>`)), FormatNewsMLG2},
		{"ninjs uri and pubstatus only", `{"uri":"u","pubstatus":"canceled"}`, FormatNinjs},
		{"ninjs 1.x pattern property", `{"uri":"u","headline_main":"h"}`, FormatNinjs},
		{"ninjs wrapper cut off after the first item", `{"items":[{"uri":"u","headline":"h"},{"uri":"v","head`, FormatNinjs},
		{"ninjs array cut off after the first item", `[{"uri":"u","headline":"h"},{"ur`, FormatNinjs},
		{"json feed cut off", `{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1"`, FormatJSONFeed},
		{"empty array", `[]`, ""},
		{"html page", "<!DOCTYPE html><html><body>Not a feed</body></html>", ""},
		{"json without markers", `{"title":"x","items":[{"id":1}]}`, ""},
		{"uri without ninjs fields", `{"uri":"urn:x:3"}`, ""},
		{"plain text", "hello", ""},
		{"empty", "   ", ""},
		{"broken json", `{"version":`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if !strings.ContainsAny(tt.body, "<{[ ") && strings.Contains(tt.body, ".") {
				body = readFixture(t, tt.body)
			}
			if got := sniffFormat(body); got.format != tt.want {
				t.Errorf("sniffed %q (%s), want %q", got.format, got.what, tt.want)
			}
		})
	}
}

func TestParseFormatErrors(t *testing.T) {
	tests := []struct {
		name    string
		format  string
		fixture string
		wantIs  error
		wantMsg string
	}{
		{"rss declared, atom served", FormatRSS, "atom.xml", ErrFormatMismatch, "feed test-wire: format rss declared but content is atom"},
		{"atom declared, json feed served", FormatAtom, "jsonfeed.json", ErrFormatMismatch, "format atom declared but content is jsonfeed"},
		{"jsonfeed declared, rss served", FormatJSONFeed, "rss.xml", ErrFormatMismatch, "format jsonfeed declared but content is rss"},
		{"rss declared, html served", FormatRSS, "", ErrFormatMismatch, "format rss declared but content is XML with root element <html>"},
		{"auto on html", FormatAuto, "", ErrUnknownFormat, "content is XML with root element <html>"},
		{"newsml-g2 declared, rss served", FormatNewsMLG2, "rss.xml", ErrFormatMismatch, "format newsmlg2 declared but content is rss"},
		{"ninjs declared, json feed served", FormatNinjs, "jsonfeed.json", ErrFormatMismatch, "format ninjs declared but content is jsonfeed"},
		{"atom declared, ninjs served", FormatAtom, "ninjs.json", ErrFormatMismatch, "format atom declared but content is ninjs"},
		{"ninjs declared, newsml-g2 served", FormatNinjs, "newsmlg2.xml", ErrFormatMismatch, "format ninjs declared but content is newsmlg2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte("<html><body>Service page</body></html>")
			if tt.fixture != "" {
				body = readFixture(t, tt.fixture)
			}
			items, err := Parse(testFeed(tt.format), body, "", fetchedAt)
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("error = %v, want %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not contain %q", err, tt.wantMsg)
			}
			if items != nil {
				t.Errorf("got %d items with an error", len(items))
			}
		})
	}
}

func TestParseBrokenDocument(t *testing.T) {
	_, err := Parse(testFeed(FormatAuto), []byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":`), "", fetchedAt)
	if err == nil {
		t.Fatal("want an error for a truncated JSON Feed")
	}
	if !strings.Contains(err.Error(), "feed test-wire") {
		t.Errorf("error %q does not name the feed", err)
	}
}

func TestParseHTTPCharset(t *testing.T) {
	// No encoding declaration: only the HTTP charset says this is Latin-1.
	body := []byte("<rss version=\"2.0\"><channel><item><guid>g1</guid><title>Caf\xe9 reopens</title></item></channel></rss>")
	items, err := Parse(testFeed(FormatRSS), body, "text/xml; charset=ISO-8859-1", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 1 || items[0].Title != "Café reopens" {
		t.Fatalf("items = %+v, want the title transcoded to UTF-8", items)
	}

	declared := []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><item><guid>g1</guid><title>Caf\xe9</title></item></channel></rss>")
	items, err = Parse(testFeed(FormatRSS), declared, "text/xml; charset=windows-1251", fetchedAt)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != 1 || items[0].Title != "Café" {
		t.Fatalf("items = %+v, want the declared encoding to win", items)
	}
}

func TestContentHash(t *testing.T) {
	base := pipeline.RawItem{Title: "Harbour reopens", Summary: "Ships return.", Body: "<p>Ships return.</p>", Link: "https://wire.example/a"}
	h := ContentHash(base)

	same := base
	same.Title = "  Harbour\n reopens "
	same.Body = "<p>Ships   return.</p>\n"
	same.Categories = []string{"ignored"}
	same.Fetched = time.Now()
	if ContentHash(same) != h {
		t.Error("whitespace, categories or fetch time changed the hash")
	}
	nfd := base
	nfd.Title = "Harbour reopens"
	nfd.Summary = "Cafe\u0301 ships return." // decomposed é
	nfc := base
	nfc.Summary = "Café ships return."
	if ContentHash(nfd) != ContentHash(nfc) {
		t.Error("Unicode normalisation form changed the hash")
	}

	for name, mutate := range map[string]func(*pipeline.RawItem){
		"title":   func(it *pipeline.RawItem) { it.Title = "Harbour closes" },
		"summary": func(it *pipeline.RawItem) { it.Summary = "Ships leave." },
		"body":    func(it *pipeline.RawItem) { it.Body = "<p>Ships leave.</p>" },
		"link":    func(it *pipeline.RawItem) { it.Link = "https://wire.example/b" },
		"field boundary": func(it *pipeline.RawItem) {
			it.Title, it.Summary = "Harbour reopens Ships", "return."
		},
	} {
		changed := base
		mutate(&changed)
		if ContentHash(changed) == h {
			t.Errorf("changing the %s did not change the hash", name)
		}
	}
}

func TestParseIsStable(t *testing.T) {
	for _, name := range []string{"rss.xml", "atom.xml", "jsonfeed.json"} {
		a, err := Parse(testFeed(FormatAuto), readFixture(t, name), "", fetchedAt)
		if err != nil {
			t.Fatal(err)
		}
		b, err := Parse(testFeed(FormatAuto), readFixture(t, name), "", fetchedAt.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		for i := range a {
			if a[i].ContentHash != b[i].ContentHash {
				t.Errorf("%s item %d: hash differs between polls of the same document", name, i)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"rss.xml", "rdf.xml", "atom.xml", "jsonfeed.json", "newsmlg2.xml", "newsmlg2-message.xml", "ninjs.json", "ninjs-list.json"} {
		f.Add(readFixture(f, name), "")
	}
	f.Add([]byte(`<rss><channel><item><title>x</title></item></channel></rss>`), "text/xml; charset=windows-1252")
	f.Add([]byte(`[{"uri":"u","headline":"h"}]`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, contentType string) {
		for _, format := range Formats() {
			// parseDocument, not Parse: Parse's recover would hide a panic.
			p, err := parseDocument(testFeed(format), body, contentType, fetchedAt)
			if err != nil && p.Items != nil && !errors.Is(err, ErrPartialDocument) {
				t.Fatalf("format %s: items returned with error %v", format, err)
			}
			checkParsed(t, format, p)
		}
	})
}

// checkParsed asserts what every parse result must hold, whatever the input.
func checkParsed(t *testing.T, format string, p Parsed) {
	t.Helper()
	for _, it := range p.Items {
		if it.Feed != "test-wire" || len(it.ContentHash) != 64 {
			t.Fatalf("format %s: incomplete item %+v", format, it)
		}
		if !hasContent(it) {
			t.Fatalf("format %s: item without content or status %+v", format, it)
		}
		if _, err := pipeline.EncodeRaw(it); err != nil {
			t.Fatalf("format %s: item does not encode: %v", format, err)
		}
	}
	if p.TTL < 0 || p.TTL > maxTTL {
		t.Fatalf("format %s: TTL %s out of range", format, p.TTL)
	}
}
