package enrich

import (
	"context"

	"github.com/wirehose/wirehose/internal/enrich/keyphrase"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// maxKeywords is how many key phrases a story keeps.
const maxKeywords = 10

// Keywords is the enricher that lists the story's key phrases, best first.
type Keywords struct{}

func (Keywords) Name() string    { return "keywords" }
func (Keywords) Version() string { return "1" }

func (Keywords) Enrich(_ context.Context, s *pipeline.Story) error {
	s.Keywords = keyphrase.Extract(s.Headline(), s.Text(), s.Language, maxKeywords)
	return nil
}
