package record

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestQueryTerms(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"empty", "", nil},
		{"words", "harbour reopens", []string{"harbour", "reopens"}},
		{"punctuation splits and vanishes", `"maps"; entry* OR -free`, []string{"maps", "entry", "OR", "free"}},
		{"digits stay in words", "covid19 2025", []string{"covid19", "2025"}},
		{"accents and combining marks stay", "café cafe\u0301", []string{"café", "cafe\u0301"}},
		{"apostrophe splits", "l'agence", []string{"l", "agence"}},
		{"only punctuation", " -*- ", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Query{Text: tt.text}.Terms()
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Terms(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestEffectiveLimit(t *testing.T) {
	for _, tt := range []struct{ limit, want int }{{0, DefaultLimit}, {-3, DefaultLimit}, {1, 1}, {500, 500}} {
		if got := (Query{Limit: tt.limit}).EffectiveLimit(); got != tt.want {
			t.Errorf("EffectiveLimit(%d) = %d, want %d", tt.limit, got, tt.want)
		}
	}
}

func validStory() pipeline.Story {
	now := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	return pipeline.Story{
		URI: "urn:x", Version: 1, VersionCreated: now,
		Sources: []pipeline.Source{{Feed: "f", GUID: "g", Seen: now}},
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*pipeline.Story)
		ok     bool
	}{
		{"valid", func(*pipeline.Story) {}, true},
		{"no times at all", func(s *pipeline.Story) { s.VersionCreated = time.Time{} }, true},
		{"uri at the limit", func(s *pipeline.Story) { s.URI = strings.Repeat("u", MaxURIBytes) }, true},
		{"empty uri", func(s *pipeline.Story) { s.URI = "" }, false},
		{"uri over the limit", func(s *pipeline.Story) { s.URI = strings.Repeat("u", MaxURIBytes+1) }, false},
		{"uri not UTF-8", func(s *pipeline.Story) { s.URI = "urn:\xff" }, false},
		{"version 0", func(s *pipeline.Story) { s.Version = 0 }, false},
		{"negative version", func(s *pipeline.Story) { s.Version = -1 }, false},
		{"feed over the limit", func(s *pipeline.Story) { s.Sources[0].Feed = strings.Repeat("f", MaxFeedBytes+1) }, false},
		{"guid with NUL", func(s *pipeline.Story) { s.Sources[0].GUID = "g\x00" }, false},
		{"seen in year 10000", func(s *pipeline.Story) { s.Sources[0].Seen = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, false},
		{"firstcreated in year 0", func(s *pipeline.Story) { s.FirstCreated = time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validStory()
			tt.change(&s)
			err := Validate(s)
			if tt.ok && err != nil {
				t.Errorf("Validate = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, ErrInvalidStory) {
				t.Errorf("Validate = %v, want ErrInvalidStory", err)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	zone := time.FixedZone("X", 2*3600)
	in := validStory()
	in.FirstCreated = time.Date(2025, 1, 2, 5, 0, 0, 999, zone)
	in.Headlines = []pipeline.Headline{{Value: "a\x00b\xffc"}}
	in.Sources = []pipeline.Source{
		{Feed: "late", Seen: time.Date(2025, 1, 3, 0, 0, 0, 0, time.UTC)},
		{Feed: "f", GUID: "g", URL: "first", Seen: time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)},
		{Feed: "f", GUID: "g", URL: "repeat", Seen: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	n := Normalize(in)
	if want := time.Date(2025, 1, 2, 3, 0, 0, 0, time.UTC); !n.FirstCreated.Equal(want) || n.FirstCreated.Location() != time.UTC || n.FirstCreated.Nanosecond() != 0 {
		t.Errorf("firstcreated = %v, want %v in UTC, microseconds", n.FirstCreated, want)
	}
	if n.Headlines[0].Value != "ab\uFFFDc" {
		t.Errorf("headline = %q, want NUL dropped and the bad byte replaced", n.Headlines[0].Value)
	}
	if len(n.Sources) != 2 || n.Sources[0].URL != "first" || n.Sources[1].Feed != "late" {
		t.Errorf("sources = %+v, want the first (f, g) then late, by seen", n.Sources)
	}
	if in.Headlines[0].Value != "a\x00b\xffc" || len(in.Sources) != 3 {
		t.Error("Normalize modified its argument")
	}
}

func TestRowsAndRestore(t *testing.T) {
	a := validStory()
	a.URI = "urn:b"
	a.FirstCreated = time.Date(2024, 12, 1, 0, 0, 0, 0, time.UTC)
	a.Headlines = []pipeline.Headline{{Value: "First"}, {Value: "Second", Role: "standfirst"}}
	a.Bodies = []pipeline.Body{{Value: "Body one", ContentType: "text/plain"}, {Value: "Body two"}}
	a.Dedupe = &pipeline.Dedupe{Fingerprint: "fp"}
	b := validStory()
	b.URI = "urn:a"
	a2 := a
	a2.Version = 2

	rows, err := Rows([]pipeline.Story{a, b, a2})
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range rows {
		order = append(order, r.URI+"@"+string(rune('0'+r.Version)))
	}
	if got := strings.Join(order, " "); got != "urn:a@1 urn:b@1 urn:b@2" {
		t.Errorf("row order = %s, want by uri keeping batch order within a uri", got)
	}
	r := rows[1]
	if r.Headline != "First" || r.Body != "Body one" || r.Fingerprint != "fp" || len(r.Sources) != 1 {
		t.Errorf("row columns = %+v", r)
	}
	if strings.Contains(string(r.Doc), `"feed"`) {
		t.Errorf("doc holds sources: %s", r.Doc)
	}

	earliest := time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)
	got, err := Restore(r.Doc, Stored{FirstCreated: earliest, Fingerprint: r.Fingerprint, Versions: 1, Sources: r.Sources})
	if err != nil {
		t.Fatal(err)
	}
	want := Normalize(a)
	want.FirstCreated = earliest
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Errorf("restored\n got %s\nwant %s", g, w)
	}

	if _, err := Rows([]pipeline.Story{a, {URI: ""}}); !errors.Is(err, ErrInvalidStory) {
		t.Errorf("Rows with an invalid story = %v, want ErrInvalidStory", err)
	}
	if _, err := Restore([]byte("{"), Stored{}); err == nil {
		t.Error("Restore of a broken document succeeded")
	}
}

func TestValidateAppearance(t *testing.T) {
	seen := time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	valid := func() pipeline.Appearance {
		return pipeline.Appearance{URI: "urn:x", Fingerprint: "fp", Source: pipeline.Source{Feed: "f", GUID: "g", Seen: seen,
			Relation: pipeline.RelationNearDuplicate, Similarity: 0.9}}
	}
	tests := []struct {
		name   string
		change func(*pipeline.Appearance)
		ok     bool
	}{
		{"valid", func(*pipeline.Appearance) {}, true},
		{"no relation", func(a *pipeline.Appearance) { a.Source.Relation, a.Source.Similarity = "", 0 }, true},
		{"similarity 1", func(a *pipeline.Appearance) { a.Source.Similarity = 1 }, true},
		{"empty uri", func(a *pipeline.Appearance) { a.URI = "" }, false},
		{"empty feed", func(a *pipeline.Appearance) { a.Source.Feed = "" }, false},
		{"uri over the limit", func(a *pipeline.Appearance) { a.URI = strings.Repeat("u", MaxURIBytes+1) }, false},
		{"guid not UTF-8", func(a *pipeline.Appearance) { a.Source.GUID = "\xff" }, false},
		{"fingerprint over the limit", func(a *pipeline.Appearance) { a.Fingerprint = strings.Repeat("f", MaxFingerprintBytes+1) }, false},
		{"unknown relation", func(a *pipeline.Appearance) { a.Source.Relation = "copy" }, false},
		{"negative similarity", func(a *pipeline.Appearance) { a.Source.Similarity = -0.1 }, false},
		{"seen in year 10000", func(a *pipeline.Appearance) { a.Source.Seen = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := valid()
			tt.change(&a)
			err := ValidateAppearance(a)
			if tt.ok && err != nil {
				t.Errorf("ValidateAppearance = %v, want nil", err)
			}
			if !tt.ok && (!errors.Is(err, ErrInvalidAppearance) || errors.Is(err, ErrInvalidStory)) {
				t.Errorf("ValidateAppearance = %v, want ErrInvalidAppearance only", err)
			}
		})
	}
	n := NormalizeAppearance(pipeline.Appearance{URI: "urn:x", Source: pipeline.Source{Feed: "f", URL: "a\x00b", Seen: seen.Add(999)}})
	if n.Source.Relation != pipeline.RelationDuplicate || n.Source.URL != "ab" || n.Source.Seen.Nanosecond() != 0 {
		t.Errorf("NormalizeAppearance = %+v, want duplicate, repaired url, microsecond time", n)
	}
}

func TestKillIsCanceled(t *testing.T) {
	s := validStory()
	s.Verdict, s.PubStatus = pipeline.VerdictKill, pipeline.PubStatusUsable
	if n := Normalize(s); n.PubStatus != pipeline.PubStatusCanceled {
		t.Errorf("kill pubstatus = %q, want canceled", n.PubStatus)
	}
	s.Sources[0].Relation = "sibling"
	if err := Validate(s); !errors.Is(err, ErrInvalidStory) {
		t.Errorf("Validate with an unknown source relation = %v, want ErrInvalidStory", err)
	}
}
