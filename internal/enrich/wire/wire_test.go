package wire

import (
	"strings"
	"testing"
)

func TestParseDateline(t *testing.T) {
	tests := []struct {
		name, body                  string
		place, region, agency, date string
		lede                        string
		ok                          bool
	}{
		{"afp english", "KYIV, June 16 (AFP) - Russia launched drones.", "Kyiv", "", "AFP", "June 16", "Russia launched drones.", true},
		{"reuters no date", "BERLIN (Reuters) - Germany's economy shrank.", "Berlin", "", "Reuters", "", "Germany's economy shrank.", true},
		{"ap with country and em dash", "NAIROBI, Kenya (AP) — Police said on Monday.", "Nairobi", "Kenya", "AP", "", "Police said on Monday.", true},
		{"afp french", "PARIS, 3 mars 2026 (AFP) - Le gouvernement a annoncé.", "Paris", "", "AFP", "3 mars 2026", "Le gouvernement a annoncé.", true},
		{"efe spanish", "MADRID, 5 mar (EFE).- El Gobierno aprobó.", "Madrid", "", "EFE", "5 mar", "El Gobierno aprobó.", true},
		{"dpa german", "Berlin (dpa) - Die Bundesregierung will.", "Berlin", "", "dpa", "", "Die Bundesregierung will.", true},
		{"dpa regional service", "Hamburg (dpa/lno) - Im Hafen.", "Hamburg", "", "dpa", "", "Im Hafen.", true},
		{"no agency upper case", "WASHINGTON — The Senate voted.", "Washington", "", "", "", "The Senate voted.", true},
		{"no agency with country", "Kyiv, Ukraine — Air raid sirens sounded.", "Kyiv", "Ukraine", "", "", "Air raid sirens sounded.", true},
		{"reuters with date", "LONDON, March 3 (Reuters) - Britain's FTSE.", "London", "", "Reuters", "March 3", "Britain's FTSE.", true},
		{"keystone-ats", "GENÈVE (Keystone-ATS) - Le Conseil fédéral.", "Genève", "", "Keystone-ATS", "", "Le Conseil fédéral.", true},
		{"lusa portuguese", "SÃO PAULO, 12 jan (Lusa) - O governo.", "São Paulo", "", "Lusa", "12 jan", "O governo.", true},
		{"press release", "NEW YORK, June 3, 2026 /PRNewswire/ -- Acme Corp today announced.", "New York", "", "PR Newswire", "June 3, 2026", "Acme Corp today announced.", true},
		{"xinhua", "BEIJING, June 3 (Xinhua) -- China's exports rose.", "Beijing", "", "Xinhua", "June 3", "China's exports rose.", true},
		{"bloomberg agency first", "(Bloomberg) -- Stocks rose in Asia.", "", "", "Bloomberg", "", "Stocks rose in Asia.", true},
		{"ansa agency first with place", "(ANSA) - ROME, June 3 - Italy's premier said.", "Rome", "", "ANSA", "June 3", "Italy's premier said.", true},
		{"pti without separator", "NEW DELHI, Jan 5 (PTI) Prime Minister Narendra Modi said.", "New Delhi", "", "PTI", "Jan 5", "Prime Minister Narendra Modi said.", true},
		{"europa press upper agency", "MADRID, 3 (EUROPA PRESS) - El Congreso.", "Madrid", "", "Europa Press", "3", "El Congreso.", true},
		{"rio particles", "RIO DE JANEIRO, 4 mai (AFP) - Le Brésil.", "Rio de Janeiro", "", "AFP", "4 mai", "Le Brésil.", true},
		{"st louis abbreviation", "ST. LOUIS (AP) — A jury found.", "St. Louis", "", "AP", "", "A jury found.", true},
		{"german date", "Wien, 4. März (APA) - Die Regierung.", "Wien", "", "APA", "4. März", "Die Regierung.", true},
		{"after byline", "By Jane Doe\n\nKYIV (Reuters) - Ukraine said.", "Kyiv", "", "Reuters", "", "Ukraine said.", true},
		{"place with qualifier", "Frankfurt (Oder) (dpa) - Die Bundespolizei.", "Frankfurt (Oder)", "", "dpa", "", "Die Bundespolizei.", true},
		{"ordinary sentence", "The President said on Monday that talks would resume.", "", "", "", "", "", false},
		{"breaking label", "BREAKING: Earthquake hits Japan - officials.", "", "", "", "", "", false},
		{"name then dash", "Barack Obama — the former president — spoke.", "", "", "", "", "", false},
		{"sentence with agency later", "Officials told Reuters (Reuters) - nothing.", "", "", "", "", "", false},
		{"empty", "", "", "", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, ok := ParseDateline(tt.body)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, tt.ok, d)
			}
			if !ok {
				return
			}
			if d.Place != tt.place || d.Region != tt.region || d.Agency != tt.agency || d.Date != tt.date {
				t.Errorf("got place=%q region=%q agency=%q date=%q, want %q %q %q %q", d.Place, d.Region, d.Agency, d.Date, tt.place, tt.region, tt.agency, tt.date)
			}
			if got := tt.body[d.End:]; got != tt.lede {
				t.Errorf("lede = %q, want %q", got, tt.lede)
			}
		})
	}
}

