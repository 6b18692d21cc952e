package gazetteer

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// shared loads the gazetteer once for every test and benchmark of the package.
var shared = sync.OnceValues(Load)

func gaz(tb testing.TB) *Gazetteer {
	tb.Helper()
	g, err := shared()
	if err != nil {
		tb.Fatalf("Load: %v", err)
	}
	return g
}

func TestLoadReportsHeapAndTime(t *testing.T) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	g, err := Load()
	took := time.Since(start)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("load took %v, heap in use %.1f MB after load (%.1f MB before), %d places, %d keys",
		took, float64(after.HeapAlloc)/1e6, float64(before.HeapAlloc)/1e6, len(g.places), len(g.index))
	if len(g.places) < 30000 {
		t.Errorf("places = %d, want at least 30000", len(g.places))
	}
	runtime.KeepAlive(g)
}

func TestLookup(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, in    string
		wantName    string
		wantKind    Kind
		wantCountry string
	}{
		{"english city", "London", "London", KindCity, "GB"},
		{"french exonym", "Londres", "London", KindCity, "GB"},
		{"german name", "München", "Munich", KindCity, "DE"},
		{"german name without umlaut", "Muenchen", "Munich", KindCity, "DE"},
		{"english exonym", "Munich", "Munich", KindCity, "DE"},
		{"french beijing", "Pékin", "Beijing", KindCity, "CN"},
		{"spanish beijing", "Pekín", "Beijing", KindCity, "CN"},
		{"german beijing", "Peking", "Beijing", KindCity, "CN"},
		{"french moscow", "Moscou", "Moscow", KindCity, "RU"},
		{"spanish moscow", "Moscú", "Moscow", KindCity, "RU"},
		{"german moscow", "Moskau", "Moscow", KindCity, "RU"},
		{"old spelling kiev", "Kiev", "Kyiv", KindCity, "UA"},
		{"kyiv", "Kyiv", "Kyiv", KindCity, "UA"},
		{"upper case", "PARIS", "Paris", KindCity, "FR"},
		{"lower case no accents", "sao paulo", "São Paulo", KindCity, "BR"},
		{"hyphen or space", "Saint Etienne", "Saint-Étienne", KindCity, "FR"},
		{"french germany", "Allemagne", "Germany", KindCountry, "DE"},
		{"spanish germany", "Alemania", "Germany", KindCountry, "DE"},
		{"german germany", "Deutschland", "Germany", KindCountry, "DE"},
		{"french united states", "États-Unis", "United States", KindCountry, "US"},
		{"folded french united states", "etats-unis", "United States", KindCountry, "US"},
		{"spanish united states", "Estados Unidos", "United States", KindCountry, "US"},
		{"german united states", "Vereinigte Staaten", "United States", KindCountry, "US"},
		{"united states", "United States", "United States", KindCountry, "US"},
		{"u.s. with dots", "U.S.", "United States", KindCountry, "US"},
		{"us in capitals", "US", "United States", KindCountry, "US"},
		{"usa", "USA", "United States", KindCountry, "US"},
		{"uk", "UK", "United Kingdom", KindCountry, "GB"},
		{"britain", "Britain", "United Kingdom", KindCountry, "GB"},
		{"great britain", "Great Britain", "United Kingdom", KindCountry, "GB"},
		{"french uk", "Royaume-Uni", "United Kingdom", KindCountry, "GB"},
		{"spanish uk", "Reino Unido", "United Kingdom", KindCountry, "GB"},
		{"german great britain", "Großbritannien", "United Kingdom", KindCountry, "GB"},
		{"german great britain with ss", "Grossbritannien", "United Kingdom", KindCountry, "GB"},
		{"country over us state", "Georgia", "Georgia", KindCountry, "GE"},
		{"country over state and town", "Mexico", "Mexico", KindCountry, "MX"},
		{"ivory coast", "Côte d'Ivoire", "Ivory Coast", KindCountry, "CI"},
		{"drc", "DRC", "Democratic Republic of the Congo", KindCountry, "CD"},
		{"continent", "Europe", "Europe", KindContinent, ""},
		{"french continent", "Afrique", "Africa", KindContinent, ""},
		{"spanish continent", "África", "Africa", KindContinent, ""},
		{"german continent", "Asien", "Asia", KindContinent, ""},
		{"region german name", "Bayern", "Bavaria", KindRegion, "DE"},
		{"region french name", "Bavière", "Bavaria", KindRegion, "DE"},
		{"catalonia", "Cataluña", "Catalonia", KindRegion, "ES"},
		{"california", "Kalifornien", "California", KindRegion, "US"},
		{"crimea", "Crimée", "Crimea", KindRegion, "UA"},
		{"donbas", "Donbass", "Donbas", KindRegion, "UA"},
		{"gaza strip", "Gaza Strip", "Gaza Strip", KindRegion, "PS"},
		{"west bank french", "Cisjordanie", "West Bank", KindRegion, "PS"},
		{"darfur", "Darfur", "Darfur", KindRegion, "SD"},
		{"siberia german", "Sibirien", "Siberia", KindRegion, "RU"},
		{"city before its state", "New York", "New York City", KindCity, "US"},
		{"capital before its state", "Washington", "Washington", KindCity, "US"},
		{"city before its oblast", "Kherson", "Kherson", KindCity, "UA"},
		{"spelling variant", "Odessa", "Odesa", KindCity, "UA"},
		{"australian state before small cities", "Victoria", "Victoria", KindRegion, "AU"},
		{"big city with a common-word name", "Nice", "Nice", KindCity, "FR"},
		{"german name of geneva", "Genf", "Geneva", KindCity, "CH"},
		{"capital with a common-word name", "Male", "Male", KindCity, "MV"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Lookup(tt.in)
			if len(got) == 0 {
				t.Fatalf("Lookup(%q) = nil, want %s", tt.in, tt.wantName)
			}
			p := got[0]
			if p.Name != tt.wantName || p.Kind != tt.wantKind || p.Country != tt.wantCountry {
				t.Errorf("Lookup(%q)[0] = %s %s %s, want %s %s %s", tt.in,
					p.Name, p.Kind, p.Country, tt.wantName, tt.wantKind, tt.wantCountry)
			}
		})
	}
}

