package enrich

import (
	"context"

	"github.com/wirehose/wirehose/internal/enrich/entity"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Entities is the enricher that names the story's people, organisations and places,
// with second mentions and acronyms resolved to one canonical name and places resolved
// against the gazetteer, preferring the dateline's country.
type Entities struct{ x *entity.Extractor }

func (Entities) Name() string    { return "entities" }
func (Entities) Version() string { return "1" }

func (e Entities) Enrich(_ context.Context, s *pipeline.Story) error {
	in := entity.Input{Headline: s.Headline(), Body: s.Text(), Language: s.Language, Provider: s.Provider}
	if s.Location != nil && s.Location.Country != "" {
		in.Context = []string{s.Location.Country}
	}
	r := e.x.Extract(in)
	s.People, s.Organisations, s.Places = r.People, r.Organisations, r.Places
	return nil
}
