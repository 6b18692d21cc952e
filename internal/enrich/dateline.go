package enrich

import (
	"context"
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/gazetteer"
	"github.com/wirehose/wirehose/internal/enrich/wire"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Dateline is the enricher that reads what wire copy says about itself: the agency
// from the dateline or a trailing credit line (over the feed's own provider, since a
// partner feed carries other agencies' copy), the dateline place resolved to a place
// with its country, and a byline line when the format gave none.
type Dateline struct{ places *gazetteer.Gazetteer }

func (Dateline) Name() string    { return "dateline" }
func (Dateline) Version() string { return "1" }

func (d Dateline) Enrich(_ context.Context, s *pipeline.Story) error {
	body := s.Text()
	var region string
	dl, hasDateline := wire.ParseDateline(body)
	if hasDateline {
		s.Located, region = dl.Place, dl.Region
	}
	switch agency, _, credited := wire.CreditLine(body); {
	case hasDateline && dl.Agency != "":
		s.Provider = dl.Agency
	case credited:
		s.Provider = agency
	default:
		if canonical, ok := wire.Agency(s.Provider); ok {
			s.Provider = canonical
		}
	}
	if s.By == "" {
		if by, _, ok := wire.Byline(body); ok {
			s.By = by
		}
	}
	s.Location = nil
	if s.Located != "" {
		if p, ok := d.resolve(s.Located, region); ok {
			loc := placeOf(p)
			if loc.Name != s.Located {
				loc.Aliases = []string{s.Located}
			}
			s.Location = &loc
		}
	}
	return nil
}

// resolve finds the dateline's place, using the region the dateline adds to it
// ("PARIS, Texas", "CAMBRIDGE, Mass.", "NAIROBI, Kenya"). A dateline that names a country
// means its capital when the capital is named after it ("MÉXICO (EFE)", "KUWAIT").
func (d Dateline) resolve(place, region string) (gazetteer.Place, bool) {
	var p gazetteer.Place
	var ok bool
	if region != "" {
		p, ok = d.places.ResolveNear(place, region)
	} else {
		p, ok = d.places.Resolve(place, nil)
	}
	if ok && p.Kind == gazetteer.KindCountry {
		if c, found := d.places.Capital(p.Country); found && strings.Contains(strings.ToLower(c.Name), strings.ToLower(p.Name)) {
			return c, true
		}
	}
	return p, ok
}

// placeOf is the story's record of a gazetteer place. Regions the gazetteer adds to
// GeoNames have ids of their own, which are not GeoNames ids.
func placeOf(p gazetteer.Place) pipeline.Place {
	out := pipeline.Place{Name: p.Name, Kind: string(p.Kind), Country: p.Country, Lat: p.Lat, Lon: p.Lon}
	if p.ID < gazetteer.FirstOwnID {
		out.GeoNameID = p.ID
	}
	return out
}
