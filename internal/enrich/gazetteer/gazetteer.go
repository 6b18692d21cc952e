// Package gazetteer is the reference place data wirehose ships: continents, countries,
// first-level regions and cities of 15,000 people or more, with their names in English,
// French, Spanish, German and other languages, plus demonyms. The data is embedded; Load
// builds the index once and the result is read-only and safe for concurrent use.
package gazetteer

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

//go:embed data/places.tsv.gz
var placesGz []byte

// Kind is what sort of place a Place is.
type Kind string

// The kinds of place, from the largest.
const (
	KindContinent Kind = "continent"
	KindCountry   Kind = "country"
	KindRegion    Kind = "region"
	KindCity      Kind = "city"
)

// FirstOwnID is the first id of the regions the wirehose team wrote; ids below it are
// GeoNames ids.
const FirstOwnID = 990000001

// Place is one gazetteer entry. ID is the GeoNames id where the place has one; regions
// written by the wirehose team have ids from FirstOwnID up. Country is ISO 3166-1 alpha-2,
// empty for continents and for areas spanning several countries ("Middle East").
type Place struct {
	ID         int
	Name       string
	Kind       Kind
	Country    string
	Lat, Lon   float64
	Population int64
}

// A city this large is one a story may mean by its bare name: it goes before the
// same-named region of its country ("Kherson").
const contextMinPopulation = 50000

// A context-country namesake wins Resolve only when the best-known candidate ranks at
// most this many times higher ("Córdoba" in a Spanish story is Córdoba, Spain; "Paris" in
// an American one is still Paris, France).
const contextMaxRatio = 50

type entry struct {
	place uint32 // index into Gazetteer.places
	caps  bool   // the form matches only when written in capitals
}

// abbrev is a region a dateline abbreviation names ("Mass.", "B.C.", "TX").
type abbrev struct {
	region uint32 // index into Gazetteer.places
	caps   bool   // the form matches only when written in capitals
}

type span struct {
	off, n uint32
	caps   bool // some entry is capitals-only
}

// Gazetteer answers place lookups. Build it with Load.
type Gazetteer struct {
	places    []Place
	rank      []int64 // ranking weight: population, tripled for capitals, quartered for regions
	capital   []bool
	region    []uint32 // 1 + index of a city's first-level region; 0 if unknown
	capitals  map[string]uint32
	abbrevs   map[string][]abbrev
	index     map[string]span
	entries   []entry
	countries map[string]uint32
	demonyms  map[string]string
	maxWords  int
	fold      *folder
}

// Load reads the embedded data and builds the index. Call it once and share the result.
func Load() (*Gazetteer, error) {
	zr, err := gzip.NewReader(bytes.NewReader(placesGz))
	if err != nil {
		return nil, fmt.Errorf("gazetteer: open embedded data: %w", err)
	}
	defer zr.Close()
	return load(zr)
}

