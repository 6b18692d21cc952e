package feed

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestParseNinjs2(t *testing.T) {
	p := parseFixture(t, FormatAuto, "ninjs/v2-items.json")
	if len(p.Items) != 2 {
		t.Fatalf("got %d items, want the text item and the kill; skipped %q", len(p.Items), skippedIDs(p))
	}
	tram := p.Items[0]
	checkItem(t, tram, pipeline.RawItem{
		Feed: "test-wire", Format: FormatNinjs, Provider: "TestWire", FeedURL: "https://wire.example/feeds/main.xml",
		GUID:       "urn:ninjs:wire.example:20260310:tram",
		URI:        "urn:ninjs:wire.example:20260310:tram",
		Version:    3,
		Title:      "Tram line extended to the stadium",
		Summary:    "The new stop opens before the season.",
		Language:   "en-GB",
		Published:  ptime("2026-03-10T06:00:00Z"),
		Updated:    ptime("2026-03-10T08:15:00Z"),
		Fetched:    fetchedAt,
		PubStatus:  pipeline.PubStatusUsable,
		Urgency:    3,
		Embargoed:  ptime("2026-03-10T10:00:00Z"),
		ItemClass:  "text",
		By:         "Lena Ortiz, Example Wire",
		Slugline:   "tram-stadium",
		Located:    "Northbridge",
		Creditline: "Example Wire",
		Subjects: []pipeline.Subject{
			{Code: "http://cv.iptc.org/newscodes/mediatopic/20000764", Name: "public transport"},
			{Code: "local", Name: "Local"},
			{Name: "Lena Ortiz", Type: "cpnat:person"},
			{Code: "https://geo.wire.example/northbridge", Name: "Northbridge", Type: "cpnat:geoArea"},
		},
	})
	if tram.Body != "<p>The tram line reaches the stadium in June.</p><p>Example Wire</p>" {
		t.Errorf("body = %q, want the HTML body (enrich makes text of it)", tram.Body)
	}

	kill := p.Items[1]
	if kill.PubStatus != pipeline.PubStatusCanceled || kill.Version != 2 || kill.Title != "" || kill.URI != "urn:ninjs:wire.example:20260309:bridge" {
		t.Errorf("kill notice = %+v, want a canceled version 2 of the bridge story", kill)
	}
	if got := skippedIDs(p); !slices.Equal(got, []string{"urn:ninjs:wire.example:pic:1: picture item, not text"}) {
		t.Errorf("skipped %q", got)
	}
}

func TestParseNinjs1(t *testing.T) {
	p := parseFixture(t, FormatNinjs, "ninjs/v1-item.json")
	if len(p.Items) != 1 {
		t.Fatalf("got %d items", len(p.Items))
	}
	checkItem(t, p.Items[0], pipeline.RawItem{
		Feed: "test-wire", Format: FormatNinjs, Provider: "TestWire", FeedURL: "https://wire.example/feeds/main.xml",
		GUID:       "http://wire.example/ninjs/20260310/library",
		URI:        "http://wire.example/ninjs/20260310/library",
		Version:    2,
		Title:      "Abre la biblioteca flotante",
		Summary:    "La biblioteca visitará cinco islas.",
		Language:   "es",
		Updated:    ptime("2026-03-10T08:00:00Z"),
		Fetched:    fetchedAt,
		Urgency:    4,
		ItemClass:  "text",
		By:         "Luis Prado",
		Located:    "Puerto Norte",
		Creditline: "Agencia Ejemplo",
		Subjects: []pipeline.Subject{
			{Code: "cult", Name: "cultura", Scheme: "http://cv.wire.example/subjects/"},
			{Name: "Ana Gil", Type: "cpnat:person"},
			{Name: "Biblioteca Municipal", Type: "cpnat:organisation"},
			{Code: "im", Name: "Isla Mayor", Type: "cpnat:geoArea"},
		},
	})
	if p.Items[0].Body != "<p>Un ferry convertido llevará libros entre las islas.</p>" {
		t.Errorf("body = %q, want body_html before body_text", p.Items[0].Body)
	}
}

