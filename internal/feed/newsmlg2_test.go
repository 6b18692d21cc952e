package feed

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func parseFixture(t *testing.T, format, name string) Parsed {
	t.Helper()
	p, err := ParseFeed(testFeed(format), readFixture(t, name), "", fetchedAt)
	if err != nil {
		t.Fatalf("ParseFeed %s: %v", name, err)
	}
	return p
}

func itemByURI(t *testing.T, p Parsed, uri string) pipeline.RawItem {
	t.Helper()
	for _, it := range p.Items {
		if it.URI == uri {
			return it
		}
	}
	t.Fatalf("no item %s among %d items", uri, len(p.Items))
	return pipeline.RawItem{}
}

func skippedIDs(p Parsed) []string {
	var ids []string
	for _, s := range p.Skipped {
		ids = append(ids, s.ID+": "+s.Reason)
	}
	return ids
}

func TestParseNewsMLG2Message(t *testing.T) {
	p := parseFixture(t, FormatAuto, "newsmlg2/message.xml")
	if len(p.Items) != 2 {
		t.Fatalf("got %d items, want the two text items; skipped %q", len(p.Items), skippedIDs(p))
	}
	if p.Items[0].URI != "urn:newsml:wire.example:20260310:ferry" || p.Items[1].URI != "urn:newsml:wire.example:20260310:budget" {
		t.Errorf("items out of document order: %s, %s", p.Items[0].URI, p.Items[1].URI)
	}

	ferry := p.Items[0]
	checkItem(t, ferry, pipeline.RawItem{
		Feed: "test-wire", Format: FormatNewsMLG2, Provider: "TestWire", FeedURL: "https://wire.example/feeds/main.xml",
		GUID:            "urn:newsml:wire.example:20260310:ferry",
		URI:             "urn:newsml:wire.example:20260310:ferry",
		Version:         3,
		Title:           "Harbour authority approves night ferry",
		Summary:         "A night ferry will link the two harbours from May.",
		Authors:         []string{"Anna Keller", "Tom Reyes"},
		Language:        "en-GB",
		Categories:      []string{"ferries", "night services"},
		Published:       ptime("2026-03-10T07:30:00Z"),
		Updated:         ptime("2026-03-10T10:00:00Z"),
		Fetched:         fetchedAt,
		PubStatus:       pipeline.PubStatusUsable,
		Urgency:         2,
		Embargoed:       ptime("2026-03-10T12:00:00Z"),
		ItemClass:       "text",
		By:              "By Anna Keller and Tom Reyes",
		Slugline:        "UK-Ferry-Night",
		Dateline:        "Harbourton (Example Wire) -",
		Located:         "Harbourton",
		Creditline:      "Example Wire",
		PreviousVersion: "urn:newsml:wire.example:20260310:ferry",
		Signals:         []string{"sig:update", "sig:correction", "wiresig:priority-desk"},
		Subjects: []pipeline.Subject{
			{Code: "medtop:20000256", Name: "maritime transport", Type: "cpnat:abstract"},
			{Code: "wiresubject:transport", Type: "cpnat:abstract"},
			{Code: "wireperson:jmarlow", Name: "Jane Marlow", Type: "cpnat:person"},
			{Name: "Harbourton Port Authority", Type: "cpnat:organisation"},
		},
	})
	for _, want := range []string{`<section class="main">`, "<em>Night Heron</em>", "1 a.m. &amp; 3 a.m.", "<p></p>"} {
		if !strings.Contains(ferry.Body, want) {
			t.Errorf("body lacks %q:\n%s", want, ferry.Body)
		}
	}
	for _, unwanted := range []string{"<title>", "<header>", "<h1>", "xmlns", "Transport</p>"} {
		if strings.Contains(ferry.Body, unwanted) {
			t.Errorf("body keeps %q (head and page header are not story text):\n%s", unwanted, ferry.Body)
		}
	}

	budget := p.Items[1]
	if budget.PubStatus != pipeline.PubStatusWithheld || budget.Version != 1 || budget.ItemClass != "text" {
		t.Errorf("withheld item: status %q version %d class %q, want withheld, 1 (the default), text", budget.PubStatus, budget.Version, budget.ItemClass)
	}
	if budget.Body != "The council postponed its budget vote to Thursday.\nThe session was adjourned after an hour." {
		t.Errorf("inlineData body = %q, want the text as published", budget.Body)
	}
	if budget.Published == nil || !budget.Published.Equal(*ptime("2026-03-10T09:00:00Z")) {
		t.Errorf("a first version without firstCreated was created at versionCreated: got %v", budget.Published)
	}

	wantSkipped := []string{
		"urn:newsml:wire.example:20260310:not-sent: referenced by package urn:newsml:wire.example:20260310:pkg-1 but not in this document",
		"urn:newsml:wire.example:20260310:ferry-photo: picture item, not text",
		"urn:newsml:wire.example:concept:jmarlow: conceptItem holds no story",
	}
	if got := skippedIDs(p); !slices.Equal(got, wantSkipped) {
		t.Errorf("skipped\n got %q\nwant %q", got, wantSkipped)
	}
}

