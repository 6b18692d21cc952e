package entity

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

var updateGolden = flag.Bool("update", false, "rewrite testdata/golden.json.gz from the current extractor")

const goldenPath = "testdata/golden.json.gz"

// goldenCase is one extractor input of the golden file and what Extract returned.
type goldenCase struct {
	Source string `json:"source"`
	Result Result `json:"result"`
}

// goldenInputs returns the texts of the evaluation stories (title, body, language and
// provider only) and the benchmark story, in a fixed order.
func goldenInputs(t *testing.T) ([]string, []Input) {
	t.Helper()
	var files []string
	for _, dir := range []string{"dev", "test"} {
		fs, err := filepath.Glob(filepath.Join("../../../testdata/eval", dir, "*.json"))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, fs...)
	}
	sort.Strings(files)
	if len(files) == 0 {
		t.Skip("no evaluation stories under testdata/eval: the golden output needs them")
	}
	var names []string
	var ins []Input
	for _, f := range files {
		b, err := os.ReadFile(f)
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
		if err := json.Unmarshal(b, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		rel, _ := filepath.Rel("../../../testdata/eval", f)
		names = append(names, filepath.ToSlash(rel))
		ins = append(ins, Input{Headline: s.Item.Title, Body: s.Item.Body, Language: s.Item.Language, Provider: s.Item.Provider})
	}
	body, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, "bench_en.txt")
	ins = append(ins, Input{Headline: "EU ministers agree to tighten bank transfer rules", Body: string(body), Language: "en", Provider: "AFP"})
	return names, ins
}

func encodeCase(t *testing.T, c goldenCase) []byte {
	t.Helper()
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestGolden guards the extractor's output on every evaluation story: changes meant to
// make it faster must leave the output byte for byte as it was. Run with -update to
// accept a deliberate change of behaviour.
func TestGolden(t *testing.T) {
	names, ins := goldenInputs(t)
	x := New(loadGazetteer(t))
	got := make([][]byte, len(ins))
	for i, in := range ins {
		// twice, so that state left over from one call would show in the next
		first := encodeCase(t, goldenCase{names[i], x.Extract(in)})
		if again := encodeCase(t, goldenCase{names[i], x.Extract(in)}); !bytes.Equal(first, again) {
			t.Errorf("%s: a second Extract returned another result:\n%s\n%s", names[i], first, again)
		}
		got[i] = first
	}
	if *updateGolden {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		for _, line := range got {
			zw.Write(line)
			zw.Write([]byte{'\n'})
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenPath, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s: %d stories", goldenPath, len(got))
		return
	}
	f, err := os.Open(goldenPath)
	if err != nil {
		t.Fatalf("open golden output (generate it with -update): %v", err)
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
		t.Fatalf("golden output holds %d stories, the inputs are %d", len(want), len(got))
	}
	for i := range got {
		if !bytes.Equal(got[i], want[i]) {
			t.Errorf("%s: output changed\n got: %s\nwant: %s", names[i], got[i], want[i])
		}
	}
}