func load(r io.Reader) (*Gazetteer, error) {
	g := &Gazetteer{
		countries: make(map[string]uint32, 260),
		capitals:  make(map[string]uint32, 260),
		abbrevs:   make(map[string][]abbrev, 200),
		demonyms:  make(map[string]string, 4000),
		fold:      newFolder(),
	}
	postings := make(map[string][]entry, 150000)
	var buf []byte
	addForm := func(form string, idx uint32) {
		caps := strings.HasPrefix(form, "=")
		if caps {
			form = form[1:]
		}
		buf = g.fold.fold(buf[:0], form)
		if len(buf) == 0 {
			return
		}
		list, ok := postings[string(buf)]
		if !ok {
			if w := bytes.Count(buf, []byte{' '}) + 1; w > g.maxWords {
				g.maxWords = w
			}
		}
		for i := range list {
			if list[i].place == idx {
				list[i].caps = list[i].caps && caps
				return
			}
		}
		postings[string(buf)] = append(list, entry{place: idx, caps: caps})
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	line := 0
	byID := make(map[int]uint32, 5000)      // regions by id, to link cities to them
	regionOf := make(map[uint32]int, 40000) // city index -> region id
	type abbrevLine struct {
		id    int
		forms string
		line  int
	}
	var abbrevLines []abbrevLine
	for sc.Scan() {
		line++
		col := strings.Split(sc.Text(), "\t")
		switch {
		case col[0] == "P" && (len(col) == 10 || len(col) == 11):
			p, rank, err := parsePlace(col)
			if err != nil {
				return nil, fmt.Errorf("gazetteer: data line %d: %w", line, err)
			}
			idx := uint32(len(g.places))
			g.places = append(g.places, p)
			g.rank = append(g.rank, rank)
			g.capital = append(g.capital, p.Kind == KindCity && rank > p.Population)
			switch {
			case p.Kind == KindCountry:
				g.countries[p.Country] = idx
			case p.Kind == KindRegion:
				byID[p.ID] = idx
			case g.capital[idx]:
				if c, ok := g.capitals[p.Country]; !ok || g.places[c].Population < p.Population {
					g.capitals[p.Country] = idx
				}
			}
			if len(col) == 11 && col[10] != "" {
				rid, err := strconv.Atoi(col[10])
				if err != nil {
					return nil, fmt.Errorf("gazetteer: data line %d: region %q: %w", line, col[10], err)
				}
				regionOf[idx] = rid
			}
			// The name itself is among the forms unless it was filtered out as a common
			// word ("Mobile", "Police"): such a place keeps only its other names.
			if col[9] != "" {
				for _, f := range strings.Split(col[9], "|") {
					addForm(f, idx)
				}
			}
		case col[0] == "D" && len(col) == 3:
			for _, f := range strings.Split(col[2], "|") {
				buf = g.fold.fold(buf[:0], f)
				if _, dup := g.demonyms[string(buf)]; !dup && len(buf) > 0 {
					g.demonyms[string(buf)] = col[1]
				}
			}
		case col[0] == "A" && len(col) == 3:
			id, err := strconv.Atoi(col[1])
			if err != nil {
				return nil, fmt.Errorf("gazetteer: data line %d: region id %q: %w", line, col[1], err)
			}
			abbrevLines = append(abbrevLines, abbrevLine{id: id, forms: col[2], line: line})
		default:
			return nil, fmt.Errorf("gazetteer: data line %d: unknown record with %d fields", line, len(col))
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("gazetteer: read embedded data: %w", err)
	}
	if len(g.places) == 0 {
		return nil, fmt.Errorf("gazetteer: embedded data holds no places")
	}
	g.region = make([]uint32, len(g.places))
	for idx, rid := range regionOf {
		if r, ok := byID[rid]; ok {
			g.region[idx] = r + 1
		}
	}
	for _, a := range abbrevLines {
		r, ok := byID[a.id]
		if !ok {
			return nil, fmt.Errorf("gazetteer: data line %d: no region with id %d", a.line, a.id)
		}
		for _, f := range strings.Split(a.forms, "|") {
			caps := strings.HasPrefix(f, "=")
			buf = g.fold.fold(buf[:0], strings.TrimPrefix(f, "="))
			if len(buf) > 0 {
				g.abbrevs[string(buf)] = append(g.abbrevs[string(buf)], abbrev{region: r, caps: caps})
			}
		}
	}

	// Lay every posting list out in one slice, best first, and key the index with
	// substrings of one string so the map holds few separate allocations.
	keys := make([]string, 0, len(postings))
	size := 0
	for k, list := range postings {
		keys = append(keys, k)
		size += len(k)
		g.sortEntries(list)
	}
	slices.Sort(keys)
	var arena strings.Builder
	arena.Grow(size)
	for _, k := range keys {
		arena.WriteString(k)
	}
	all := arena.String()
	g.index = make(map[string]span, len(keys))
	g.entries = make([]entry, 0, len(keys)+len(keys)/4)
	pos := 0
	for _, k := range keys {
		list := postings[k]
		s := span{off: uint32(len(g.entries)), n: uint32(len(list))}
		for _, e := range list {
			s.caps = s.caps || e.caps
		}
		g.entries = append(g.entries, list...)
		g.index[all[pos:pos+len(k)]] = s
		pos += len(k)
	}
	return g, nil
}

func parsePlace(col []string) (Place, int64, error) {
	id, err := strconv.Atoi(col[1])
	if err != nil {
		return Place{}, 0, fmt.Errorf("id %q: %w", col[1], err)
	}
	lat, err := strconv.ParseFloat(col[4], 64)
	if err != nil {
		return Place{}, 0, fmt.Errorf("lat %q: %w", col[4], err)
	}
	lon, err := strconv.ParseFloat(col[5], 64)
	if err != nil {
		return Place{}, 0, fmt.Errorf("lon %q: %w", col[5], err)
	}
	pop, err := strconv.ParseInt(col[6], 10, 64)
	if err != nil {
		return Place{}, 0, fmt.Errorf("population %q: %w", col[6], err)
	}
	rank, err := strconv.ParseInt(col[7], 10, 64)
	if err != nil {
		return Place{}, 0, fmt.Errorf("rank %q: %w", col[7], err)
	}
	kind := Kind(col[2])
	switch kind {
	case KindContinent, KindCountry, KindRegion, KindCity:
	default:
		return Place{}, 0, fmt.Errorf("unknown kind %q", col[2])
	}
	return Place{ID: id, Name: col[8], Kind: kind, Country: col[3], Lat: lat, Lon: lon, Population: pop}, rank, nil
}

// kindOrder puts continents and countries before regions and cities of the same name:
// "Georgia" is the country, "Mexico" is the country, "Europe" is the continent.
func kindOrder(k Kind) int {
	switch k {
	case KindContinent:
		return 0
	case KindCountry:
		return 1
	}
	return 2
}

func (g *Gazetteer) sortEntries(list []entry) {
	g.sortByRank(list)
	// A big city goes before the region of its own country that shares its name: "New
	// York", "São Paulo" and "Berlin" name the city first.
	for i := 0; i < len(list); i++ {
		r := &g.places[list[i].place]
		if r.Kind != KindRegion {
			continue
		}
		for j := i + 1; j < len(list); j++ {
			c := &g.places[list[j].place]
			if c.Kind == KindCity && c.Country == r.Country && c.Population >= contextMinPopulation {
				e := list[j]
				copy(list[i+1:j+1], list[i:j])
				list[i] = e
				i++
				break
			}
		}
	}
}

func (g *Gazetteer) sortByRank(list []entry) {
	slices.SortStableFunc(list, func(a, b entry) int {
		pa, pb := &g.places[a.place], &g.places[b.place]
		if d := kindOrder(pa.Kind) - kindOrder(pb.Kind); d != 0 {
			return d
		}
		if ra, rb := g.rank[a.place], g.rank[b.place]; ra != rb {
			if ra > rb {
				return -1
			}
			return 1
		}
		return pa.ID - pb.ID
	})
}

// candidates returns the index entries a surface form names, best first. The returned
// slice belongs to the index; callers must not change it.
func (g *Gazetteer) candidates(name string) (list []entry, caps bool) {
	var arr [64]byte
	key := g.fold.fold(arr[:0], name)
	s, ok := g.index[string(key)]
	if !ok {
		return nil, false
	}
	return g.entries[s.off : s.off+s.n : s.off+s.n], s.caps
}

// Lookup returns every place a surface form may name, in any of the languages the data
// knows, ignoring case and diacritics, best first (continents and countries, then by size);
// nil if none. Abbreviations such as "US" and "UK" match only when written in capitals.
func (g *Gazetteer) Lookup(name string) []Place {
	list, caps := g.candidates(name)
	if len(list) == 0 {
		return nil
	}
	upper := caps && allCaps(name)
	out := make([]Place, 0, len(list))
	for _, e := range list {
		if e.caps && !upper {
			continue
		}
		out = append(out, g.places[e.place])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Resolve picks the place a form most likely names in a story about the given countries
// (ISO codes: the dateline's country, other places already found). The largest candidate
// in a context country wins, unless the best-known candidate is a capital or ranks over
// contextMaxRatio times higher (see ResolveNear for "Paris, Texas"); a country beats a
// same-named city and a continent ignores context; without a context candidate the best
// one wins.
func (g *Gazetteer) Resolve(name string, context []string) (Place, bool) {
	return g.resolve(name, context, false)
}

// resolve is Resolve; forced lets a context candidate win however much better known
// another is, for a region the text states ("Paris, Tenn.").
func (g *Gazetteer) resolve(name string, context []string, forced bool) (Place, bool) {
	list, caps := g.candidates(name)
	upper := caps && allCaps(name)
	best := -1
	for i, e := range list {
		if e.caps && !upper {
			continue
		}
		if best < 0 {
			best = i
			if len(context) == 0 || g.places[e.place].Kind == KindContinent {
				break
			}
		}
		p := &g.places[e.place]
		if !inContext(p.Country, context) {
			continue
		}
		if i == best {
			break
		}
		top := list[best].place
		if g.places[top].Kind == KindCountry && p.Kind == KindCity {
			continue
		}
		if !forced && (g.capital[top] || g.rank[top] > contextMaxRatio*g.rank[e.place]) {
			// A capital, or a place far better known, keeps its bare name even where a
			// namesake is local: "London" in a Toronto story is still London. A dateline's
			// region (ResolveNear) picks the namesake.
			continue
		}
		// Candidates come best first, so this is the largest in its country.
		return *p, true
	}
	if best < 0 {
		return Place{}, false
	}
	return g.places[list[best].place], true
}

// ResolveNear picks the place a form names given the region a dateline adds to it: a
// state or province ("Texas", "British Columbia"), its abbreviation ("Mass.", "Calif.",
// "N.Y.", "B.C.", "TX"), or a country ("Kenya"). The best candidate in that region wins;
// otherwise Resolve decides with the hint's country as context.
func (g *Gazetteer) ResolveNear(name, region string) (Place, bool) {
	var regions [8]uint32 // 1 + place index
	nr := 0
	var countries [4]string
	nc := 0
	addCountry := func(cc string) {
		for _, c := range countries[:nc] {
			if c == cc {
				return
			}
		}
		if nc < len(countries) && cc != "" {
			countries[nc] = cc
			nc++
		}
	}
	addRegion := func(idx uint32) {
		if nr < len(regions) {
			regions[nr] = idx + 1
			nr++
		}
		addCountry(g.places[idx].Country)
	}
	region = strings.TrimSpace(region)
	upper := allCaps(region)
	var arr [64]byte
	key := g.fold.fold(arr[:0], region)
	for _, a := range g.abbrevs[string(key)] {
		if !a.caps || upper {
			addRegion(a.region)
		}
	}
	hint, hcaps := g.candidates(region)
	hupper := hcaps && upper
	for _, e := range hint {
		if e.caps && !hupper {
			continue
		}
		switch g.places[e.place].Kind {
		case KindRegion:
			addRegion(e.place)
		case KindCountry:
			addCountry(g.places[e.place].Country)
		}
	}
	if len(region) == 2 && upper {
		if c, ok := g.countries[region]; ok {
			addCountry(g.places[c].Country)
		}
	}

	list, caps := g.candidates(name)
	nupper := caps && allCaps(name)
	for _, e := range list {
		if e.caps && !nupper {
			continue
		}
		for _, r := range regions[:nr] {
			if g.region[e.place] == r || e.place+1 == r {
				return g.places[e.place], true
			}
		}
	}
	return g.resolve(name, countries[:nc], true)
}

func inContext(country string, context []string) bool {
	if country == "" {
		return false
	}
	for _, c := range context {
		if strings.EqualFold(c, country) {
			return true
		}
	}
	return false
}

// Country returns the country with the ISO 3166-1 alpha-2 code ("DE" is Germany).
func (g *Gazetteer) Country(code string) (Place, bool) {
	idx, ok := g.countries[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Place{}, false
	}
	return g.places[idx], true
}

// Demonym returns the country a demonym or country adjective refers to, in English,
// French, Spanish or German and any gender or number ("French", "allemande", "española",
// "Deutsche"). Forms that are also a name of the country itself ("Algerien", German for
// Algeria; "china", Spanish for a Chinese woman) are left to Lookup.
func (g *Gazetteer) Demonym(word string) (string, bool) {
	var arr [64]byte
	key := g.fold.fold(arr[:0], word)
	c, ok := g.demonyms[string(key)]
	return c, ok
}

// Capital returns the capital city of the country with the ISO 3166-1 alpha-2 code, so a
// dateline that names only a country ("KUWAIT", "MÉXICO", "LUXEMBOURG") can mean its capital.
func (g *Gazetteer) Capital(code string) (Place, bool) {
	idx, ok := g.capitals[strings.ToUpper(strings.TrimSpace(code))]
	if !ok {
		return Place{}, false
	}
	return g.places[idx], true
}

// MaxWords is the number of words of the longest name, counting hyphenated parts as
// words, so callers know how long an n-gram to try.
func (g *Gazetteer) MaxWords() int { return g.maxWords }
