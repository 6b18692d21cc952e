package entity

// placeCand is one place a surface form may name.
type placeCand struct {
	ID      int
	Name    string
	Kind    string
	Country string
	Lat     float64
	Lon     float64
	Pop     int64
}

// placeIndex is what the extractor needs from the gazetteer.
type placeIndex interface {
	lookup(name string) (n int, best placeCand) // n > 0 when the form names a place; best is the likeliest
	resolve(name string, context []string) (placeCand, bool)
	country(code string) (placeCand, bool)
	in(name, country string) (placeCand, bool) // the best place of that name in the country
	demonym(word string) bool
	maxWords() int
}

// abbreviatedKey is abbreviatedCountry of a folded key in a buffer.
func abbreviatedKey(b []byte) string {
	if len(b) > 8 {
		return "" // longer than any of them
	}
	return abbreviatedCountry(string(b))
}

// abbreviatedCountries are the short forms wire copy uses for a few countries,
// which gazetteers seldom carry as names.
func abbreviatedCountry(fold string) string {
	switch fold {
	case "us", "u.s", "u.s.", "usa", "u.s.a.", "ee.uu.", "eeuu", "eua":
		return "US"
	case "uk", "u.k", "u.k.":
		return "GB"
	case "uae", "eau":
		return "AE"
	case "drc", "rdc":
		return "CD"
	case "brd":
		return "DE"
	}
	return ""
}
