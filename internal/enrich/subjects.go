package enrich

import (
	"context"
	"slices"

	"github.com/wirehose/wirehose/internal/enrich/topic"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Subjects is the enricher that assigns IPTC Media Topics with a confidence, after the
// subject codes the agency sent, which it keeps as they are.
type Subjects struct{ c *topic.Classifier }

func (Subjects) Name() string    { return "subjects" }
func (Subjects) Version() string { return "1" }

func (e Subjects) Enrich(_ context.Context, s *pipeline.Story) error {
	// What an earlier run assigned carries a confidence; the agency's codes do not, and
	// stay even when the enricher assigns the same code (the desk sees both opinions).
	kept := slices.DeleteFunc(slices.Clone(s.Subjects), func(sub pipeline.Subject) bool { return sub.Confidence > 0 })
	kept = append(kept, e.c.Classify(s.Headline(), s.Text(), s.Language)...)
	if len(kept) == 0 {
		kept = nil
	}
	s.Subjects = kept
	return nil
}