func TestLookupBestFirst(t *testing.T) {
	g := gaz(t)
	got := g.Lookup("Birmingham")
	if len(got) < 2 {
		t.Fatalf("Lookup(Birmingham) = %d places, want the English and the Alabama city", len(got))
	}
	for i := 1; i < len(got); i++ {
		if got[i].Kind == got[i-1].Kind && got[i].Population > got[i-1].Population &&
			got[i].Kind == KindCity && got[i-1].Population*3 < got[i].Population {
			t.Errorf("Lookup(Birmingham) not best first at %d: %+v after %+v", i, got[i], got[i-1])
		}
	}
	if got[0].Country != "GB" {
		t.Errorf("Lookup(Birmingham)[0].Country = %s, want GB", got[0].Country)
	}
}

func TestLookupNotPlaces(t *testing.T) {
	g := gaz(t)
	for _, w := range []string{
		"Police", "May", "Will", "Mobile", "Frankfurter", "Mass", "Wash", "Ill", "Said", "Of", "Reading", "Bath", "Van", "Man",
		"The", "And", "Best", "Union", "Independence", "us", "Us", "uk", "Kennedy", "Obama",
		"Allen", "David", "Corona", "Metro", "Ministry", "President", "", "   ",
	} {
		t.Run(w, func(t *testing.T) {
			if got := g.Lookup(w); got != nil {
				t.Errorf("Lookup(%q) = %s %s %s, want nil", w, got[0].Name, got[0].Kind, got[0].Country)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name        string
		in          string
		context     []string
		wantName    string
		wantCountry string
	}{
		{"no context takes the biggest", "Paris", nil, "Paris", "FR"},
		{"a capital keeps its name against a local namesake", "Paris", []string{"US"}, "Paris", "FR"},
		{"moscow stays russian in a us story", "Moscow", []string{"US"}, "Moscow", "RU"},
		{"moscow without context", "Moscow", nil, "Moscow", "RU"},
		{"frankfurt oder in context is still the largest", "Frankfurt", []string{"DE"}, "Frankfurt am Main", "DE"},
		{"venezuelan valencia", "Valencia", []string{"VE"}, "Valencia", "VE"},
		{"argentinian cordoba", "Córdoba", []string{"AR"}, "Cordoba", "AR"},
		{"reunion saint-denis", "Saint-Denis", []string{"RE"}, "Saint-Denis", "RE"},
		{"venezuelan san cristobal", "San Cristóbal", []string{"VE"}, "San Cristóbal", "VE"},
		{"canadian victoria", "Victoria", []string{"CA"}, "Victoria", "CA"},
		{"country over us state", "Georgia", nil, "Georgia", "GE"},
		{"us state in us context", "Georgia", []string{"US"}, "Georgia", "US"},
		{"country in its own context", "Georgia", []string{"GE", "RU"}, "Georgia", "GE"},
		{"mexico stays the country", "Mexico", []string{"US"}, "Mexico", "MX"},
		{"sizeable city in context", "Birmingham", []string{"US"}, "Birmingham", "US"},
		{"london stays british in a canadian story", "London", []string{"CA"}, "London", "GB"},
		{"comparable namesake in context country", "Córdoba", []string{"ES"}, "Cordoba", "ES"},
		{"country beats a context city", "Mexico", []string{"US", "MX"}, "Mexico", "MX"},
		{"context code in lower case", "Georgia", []string{"us"}, "Georgia", "US"},
		{"continent ignores context", "Europe", []string{"FR"}, "Europe", ""},
		{"multilingual form", "Londres", []string{"FR"}, "London", "GB"},
		{"australian state", "Victoria", []string{"AU"}, "Victoria", "AU"},
		{"american city in us context", "Cambridge", []string{"US"}, "Cambridge", "US"},
		{"english city without context", "Cambridge", nil, "Cambridge", "GB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := g.Resolve(tt.in, tt.context)
			if !ok {
				t.Fatalf("Resolve(%q, %v) not found", tt.in, tt.context)
			}
			if got.Name != tt.wantName || got.Country != tt.wantCountry {
				t.Errorf("Resolve(%q, %v) = %s %s %s, want %s %s", tt.in, tt.context,
					got.Name, got.Kind, got.Country, tt.wantName, tt.wantCountry)
			}
		})
	}
	if _, ok := g.Resolve("Said", []string{"US"}); ok {
		t.Error(`Resolve("Said") found a place, want none`)
	}
	if _, ok := g.Resolve("us", nil); ok {
		t.Error(`Resolve("us") found a place, want none (capitals only)`)
	}
}

func TestLookupShortAndLocalForms(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, in    string
		wantName    string
		wantCountry string
	}{
		{"frankfurt short form", "Frankfurt", "Frankfurt am Main", "DE"},
		{"frankfurt full name", "Frankfurt am Main", "Frankfurt am Main", "DE"},
		{"frankfurt oder full name", "Frankfurt (Oder)", "Frankfurt (Oder)", "DE"},
		{"frankfurt an der oder", "Frankfurt an der Oder", "Frankfurt (Oder)", "DE"},
		{"leon short form", "León", "León de los Aldama", "MX"},
		{"santiago de compostela", "Santiago de Compostela", "Santiago de Compostela", "ES"},
		{"santiago de chile", "Santiago de Chile", "Santiago", "CL"},
		{"mexico city", "Mexico City", "Mexico City", "MX"},
		{"ciudad de mexico", "Ciudad de México", "Mexico City", "MX"},
		{"hanover", "Hanover", "Hanover", "DE"},
		{"hannover", "Hannover", "Hanover", "DE"},
		{"nuremberg", "Nuremberg", "Nuremberg", "DE"},
		{"nurnberg", "Nürnberg", "Nuremberg", "DE"},
		{"the hague", "The Hague", "The Hague", "NL"},
		{"den haag", "Den Haag", "The Hague", "NL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Lookup(tt.in)
			if len(got) == 0 {
				t.Fatalf("Lookup(%q) = nil, want %s", tt.in, tt.wantName)
			}
			if got[0].Name != tt.wantName || got[0].Country != tt.wantCountry {
				t.Errorf("Lookup(%q)[0] = %s %s, want %s %s", tt.in, got[0].Name, got[0].Country,
					tt.wantName, tt.wantCountry)
			}
		})
	}
}

