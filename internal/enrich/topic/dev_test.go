package topic

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// devStory is the part of an evaluation story the classifier is measured on.
type devStory struct {
	ID   string `json:"id"`
	Item struct {
		Title string `json:"title"`
		Body  string `json:"body"`
	} `json:"item"`
	Gold struct {
		Language string   `json:"language"`
		Topic    string   `json:"topic"`
		Topics   []string `json:"topics"`
	} `json:"gold"`
}

// TestDevAccuracy reports main-topic accuracy on the tuning stories. It fails
// only when the classifier falls far below the quality goal, so that tuning
// work on the lexicons shows up in the log without flakiness.
func TestDevAccuracy(t *testing.T) {
	files, _ := filepath.Glob("../../../testdata/eval/dev/*.json")
	if len(files) == 0 {
		t.Skip("no stories in testdata/eval/dev yet: nothing to measure")
	}
	c := New()
	var n, main, anyHit int
	perLang := map[string][2]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var s devStory
		if err := json.Unmarshal(data, &s); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if s.Gold.Topic == "" {
			continue
		}
		n++
		got := c.Classify(s.Item.Title, s.Item.Body, s.Gold.Language)
		pl := perLang[s.Gold.Language]
		pl[1]++
		if len(got) > 0 && got[0].Code == s.Gold.Topic {
			main++
			pl[0]++
		} else {
			codes := make([]string, 0, len(got))
			for _, g := range got {
				codes = append(codes, g.Code[7:9])
			}
			t.Logf("miss %-40s want %s got %v", s.ID, s.Gold.Topic[7:9], codes)
		}
		perLang[s.Gold.Language] = pl
		for _, g := range got {
			if g.Code == s.Gold.Topic {
				anyHit++
				break
			}
		}
	}
	if n == 0 {
		t.Skip("dev stories carry no gold topic")
	}
	for lang, pl := range perLang {
		t.Logf("%s: %d/%d", lang, pl[0], pl[1])
	}
	acc := float64(main) / float64(n)
	t.Logf("main-topic accuracy %.3f (%d/%d); gold main topic among labels %.3f", acc, main, n, float64(anyHit)/float64(n))
	if acc < 0.5 {
		t.Errorf("main-topic accuracy %.3f is far below the 0.75 goal", acc)
	}
}