func TestAgency(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AFP", "AFP"}, {"Agence France-Presse", "AFP"}, {"agence france presse", "AFP"},
		{"Reuters", "Reuters"}, {"Associated Press", "AP"}, {"The Associated Press", "AP"},
		{"Deutsche Presse-Agentur", "dpa"}, {"DPA", "dpa"}, {"Agencia EFE", "EFE"}, {"ansa", "ANSA"},
		{"Keystone-SDA", "Keystone-ATS"}, {"EUROPA PRESS", "Europa Press"}, {"Telam", "Télam"},
		{"Canadian Press", "The Canadian Press"}, {"Press Trust of India", "PTI"}, {"ITAR-TASS", "TASS"},
		{"Kyodo News", "Kyodo"}, {"PRNewswire", "PR Newswire"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Agency(tt.in)
			if !ok || got != tt.want {
				t.Errorf("Agency(%q) = %q, %v; want %q", tt.in, got, ok, tt.want)
			}
		})
	}
	for _, in := range []string{"", "The President", "Paris", "Ministry of Defence"} {
		if got, ok := Agency(in); ok {
			t.Errorf("Agency(%q) = %q, want no agency", in, got)
		}
	}
}

func TestCreditLine(t *testing.T) {
	tests := []struct {
		name, body, agency string
		ok                 bool
	}{
		{"bare", "Text.\n\nAFP", "AFP", true},
		{"em dash", "Text.\n\n— Reuters", "Reuters", true},
		{"parentheses", "Text.\n\n(AP)", "AP", true},
		{"two agencies lower case", "Text.\n\nafp/dpa", "AFP", true},
		{"dpa first", "Der Text.\n\ndpa/AFP", "dpa", true},
		{"initials and sources", "Text.\n\njd/ab (AFP, Reuters)", "AFP", true},
		{"double dash", "Text.\n\n-- Reuters", "Reuters", true},
		{"with agency french", "Le texte.\n\nAvec AFP", "AFP", true},
		{"spanish source", "El texto.\n\nCon información de EFE", "EFE", true},
		{"trailing newline", "Text.\n\nAFP\n", "AFP", true},
		{"reporting credit is not an agency", "Text.\n\n(Reporting by Jane Doe; Editing by John Roe)", "", false},
		{"ordinary last sentence", "Text.\n\nThe talks resume on Monday.", "", false},
		{"initials under the credit", "El texto.\n\nEFE\n\nlf/jrh", "EFE", true},
		{"agency and initials", "Le texte.\n\nats/mb", "Keystone-ATS", true},
		{"initials alone", "Text.\n\njd/ab", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, line, ok := CreditLine(tt.body)
			if ok != tt.ok || a != tt.agency {
				t.Fatalf("CreditLine = %q, %q, %v; want %q, %v", a, line, ok, tt.agency, tt.ok)
			}
			if ok && !strings.Contains(tt.body, "\n"+line) {
				t.Errorf("line %q is not a line of the body", line)
			}
		})
	}
}

func TestReportingCredit(t *testing.T) {
	names, _, ok := ReportingCredit("Text.\n\n(Reporting by Jane Doe in London and John Roe; Editing by Max Muster)")
	if !ok || strings.Join(names, "|") != "Jane Doe|John Roe" {
		t.Fatalf("ReportingCredit = %v, %v; want Jane Doe, John Roe", names, ok)
	}
	if _, _, ok := ReportingCredit("Text.\n\nReuters"); ok {
		t.Error("an agency credit is not a reporting credit")
	}
}

func TestByline(t *testing.T) {
	tests := []struct {
		name, body, by string
		ok             bool
	}{
		{"english", "By Jane Doe\n\nKYIV (AFP) - Text.", "Jane Doe", true},
		{"two authors and agency", "By Jane Doe and John Roe, AFP\n\nText.", "Jane Doe, John Roe", true},
		{"french with place", "Par Jean Dupont à Kyiv\n\nTexte.", "Jean Dupont", true},
		{"french two authors", "Par Jean Dupont et Marie Curie\n\nTexte.", "Jean Dupont, Marie Curie", true},
		{"spanish", "Por Ana García en Madrid\n\nTexto.", "Ana García", true},
		{"spanish two authors", "Por Ana García y Luis Pérez\n\nTexto.", "Ana García, Luis Pérez", true},
		{"german", "Von Max Muster, dpa\n\nText.", "Max Muster", true},
		{"german two authors", "Von Max Muster und Erika Mustermann\n\nText.", "Max Muster, Erika Mustermann", true},
		{"capitals", "BY JANE DOE\n\nText.", "Jane Doe", true},
		{"in place", "By Jane Doe in Kyiv\n\nText.", "Jane Doe", true},
		{"ordinary by sentence", "By 2030, emissions must halve.\n\nText.", "", false},
		{"by monday sentence", "By Monday, the talks had failed.", "", false},
		{"par ailleurs", "Par ailleurs, le gouvernement a annoncé.", "", false},
		{"no byline", "KYIV (AFP) - Text.", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			by, _, ok := Byline(tt.body)
			if ok != tt.ok || by != tt.by {
				t.Errorf("Byline = %q, %v; want %q, %v", by, ok, tt.by, tt.ok)
			}
		})
	}
}