// TestLookupKeepsSmallNamesakes checks that a town keeps its own name when a bigger place
// has it too, ranked below the bigger one.
func TestLookupKeepsSmallNamesakes(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, in      string
		firstCountry  string
		wantCountry   string
		wantNameAfter string // the namesake's canonical name
	}{
		{"paris texas", "Paris", "FR", "US", "Paris"},
		{"moscow idaho", "Moscow", "RU", "US", "Moscow"},
		{"victoria british columbia", "Victoria", "AU", "CA", "Victoria"},
		{"augusta georgia", "Augusta", "", "US", "Augusta"},
		{"cambridge massachusetts", "Cambridge", "GB", "US", "Cambridge"},
		{"cordoba spain", "Córdoba", "AR", "ES", "Cordoba"},
		{"valencia spain", "Valencia", "VE", "ES", "Valencia"},
		{"san cristobal dominican republic", "San Cristóbal", "VE", "DO", "San Cristóbal"},
		{"saint-denis france", "Saint-Denis", "RE", "FR", "Saint-Denis"},
		{"frankfurt oder", "Frankfurt", "DE", "DE", "Frankfurt (Oder)"},
		{"leon spain", "León", "MX", "ES", "Leon"},
		{"leon nicaragua", "León", "MX", "NI", "Leon"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := g.Lookup(tt.in)
			if len(got) < 2 {
				t.Fatalf("Lookup(%q) = %d places, want the namesakes", tt.in, len(got))
			}
			if tt.firstCountry != "" && got[0].Country != tt.firstCountry {
				t.Errorf("Lookup(%q)[0] = %s %s, want a place in %s first", tt.in, got[0].Name,
					got[0].Country, tt.firstCountry)
			}
			for i, p := range got {
				if p.Country == tt.wantCountry && p.Name == tt.wantNameAfter && p.Kind == KindCity {
					if i == 0 {
						t.Errorf("Lookup(%q): %s %s ranks first, want it below the bigger place", tt.in, p.Name, p.Country)
					}
					return
				}
			}
			t.Errorf("Lookup(%q) has no %s in %s", tt.in, tt.wantNameAfter, tt.wantCountry)
		})
	}
}

