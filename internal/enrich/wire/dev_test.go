package wire

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

type devStory struct {
	ID   string `json:"id"`
	Item struct {
		Body string `json:"body"`
	} `json:"item"`
	Gold struct {
		Provider string `json:"provider"`
		Located  *struct {
			Name string `json:"name"`
		} `json:"located"`
		By string `json:"by"`
	} `json:"gold"`
}

// TestDevSet prints how often the dateline, credit line and byline give the gold
// provider, dateline place and byline on the development stories.
func TestDevSet(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/eval/dev/*.json")
	if len(files) == 0 {
		t.Skip("no development stories in testdata/eval/dev")
	}
	var provider, located, by int
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s devStory
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		body := s.Item.Body
		d, hasDateline := ParseDateline(body)
		agency := d.Agency
		if agency == "" {
			agency, _, _ = CreditLine(body)
		}
		if agency == s.Gold.Provider {
			provider++
		} else {
			t.Logf("%s: provider %q, want %q", s.ID, agency, s.Gold.Provider)
		}
		want := ""
		if s.Gold.Located != nil {
			want = s.Gold.Located.Name
		}
		place := ""
		if hasDateline {
			place = d.Place
		}
		if textkit.Fold(place) == textkit.Fold(want) {
			located++
		} else {
			t.Logf("%s: located %q, want %q", s.ID, place, want)
		}
		gotBy, _, _ := Byline(body)
		if gotBy == s.Gold.By {
			by++
		} else {
			t.Logf("%s: by %q, want %q", s.ID, gotBy, s.Gold.By)
		}
	}
	n := float64(len(files))
	t.Logf("dev: %d stories, provider %.3f, located %.3f (place as written), by %.3f",
		len(files), float64(provider)/n, float64(located)/n, float64(by)/n)
	if provider == 0 && located == 0 {
		t.Error("neither provider nor place right on any story")
	}
}
