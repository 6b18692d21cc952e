package entity

import (
	"os"
	"reflect"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/golden"
)

// goldenCase is one extractor input of the golden file and what Extract returned.
type goldenCase struct {
	Source string `json:"source"`
	Result Result `json:"result"`
}

// TestGolden guards the extractor's output on every evaluation story (title, body,
// language and provider only) and the benchmark story: changes meant to make it faster
// must leave the output byte for byte as it was. Run with -update to accept a
// deliberate change of behaviour.
func TestGolden(t *testing.T) {
	var names []string
	var ins []Input
	for _, s := range golden.Stories(t) {
		names = append(names, s.Name)
		ins = append(ins, Input{Headline: s.Title, Body: s.Body, Language: s.Language, Provider: s.Provider})
	}
	body, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	names = append(names, "bench_en.txt")
	ins = append(ins, Input{Headline: "EU ministers agree to tighten bank transfer rules", Body: string(body), Language: "en", Provider: "AFP"})

	x := New(loadGazetteer(t))
	recs := make([]goldenCase, len(ins))
	for i, in := range ins {
		// twice, so that state left over from one call would show in the next
		first, again := x.Extract(in), x.Extract(in)
		if !reflect.DeepEqual(first, again) {
			t.Errorf("%s: a second Extract returned another result:\n%+v\n%+v", names[i], first, again)
		}
		recs[i] = goldenCase{names[i], first}
	}
	golden.Check(t, recs, func(i int) string { return names[i] })
}
