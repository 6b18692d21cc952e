package keyphrase

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

// TestGolden guards the output: every evaluation story, as written, with its
// paragraphs alone and with upper-case text, in every stop-list language and
// one without a list, must give the phrases the committed file holds.
func TestGolden(t *testing.T) {
	type record struct {
		Story   string   `json:"story"`
		Input   string   `json:"input"`
		Lang    string   `json:"lang"`
		N       int      `json:"n"`
		Phrases []string `json:"phrases"`
	}
	names, items := evalItems(t)
	var recs []record
	for _, name := range names {
		it := items[name].Item
		type input struct{ kind, headline, body string }
		inputs := []input{
			{"story", it.Title, it.Body},
			{"upper-headline", strings.ToUpper(it.Title), it.Body},
			{"no-headline", "", it.Body},
			{"upper-body", it.Title, strings.ToUpper(it.Body)},
		}
		for k, p := range strings.Split(it.Body, "\n\n") {
			inputs = append(inputs, input{fmt.Sprintf("para%d", k), it.Title, p})
		}
		langs := []string{"en", "fr", "es", "de", "it"}
		if it.Language != "" {
			langs = append([]string{it.Language}, langs...)
		}
		for i, in := range inputs {
			for _, lang := range langs {
				for _, n := range []int{10, 3} {
					if i > 0 && n != 10 {
						continue
					}
					recs = append(recs, record{name, in.kind, lang, n, Extract(in.headline, in.body, lang, n)})
				}
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
