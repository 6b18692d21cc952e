package entity

import (
	"strings"
	"sync"
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// fakePlaces is a small gazetteer for tests: every form of a place, best first.
type fakePlaces struct {
	byName    map[string][]placeCand
	demonyms  map[string]bool
	countries map[string]placeCand
}

func newFakePlaces() *fakePlaces {
	f := &fakePlaces{byName: map[string][]placeCand{}, demonyms: map[string]bool{}, countries: map[string]placeCand{}}
	add := func(id int, name, kind, country string, pop int64, forms ...string) {
		p := placeCand{ID: id, Name: name, Kind: kind, Country: country, Pop: pop}
		for _, n := range append([]string{name}, forms...) {
			k := textkit.Fold(n)
			f.byName[k] = append(f.byName[k], p)
		}
		if kind == "country" {
			f.countries[country] = p
		}
	}
	add(1, "Germany", "country", "DE", 83000000, "Allemagne", "Alemania", "Deutschland")
	add(2, "France", "country", "FR", 68000000, "Frankreich", "Francia")
	add(3, "Spain", "country", "ES", 48000000, "Espagne", "España", "Spanien")
	add(4, "United States", "country", "US", 330000000, "États-Unis", "Estados Unidos", "USA")
	add(5, "Ukraine", "country", "UA", 40000000, "Ucrania")
	add(6, "Jordan", "country", "JO", 11000000, "Jordanie")
	add(10, "Berlin", "city", "DE", 3600000)
	add(11, "Paris", "city", "FR", 2100000)
	add(12, "Paris", "city", "US", 25000)
	add(13, "Madrid", "city", "ES", 3300000)
	add(14, "Kyiv", "city", "UA", 2900000, "Kiev", "Kiew")
	add(15, "London", "city", "GB", 8900000, "Londres")
	add(16, "Munich", "city", "DE", 1500000, "München", "Múnich")
	add(17, "New York", "city", "US", 8300000)
	add(18, "Texas", "region", "US", 29000000)
	add(19, "England", "region", "GB", 56000000, "Angleterre")
	add(20, "Kharkiv", "city", "UA", 1400000)
	add(21, "Rotterdam", "city", "NL", 650000)
	add(22, "Netherlands", "country", "NL", 17000000, "Pays-Bas")
	add(23, "Georgia", "country", "GE", 3700000)
	add(24, "Georgia", "region", "US", 10700000)
	add(25, "Mexico", "country", "MX", 126000000, "México")
	for _, d := range []string{"German", "French", "Russian", "Ukrainian", "Spanish", "allemand", "française", "español", "deutsche", "Dutch"} {
		f.demonyms[textkit.Fold(d)] = true
	}
	f.countries["GB"] = placeCand{ID: 30, Name: "United Kingdom", Kind: "country", Country: "GB"}
	return f
}

func (f *fakePlaces) lookup(name string) (int, placeCand) {
	ps := f.byName[textkit.Fold(name)]
	if len(ps) == 0 {
		return 0, placeCand{}
	}
	return len(ps), ps[0]
}

func (f *fakePlaces) resolve(name string, ctx []string) (placeCand, bool) {
	ps := f.byName[textkit.Fold(name)]
	if len(ps) == 0 {
		return placeCand{}, false
	}
	for _, p := range ps {
		for _, c := range ctx {
			if p.Country == c && p.Pop >= 50000 {
				return p, true
			}
		}
	}
	return ps[0], true
}

func (f *fakePlaces) country(code string) (placeCand, bool) {
	p, ok := f.countries[code]
	return p, ok
}

func (f *fakePlaces) in(name, country string) (placeCand, bool) {
	for _, p := range f.byName[textkit.Fold(name)] {
		if p.Country == country {
			return p, true
		}
	}
	return placeCand{}, false
}

func (f *fakePlaces) demonym(w string) bool { return f.demonyms[textkit.Fold(w)] }
func (f *fakePlaces) maxWords() int         { return 3 }

var (
	fakeOnce sync.Once
	fakeX    *Extractor
)

func testExtractor() *Extractor {
	fakeOnce.Do(func() { fakeX = newExtractor(newFakePlaces()) })
	return fakeX
}

func findEntity(es []pipeline.Entity, name string) (pipeline.Entity, bool) {
	for _, e := range es {
		if textkit.EqualFold(e.Name, name) {
			return e, true
		}
	}
	return pipeline.Entity{}, false
}

func findPlace(ps []pipeline.Place, name string) (pipeline.Place, bool) {
	for _, p := range ps {
		if textkit.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return pipeline.Place{}, false
}

func names(es []pipeline.Entity) string {
	var s []string
	for _, e := range es {
		s = append(s, e.Name+"{"+strings.Join(e.Aliases, ",")+"}")
	}
	return strings.Join(s, "; ")
}

func placeNames(ps []pipeline.Place) string {
	var s []string
	for _, p := range ps {
		s = append(s, p.Name+"/"+p.Country)
	}
	return strings.Join(s, "; ")
}

func TestExtract(t *testing.T) {
	tests := []struct {
		name      string
		in        Input
		people    []string // canonical names that must be found
		aliases   map[string][]string
		notPeople []string
		orgs      []string
		notOrgs   []string
		places    []string // "Name/CC"
		notPlaces []string
	}{
		{
			name: "english dateline, titles, surname coreference",
			in: Input{Language: "en", Provider: "AFP",
				Headline: "Scholz meets Macron in Berlin",
				Body: "BERLIN, June 16 (AFP) - German Chancellor Olaf Scholz met French President Emmanuel Macron on Monday.\n\n" +
					"\"We agree on the essentials,\" Scholz told reporters. Mr Macron said France would help.\n\nAFP"},
			people:    []string{"Olaf Scholz", "Emmanuel Macron"},
			aliases:   map[string][]string{"Olaf Scholz": {"Scholz"}, "Emmanuel Macron": {"Mr Macron"}},
			notOrgs:   []string{"Agence France-Presse", "AFP"},
			places:    []string{"Berlin/DE", "France/FR"},
			notPlaces: []string{"Germany/DE"},
		},
		{
			name: "acronym defined in parentheses merges with later use",
			in: Input{Language: "en",
				Body: "Ministers of the North Atlantic Treaty Organization (NATO) met in London. NATO said more air defence was needed. The Bank of England kept rates on hold."},
			orgs:      []string{"North Atlantic Treaty Organization", "Bank of England"},
			aliases:   map[string][]string{"North Atlantic Treaty Organization": {"NATO"}},
			places:    []string{"London/GB"},
			notPlaces: []string{"England/GB"},
		},
		{
			name:    "known acronym alone takes its expansion",
			in:      Input{Language: "en", Body: "The IMF approved the loan on Friday, officials in Kyiv said."},
			orgs:    []string{"International Monetary Fund"},
			aliases: map[string][]string{"International Monetary Fund": {"IMF"}},
			places:  []string{"Kyiv/UA"},
		},
		{
			name: "apposition and speech verb mark a person",
			in: Input{Language: "en",
				Body: "Jane Doe, 45, a nurse from Kharkiv, said the shelling lasted hours. Doe said she would stay."},
			people:  []string{"Jane Doe"},
			aliases: map[string][]string{"Jane Doe": {"Doe"}},
			places:  []string{"Kharkiv/UA"},
		},
		{
			name: "person or place by context",
			in: Input{Language: "en",
				Body: "Michael Jordan visited Amman. Later, Jordan said the trip was moving. Officials in Georgia said the border was open."},
			people:    []string{"Michael Jordan"},
			aliases:   map[string][]string{"Michael Jordan": {"Jordan"}},
			places:    []string{"Georgia/GE"},
			notPlaces: []string{"Jordan/JO"},
		},
		{
			name:      "place resolved by its region",
			in:        Input{Language: "en", Body: "Police in Paris, Texas, arrested a former clerk on Monday."},
			places:    []string{"Paris/US", "Texas/US"},
			notPlaces: []string{"Paris/FR"},
		},
		{
			name:      "sentence-initial common words and months are not names",
			in:        Input{Language: "en", Body: "Protesters gathered on Monday. The government said May would be calm. Officials declined to comment."},
			notPeople: []string{"Protesters", "Officials", "May"},
		},
		{
			name: "french titles, inversion and lower-case ministry",
			in: Input{Language: "fr", Provider: "AFP",
				Body: "PARIS, 3 mars 2026 (AFP) - Le président Emmanuel Macron a reçu mardi le chancelier allemand Olaf Scholz à l'Élysée.\n\n" +
					"« Nous avançons », a déclaré M. Macron. Selon l'Organisation mondiale de la santé (OMS), le ministère de la Transition écologique prépare un plan.\n\n" +
					"L'Allemagne et l'Espagne soutiennent le projet, a affirmé Mme Catherine Vautrin."},
			people:  []string{"Emmanuel Macron", "Olaf Scholz", "Catherine Vautrin"},
			aliases: map[string][]string{"Emmanuel Macron": {"M. Macron"}},
			orgs:    []string{"Organisation mondiale de la santé", "ministère de la Transition écologique"},
			notOrgs: []string{"Agence France-Presse"},
			places:  []string{"Paris/FR", "Germany/DE", "Spain/ES"},
		},
		{
			name: "spanish dateline, articles and speech verbs",
			in: Input{Language: "es", Provider: "EFE",
				Body: "MADRID, 5 mar (EFE).- El Fondo Monetario Internacional (FMI) elogió a España, dijo el presidente del Gobierno, Pedro Sánchez.\n\n" +
					"Según el Banco de España, la economía crecerá. \"Es una buena noticia\", afirmó Sánchez en Madrid."},
			people:    []string{"Pedro Sánchez"},
			aliases:   map[string][]string{"Pedro Sánchez": {"Sánchez"}},
			orgs:      []string{"Fondo Monetario Internacional", "Banco de España"},
			notOrgs:   []string{"EFE", "Agencia EFE", "El Fondo Monetario Internacional"},
			places:    []string{"Madrid/ES", "Spain/ES"},
			notPeople: []string{"Según"},
		},
		{
			name: "german nouns, compound titles and inversion",
			in: Input{Language: "de", Provider: "dpa",
				Body: "Berlin (dpa) - Die Bundesregierung will die Kosten senken. Die Lage sei ernst, sagte Bundeskanzler Olaf Scholz am Montag in München.\n\n" +
					"Ifo-Präsident Clemens Fuest erklärte, die Stimmung sei schlecht. Die Chefvolkswirtin der Deutschen Bank sah das anders. Die Bundespolizei ermittelt.\n\ndpa"},
			people:    []string{"Olaf Scholz", "Clemens Fuest"},
			notPeople: []string{"Ifo-Präsident Clemens Fuest", "Lage", "Kosten"},
			orgs:      []string{"Deutsche Bank", "Bundespolizei"},
			notOrgs:   []string{"Deutsche Presse-Agentur", "dpa"},
			places:    []string{"Berlin/DE", "Munich/DE"},
		},
	}
	x := testExtractor()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := x.Extract(tt.in)
			for _, p := range tt.people {
				if _, ok := findEntity(res.People, p); !ok {
					t.Errorf("person %q not found; people: %s", p, names(res.People))
				}
			}
			for _, p := range tt.notPeople {
				for _, e := range res.People {
					for _, n := range append([]string{e.Name}, e.Aliases...) {
						if textkit.EqualFold(n, p) {
							t.Errorf("%q must not be a person; people: %s", p, names(res.People))
						}
					}
				}
			}
			for _, o := range tt.orgs {
				if _, ok := findEntity(res.Organisations, o); !ok {
					t.Errorf("organisation %q not found; organisations: %s", o, names(res.Organisations))
				}
			}
			for _, o := range tt.notOrgs {
				for _, e := range res.Organisations {
					for _, n := range append([]string{e.Name}, e.Aliases...) {
						if textkit.EqualFold(n, o) {
							t.Errorf("%q must not be an organisation; organisations: %s", o, names(res.Organisations))
						}
					}
				}
			}
			for name, want := range tt.aliases {
				e, ok := findEntity(append(append([]pipeline.Entity{}, res.People...), res.Organisations...), name)
				if !ok {
					continue // reported above
				}
				for _, a := range want {
					found := false
					for _, got := range e.Aliases {
						if textkit.EqualFold(got, a) {
							found = true
						}
					}
					if !found {
						t.Errorf("%q: alias %q missing, aliases %q", name, a, e.Aliases)
					}
				}
			}
			for _, p := range tt.places {
				name, cc, _ := strings.Cut(p, "/")
				got, ok := findPlace(res.Places, name)
				if !ok || got.Country != cc {
					t.Errorf("place %s not found; places: %s", p, placeNames(res.Places))
				}
			}
			for _, p := range tt.notPlaces {
				name, cc, _ := strings.Cut(p, "/")
				if got, ok := findPlace(res.Places, name); ok && got.Country == cc {
					t.Errorf("%s must not be a place; places: %s", p, placeNames(res.Places))
				}
			}
		})
	}
}