func TestParseNewsMLG2Variants(t *testing.T) {
	const nar = `xmlns="http://iptc.org/std/nar/2006-10-01/"`
	tests := []struct {
		name    string
		body    string // a fixture name when it ends in .xml
		items   int
		check   func(t *testing.T, p Parsed)
		skipped int
	}{
		{"prefixed elements, URI codes, NITF body", "newsmlg2/prefixed-nitf.xml", 1, func(t *testing.T, p Parsed) {
			it := p.Items[0]
			if it.PubStatus != pipeline.PubStatusCanceled || it.ItemClass != "text" || it.Version != 5 {
				t.Errorf("status %q class %q version %d, want canceled, text, 5", it.PubStatus, it.ItemClass, it.Version)
			}
			if it.Body != "<p>The fish market will reopen at the old docks on Monday.</p>\n            <p>Traders welcomed the larger halls.</p>" {
				t.Errorf("NITF body = %q, want body.content only", it.Body)
			}
			if it.By != "By Sam Market Reporter" || it.Located != "Portmouth" || it.Language != "en-US" {
				t.Errorf("by %q located %q language %q", it.By, it.Located, it.Language)
			}
			if it.PreviousVersion != "https://wire.example/items/market-7/v4" {
				t.Errorf("previous version = %q", it.PreviousVersion)
			}
			if len(it.Subjects) != 1 || it.Subjects[0].Code != "http://cv.iptc.org/newscodes/mediatopic/04000000" {
				t.Errorf("subjects = %+v", it.Subjects)
			}
			if it.Published != nil {
				t.Errorf("version 5 without firstCreated: published should stay unknown, got %v", it.Published)
			}
		}, 0},
		{"ISO-8859-1 declared", "newsmlg2/latin1.xml", 1, func(t *testing.T, p Parsed) {
			it := p.Items[0]
			if it.Title != "Le café du port rouvre à Noël" || it.Body != "Le café rouvre après les travaux." || it.Language != "fr" {
				t.Errorf("latin-1 item: %q / %q / %q", it.Title, it.Body, it.Language)
			}
		}, 0},
		{"empty message", "newsmlg2/empty-message.xml", 0, nil, 0},
		{"no namespace at all", `<newsMessage><itemSet><newsItem guid="g1" version="2"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>
			<contentMeta><headline>Bare elements</headline></contentMeta></newsItem></itemSet></newsMessage>`, 1, func(t *testing.T, p Parsed) {
			if it := p.Items[0]; it.URI != "g1" || it.Title != "Bare elements" || it.Version != 2 {
				t.Errorf("item %+v", it)
			}
		}, 0},
		{"package alone: references are never fetched", `<packageItem ` + nar + ` guid="p1"><itemMeta><itemClass qcode="ninat:composite"/></itemMeta>
			<groupSet root="G"><group id="G"><itemRef residref="a"/><itemRef residref="b"/></group></groupSet></packageItem>`, 0, nil, 2},
		{"item without class but with remote content only", `<newsItem ` + nar + ` guid="v1"><contentMeta><headline>A clip</headline></contentMeta>
			<contentSet><remoteContent href="https://wire.example/v.mp4"/></contentSet></newsItem>`, 0, nil, 1},
		{"text item with headline only", `<newsItem ` + nar + ` guid="h1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta>
			<contentMeta><headline>Flash: harbour closed</headline></contentMeta><contentSet><inlineXML contenttype="application/xhtml+xml"><!-- none --></inlineXML></contentSet></newsItem>`, 1, func(t *testing.T, p Parsed) {
			if it := p.Items[0]; it.Body != "" || it.Title != "Flash: harbour closed" {
				t.Errorf("item %+v", it)
			}
		}, 0},
		{"item with nothing to show", `<newsItem ` + nar + ` guid="e1"><itemMeta><itemClass qcode="ninat:text"/></itemMeta></newsItem>`, 0, func(t *testing.T, p Parsed) {
			if got := skippedIDs(p); !slices.Equal(got, []string{"e1: no headline or text"}) {
				t.Errorf("skipped %q", got)
			}
		}, 1},
		{"kill notice without text is kept", `<newsItem ` + nar + ` guid="k1" version="4"><itemMeta><itemClass qcode="ninat:text"/><pubStatus qcode="stat:canceled"/></itemMeta></newsItem>`, 1, func(t *testing.T, p Parsed) {
			if it := p.Items[0]; it.PubStatus != pipeline.PubStatusCanceled || it.Version != 4 {
				t.Errorf("kill notice %+v", it)
			}
		}, 0},
		{"unknown status kept as written", `<newsItem ` + nar + ` guid="s1"><itemMeta><pubStatus qcode="wirestat:held"/></itemMeta><contentMeta><headline>x</headline></contentMeta></newsItem>`, 1, func(t *testing.T, p Parsed) {
			if it := p.Items[0]; it.PubStatus != "wirestat:held" {
				t.Errorf("status %q", it.PubStatus)
			}
		}, 0},
		{"DOCTYPE with entities is ignored", `<?xml version="1.0"?><!DOCTYPE newsItem [<!ENTITY who "the mayor">]><newsItem ` + nar + ` guid="d1">
			<contentMeta><headline>Statement by &who; &amp; council</headline></contentMeta></newsItem>`, 1, func(t *testing.T, p Parsed) {
			if it := p.Items[0]; it.Title != "Statement by &who; & council" {
				t.Errorf("title %q: only the predefined entities may be expanded", it.Title)
			}
		}, 0},
		{"odd dates", `<newsItem ` + nar + ` guid="t1"><itemMeta><versionCreated>Tue, 10 Mar 2026 09:40:00 CET</versionCreated><firstCreated>yesterday</firstCreated>
			<embargoed>2026-03-10</embargoed></itemMeta><contentMeta><headline>x</headline></contentMeta></newsItem>`, 1, func(t *testing.T, p Parsed) {
			it := p.Items[0]
			if it.Updated == nil || !it.Updated.Equal(*ptime("2026-03-10T08:40:00Z")) || it.Embargoed == nil || !it.Embargoed.Equal(*ptime("2026-03-10T00:00:00Z")) {
				t.Errorf("updated %v embargoed %v", it.Updated, it.Embargoed)
			}
			if it.Published == nil || !it.Published.Equal(*it.Updated) {
				t.Errorf("unreadable firstCreated on version 1: published %v, want versionCreated", it.Published)
			}
		}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if strings.HasSuffix(tt.body, ".xml") {
				body = readFixture(t, tt.body)
			}
			p, err := ParseFeed(testFeed(FormatNewsMLG2), body, "", fetchedAt)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			if len(p.Items) != tt.items || len(p.Skipped) != tt.skipped {
				t.Fatalf("got %d items and %d skipped (%q), want %d and %d", len(p.Items), len(p.Skipped), skippedIDs(p), tt.items, tt.skipped)
			}
			for _, it := range p.Items {
				if it.Format != FormatNewsMLG2 || len(it.ContentHash) != 64 {
					t.Errorf("unfinished item %+v", it)
				}
			}
			if tt.check != nil {
				tt.check(t, p)
			}
		})
	}
}

