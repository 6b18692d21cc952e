package feed

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func readOPMLFixture(t *testing.T, name string) []OPMLOutline {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	outlines, err := ParseOPML(f)
	if err != nil {
		t.Fatalf("ParseOPML(%s): %v", name, err)
	}
	return outlines
}

func TestParseOPML(t *testing.T) {
	tests := []struct {
		fixture string
		want    []OPMLOutline
	}{
		{"opml2-nested.opml", []OPMLOutline{
			{Title: "Wire Agency — World", XMLURL: "https://wire.example/world/rss.xml", HTMLURL: "https://wire.example/world/", Type: "rss", Folders: []string{"Agencies"}},
			{Title: "Économie & Marchés", XMLURL: "https://wire.example/fr/economie.atom", Type: "atom", Folders: []string{"Agencies"}},
			{Title: "Results", XMLURL: "https://sport.example/results.xml", Type: "rss", Folders: []string{"Agencies", "Sport"}},
			{Title: "Results", XMLURL: "https://sport.example/results-live.xml", Type: "rss", Folders: []string{"Agencies", "Sport"}},
			{Title: "The Daily Example", XMLURL: "http://daily.example/feed", Type: "rss", Folders: []string{"Local papers"}},
			{Title: "Newsletter archive", XMLURL: "mailto:desk@daily.example", Type: "rss", Folders: []string{"Local papers"}},
			{Title: "World wire (again)", XMLURL: "https://wire.example/world/rss.xml", Type: "rss", Folders: []string{"Local papers"}},
			{Title: "", XMLURL: "https://feeds.example/news/top.json?key=abc", Type: "rss", Folders: []string{}},
		}},
		{"opml1-flat.opml", []OPMLOutline{
			{Title: "Wire One", XMLURL: "https://one.example/rss", Type: "rss", Folders: []string{}},
			{Title: "Wire Two", XMLURL: "https://two.example/rss", Type: "rss", Folders: []string{}},
		}},
		{"opml-latin1.opml", []OPMLOutline{
			{Title: "Dépêches françaises", XMLURL: "https://depeches.example/rss", Type: "rss", Folders: []string{}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.fixture, func(t *testing.T) {
			got := readOPMLFixture(t, tt.fixture)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d outlines, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.Title != w.Title || g.XMLURL != w.XMLURL || g.HTMLURL != w.HTMLURL || g.Type != w.Type ||
					!slices.Equal(g.Folders, w.Folders) {
					t.Errorf("outline %d = %+v, want %+v", i, g, w)
				}
				if g.Line == 0 {
					t.Errorf("outline %d has no line number", i)
				}
			}
		})
	}
}

func TestParseOPMLErrors(t *testing.T) {
	deep := "<opml><body>" + strings.Repeat("<outline text='x'>", 100) + strings.Repeat("</outline>", 100) + "</body></opml>"
	tests := []struct {
		name, doc, want string
	}{
		{"empty", "", "empty document"},
		{"not opml", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`, "the root element is <rss>"},
		{"malformed", `<opml><body><outline text="a" xmlUrl="https://a.example/"></body></opml>`, "opml:"},
		{"deep nesting", deep, "nested deeper than 64"},
		{"entity bomb", `<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
			`<opml><body><outline text="&b;" xmlUrl="https://a.example/"/></body></opml>`, "entity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestImportOPML(t *testing.T) {
	imp := ImportOPML(readOPMLFixture(t, "opml2-nested.opml"), ImportOptions{Provider: " Desk ", Interval: 2 * time.Minute})
	wantIDs := []string{"wire-agency-world", "economie-marches", "results", "results-2", "the-daily-example", "feeds-example-news-top-json"}
	var ids []string
	for _, f := range imp.Feeds.Feeds {
		ids = append(ids, f.ID)
		if f.Provider != "Desk" || f.Interval != 2*time.Minute || f.Format != FormatAuto {
			t.Errorf("feed %s = %+v, want provider Desk, interval 2m, format auto", f.ID, f)
		}
	}
	if !slices.Equal(ids, wantIDs) {
		t.Fatalf("ids = %q, want %q", ids, wantIDs)
	}
	if len(imp.Titles) != len(imp.Feeds.Feeds) || imp.Titles[0] != "Wire Agency — World" {
		t.Errorf("titles = %q", imp.Titles)
	}
	wantSkipped := []string{
		`outline "Newsletter archive": url "mailto:desk@daily.example": must be http or https`,
		`outline "World wire (again)": same url as feed wire-agency-world`,
	}
	if len(imp.Skipped) != len(wantSkipped) {
		t.Fatalf("skipped = %q, want %d entries", imp.Skipped, len(wantSkipped))
	}
	for i, w := range wantSkipped {
		if !strings.HasPrefix(imp.Skipped[i], "line ") || !strings.Contains(imp.Skipped[i], w) {
			t.Errorf("skipped[%d] = %q, want a line number and %q", i, imp.Skipped[i], w)
		}
	}
	if imp.Feeds.AllowPrivateNetworks {
		t.Error("an import must leave the address guard on")
	}

	// The same document gives the same ids: a re-import does not rename feeds.
	again := ImportOPML(readOPMLFixture(t, "opml2-nested.opml"), ImportOptions{})
	for i := range again.Feeds.Feeds {
		if again.Feeds.Feeds[i].ID != imp.Feeds.Feeds[i].ID {
			t.Fatalf("second import gave id %s for %s", again.Feeds.Feeds[i].ID, imp.Feeds.Feeds[i].ID)
		}
	}
}

func TestImportYAMLRoundTrips(t *testing.T) {
	imp := ImportOPML(readOPMLFixture(t, "opml2-nested.opml"), ImportOptions{Interval: 90 * time.Second})
	b, err := imp.YAML("imported from subscriptions.opml")
	if err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, want := range []string{
		"# imported from subscriptions.opml",
		"# skipped: line ",
		"allow_private_networks: false",
		"# Wire Agency — World\n",
		"interval: 1m30s",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("YAML lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "key=abc"); n != 1 {
		t.Errorf("the query string appears %d times, want once (in the feed's url, not in comments):\n%s", n, out)
	}
	ff, err := ParseFeeds(b)
	if err != nil {
		t.Fatalf("the written feeds file does not parse: %v\n%s", err, out)
	}
	if len(ff.Feeds) != len(imp.Feeds.Feeds) {
		t.Fatalf("round trip: %d feeds, want %d", len(ff.Feeds), len(imp.Feeds.Feeds))
	}
	for i := range ff.Feeds {
		if ff.Feeds[i] != imp.Feeds.Feeds[i] {
			t.Errorf("round trip feeds[%d] = %+v, want %+v", i, ff.Feeds[i], imp.Feeds.Feeds[i])
		}
	}
}

func TestSlugify(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AFP World", "afp-world"},
		{"  Économie & Marchés ", "economie-marches"},
		{"Reuters: Top News (EN)", "reuters-top-news-en"},
		{"Ünïcödé—dashes–and…dots", "unicode-dashes-and-dots"},
		{"日本語ニュース", ""},
		{"---", ""},
		{strings.Repeat("long title ", 20), "long-title-long-title-long-title-long-title-long-title-long-titl"},
	}
	for _, tt := range tests {
		if got := slugify(tt.in); got != tt.want {
			t.Errorf("slugify(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if got := slugify(tt.in); len(got) > maxSlugLen || validateID(cmpOrID(got)) != nil {
			t.Errorf("slugify(%q) = %q is not a valid feed id", tt.in, got)
		}
	}
}

// cmpOrID stands in a valid id for the empty slug, which callers replace.
func cmpOrID(s string) string {
	if s == "" {
		return "x"
	}
	return s
}

func TestUniqueIDStaysWithinTheLimit(t *testing.T) {
	base := strings.Repeat("a", maxSlugLen)
	used := map[string]bool{base: true}
	id := uniqueID(base, used)
	if len(id) > maxSlugLen || !strings.HasSuffix(id, "-2") || used[id] {
		t.Fatalf("uniqueID = %q", id)
	}
}

// FuzzParseOPML: any input either fails cleanly or yields outlines whose
// import is a feeds file that loads.
func FuzzParseOPML(f *testing.F) {
	for _, name := range []string{"opml2-nested.opml", "opml1-flat.opml", "opml-latin1.opml"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<opml><body><outline text="a" xmlUrl="https://a.example/"><outline text="a" xmlUrl="https://b.example/"/></outline></body></opml>`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		outlines, err := ParseOPML(bytes.NewReader(doc))
		if err != nil {
			return
		}
		for _, o := range outlines {
			if o.XMLURL == "" || len(o.Folders) >= maxOPMLDepth {
				t.Fatalf("outline %+v", o)
			}
		}
		imp := ImportOPML(outlines, ImportOptions{})
		if len(imp.Feeds.Feeds) == 0 {
			return
		}
		b, err := imp.YAML("fuzz")
		if err != nil {
			t.Fatalf("YAML: %v", err)
		}
		ff, err := ParseFeeds(b)
		if err != nil {
			t.Fatalf("imported feeds file does not load: %v\n%s", err, b)
		}
		if len(ff.Feeds) != len(imp.Feeds.Feeds) {
			t.Fatalf("round trip lost feeds: %d of %d", len(ff.Feeds), len(imp.Feeds.Feeds))
		}
	})
}
