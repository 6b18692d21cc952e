package sink

import (
	"context"
	"encoding/json"
	"errors"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/internal/store/sqlite"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var t0 = time.Date(2025, 4, 1, 6, 0, 0, 0, time.UTC)

func testStory(uri string, version int, feed string) pipeline.Story {
	return pipeline.Story{
		URI: uri, Version: version, PubStatus: pipeline.PubStatusUsable, Language: "en",
		FirstCreated: t0, VersionCreated: t0.Add(time.Duration(version) * time.Minute),
		Headlines: []pipeline.Headline{{Value: "Port strike talks resume"}},
		Bodies:    []pipeline.Body{{Value: "Talks resumed on Tuesday, version " + string(rune('0'+version)) + ".", ContentType: "text/plain"}},
		Sources:   []pipeline.Source{{Feed: feed, GUID: uri + "#" + feed, Seen: t0}},
	}
}

func message(t *testing.T, s pipeline.Story, offset int64) pipeline.Message {
	t.Helper()
	b, err := pipeline.EncodeStory(s)
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.Message{Topic: "wire.stories", Partition: 2, Offset: offset, Key: []byte(s.URI), Value: b}
}

func testAppearance(uri, feed, relation string, sim float64) pipeline.Appearance {
	return pipeline.Appearance{URI: uri, Fingerprint: "fp-" + feed, Source: pipeline.Source{
		Feed: feed, GUID: uri + "#" + feed, URL: "https://" + feed + ".example.net/a", Seen: t0.Add(time.Hour),
		Relation: relation, Similarity: sim,
	}}
}

func appearanceMessage(t *testing.T, a pipeline.Appearance, offset int64) pipeline.Message {
	t.Helper()
	b, err := pipeline.EncodeAppearance(a)
	if err != nil {
		t.Fatal(err)
	}
	return pipeline.Message{Topic: "wire.stories", Partition: 2, Offset: offset, Key: []byte(a.URI), Value: b}
}

func TestProcess(t *testing.T) {
	good := testStory("urn:sink:1", 1, "wire")
	copyOf := testAppearance("urn:sink:1", "partner", pipeline.RelationNearDuplicate, 0.9)
	raw, err := pipeline.EncodeRaw(pipeline.RawItem{Feed: "wire", Title: "raw item"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		value   func(t *testing.T) []byte
		want    Item
		wantErr error // nil: success
	}{
		{"story envelope", func(t *testing.T) []byte { return message(t, good, 0).Value }, Item{Story: &good}, nil},
		{"appearance envelope", func(t *testing.T) []byte { return appearanceMessage(t, copyOf, 0).Value }, Item{Appearance: &copyOf}, nil},
		{"appearance without uri", func(t *testing.T) []byte {
			return appearanceMessage(t, testAppearance("", "partner", pipeline.RelationDuplicate, 0), 0).Value
		}, Item{}, record.ErrInvalidAppearance},
		{"appearance without source feed", func(t *testing.T) []byte {
			return appearanceMessage(t, testAppearance("urn:sink:1", "", pipeline.RelationDuplicate, 0), 0).Value
		}, Item{}, record.ErrInvalidAppearance},
		{"appearance with an unknown relation", func(t *testing.T) []byte {
			return appearanceMessage(t, testAppearance("urn:sink:1", "partner", "sibling", 0), 0).Value
		}, Item{}, record.ErrInvalidAppearance},
		{"appearance data that is not an object", func(*testing.T) []byte { return []byte(`{"schema":"wirehose.appearance/1","data":[1]}`) }, Item{}, errAny},
		{"not JSON", func(*testing.T) []byte { return []byte("{not json") }, Item{}, errAny},
		{"unknown schema", func(*testing.T) []byte { return []byte(`{"schema":"wirehose.story/9","data":{}}`) }, Item{}, pipeline.ErrUnknownSchema},
		{"no schema", func(*testing.T) []byte { return []byte(`{"data":{}}`) }, Item{}, pipeline.ErrUnknownSchema},
		{"raw item on the stories topic", func(*testing.T) []byte { return raw }, Item{}, pipeline.ErrUnknownSchema},
		{"empty uri", func(t *testing.T) []byte { return message(t, testStory("", 1, "wire"), 0).Value }, Item{}, record.ErrInvalidStory},
		{"version 0", func(t *testing.T) []byte { return message(t, testStory("urn:v0", 0, "wire"), 0).Value }, Item{}, record.ErrInvalidStory},
		{"guid over the store's limit", func(t *testing.T) []byte {
			s := testStory("urn:g", 1, "wire")
			s.Sources[0].GUID = strings.Repeat("g", record.MaxGUIDBytes+1)
			return message(t, s, 0).Value
		}, Item{}, record.ErrInvalidStory},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stage := New(&fakeStore{}, nil)
			out, err := stage.Process(context.Background(), pipeline.Message{Topic: "wire.stories", Offset: 7, Value: tt.value(t)})
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("process: %v", err)
				}
				if len(out) != 1 {
					t.Fatalf("process returned %d items, want 1", len(out))
				}
				g, _ := json.Marshal(out[0])
				w, _ := json.Marshal(tt.want)
				if string(g) != string(w) {
					t.Errorf("process = %s, want %s", g, w)
				}
				return
			}
			if !pipeline.IsPermanent(err) {
				t.Fatalf("process error = %v, want a permanent error", err)
			}
			if tt.wantErr != errAny && !errors.Is(err, tt.wantErr) {
				t.Errorf("process error = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), "wire.stories/0@7") {
				t.Errorf("process error %q does not say which message", err)
			}
			if out != nil {
				t.Errorf("process returned %d stories with an error", len(out))
			}
		})
	}
}