func TestNewsMLG2ProviderStandsInForTheFeeds(t *testing.T) {
	f := testFeed(FormatAuto)
	f.Provider = ""
	p, err := ParseFeed(f, readFixture(t, "newsmlg2/message.xml"), "", fetchedAt)
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{p.Items[0].Provider, p.Items[1].Provider}; !slices.Equal(got, []string{"Example Wire", "WIRE"}) {
		t.Errorf("providers = %q, want the provider name, else its code", got)
	}
}

func TestNewsMLG2VersionChangesTheHash(t *testing.T) {
	doc := func(version, status string) []byte {
		return []byte(`<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g" version="` + version + `"><itemMeta><pubStatus qcode="stat:` + status + `"/></itemMeta>
			<contentMeta><headline>Same words</headline></contentMeta></newsItem>`)
	}
	hash := func(b []byte) string {
		items, err := Parse(testFeed(FormatNewsMLG2), b, "", fetchedAt)
		if err != nil || len(items) != 1 {
			t.Fatalf("Parse: %v, %d items", err, len(items))
		}
		return items[0].ContentHash
	}
	v1 := hash(doc("1", "usable"))
	if v1 == hash(doc("2", "usable")) {
		t.Error("a new version with the same text hashes the same: it would never be emitted")
	}
	if v1 == hash(doc("1", "canceled")) {
		t.Error("a kill with the same text hashes the same: it would never be emitted")
	}
	if v1 != hash(doc("1", "usable")) {
		t.Error("the same document hashes differently")
	}
}

