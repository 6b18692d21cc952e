package enrich

import (
	"context"
	"sync"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/gazetteer"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var testPlaces = sync.OnceValues(gazetteer.Load)

func places(t *testing.T) *gazetteer.Gazetteer {
	t.Helper()
	g, err := testPlaces()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

func TestDateline(t *testing.T) {
	for _, tt := range []struct {
		name                 string
		provider, by, body   string
		wantProvider, wantBy string
		wantLocated          string
		wantCountry          string // of Location; "" when none
		wantCapital          string // Location's name, when checked
	}{
		{name: "AFP dateline over the feed's provider", provider: "Partner Daily",
			body:         "KYIV, June 16 (AFP) - Air raid sirens sounded across the capital overnight.",
			wantProvider: "AFP", wantLocated: "Kyiv", wantCountry: "UA"},
		{name: "dateline with a country", body: "NAIROBI, Kenya (AP) — Rains flooded roads on Tuesday.",
			wantProvider: "AP", wantLocated: "Nairobi", wantCountry: "KE"},
		{name: "trailing credit line", provider: "Partner Daily",
			body:         "The central bank held rates on Thursday.\n\n— Reuters",
			wantProvider: "Reuters"},
		{name: "feed provider in full becomes the agency's short name", provider: "Agence France-Presse",
			body: "Officials met on Monday.", wantProvider: "AFP"},
		{name: "unknown feed provider kept", provider: "Partner Daily", body: "Officials met on Monday.", wantProvider: "Partner Daily"},
		{name: "byline line when the format gave none", body: "By Jane Doe\n\nBERLIN (Reuters) - Talks resumed.",
			wantProvider: "Reuters", wantBy: "Jane Doe", wantLocated: "Berlin", wantCountry: "DE"},
		{name: "the format's byline wins", by: "Desk Staff", body: "By Jane Doe\n\nTalks resumed.", wantBy: "Desk Staff"},
		{name: "a region picks the namesake", body: "PARIS, Texas (AP) — The county court met on Friday.",
			wantProvider: "AP", wantLocated: "Paris", wantCountry: "US"},
		{name: "a country dateline means its capital", body: "MÉXICO (EFE).- El Gobierno anunció el lunes un plan.",
			wantProvider: "EFE", wantLocated: "México", wantCountry: "MX", wantCapital: "Mexico City"},
		{name: "no dateline, no place", body: "The President said on Monday that talks would resume.", wantProvider: ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := pipeline.Story{Provider: tt.provider, By: tt.by, Bodies: []pipeline.Body{{Value: tt.body}}}
			d := Dateline{places: places(t)}
			for range 2 { // a second run gives the same answer
				if err := d.Enrich(context.Background(), &s); err != nil {
					t.Fatal(err)
				}
			}
			if s.Provider != tt.wantProvider || s.By != tt.wantBy || s.Located != tt.wantLocated {
				t.Errorf("provider %q by %q located %q, want %q %q %q", s.Provider, s.By, s.Located, tt.wantProvider, tt.wantBy, tt.wantLocated)
			}
			switch {
			case tt.wantCountry == "" && s.Location != nil:
				t.Errorf("location %+v, want none", s.Location)
			case tt.wantCountry != "" && (s.Location == nil || s.Location.Country != tt.wantCountry || s.Location.Lat == 0):
				t.Errorf("location %+v, want a place in %s with coordinates", s.Location, tt.wantCountry)
			case tt.wantCapital != "" && s.Location.Name != tt.wantCapital:
				t.Errorf("location %+v, want %s", s.Location, tt.wantCapital)
			}
		})
	}
}