func TestEnglishNames(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		in, want, country string
	}{
		{"Köln", "Cologne", "DE"}, {"Cologne", "Cologne", "DE"}, {"München", "Munich", "DE"},
		{"Wien", "Vienna", "AT"}, {"Genève", "Geneva", "CH"}, {"Zürich", "Zurich", "CH"},
		{"Moskva", "Moscow", "RU"}, {"Warszawa", "Warsaw", "PL"}, {"Praha", "Prague", "CZ"},
		{"Lisboa", "Lisbon", "PT"}, {"Roma", "Rome", "IT"}, {"Napoli", "Naples", "IT"},
		{"Milano", "Milan", "IT"}, {"Torino", "Turin", "IT"}, {"Firenze", "Florence", "IT"},
		{"Venezia", "Venice", "IT"}, {"Sevilla", "Seville", "ES"}, {"Bruxelles", "Brussels", "BE"},
		{"Antwerpen", "Antwerp", "BE"}, {"Den Haag", "The Hague", "NL"},
		{"København", "Copenhagen", "DK"}, {"Göteborg", "Gothenburg", "SE"},
		{"Kiev", "Kyiv", "UA"}, {"Odessa", "Odesa", "UA"}, {"Kharkov", "Kharkiv", "UA"},
		{"Pékin", "Beijing", "CN"}, {"București", "Bucharest", "RO"}, {"Beograd", "Belgrade", "RS"},
		{"Athína", "Athens", "GR"}, {"Nürnberg", "Nuremberg", "DE"}, {"Hannover", "Hanover", "DE"},
		{"Ciudad de México", "Mexico City", "MX"}, {"Sao Paulo", "São Paulo", "BR"},
		{"Bayern", "Bavaria", "DE"}, {"Niedersachsen", "Lower Saxony", "DE"},
		{"Catalunya", "Catalonia", "ES"}, {"Bretagne", "Brittany", "FR"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := g.Lookup(tt.in)
			if len(got) == 0 || got[0].Name != tt.want || got[0].Country != tt.country {
				t.Errorf("Lookup(%q) = %v, want %s %s first", tt.in, got, tt.want, tt.country)
			}
		})
	}
}