func TestParseNinjsShapes(t *testing.T) {
	tests := []struct {
		name   string
		format string
		body   string
		uris   []string
	}{
		{"single object", FormatAuto, `{"uri":"urn:x:1","headline":"One"}`, []string{"urn:x:1"}},
		{"array", FormatAuto, `[{"uri":"urn:x:1","headline":"One"},{"uri":"urn:x:2","headlines":[{"value":"Two"}]}]`, []string{"urn:x:1", "urn:x:2"}},
		{"items wrapper", FormatAuto, `{"total":2,"items":[{"uri":"urn:x:1","headline":"One"},{"uri":"urn:x:2","headline":"Two"}]}`, []string{"urn:x:1", "urn:x:2"}},
		{"fixture wrapper", FormatAuto, "ninjs-list.json", []string{"urn:ninjs:wire.example:20260310:2"}},
		{"fixture item", FormatAuto, "ninjs.json", []string{"urn:ninjs:wire.example:20260310:1"}},
		{"empty array", FormatAuto, `[]`, nil},
		{"empty array declared", FormatNinjs, ` [ ] `, nil},
		{"empty items wrapper", FormatNinjs, `{"items":[]}`, nil},
		{"null items", FormatNinjs, `{"items":null,"next":"x"}`, nil},
		{"minimal items sniffed", FormatAuto, `{"uri":"urn:x:9","pubstatus":"withheld"}`, []string{"urn:x:9"}},
		{"headline_main only (1.x pattern)", FormatAuto, `{"uri":"urn:x:3","headline_main":"Main"}`, []string{"urn:x:3"}},
		{"numbers as strings and strings as numbers", FormatAuto, `{"uri":"urn:x:4","headline":"H","version":7,"urgency":"2"}`, []string{"urn:x:4"}},
		{"byte order mark", FormatAuto, "\xef\xbb\xbf" + `{"uri":"urn:x:5","headline":"BOM"}`, []string{"urn:x:5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if strings.HasSuffix(tt.body, ".json") {
				body = readFixture(t, tt.body)
			}
			p, err := ParseFeed(testFeed(tt.format), body, "application/json", fetchedAt)
			if err != nil {
				t.Fatalf("ParseFeed: %v", err)
			}
			var uris []string
			for _, it := range p.Items {
				uris = append(uris, it.URI)
				if it.Format != FormatNinjs && len(p.Items) > 0 {
					t.Errorf("format %q", it.Format)
				}
			}
			if !slices.Equal(uris, tt.uris) {
				t.Errorf("uris %q, want %q", uris, tt.uris)
			}
		})
	}
}

func TestParseNinjsFieldValues(t *testing.T) {
	parse := func(t *testing.T, body string) pipeline.RawItem {
		t.Helper()
		items, err := Parse(testFeed(FormatNinjs), []byte(body), "", fetchedAt)
		if err != nil || len(items) != 1 {
			t.Fatalf("Parse: %d items, %v", len(items), err)
		}
		return items[0]
	}
	if it := parse(t, `{"uri":"u","headline":"h","version":"7","urgency":2}`); it.Version != 7 || it.Urgency != 2 {
		t.Errorf("version %d urgency %d", it.Version, it.Urgency)
	}
	if it := parse(t, `{"uri":"u","headline":"h","version":"v2","urgency":12,"versioncreated":"not a date"}`); it.Version != 0 || it.Urgency != 0 || it.Updated != nil {
		t.Errorf("unreadable values must be absent, not errors: %+v", it)
	}
	if it := parse(t, `{"uri":"u","headline":"h","versioncreated":"2026-03-10 09:00:00"}`); it.Updated == nil || !it.Updated.Equal(*ptime("2026-03-10T09:00:00Z")) {
		t.Errorf("a time without zone is UTC: %v", it.Updated)
	}
	if it := parse(t, `{"uri":"u","headlines":[{"role":"sub","value":"sub"},{"value":"plain"}]}`); it.Title != "plain" {
		t.Errorf("headline without role beats a sub headline: %q", it.Title)
	}
	if it := parse(t, `{"uri":"u","headlines":[{"role":"sub","value":"only sub"}]}`); it.Title != "only sub" {
		t.Errorf("no main headline: %q", it.Title)
	}
	if it := parse(t, `{"uri":"u","bodies":[{"contenttype":"application/xml","value":"<x/>"}],"descriptions":[{"value":"d"}]}`); it.Body != "" || it.Summary != "d" {
		t.Errorf("agency XML is not story text: body %q summary %q", it.Body, it.Summary)
	}
}

