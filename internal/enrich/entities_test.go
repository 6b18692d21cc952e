package enrich

import (
	"context"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/entity"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestEntities(t *testing.T) {
	e := Entities{x: entity.New(places(t))}
	s := pipeline.Story{
		Language: "en", Provider: "AFP",
		Location:  &pipeline.Place{Name: "Brussels", Country: "BE"},
		Headlines: []pipeline.Headline{{Value: "Alliance ministers meet in Brussels"}},
		Bodies: []pipeline.Body{{Value: "BRUSSELS, March 4 (AFP) - Defence ministers of the North Atlantic Treaty " +
			"Organization (NATO) met in Brussels on Tuesday, Secretary General Mark Rutte said.\n\n" +
			"Rutte said NATO would send more air defence systems to Ukraine.\n\nAFP"}},
	}
	for range 2 { // a second run replaces what the first found
		if err := e.Enrich(context.Background(), &s); err != nil {
			t.Fatal(err)
		}
	}
	if len(s.People) != 1 || s.People[0].Name != "Mark Rutte" || s.People[0].Mentions != 2 {
		t.Errorf("people = %+v, want Mark Rutte mentioned twice", s.People)
	}
	if len(s.Organisations) != 1 || s.Organisations[0].Name != "North Atlantic Treaty Organization" {
		t.Errorf("organisations = %+v, want NATO under its full name and not the agency", s.Organisations)
	}
	countries := map[string]bool{}
	for _, p := range s.Places {
		countries[p.Country] = true
		if p.Lat == 0 && p.Lon == 0 {
			t.Errorf("place %+v has no coordinates", p)
		}
	}
	if !countries["BE"] || !countries["UA"] || len(s.Places) != 2 {
		t.Errorf("places = %+v, want Brussels and Ukraine", s.Places)
	}
}
