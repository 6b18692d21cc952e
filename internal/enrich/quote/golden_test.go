package quote

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

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

// pairSpeakers builds a speaker list from the text alone: each pair of adjacent
// capitalised words, in order of first appearance (every other one with its second
// word as an alias), then the acronyms.
func pairSpeakers(body string) []pipeline.Entity {
	capital := func(w string) bool {
		r, _ := utf8.DecodeRuneInString(w)
		return unicode.IsUpper(r)
	}
	trim := func(w string) string {
		return strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	var out []pipeline.Entity
	seen := map[string]bool{}
	fields := strings.Fields(body)
	for i := 0; i+1 < len(fields) && len(out) < 16; i++ {
		a, b := fields[i], fields[i+1]
		if a != trim(a) || !capital(a) || !capital(trim(b)) {
			continue
		}
		name := a + " " + trim(b)
		if seen[name] {
			continue
		}
		seen[name] = true
		e := pipeline.Entity{Name: name}
		if len(out)%2 == 1 {
			e.Aliases = []string{trim(b)}
		}
		out = append(out, e)
	}
	acronyms := 0
	for _, f := range fields {
		w := trim(f)
		if len(w) < 2 || acronyms == 4 || seen[w] || strings.ToUpper(w) != w || strings.ToLower(w) == w {
			continue
		}
		seen[w] = true
		out = append(out, pipeline.Entity{Name: w})
		acronyms++
	}
	return out
}

// TestGolden guards the output: every evaluation story, in its language and the
// four quote languages, with no speakers and with speakers built from its text,
// must give the quotations the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story    string           `json:"story"`
		Lang     string           `json:"lang"`
		Speakers []string         `json:"speakers"`
		Quotes   []pipeline.Quote `json:"quotes"`
	}
	names, items := evalItems(t)
	var recs []record
	for _, name := range names {
		it := items[name].Item
		synthetic := pairSpeakers(it.Body)
		var list []string
		for _, e := range synthetic {
			list = append(list, strings.Join(append([]string{e.Name}, e.Aliases...), "|"))
		}
		for _, lang := range []string{it.Language, "en", "fr", "es", "de"} {
			recs = append(recs, record{name, lang, nil, Extract(it.Body, lang, nil)})
			recs = append(recs, record{name, lang, list, Extract(it.Body, lang, synthetic)})
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
