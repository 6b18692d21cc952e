package tone

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json.gz from the current code")

// evalItem is the input side of an evaluation story: the text an enricher reads.
type evalItem struct {
	Item struct {
		Title    string `json:"title"`
		Body     string `json:"body"`
		Language string `json:"language"`
	} `json:"item"`
}

// evalItems reads the title, body and language of every evaluation story, by file name.
func evalItems(t *testing.T) ([]string, map[string]evalItem) {
	t.Helper()
	var files []string
	for _, dir := range []string{"dev", "test"} {
		m, err := filepath.Glob(filepath.Join("..", "..", "..", "testdata", "eval", dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no evaluation stories in testdata/eval")
	}
	sort.Strings(files)
	items := make(map[string]evalItem, len(files))
	names := make([]string, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var it evalItem
		if err := json.Unmarshal(raw, &it); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
		names = append(names, name)
		items[name] = it
	}
	return names, items
}

// goldenLangs are the languages every story is scored in: each lexicon, and one
// without a lexicon.
var goldenLangs = []string{"en", "fr", "es", "de", "it"}

// TestGolden guards the output: every evaluation story, its headline and an
// upper-case copy, scored in every language, must give what the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story string        `json:"story"`
		Input string        `json:"input"`
		Lang  string        `json:"lang"`
		Tone  pipeline.Tone `json:"tone"`
	}
	names, items := evalItems(t)
	var recs []record
	for _, name := range names {
		it := items[name].Item
		inputs := []struct{ kind, text string }{
			{"body", it.Body},
			{"title", it.Title},
			{"upper", strings.ToUpper(it.Body)},
		}
		// Paragraphs alone, so that a small change in one is not lost in the rounding
		// of a whole story's score.
		for k, p := range strings.Split(it.Body, "\n\n") {
			inputs = append(inputs, struct{ kind, text string }{fmt.Sprintf("para%d", k), p})
		}
		langs := goldenLangs
		if it.Language != "" {
			langs = append([]string{it.Language}, langs...)
		}
		for _, in := range inputs {
			for _, lang := range langs {
				recs = append(recs, record{name, in.kind, lang, Score(in.text, lang)})
			}
		}
	}
	checkGolden(t, recs)
}

// checkGolden compares records, written as a JSON array with one record a line,
// with testdata/golden.json.gz, or rewrites that file under -update.
func checkGolden[T any](t *testing.T, recs []T) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("[\n")
	for i, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		if i < len(recs)-1 {
			b.WriteByte(',')
		}
		b.WriteByte('\n')
	}
	b.WriteString("]\n")
	got := b.Bytes()
	path := filepath.Join("testdata", "golden.json.gz")
	if *update {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		if _, err := zw.Write(got); err != nil {
			t.Fatal(err)
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("golden file: %v (run go test -run TestGolden -update)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	want, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	shown := 0
	for i := 0; i < max(len(gl), len(wl)) && shown < 10; i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Errorf("line %d:\n got  %s\n want %s", i+1, g, w)
			shown++
		}
	}
	t.Errorf("output differs from %s (%d vs %d lines)", path, len(gl), len(wl))
}
