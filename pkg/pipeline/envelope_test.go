package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEnvelopeRoundTrip(t *testing.T) {
	pub := time.Date(2026, 6, 16, 9, 30, 0, 0, time.UTC)
	it := RawItem{Feed: "afp-world", Format: "rss", Provider: "AFP", GUID: "g1", Title: "Headline", Published: &pub, ContentHash: "h"}
	b, err := EncodeRaw(it)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(b), `{"schema":"wirehose.raw/1","data":{`) {
		t.Errorf("raw envelope = %s, want the schema field first", b)
	}
	got, err := DecodeRaw(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.GUID != "g1" || !got.Published.Equal(pub) || got.Provider != "AFP" {
		t.Errorf("round trip = %+v", got)
	}

	s := Story{URI: "urn:x", Version: 2, PubStatus: PubStatusUsable, Headlines: []Headline{{Value: "H"}},
		Bodies: []Body{{Value: "B", ContentType: "text/plain"}}, Sources: []Source{{Feed: "f", Seen: pub}}}
	b, err = EncodeStory(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{`"uri":"urn:x"`, `"version":2`, `"pubstatus":"usable"`, `"headlines":[{"value":"H"}]`,
		`"bodies":[{"value":"B","contenttype":"text/plain"}]`, `"firstcreated":`, `"versioncreated":`, `"sources":[{"feed":"f"`} {
		if !strings.Contains(string(b), field) {
			t.Errorf("story JSON lacks %s: %s", field, b)
		}
	}
	gs, err := DecodeStory(b)
	if err != nil {
		t.Fatal(err)
	}
	if gs.Headline() != "H" || gs.Text() != "B" || gs.Version != 2 {
		t.Errorf("story round trip = %+v", gs)
	}
}

func TestDecodeRejectsWhatItDoesNotKnow(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		unknown bool
	}{
		{"newer schema", `{"schema":"wirehose.raw/2","data":{}}`, true},
		{"story where raw expected", `{"schema":"wirehose.story/1","data":{}}`, true},
		{"no schema", `{"data":{}}`, true},
		{"not json", `<rss/>`, false},
		{"bad data", `{"schema":"wirehose.raw/1","data":{"title":5}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeRaw([]byte(tt.in))
			if err == nil {
				t.Fatal("want an error")
			}
			if !IsPermanent(err) {
				t.Errorf("%v: want a permanent error", err)
			}
			if got := errors.Is(err, ErrUnknownSchema); got != tt.unknown {
				t.Errorf("errors.Is(ErrUnknownSchema) = %v, want %v (%v)", got, tt.unknown, err)
			}
		})
	}
}

func TestPermanent(t *testing.T) {
	if Permanent(nil) != nil {
		t.Error("Permanent(nil) must be nil")
	}
	base := errors.New("boom")
	err := Permanent(base)
	if !IsPermanent(err) || !errors.Is(err, base) || err.Error() != "boom" {
		t.Errorf("Permanent wraps badly: %v", err)
	}
	if IsPermanent(base) {
		t.Error("a plain error is not permanent")
	}
}

func TestAppearanceAndSchemaOf(t *testing.T) {
	seen := time.Date(2026, 6, 16, 10, 0, 0, 0, time.UTC)
	a := Appearance{URI: "urn:canon", Fingerprint: "fp", Source: Source{Feed: "partner", GUID: "g", Seen: seen, Relation: RelationNearDuplicate, Similarity: 0.91}}
	b, err := EncodeAppearance(a)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := SchemaOf(b); err != nil || got != SchemaAppearance {
		t.Fatalf("SchemaOf = %q, %v", got, err)
	}
	back, err := DecodeAppearance(b)
	if err != nil || back.URI != "urn:canon" || back.Source.Relation != RelationNearDuplicate || back.Source.Similarity != 0.91 {
		t.Fatalf("round trip = %+v, %v", back, err)
	}
	if _, err := DecodeStory(b); !errors.Is(err, ErrUnknownSchema) {
		t.Errorf("an appearance read as a story: %v, want ErrUnknownSchema", err)
	}
	if _, err := SchemaOf([]byte("nope")); !IsPermanent(err) {
		t.Errorf("SchemaOf of garbage: %v, want a permanent error", err)
	}
}
