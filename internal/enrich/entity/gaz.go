package entity

import "github.com/wirehose/wirehose/internal/enrich/gazetteer"

// New returns an Extractor that resolves places with g.
func New(g *gazetteer.Gazetteer) *Extractor { return newExtractor(gazIndex{g}) }

// gazIndex adapts the gazetteer to placeIndex.
type gazIndex struct{ g *gazetteer.Gazetteer }

func toCand(p gazetteer.Place) placeCand {
	return placeCand{ID: p.ID, Name: p.Name, Kind: string(p.Kind), Country: p.Country, Lat: p.Lat, Lon: p.Lon, Pop: p.Population}
}

func (a gazIndex) lookup(name string) (int, placeCand) {
	// Resolve without context is the best candidate, and unlike Lookup allocates nothing.
	p, ok := a.g.Resolve(name, nil)
	if !ok {
		return 0, placeCand{}
	}
	return 1, toCand(p)
}

func (a gazIndex) resolve(name string, context []string) (placeCand, bool) {
	p, ok := a.g.Resolve(name, context)
	return toCand(p), ok
}

func (a gazIndex) country(code string) (placeCand, bool) {
	p, ok := a.g.Country(code)
	return toCand(p), ok
}

func (a gazIndex) demonym(word string) bool {
	_, ok := a.g.Demonym(word)
	return ok
}

func (a gazIndex) maxWords() int { return a.g.MaxWords() }

func (a gazIndex) in(name, country string) (placeCand, bool) {
	for _, p := range a.g.Lookup(name) {
		if p.Country == country {
			return toCand(p), true
		}
	}
	return placeCand{}, false
}