// errAny accepts any permanent error.
var errAny = errors.New("any")

// fakeStore records each Write call as one line: stories then appearances.
type fakeStore struct {
	calls []string
	err   error
}

func (f *fakeStore) Write(_ context.Context, stories []pipeline.Story, appearances []pipeline.Appearance) error {
	if f.err != nil {
		return f.err
	}
	var parts []string
	for _, s := range stories {
		parts = append(parts, s.URI+"@"+string(rune('0'+s.Version)))
	}
	for _, a := range appearances {
		parts = append(parts, a.URI+"+"+a.Source.Feed)
	}
	f.calls = append(f.calls, strings.Join(parts, " "))
	return nil
}

func storyItem(s pipeline.Story) Item           { return Item{Story: &s} }
func appearanceItem(a pipeline.Appearance) Item { return Item{Appearance: &a} }

func TestFlush(t *testing.T) {
	a1, b1, a2 := storyItem(testStory("urn:a", 1, "wire")), storyItem(testStory("urn:b", 1, "wire")), storyItem(testStory("urn:a", 2, "wire"))
	ap := appearanceItem(testAppearance("urn:a", "partner", pipeline.RelationDuplicate, 0))
	bp := appearanceItem(testAppearance("urn:b", "blog", pipeline.RelationNearDuplicate, 0.8))
	tests := []struct {
		name     string
		batch    []Item
		storeErr error
		want     []string // one entry per Write call
		wantErr  bool
	}{
		{"batch kept in order, repeats included", []Item{a1, b1, a2, a1}, nil, []string{"urn:a@1 urn:b@1 urn:a@2 urn:a@1"}, false},
		{"stories and appearances in one write", []Item{bp, a1, ap, b1}, nil, []string{"urn:a@1 urn:b@1 urn:b+blog urn:a+partner"}, false},
		{"appearances only", []Item{ap}, nil, []string{"urn:a+partner"}, false},
		{"empty batch does not reach the store", nil, nil, nil, false},
		{"store outage is returned, not permanent", []Item{a1, ap}, errors.New("connection refused"), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := &fakeStore{err: tt.storeErr}
			err := New(fs, nil).Flush(context.Background(), tt.batch)
			if tt.wantErr {
				if !errors.Is(err, tt.storeErr) || pipeline.IsPermanent(err) {
					t.Fatalf("flush = %v, want the store's error, not permanent", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("flush: %v", err)
			}
			if strings.Join(fs.calls, "|") != strings.Join(tt.want, "|") {
				t.Errorf("store writes = %q, want %q", fs.calls, tt.want)
			}
		})
	}
}

// A consumed batch with a redelivery, a second feed's copy and a late older version
// ends up as one row per story, newest version, every source once.
func TestStageWithSQLite(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "sink.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	stage := New(db, nil)

	a1, a2 := testStory("urn:a", 1, "wire"), testStory("urn:a", 2, "wire")
	aPartner := testStory("urn:a", 2, "partner")
	b1 := testStory("urn:b", 1, "wire")
	batches := [][]pipeline.Story{
		{a1, b1, a2},
		{a2, aPartner, a1, b1}, // redelivery after a crash before commit, with a late v1
	}
	var offset int64
	for i, batch := range batches {
		var out []Item
		for _, s := range batch {
			got, err := stage.Process(ctx, message(t, s, offset))
			if err != nil {
				t.Fatalf("process offset %d: %v", offset, err)
			}
			offset++
			out = append(out, got...)
		}
		// A near copy of urn:b, in both batches: attached once.
		got, err := stage.Process(ctx, appearanceMessage(t, testAppearance("urn:b", "blog", pipeline.RelationNearDuplicate, 0.85), offset))
		if err != nil {
			t.Fatalf("process appearance, batch %d: %v", i, err)
		}
		offset++
		out = append(out, got...)
		if err := stage.Flush(ctx, out); err != nil {
			t.Fatalf("flush: %v", err)
		}
	}
	got, err := db.List(ctx, store.Query{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("store holds %d stories, want 2", len(got))
	}
	a, b := got[0], got[1]
	if a.URI != "urn:a" || a.Version != 2 || a.Text() != a2.Text() {
		t.Errorf("first story = %s v%d %q, want urn:a v2 with its body", a.URI, a.Version, a.Text())
	}
	if len(a.Sources) != 2 || a.Sources[0].Feed != "partner" || a.Sources[1].Feed != "wire" {
		t.Errorf("urn:a sources = %+v, want partner and wire once each", a.Sources)
	}
	if b.URI != "urn:b" || len(b.Sources) != 2 {
		t.Fatalf("second story = %s with %d sources, want urn:b with 2", b.URI, len(b.Sources))
	}
	if s := b.Sources[1]; s.Feed != "blog" || s.Relation != pipeline.RelationNearDuplicate || s.Similarity != 0.85 {
		t.Errorf("urn:b appearance = %+v, want the blog's near duplicate at 0.85", s)
	}
	if a.Versions != 2 || b.Versions != 1 {
		t.Errorf("versions = %d and %d, want 2 and 1", a.Versions, b.Versions)
	}
}

// The sink sees the broker and the database only through its small interfaces.
func TestImportsNoBrokerOrDatabase(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	forbidden := []string{"internal/kafka", "segmentio", "franz-go", "database/sql", "sqlite", "pgx", "internal/store/postgres"}
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		ast, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		for _, imp := range ast.Imports {
			for _, bad := range forbidden {
				if strings.Contains(imp.Path.Value, bad) {
					t.Errorf("%s imports %s", f, imp.Path.Value)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no source files checked")
	}
}