func TestStripBoilerplate(t *testing.T) {
	long := "The newsletter, which the union sends to its members, said on Monday that the strike would go ahead unless the company made a better offer, and that members should click here and there for details of pickets."
	tests := []struct {
		name, body, want string
	}{
		{"read more english", "First.\n\nRead more: Markets slide\n\nSecond.", "First.\n\nSecond."},
		{"lire aussi", "Premier.\n\nLIRE AUSSI. Le gouvernement recule\n\nSecond.", "Premier.\n\nSecond."},
		{"leer mas", "Primero.\n\nLeer más: El Gobierno\n\nSegundo.", "Primero.\n\nSegundo."},
		{"weiterlesen", "Erstens.\n\nWeiterlesen\n\nZweitens.", "Erstens.\n\nZweitens."},
		{"share", "First.\n\nShare on Facebook\n\nSecond.", "First.\n\nSecond."},
		{"subscribe", "First.\n\nSubscribe to our daily newsletter.\n\nSecond.", "First.\n\nSecond."},
		{"abonnez-vous", "Premier.\n\nAbonnez-vous à notre newsletter\n\nSecond.", "Premier.\n\nSecond."},
		{"copyright", "First.\n\n© 2026 Acme News. All rights reserved.", "First."},
		{"copyright word", "First.\n\nCopyright 2026 Acme News", "First."},
		{"tous droits réservés", "Premier.\n\nTous droits réservés", "Premier."},
		{"alle rechte", "Erstens.\n\nAlle Rechte vorbehalten.", "Erstens."},
		{"advertisement", "First.\n\nAdvertisement\n\nSecond.", "First.\n\nSecond."},
		{"anzeige", "Erstens.\n\nAnzeige\n\nZweitens.", "Erstens.\n\nZweitens."},
		{"originally published", "First.\n\nThis article was originally published on Example News.", "First."},
		{"related", "First.\n\nRelated: Ten things to know", "First."},
		{"cue in long paragraph kept", "First.\n\n" + long, "First.\n\n" + long},
		{"subscribers sentence kept", "First.\n\nSubscribers rose 4%.", "First.\n\nSubscribers rose 4%."},
		{"copyright sentence kept", "First.\n\nCopyright cases rose sharply.", "First.\n\nCopyright cases rose sharply."},
		{"nothing to drop is identical", "A\n\n  B  \n\nC", "A\n\n  B  \n\nC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripBoilerplate(tt.body); got != tt.want {
				t.Errorf("StripBoilerplate = %q, want %q", got, tt.want)
			}
		})
	}
}

// benchStory is an invented wire story of about 3 KB with a byline, a dateline,
// boilerplate and a credit line.
var benchStory = func() string {
	paras := []string{"By Jane Doe",
		"ROTTERDAM, Netherlands, March 3 (AFP) - Dock workers at Europe's largest port walked out on Monday after pay talks with terminal operators collapsed, halting container traffic and leaving dozens of ships waiting at anchor in the North Sea."}
	for i := 0; i < 10; i++ {
		paras = append(paras, "The employers' association said it had offered a rise of 4.5 percent over two years and called the strike irresponsible, while the union said its members had lost a fifth of their buying power in three years and would not accept less than inflation plus one point.")
		if i == 4 {
			paras = append(paras, "Read more: Port strikes spread across Europe")
		}
	}
	paras = append(paras, "© 2026 AFP. All rights reserved.", "jd/ab (AFP, Reuters)")
	return strings.Join(paras, "\n\n")
}()

func TestBenchStorySize(t *testing.T) {
	if n := len(benchStory); n < 2800 || n > 3400 {
		t.Errorf("benchmark story is %d bytes, want about 3 KB", n)
	}
}

// BenchmarkWire runs everything the package offers on one story, as the enricher does.
func BenchmarkWire(b *testing.B) {
	b.SetBytes(int64(len(benchStory)))
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := ParseDateline(benchStory); !ok {
			b.Fatal("no dateline")
		}
		if _, _, ok := Byline(benchStory); !ok {
			b.Fatal("no byline")
		}
		if _, _, ok := CreditLine(benchStory); !ok {
			b.Fatal("no credit line")
		}
		ReportingCredit(benchStory)
		StripBoilerplate(benchStory)
	}
}
