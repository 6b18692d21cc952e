// Package golden is the golden-output guard the enrich domain packages' tests share: the
// texts of the evaluation stories as inputs, and a comparison of what a package made of
// them with the file committed under its testdata. Speed work must leave that output
// byte for byte as it was; `go test -run TestGolden -update` accepts a deliberate change.
package golden

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"flag"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden.json.gz from the current code")

// Path is where a package keeps its golden output, relative to its directory.
const Path = "testdata/golden.json.gz"

// Story is the input side of an evaluation story: what an enricher reads. The gold
// annotations are never decoded.
type Story struct {
	Name                            string // "dev/en-001-….json"
	Title, Body, Language, Provider string
}

// Stories reads every story of testdata/eval (dev and test), in name order.
func Stories(t testing.TB) []Story {
	t.Helper()
	root := evalDir(t)
	var files []string
	for _, dir := range []string{"dev", "test"} {
		m, err := filepath.Glob(filepath.Join(root, dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Fatalf("no evaluation stories in %s", root)
	}
	sort.Strings(files)
	out := make([]Story, 0, len(files))
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s struct {
			Item struct {
				Title    string `json:"title"`
				Body     string `json:"body"`
				Language string `json:"language"`
				Provider string `json:"provider"`
			} `json:"item"`
		}
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel, err := filepath.Rel(root, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, Story{Name: filepath.ToSlash(rel), Title: s.Item.Title, Body: s.Item.Body,
			Language: s.Item.Language, Provider: s.Item.Provider})
	}
	return out
}

// evalDir finds testdata/eval at the module's root, above the test's directory.
func evalDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "testdata", "eval")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Check compares recs, one JSON line each, with the package's golden file, or rewrites
// the file under -update. name(i) says which input record i came from, for the report.
func Check[T any](t testing.TB, recs []T, name func(i int) string) {
	t.Helper()
	got := make([][]byte, len(recs))
	for i, r := range recs {
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got[i] = line
	}
	if *update {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		for _, line := range got {
			zw.Write(line)
			zw.Write([]byte{'\n'})
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(Path, z.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d records", Path, len(got))
		return
	}
	f, err := os.Open(Path)
	if err != nil {
		t.Fatalf("golden output: %v (generate it with go test -run TestGolden -update)", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Split(bytes.TrimSuffix(raw, []byte{'\n'}), []byte{'\n'})
	if len(want) != len(got) {
		t.Fatalf("%s holds %d records, the code made %d", Path, len(want), len(got))
	}
	shown := 0
	for i := range got {
		if !bytes.Equal(got[i], want[i]) && shown < 10 {
			t.Errorf("%s: output changed\n got: %s\nwant: %s", name(i), got[i], want[i])
			shown++
		}
	}
}
