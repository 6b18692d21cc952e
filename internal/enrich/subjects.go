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
	// What an earlier run assigned carries a confidence; the agency's codes do not.
	kept := slices.DeleteFunc(slices.Clone(s.Subjects), func(sub pipeline.Subject) bool { return sub.Confidence > 0 })
	for _, sub := range e.c.Classify(s.Headline(), s.Text(), s.Language) {
		if !slices.ContainsFunc(kept, func(k pipeline.Subject) bool { return k.Code == sub.Code && k.Confidence > 0 }) {
			kept = append(kept, sub)
		}
	}
	if len(kept) == 0 {
		kept = nil
	}
	s.Subjects = kept
	return nil
}