func TestResolveNear(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, in, region      string
		wantName, wantCountry string
	}{
		{"state name", "Paris", "Texas", "Paris", "US"},
		{"ap abbreviation mass", "Cambridge", "Mass.", "Cambridge", "US"},
		{"ap abbreviation ga", "Augusta", "Ga.", "Augusta", "US"},
		{"state name georgia", "Augusta", "Georgia", "Augusta", "US"},
		{"ap abbreviation tenn", "Paris", "Tenn.", "Paris", "US"},
		{"ap abbreviation calif", "Victoria", "Calif.", "Victoria", "US"},
		{"ap abbreviation fla", "Naples", "Fla.", "Naples", "US"},
		{"ap abbreviation ny", "Rome", "N.Y.", "Rome", "US"},
		{"ap abbreviation ill", "Moscow", "Ill.", "Moscow", "US"},
		{"ap abbreviation wash", "Vancouver", "Wash.", "Vancouver", "US"},
		{"postal code in capitals", "Paris", "TX", "Paris", "US"},
		{"idaho", "Moscow", "Idaho", "Moscow", "US"},
		{"province", "Victoria", "British Columbia", "Victoria", "CA"},
		{"province abbreviation", "Victoria", "B.C.", "Victoria", "CA"},
		{"french province name", "Victoria", "Colombie-Britannique", "Victoria", "CA"},
		{"ontario", "London", "Ont.", "London", "CA"},
		{"country hint", "Nairobi", "Kenya", "Nairobi", "KE"},
		{"country hint ukraine", "Odessa", "Ukraine", "Odesa", "UA"},
		{"country hint picks namesake", "Valencia", "Venezuela", "Valencia", "VE"},
		{"unknown hint falls back", "Paris", "Nowhere Land", "Paris", "FR"},
		{"empty hint", "Berlin", "", "Berlin", "DE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := g.ResolveNear(tt.in, tt.region)
			if !ok {
				t.Fatalf("ResolveNear(%q, %q) not found", tt.in, tt.region)
			}
			if got.Name != tt.wantName || got.Country != tt.wantCountry {
				t.Errorf("ResolveNear(%q, %q) = %s %s %s, want %s %s", tt.in, tt.region,
					got.Name, got.Kind, got.Country, tt.wantName, tt.wantCountry)
			}
		})
	}
	if _, ok := g.ResolveNear("Said", "Texas"); ok {
		t.Error(`ResolveNear("Said", "Texas") found a place, want none`)
	}
	// A lower-case postal code is a word, not a state: "in" must not mean Indiana.
	if got, _ := g.ResolveNear("Paris", "in"); got.Country != "FR" {
		t.Errorf(`ResolveNear("Paris", "in") = %s %s, want Paris FR`, got.Name, got.Country)
	}
}

