package enrich

import (
	"context"

	"github.com/wirehose/wirehose/internal/enrich/quote"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Quotes is the enricher that finds direct quotations and who said them, resolving the
// speaker through the people and organisations the entities enricher found.
type Quotes struct{}

func (Quotes) Name() string    { return "quotes" }
func (Quotes) Version() string { return "1" }

func (Quotes) Enrich(_ context.Context, s *pipeline.Story) error {
	speakers := make([]pipeline.Entity, 0, len(s.People)+len(s.Organisations))
	speakers = append(append(speakers, s.People...), s.Organisations...)
	s.Quotes = quote.Extract(s.Text(), s.Language, speakers)
	return nil
}
