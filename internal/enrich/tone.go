package enrich

import (
	"context"
	"unicode"

	"github.com/wirehose/wirehose/internal/enrich/tone"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Tone is the enricher that scores the story's sentiment and counts its words.
type Tone struct{}

func (Tone) Name() string    { return "tone" }
func (Tone) Version() string { return "1" }

func (Tone) Enrich(_ context.Context, s *pipeline.Story) error {
	body := s.Text()
	t := tone.Score(body, s.Language)
	s.Tone = &t
	s.WordCount = wordCount(body)
	return nil
}

// wordCount counts the space-separated words that hold a letter or a digit, so that
// "well-known" and "don't" are one word each and a dash standing alone is none.
func wordCount(s string) int {
	n := 0
	counted := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			counted = false
			continue
		}
		if !counted && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			n++
			counted = true
		}
	}
	return n
}
