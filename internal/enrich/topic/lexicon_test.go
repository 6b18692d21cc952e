package topic

import "testing"

func TestLexiconsParse(t *testing.T) {
	c, err := build()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "fr", "es", "de"} {
		lx := c.byLang[lang]
		if lx == nil {
			t.Fatalf("no lexicon for %s", lang)
		}
		seen := map[uint8]bool{}
		for _, list := range append(lx.fwd.cues, lx.rev.cues...) {
			for _, cu := range list {
				seen[cu.topic] = true
			}
		}
		if len(seen) != nTopics {
			t.Errorf("%s lexicon covers %d topics, want %d", lang, len(seen), nTopics)
		}
	}
}
