package feed

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// The conformance samples (real IPTC, agency and IPTC-member documents) live
// beside the repository, in shared/conformance, and are read in place: they are
// not the project's to copy. WIREHOSE_CONFORMANCE_DIR points elsewhere.

func conformanceDir(t *testing.T, sub string) string {
	t.Helper()
	if dir := os.Getenv("WIREHOSE_CONFORMANCE_DIR"); dir != "" {
		return filepath.Join(dir, sub)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Skipf("conformance samples: cannot tell the working directory: %v", err)
	}
	for dir := wd; ; {
		candidate := filepath.Join(dir, "shared", "conformance", sub)
		if fi, err := os.Stat(candidate); err == nil && fi.IsDir() {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			break
		}
		dir = parent
	}
	t.Skipf("conformance samples not found: no shared/conformance/%s in %s or any folder above it (set WIREHOSE_CONFORMANCE_DIR to run these)", sub, wd)
	return ""
}

// conformanceResults parses every sample in the folder with format auto, as a
// feed without a provider of its own.
func conformanceResults(t *testing.T, sub, ext string) map[string]parseResult {
	t.Helper()
	dir := conformanceDir(t, sub)
	paths, err := filepath.Glob(filepath.Join(dir, "*."+ext))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no *.%s samples in %s (%v)", ext, dir, err)
	}
	out := make(map[string]parseResult, len(paths))
	for _, path := range paths {
		body, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f := Feed{ID: "conformance", URL: "https://agency.example/feed", Format: FormatAuto}
		p, err := ParseFeed(f, body, "", fetchedAt)
		out[filepath.Base(path)] = parseResult{p, err}
	}
	return out
}

type parseResult struct {
	p   Parsed
	err error
}

// sample returns the one item of a sample, failing unless there is exactly one.
func (r parseResult) only(t *testing.T) pipeline.RawItem {
	t.Helper()
	if r.err != nil || len(r.p.Items) != 1 {
		t.Fatalf("want one item, got %d, error %v, skipped %q", len(r.p.Items), r.err, skippedIDs(r.p))
	}
	return r.p.Items[0]
}

func subjectCodes(it pipeline.RawItem) []string {
	var codes []string
	for _, s := range it.Subjects {
		codes = append(codes, s.Code)
	}
	return codes
}

func subjectNamed(it pipeline.RawItem, code string) string {
	for _, s := range it.Subjects {
		if s.Code == code {
			return s.Name
		}
	}
	return "<absent>"
}

