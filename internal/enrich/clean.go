package enrich

import (
	"context"

	"github.com/wirehose/wirehose/internal/enrich/wire"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Clean is the enricher that removes boilerplate paragraphs from the body — read-more
// and share links, newsletter prompts, copyright footers — which the stage's HTML to
// text conversion keeps because they are text.
type Clean struct{}

func (Clean) Name() string    { return "clean" }
func (Clean) Version() string { return "1" }

func (Clean) Enrich(_ context.Context, s *pipeline.Story) error {
	if len(s.Bodies) > 0 {
		s.Bodies[0].Value = wire.StripBoilerplate(s.Bodies[0].Value)
	}
	return nil
}
