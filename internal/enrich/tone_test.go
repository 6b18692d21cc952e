package enrich

import (
	"context"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestTone(t *testing.T) {
	score := func(body string) pipeline.Story {
		s := pipeline.Story{Language: "en", Bodies: []pipeline.Body{{Value: body}}}
		if err := (Tone{}).Enrich(context.Background(), &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := score("Rescuers celebrated a wonderful success as every miner was saved, and families thanked them with joy.")
	bad := score("The attack killed dozens and left the city in grief, fear and terrible destruction.")
	if good.Tone == nil || bad.Tone == nil || good.Tone.Score <= 0 || bad.Tone.Score >= 0 ||
		good.Tone.Score > 1 || bad.Tone.Score < -1 {
		t.Fatalf("tone good %+v bad %+v, want one above 0 and one below, within [-1, 1]", good.Tone, bad.Tone)
	}
	if good.WordCount != 16 {
		t.Errorf("word count = %d, want 16", good.WordCount)
	}
}

func TestWordCount(t *testing.T) {
	for text, want := range map[string]int{
		"":                                0,
		"One well-known word — and don't": 5,
		"Zwei Wörter":                     2,
		"3 – 2 win":                       3,
	} {
		if got := wordCount(text); got != want {
			t.Errorf("wordCount(%q) = %d, want %d", text, got, want)
		}
	}
}