func TestExtractMentionsAndOrder(t *testing.T) {
	x := testExtractor()
	res := x.Extract(Input{Language: "en", Body: "Kyiv was hit overnight. Olaf Scholz spoke to Volodymyr Zelensky. Scholz said Kyiv would get help. Zelensky thanked Scholz."})
	if len(res.People) != 2 || res.People[0].Name != "Olaf Scholz" || res.People[1].Name != "Volodymyr Zelensky" {
		t.Fatalf("people in order of first mention: %s", names(res.People))
	}
	if res.People[0].Mentions != 3 {
		t.Errorf("Olaf Scholz mentions = %d, want 3", res.People[0].Mentions)
	}
	if len(res.Places) != 1 || res.Places[0].Mentions != 2 {
		t.Errorf("Kyiv once with 2 mentions: %+v", res.Places)
	}
}

func TestExtractDeterministicAndConcurrent(t *testing.T) {
	x := testExtractor()
	in := Input{Language: "en", Body: "BERLIN (Reuters) - Chancellor Olaf Scholz met NATO chief Mark Rutte in Berlin. Scholz said the European Union would act."}
	want := names(x.Extract(in).People) + "|" + names(x.Extract(in).Organisations)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				r := x.Extract(in)
				if got := names(r.People) + "|" + names(r.Organisations); got != want {
					errs <- got
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("result changed between calls: %s, want %s", e, want)
	}
}

func TestAcronymMatches(t *testing.T) {
	x := testExtractor()
	tests := []struct {
		acr   string
		words string
		want  bool
	}{
		{"NATO", "north atlantic treaty organization", true},
		{"OMS", "organisation mondiale de la sante", true},
		{"AfD", "alternative fur deutschland", true},
		{"OECD", "organisation for economic co-operation and development", true},
		{"IMF", "european central bank", false},
		{"EU", "european", false},
	}
	for _, tt := range tests {
		t.Run(tt.acr, func(t *testing.T) {
			if got := acronymMatches(tt.acr, strings.Fields(tt.words), x.lex); got != tt.want {
				t.Errorf("acronymMatches(%q, %q) = %v, want %v", tt.acr, tt.words, got, tt.want)
			}
		})
	}
}