func TestParseNinjsInvalid(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantIs  error
		wantMsg string
		items   int // recovered with ErrPartialDocument
	}{
		{"pubstatus the schema rejects", `{"uri":"urn:x:1","headline":"h","pubstatus":"cancelled"}`, ErrInvalidItem, `urn:x:1: pubstatus "cancelled" is not one of usable, withheld, canceled`, 0},
		{"headline of the wrong type", `{"uri":"urn:x:1","headline":{"text":"h"}}`, ErrInvalidItem, "headline is a JSON object, want a string", 0},
		{"urgency of the wrong type", `{"uri":"urn:x:1","headline":"h","urgency":[1]}`, ErrInvalidItem, "urgency is a JSON list, want a number", 0},
		{"headlines element of the wrong type", `{"uri":"urn:x:1","headlines":[{"value":5}]}`, ErrInvalidItem, "headlines: value is a JSON number, want string", 0},
		{"subjects not a list", `{"uri":"urn:x:1","headline":"h","subjects":"politics"}`, ErrInvalidItem, "subjects is a JSON string, want a list of objects", 0},
		{"uri of the wrong type", `[{"uri":5,"headline":"h"}]`, ErrInvalidItem, "item 1: uri is a JSON number, want a string", 0},
		{"items not a list", `{"items":{"uri":"u"}}`, ErrFormatMismatch, `format ninjs declared but content is a JSON document without feed markers`, 0},
		{"mixed array: good items flow", "ninjs/mixed-array.json", ErrPartialDocument, "3 of 4 items invalid, first urn:ninjs:wire.example:20260310:bad-status", 1},
		{"truncated array", `[{"uri":"urn:x:1","headline":"one"},{"uri":"urn:x:2","headline":"tw`, ErrPartialDocument, "kept the 1 items before the break", 1},
		{"truncated single item", `{"uri":"urn:x:1","headline":"one","bodies":[{"value":"cut`, nil, "parse ninjs: unexpected EOF", 0},
		{"truncated before any item", `{"items":[{"uri":"urn:x:1","head`, ErrFormatMismatch, "content is invalid JSON", 0},
		{"truncated wrapper keeps the items before the cut", `{"items":[{"uri":"urn:x:1","headline":"one"},{"uri":"urn:x:2","headline":"t`, ErrPartialDocument, "kept the 1 items before the break", 1},
		{"JSON that is no list", `"just a string"`, ErrFormatMismatch, "format ninjs declared but content is neither XML nor JSON", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if strings.HasSuffix(tt.body, ".json") {
				body = readFixture(t, tt.body)
			}
			p, err := ParseFeed(testFeed(FormatNinjs), body, "", fetchedAt)
			if err == nil {
				t.Fatalf("want an error, got %d items", len(p.Items))
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tt.wantIs)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) || !strings.HasPrefix(err.Error(), "feed test-wire") {
				t.Errorf("error %q does not say %q", err, tt.wantMsg)
			}
			if len(p.Items) != tt.items {
				t.Errorf("got %d items, want %d", len(p.Items), tt.items)
			}
			if tt.items > 0 && !errors.Is(err, ErrPartialDocument) {
				t.Errorf("items returned without ErrPartialDocument: %v", err)
			}
		})
	}
}

func FuzzNinjs(f *testing.F) {
	for _, name := range []string{"ninjs.json", "ninjs-list.json", "ninjs/v2-items.json", "ninjs/v1-item.json", "ninjs/mixed-array.json"} {
		f.Add(readFixture(f, name))
	}
	f.Add([]byte(`[{"uri":"u","headline":"h","urgency":"3","version":1e3}]`))
	f.Add([]byte(`{"items":[null,{"uri":"u","pubstatus":"canceled"}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, err := parseNinjs(body)
		if err != nil && (doc.items != nil || doc.broken != nil) {
			t.Fatalf("error %v with a document", err)
		}
		for _, it := range doc.items {
			switch it.PubStatus {
			case "", pipeline.PubStatusUsable, pipeline.PubStatusWithheld, pipeline.PubStatusCanceled:
			default:
				t.Fatalf("pubstatus %q passed", it.PubStatus)
			}
			if it.Version < 0 || it.Urgency < 0 {
				t.Fatalf("negative version or urgency: %+v", it)
			}
		}
		p, err := parseDocument(testFeed(FormatNinjs), body, "", fetchedAt)
		if err != nil && p.Items != nil && !errors.Is(err, ErrPartialDocument) {
			t.Fatalf("items returned with error %v", err)
		}
		checkParsed(t, FormatNinjs, p)
	})
}