func TestConformanceNewsMLG2(t *testing.T) {
	results := conformanceResults(t, "newsmlg2", "xml")
	for name, r := range results {
		if r.err != nil {
			t.Errorf("%s: %v", name, r.err)
		}
		for _, it := range r.p.Items {
			if it.Format != FormatNewsMLG2 || it.URI == "" || it.Version < 1 || it.Title == "" || it.ItemClass != "text" {
				t.Errorf("%s: item lacks identity, version, headline or class: %+v", name, it)
			}
		}
	}

	tests := []struct {
		file  string
		check func(t *testing.T, r parseResult)
	}{
		{"iptc_LISTING_1_A_NewsML-G2_News_Item.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.URI != "urn:newsml:acmenews.com:20161018:US-FINANCE-FED" || it.Version != 11 || it.Language != "en-GB" || it.PubStatus != pipeline.PubStatusUsable {
				t.Errorf("identity: %s v%d %s %s", it.URI, it.Version, it.Language, it.PubStatus)
			}
			if it.Title != `Fed to halt QE to avert "bubble"` || it.Slugline != "US-Finance-Fed" || it.Located != "Berlin" {
				t.Errorf("headline %q slugline %q located %q", it.Title, it.Slugline, it.Located)
			}
			if !slices.Equal(subjectCodes(it), []string{"medtop:04000000", "medtop:20000523"}) || subjectNamed(it, "medtop:20000523") != "labour market" {
				t.Errorf("subjects %+v", it.Subjects)
			}
			if it.Embargoed == nil || !it.Embargoed.Equal(*ptime("2018-10-23T12:00:00Z")) || !slices.Equal(it.Signals, []string{"sig:update"}) {
				t.Errorf("embargoed %v signals %q", it.Embargoed, it.Signals)
			}
			if it.Published == nil || !it.Published.Equal(*ptime("2016-10-18T18:12:21Z")) || it.Updated == nil || !it.Updated.Equal(*ptime("2018-10-21T21:25:32Z")) {
				t.Errorf("firstCreated %v versionCreated %v", it.Published, it.Updated)
			}
			if it.Body != "" {
				t.Errorf("the sample's inlineXML holds only comments, body = %q", it.Body)
			}
		}},
		{"iptc_LISTING_2_NewsML-G2_Text_Document.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Language != "en-US" || len(it.Subjects) != 3 || it.Located != "New York, NY" || !slices.Equal(it.Authors, []string{"Meredith Jameson"}) {
				t.Errorf("metadata: %s %+v %q %q", it.Language, it.Subjects, it.Located, it.Authors)
			}
			if !strings.HasPrefix(it.Body, "<p>") || strings.Contains(it.Body, "hl1") || strings.Count(it.Body, "<p>") != 2 {
				t.Errorf("NITF body.content only, two paragraphs: %.200q", it.Body)
			}
			if it.By != "By Meredith Jameson, Staff Reporter" {
				t.Errorf("NITF byline = %q", it.By)
			}
		}},
		{"iptc_LISTING_22_Sports_story_in_NewsML-G2NITF.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if subjectNamed(it, "medtop:20000849") != "Baseball" || subjectNamed(it, "team:l.mlb.com-t.19") != "Philadelphia Phillies" || subjectNamed(it, "event:l.mlb.com-2016-e.19358") != "" {
				t.Errorf("subjects %+v", it.Subjects)
			}
			if it.Summary == "" || strings.Count(it.Body, "<p>") != 6 || it.Slugline != "AAV!PREVIEW-ARI-PHI" {
				t.Errorf("summary %q, %d body paragraphs, slugline %q", it.Summary, strings.Count(it.Body, "<p>"), it.Slugline)
			}
		}},
		{"iptc_LISTING_27_Company_Financial_Information.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Title != "Acme Widgets announces annual results" || subjectNamed(it, "Acme Widget") != "Acme Widget Sales Inc" || it.Summary == "" || it.Body != "" {
				t.Errorf("item %+v", it)
			}
		}},
		{"iptc_LISTING_3_Photo_in_NewsML-G2.xml", skippedAs("picture item, not text")},
		{"iptc_LISTING_4_Multiple_Renditions_of_a_Video_in_NewsML-G2.xml", skippedAs("video item, not text")},
		{"iptc_ap_metadata_example.xml", skippedAs("video item, not text")},
		{"dpa_image.xml", skippedAs("picture item, not text")},
		{"iptc_LISTING_11_Person_Concept_conveyed_in_a_NewsML-G2_Concept_Item.xml", skippedAs("conceptItem holds no story")},
		{"iptc_LISTING_6_Simple_NewsML-G2_Package.xml", func(t *testing.T, r parseResult) {
			if len(r.p.Items) != 0 || len(r.p.Skipped) != 2 || !strings.Contains(r.p.Skipped[0].Reason, "referenced by package tag:example.com,2008:UK-NEWS-TOPTEN:UK20081220098658") {
				t.Errorf("items %d skipped %q", len(r.p.Items), skippedIDs(r.p))
			}
		}},
		{"iptc-python_007_emptynewsmessage.xml", func(t *testing.T, r parseResult) {
			// The package's one reference is in the message, but that item has no content.
			if len(r.p.Items) != 0 || !slices.Equal(skippedIDs(r.p), []string{"N1: no headline or text"}) {
				t.Errorf("items %d skipped %q", len(r.p.Items), skippedIDs(r.p))
			}
		}},
		{"tt_newsmlg2_sample.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.URI != "http://tt.se/media/text/210919-janguillou-879f202b" || it.Language != "sv" || it.Urgency != 3 || it.Provider != "TT" {
				t.Errorf("identity: %s %s urgency %d provider %q", it.URI, it.Language, it.Urgency, it.Provider)
			}
			if subjectNamed(it, "medtop:20000013") != "Litteratur" || len(it.Subjects) != 6 {
				t.Errorf("subjects %+v", it.Subjects)
			}
			if !strings.Contains(it.Body, "<article>") || strings.Contains(it.Body, "<title>") {
				t.Errorf("body should be the HTML body without its head: %.120q", it.Body)
			}
			if !slices.Equal(skippedIDs(r.p), []string{"http://tt.se/media/image/sdlm1btzmKu8WU: picture item, not text"}) {
				t.Errorf("skipped %q", skippedIDs(r.p))
			}
		}},
		{"dpa_eil.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Urgency != 2 || it.Language != "de" || it.Dateline != "Berlin (dpa) -" || it.Creditline != "dpa" || it.Provider != "dpa" {
				t.Errorf("urgency %d language %s dateline %q creditline %q provider %q", it.Urgency, it.Language, it.Dateline, it.Creditline, it.Provider)
			}
			if subjectNamed(it, "medtop:20000651") != "Partei" || subjectNamed(it, "dpacountry:1") != "Deutschland" {
				t.Errorf("subjects %+v", it.Subjects)
			}
			if !strings.Contains(it.Body, `<section class="main dpatextgenre_1">`) || strings.Contains(it.Body, "slugline") {
				t.Errorf("body: %.160q", it.Body)
			}
		}},
		{"dpa_embargoed.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Embargoed == nil || !it.Embargoed.Equal(*ptime("2025-01-23T18:00:00Z")) || it.Urgency != 4 {
				t.Errorf("embargoed %v urgency %d", it.Embargoed, it.Urgency)
			}
			if it.Title != "Steinmeier: Russland zerstört kulturelles Erbe der Ukraine" || it.Summary == "" {
				t.Errorf("rank 1 headline and teaser: %q / %q", it.Title, it.Summary)
			}
			if strings.Contains(it.Body, "Notizblock") || strings.Contains(it.Body, "Sperrfrist") {
				t.Error("editorial notes must not end up in the body")
			}
		}},
		{"dpa_rubix_multimedia_real.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if len(it.Authors) != 5 || it.By != "Von dpa" || it.Title != "Israel greift erneut südliche Vororte Beiruts an" {
				t.Errorf("authors %q by %q title %q", it.Authors, it.By, it.Title)
			}
		}},
		{"dpa_spe_tab.xml", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Version != 33 || it.PubStatus != "" || !strings.Contains(it.Body, "<table") {
				t.Errorf("version %d status %q table body %v", it.Version, it.PubStatus, strings.Contains(it.Body, "<table"))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, ok := results[tt.file]
			if !ok {
				t.Skipf("sample %s is not in this copy of the conformance folder", tt.file)
			}
			tt.check(t, r)
		})
	}
}