func TestCapital(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		code, want string
	}{
		{"MX", "Mexico City"}, {"GT", "Guatemala City"}, {"KW", "Kuwait City"},
		{"PA", "Panama City"}, {"LU", "Luxembourg"}, {"SG", "Singapore"}, {"FR", "Paris"},
		{"de", "Berlin"}, {"UA", "Kyiv"}, {"NL", "Amsterdam"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			p, ok := g.Capital(tt.code)
			if !ok || p.Name != tt.want || p.Kind != KindCity {
				t.Errorf("Capital(%q) = %+v, %v, want %s", tt.code, p, ok, tt.want)
			}
		})
	}
	for _, code := range []string{"", "ZZ", "EU"} {
		if p, ok := g.Capital(code); ok {
			t.Errorf("Capital(%q) = %+v, want none", code, p)
		}
	}
}

func TestDemonym(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		in, want string
	}{
		{"French", "FR"}, {"Frenchman", "FR"}, {"Frenchwomen", "FR"}, {"français", "FR"},
		{"française", "FR"}, {"françaises", "FR"}, {"francés", "FR"}, {"francesa", "FR"},
		{"franceses", "FR"}, {"Französin", "FR"}, {"Franzosen", "FR"}, {"französisch", "FR"},
		{"französischen", "FR"}, {"FRENCH", "FR"},
		{"German", "DE"}, {"Germans", "DE"}, {"allemande", "DE"}, {"alemanes", "DE"},
		{"Deutsche", "DE"}, {"deutschen", "DE"},
		{"española", "ES"}, {"Spaniards", "ES"}, {"spanische", "ES"},
		{"American", "US"}, {"Americans", "US"}, {"américaine", "US"}, {"estadounidense", "US"},
		{"US-amerikanischen", "US"},
		{"British", "GB"}, {"Britons", "GB"}, {"britannique", "GB"}, {"británicos", "GB"},
		{"Russian", "RU"}, {"russe", "RU"}, {"rusos", "RU"}, {"Russen", "RU"}, {"Russin", "RU"},
		{"Chinese", "CN"}, {"chinoises", "CN"}, {"Ukrainian", "UA"}, {"ukrainienne", "UA"},
		{"Israeli", "IL"}, {"Israelis", "IL"}, {"israélien", "IL"}, {"Palestinian", "PS"},
		{"iraní", "IR"}, {"iraníes", "IR"}, {"Iranians", "IR"},
		{"marroquíes", "MA"}, {"Swiss", "CH"}, {"Schweizer", "CH"}, {"Dutch", "NL"},
		{"Filipino", "PH"}, {"Turkish", "TR"}, {"Türken", "TR"}, {"Mexican", "MX"},
		{"Brazilian", "BR"}, {"Indian", "IN"}, {"japonés", "JP"}, {"Japaner", "JP"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := g.Demonym(tt.in)
			if !ok || got != tt.want {
				t.Errorf("Demonym(%q) = %q, %v, want %q", tt.in, got, ok, tt.want)
			}
		})
	}
	for _, w := range []string{"Paris", "said", "Germany", "China", "police", ""} {
		if c, ok := g.Demonym(w); ok {
			t.Errorf("Demonym(%q) = %q, want none", w, c)
		}
	}
}

func TestDemonymCoverage(t *testing.T) {
	g := gaz(t)
	countries := map[string]bool{}
	for _, c := range g.demonyms {
		countries[c] = true
	}
	if len(countries) < 120 {
		t.Errorf("demonyms cover %d countries, want at least 120", len(countries))
	}
}

func TestCountry(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		code, want string
	}{
		{"DE", "Germany"}, {"de", "Germany"}, {"US", "United States"}, {"GB", "United Kingdom"},
		{"FR", "France"}, {"XK", "Kosovo"}, {"PS", "Palestinian Territory"}, {"NL", "Netherlands"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			p, ok := g.Country(tt.code)
			if !ok || p.Name != tt.want || p.Kind != KindCountry {
				t.Errorf("Country(%q) = %+v, %v, want %s", tt.code, p, ok, tt.want)
			}
			if p.Lat == 0 && p.Lon == 0 {
				t.Errorf("Country(%q) has no coordinates", tt.code)
			}
		})
	}
	for _, code := range []string{"", "ZZ", "DEU", "EU"} {
		if p, ok := g.Country(code); ok {
			t.Errorf("Country(%q) = %+v, want none", code, p)
		}
	}
}