func TestParseNewsMLG2Errors(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"truncated inside the only item", `<newsItem xmlns="http://iptc.org/std/nar/2006-10-01/" guid="g"><contentMeta><headline>Cut`, "parse newsml-g2: XML syntax error on line 1: unexpected EOF"},
		{"garbage after the root start", `<newsMessage><itemSet><newsItem guid="g"><<<</newsItem></itemSet></newsMessage>`, "parse newsml-g2: XML syntax error on line 1"},
		{"charset nobody knows", `<?xml version="1.0" encoding="x-martian"?><newsItem guid="g"><contentMeta><headline>h</headline></contentMeta></newsItem>`, `unsupported charset: "x-martian"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := Parse(testFeed(FormatNewsMLG2), []byte(tt.body), "", fetchedAt)
			if err == nil || items != nil {
				t.Fatalf("Parse = %d items, %v; want an error and no items", len(items), err)
			}
			if errors.Is(err, ErrPartialDocument) {
				t.Errorf("nothing was recovered, yet the error says partial: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "feed test-wire: ") {
				t.Errorf("error %q does not say %q and where", err, tt.want)
			}
		})
	}
}

func FuzzNewsMLG2(f *testing.F) {
	for _, name := range []string{"newsmlg2.xml", "newsmlg2-message.xml", "newsmlg2/message.xml", "newsmlg2/prefixed-nitf.xml", "newsmlg2/latin1.xml", "newsmlg2/empty-message.xml"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`<newsMessage><itemSet><packageItem guid="p"><groupSet><group><itemRef residref="a"/></group></groupSet></packageItem><newsItem guid="a"><contentMeta><headline>h</headline></contentMeta></newsItem></itemSet></newsMessage>`))
	f.Add([]byte(`<newsItem guid="x"><contentSet><inlineXML><html><body><p>a<br/>b</p></body></html></inlineXML></contentSet></newsItem>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := parseNewsMLG2(body)
		if err != nil && (doc.items != nil || doc.broken != nil) {
			t.Fatalf("error %v with a document", err)
		}
		for _, s := range doc.skipped {
			if s.ID == "" || s.Reason == "" {
				t.Fatalf("skipped item without id or reason: %+v", s)
			}
		}
		for _, it := range doc.items {
			if it.URI != it.GUID {
				t.Fatalf("uri %q and guid %q differ", it.URI, it.GUID)
			}
		}
		p, err := parseDocument(testFeed(FormatNewsMLG2), body, "", fetchedAt)
		if err != nil && p.Items != nil && !errors.Is(err, ErrPartialDocument) {
			t.Fatalf("items returned with error %v", err)
		}
		checkParsed(t, FormatNewsMLG2, p)
	})
}