func skippedAs(reason string) func(t *testing.T, r parseResult) {
	return func(t *testing.T, r parseResult) {
		t.Helper()
		if r.err != nil || len(r.p.Items) != 0 || len(r.p.Skipped) != 1 || r.p.Skipped[0].Reason != reason {
			t.Errorf("want no item and one skipped as %q; got %d items, skipped %q, error %v", reason, len(r.p.Items), skippedIDs(r.p), r.err)
		}
	}
}

func TestConformanceNinjs(t *testing.T) {
	results := conformanceResults(t, "ninjs", "json")
	for name, r := range results {
		invalid := strings.Contains(name, "INVALID")
		if invalid != (r.err != nil) {
			t.Errorf("%s: error %v; samples named INVALID must fail, the others must not", name, r.err)
		}
	}

	tests := []struct {
		file  string
		check func(t *testing.T, r parseResult)
	}{
		{"v1.0_INVALID_007_pubstatus_cancelled.json", func(t *testing.T, r parseResult) {
			if !errors.Is(r.err, ErrInvalidItem) || !strings.Contains(r.err.Error(), `pubstatus "cancelled" is not one of usable, withheld, canceled`) {
				t.Errorf("error %v, want the invalid pubstatus named", r.err)
			}
		}},
		{"v1.0_022_pubstatus_withheld.json", func(t *testing.T, r parseResult) {
			if it := r.only(t); it.PubStatus != pipeline.PubStatusWithheld || it.URI != "022_pubstatus_withheld" {
				t.Errorf("item %+v", it)
			}
		}},
		{"v1.0_023_pubstatus_canceled.json", func(t *testing.T, r parseResult) {
			if it := r.only(t); it.PubStatus != pipeline.PubStatusCanceled {
				t.Errorf("item %+v", it)
			}
		}},
		{"v1.0_018_embargoed.json", func(t *testing.T, r parseResult) {
			if len(r.p.Items) != 0 || !slices.Equal(skippedIDs(r.p), []string{"018_embargoed: no headline or text"}) {
				t.Errorf("an embargo alone is no story: items %d skipped %q", len(r.p.Items), skippedIDs(r.p))
			}
		}},
		{"v1.4_businesswire-newsml-20130605006126.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Language != "zh" || it.Version != 1 || it.Title == "" || it.Body == "" || len(it.Subjects) != 13 || it.Subjects[0].Name != "United States" {
				t.Errorf("item %s v%d title %q body %d bytes subjects %+v", it.Language, it.Version, it.Title, len(it.Body), it.Subjects)
			}
		}},
		{"v1.4_ninjsExComplex2.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.By != "Paulo Santalucia and Frances d'Emilio" || it.Located != "Grossetto, Italy" || !strings.HasPrefix(it.Body, "<p>") {
				t.Errorf("by %q located %q body %.40q", it.By, it.Located, it.Body)
			}
			want := pipeline.Subject{Code: "0hzcydt", Name: "Francesco Schettino", Scheme: "http://www.freebase.com/m/", Type: "cpnat:person"}
			if !slices.Contains(it.Subjects, want) {
				t.Errorf("subjects %+v lack %+v", it.Subjects, want)
			}
		}},
		{"v1.5_001_contactinfo.json", skippedAs("picture item, not text")},
		{"v2.1_ap_image.json", skippedAs("picture item, not text")},
		{"v2.1_dpa_text.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.URI != "urn:newsml:dpa.com:20090101:190510-99-167362" || it.Version != 2 || it.Urgency != 4 || it.Language != "de" || it.By != "Von Christian Hollmann, dpa" {
				t.Errorf("item %s v%d urgency %d %s by %q", it.URI, it.Version, it.Urgency, it.Language, it.By)
			}
			if it.Title == "" || !strings.HasPrefix(it.Body, "<section") || it.Updated == nil || !it.Updated.Equal(*ptime("2019-05-10T14:02:28Z")) {
				t.Errorf("title %q body %.30q updated %v", it.Title, it.Body, it.Updated)
			}
		}},
		{"v2.1_ntb_text.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Version != 6 || it.Urgency != 5 || it.Language != "nb-NO" || it.Slugline != "skien-google" || it.Summary == "" {
				t.Errorf("item v%d urgency %d %s slug %q summary %q", it.Version, it.Urgency, it.Language, it.Slugline, it.Summary)
			}
			if subjectNamed(it, "13010000") != "Teknologi" || !slices.Contains(it.Subjects, pipeline.Subject{Code: "Telemark", Name: "Telemark", Type: "cpnat:geoArea"}) {
				t.Errorf("subjects %+v", it.Subjects)
			}
		}},
		{"v2.1_tt_text_image_2.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.Language != "sv" || it.Urgency != 3 || !strings.HasPrefix(it.Body, "<html>") || subjectNamed(it, "http://tt.se/spec/subref/1.0/16000000") == "<absent>" {
				t.Errorf("item %s urgency %d body %.20q subjects %+v", it.Language, it.Urgency, it.Body, it.Subjects)
			}
		}},
		{"v2.1_012_subject_confidence_relevance.json", func(t *testing.T, r parseResult) {
			if len(r.p.Items) != 0 || len(r.p.Skipped) != 1 {
				t.Errorf("subjects alone are no story: items %d skipped %q", len(r.p.Items), skippedIDs(r.p))
			}
		}},
		{"v2.2_007_multimedia.json", func(t *testing.T, r parseResult) {
			it := r.only(t)
			if it.ItemClass != "composite" || it.Title != "Captain of wrecked cruise ship on trial in Italy" || !strings.HasPrefix(it.Body, "<p>") || it.Located != "Grossetto, Italy" {
				t.Errorf("item class %q title %q body %.20q located %q", it.ItemClass, it.Title, it.Body, it.Located)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			r, ok := results[tt.file]
			if !ok {
				t.Skipf("sample %s is not in this copy of the conformance folder", tt.file)
			}
			tt.check(t, r)
		})
	}
}