func TestMaxWords(t *testing.T) {
	g := gaz(t)
	if n := g.MaxWords(); n < 4 || n > 12 {
		t.Errorf("MaxWords = %d, want between 4 and 12", n)
	}
	// Every indexed name must be findable with at most MaxWords words.
	if got := g.Lookup("Bosnia and Herzegovina"); len(got) == 0 || got[0].Country != "BA" {
		t.Errorf("Lookup(Bosnia and Herzegovina) = %v, want BA", got)
	}
}

func TestFold(t *testing.T) {
	f := newFolder()
	tests := []struct{ in, want string }{
		{"São Paulo", "sao paulo"},
		{"Saint-Étienne", "saint etienne"},
		{"  Großbritannien ", "grossbritannien"},
		{"U.S.", "us"},
		{"Côte d’Ivoire", "cote d'ivoire"},
		{"Łódź", "lodz"},
		{"Ho Chi Minh — City", "ho chi minh city"},
		{"Sa\u0303o", "sao"}, // decomposed tilde
		{"Zürich", "zurich"},
	}
	for _, tt := range tests {
		if got := string(f.fold(nil, tt.in)); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLookupReturnsCopies(t *testing.T) {
	g := gaz(t)
	got := g.Lookup("Berlin")
	if len(got) == 0 {
		t.Fatal("Lookup(Berlin) = nil")
	}
	got[0].Name = "changed"
	if again := g.Lookup("Berlin"); again[0].Name != "Berlin" {
		t.Errorf("Lookup result shares memory with the index: %q", again[0].Name)
	}
}

func TestConcurrentUse(t *testing.T) {
	g := gaz(t)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				if p, ok := g.Resolve("Londres", []string{"FR"}); !ok || p.Country != "GB" {
					errs <- "Resolve(Londres)"
					return
				}
				if c, ok := g.Demonym("allemande"); !ok || c != "DE" {
					errs <- "Demonym(allemande)"
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("concurrent %s gave a wrong answer", e)
	}
}

func TestLoadRejectsBadData(t *testing.T) {
	tests := map[string]string{
		"unknown record": "X\tfoo\n",
		"bad kind":       "P\t1\tplanet\tDE\t1\t2\t3\t3\tMars\tMars\n",
		"bad latitude":   "P\t1\tcity\tDE\tnorth\t2\t3\t3\tBerlin\tBerlin\n",
		"empty":          "",
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := load(strings.NewReader(data)); err == nil {
				t.Errorf("load(%q) succeeded, want an error", data)
			}
		})
	}
}

var benchWords = []string{
	"London", "said", "Londres", "the", "München", "government", "United States", "U.S.",
	"Kyiv", "Wednesday", "Allemagne", "minister", "Pékin", "Bavaria", "ministry", "Gaza",
}

func BenchmarkLookup(b *testing.B) {
	g := gaz(b)
	b.ReportAllocs()
	n := 0
	for i := 0; b.Loop(); i++ {
		n += len(g.Lookup(benchWords[i%len(benchWords)]))
	}
	if n == 0 {
		b.Fatal("no place found")
	}
}

func BenchmarkLookupMiss(b *testing.B) {
	g := gaz(b)
	b.ReportAllocs()
	for b.Loop() {
		if g.Lookup("government") != nil {
			b.Fatal("government is not a place")
		}
	}
}

func BenchmarkResolveNear(b *testing.B) {
	g := gaz(b)
	b.ReportAllocs()
	for b.Loop() {
		if p, _ := g.ResolveNear("Cambridge", "Mass."); p.Country != "US" {
			b.Fatal("Cambridge, Mass. is not in the US")
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := gaz(b)
	ctx := []string{"US"}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		g.Resolve(benchWords[i%len(benchWords)], ctx)
	}
}
