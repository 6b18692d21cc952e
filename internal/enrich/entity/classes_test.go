package entity

import (
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func hasName(es []pipeline.Entity, name string) bool {
	for _, e := range es {
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			if textkit.EqualFold(n, name) {
				return true
			}
		}
	}
	return false
}

// TestPersonEvidence checks that a capitalised pair is a person only with evidence,
// in the four languages.
func TestPersonEvidence(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		body      string
		people    []string
		notPeople []string
	}{
		{"events and laws are no people", "en",
			"The Paris Agreement was signed. Black Friday sales rose. Climate Week opened on Monday.",
			nil, []string{"Paris Agreement", "Black Friday", "Climate Week"}},
		{"titles of works in quotes", "en",
			"The film \"Silent Harbour\" won the top prize, its director said.",
			nil, []string{"Silent Harbour"}},
		{"storm names", "en",
			"Storm Ciaran hit the coast overnight.",
			nil, []string{"Storm Ciaran", "Ciaran"}},
		{"sentence-initial function word", "en",
			"Despite Kharkiv's losses, the plan went ahead.",
			nil, []string{"Despite Kharkiv"}},
		{"multicultural given names", "en",
			"Amara Okafor runs a clinic. Tendai Moyo and Oluwaseun Adeyemi were arrested with Mehmet Yilmaz.",
			[]string{"Amara Okafor", "Tendai Moyo", "Oluwaseun Adeyemi", "Mehmet Yilmaz"}, nil},
		{"family name first", "en",
			"Nguyen Van Thanh grows rice. Park Ji-won met Wang Yi and Kim Jong Un.",
			[]string{"Nguyen Van Thanh", "Park Ji-won", "Wang Yi", "Kim Jong Un"}, nil},
		{"role before an apposed name", "en",
			"The federation called the plan overdue. Its general secretary, Ambet Yuson, said heat kills.",
			[]string{"Ambet Yuson"}, nil},
		{"surname used alone later", "en",
			"Talks were led by Ivo Zarkan. Zarkan left early.",
			[]string{"Ivo Zarkan"}, nil},
		{"frequent surname", "en",
			"Demand was the highest since Zadie Smith, the shop added.",
			[]string{"Zadie Smith"}, nil},
		{"role phrase before a place-like first name", "en",
			"The association's board president, Georgia Brandt, said the group survived.",
			[]string{"Georgia Brandt"}, nil},
		{"no evidence, no person", "en",
			"Sales at Harbour Lights rose in May.",
			nil, []string{"Harbour Lights"}},
		{"french portfolio is no person", "fr",
			"Le ministre des Transports, Philippe Tabarot, doit recevoir les syndicats.",
			[]string{"Philippe Tabarot"}, []string{"Transports"}},
		{"french role apposition", "fr",
			"La coordinatrice humanitaire de l'ONU pour le pays, Aïssatou Ndiaye, a réclamé une enquête.",
			[]string{"Aïssatou Ndiaye"}, nil},
		{"french name with N'", "fr",
			"La porte-parole Anne-Sophie N'Diaye a confirmé la grève.",
			[]string{"Anne-Sophie N'Diaye"}, []string{"Diaye"}},
		{"spanish role apposition", "es",
			"La portavoz del grupo en la Cámara, Ester Muñoz, acusó al ministro.",
			[]string{"Ester Muñoz"}, nil},
		{"spanish first family name", "es",
			"Lo dijo Iñaki Etxeberria Goikoetxea, consejero delegado. Etxeberria explicó el plan.",
			[]string{"Iñaki Etxeberria Goikoetxea"}, nil},
		{"german noun phrase with a speech verb", "de",
			"Ein Sprecher des Terminalbetreibers Eurogate sagte, der Betrieb laufe.",
			nil, []string{"Terminalbetreibers Eurogate", "Eurogate"}},
		{"german role apposition", "de",
			"Die Präsidentin des Zentralkomitees, Irme Stetter-Karp, forderte Reformen.",
			[]string{"Irme Stetter-Karp"}, nil},
		{"arabic article in a name", "en",
			"Abdelrahman al-Nour, a doctor at the hospital, said supplies ran out.",
			[]string{"Abdelrahman al-Nour"}, nil},
	}
	x := testExtractor()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := x.Extract(Input{Body: tt.body, Language: tt.lang})
			for _, p := range tt.people {
				if _, ok := findEntity(res.People, p); !ok {
					t.Errorf("person %q not found; people: %s", p, names(res.People))
				}
			}
			for _, p := range tt.notPeople {
				if hasName(res.People, p) {
					t.Errorf("%q must not be a person; people: %s", p, names(res.People))
				}
			}
		})
	}
}

// TestOrganisationRecall checks the cues that name organisations, in the four languages.
func TestOrganisationRecall(t *testing.T) {
	tests := []struct {
		name    string
		lang    string
		body    string
		orgs    []string
		notOrgs []string
		people  []string
	}{
		{"a lone name that speaks", "en",
			"Eurogate said the terminal would reopen. The Tate announced a new show.",
			[]string{"Eurogate", "Tate"}, nil, nil},
		{"company heads", "en",
			"Thames Water was fined. A spokesperson for Siemens Energy declined to comment.",
			[]string{"Thames Water", "Siemens Energy"}, nil, nil},
		{"organisation noun before a name", "en",
			"Shares in carmaker Velora fell after the lender Brightwell cut its forecast.",
			[]string{"Velora", "Brightwell"}, nil, nil},
		{"apposition with an organisation noun", "en",
			"Ecolatina, a consultancy based in Buenos Aires, cut its forecast.",
			[]string{"Ecolatina"}, nil, nil},
		{"role at an organisation", "en",
			"Jordan Henderson, a semiconductor analyst at Bernstein, was cautious.",
			[]string{"Bernstein"}, nil, []string{"Jordan Henderson"}},
		{"coordination with a known organisation", "de",
			"Am Flughafen strichen Lufthansa, Eurowings und Ryanair mehr als 120 Verbindungen.",
			[]string{"Lufthansa", "Eurowings", "Ryanair"}, nil, nil},
		{"coordination in spanish", "es",
			"La ley salió con los votos de PSOE, Sumar, Velaria y PNV.",
			[]string{"Velaria"}, nil, nil},
		{"place opening an institution", "en",
			"The Kharkiv Emergency Management Agency said five people died.",
			[]string{"Kharkiv Emergency Management Agency"}, nil, nil},
		{"german federal compounds", "de",
			"Das Umweltbundesamt und das Ifo-Institut legten Zahlen vor. Laut Statistischem Bundesamt stiegen die Preise.",
			[]string{"Umweltbundesamt", "Ifo-Institut", "Statistisches Bundesamt"}, []string{"Laut Statistischem Bundesamt"}, nil},
		{"german descriptor before a name", "de",
			"Der Hafenbetreiber Nordkai kündigte Entlassungen an.",
			[]string{"Nordkai"}, []string{"Hafenbetreiber Nordkai"}, nil},
		{"german compound acronym", "de",
			"Die Bande sprengte Automaten, wie das Landeskriminalamt (LKA) mitteilte.",
			[]string{"Landeskriminalamt"}, nil, nil},
		{"acronym over connectors", "de",
			"Das Bundesamt für Seeschifffahrt und Hydrographie (BSH) erwartete Hochwasser.",
			[]string{"Bundesamt für Seeschifffahrt und Hydrographie"}, []string{"Hydrographie"}, nil},
		{"french complement of a head", "fr",
			"Selon la Fédération française de football, le match aura lieu. Le syndicat Force ouvrière a protesté.",
			[]string{"Fédération française de football", "Force ouvrière"}, nil, nil},
		{"spanish mixed-case acronym", "es",
			"Según la Agencia Estatal de Meteorología (Aemet), las temperaturas subirán.",
			[]string{"Agencia Estatal de Meteorología"}, nil, nil},
		{"spanish acronym over connectors", "es",
			"El Instituto Portugués del Mar y la Atmósfera (IPMA) mantuvo el aviso.",
			[]string{"Instituto Portugués del Mar y la Atmósfera"}, nil, nil},
		{"news agencies cited are sources", "en",
			"The minister told Reuters the deal was close, AFP reported.",
			nil, []string{"Reuters", "Agence France-Presse", "AFP"}, nil},
		{"known name after an indefinite article is a noun", "de",
			"Was ein Bild leisten kann, sagte der Kurator.",
			nil, []string{"Bild"}, nil},
		{"agency after a descriptor", "de",
			"Das sagte er der Nachrichtenagentur AFP am Montag.",
			nil, []string{"Nachrichtenagentur AFP", "AFP"}, nil},
		{"city adjective before an institute", "de",
			"Der Index stieg, wie das Münchner Ifo-Institut mitteilte.",
			[]string{"Ifo-Institut"}, []string{"Münchner Ifo-Institut"}, nil},
		{"club name stops at a player", "fr",
			"Les insultes visaient le défenseur du FC Nantes Ousmane Diop mercredi.",
			[]string{"FC Nantes"}, []string{"FC Nantes Ousmane Diop"}, []string{"Ousmane Diop"}},
		{"indices and trains are no organisations", "fr",
			"Le KOSPI a reculé. Un TGV sur deux circulera et un TER sur cinq.",
			nil, []string{"KOSPI", "TGV", "TER"}, nil},
	}
	x := testExtractor()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := x.Extract(Input{Body: tt.body, Language: tt.lang})
			for _, o := range tt.orgs {
				if !hasName(res.Organisations, o) {
					t.Errorf("organisation %q not found; organisations: %s", o, names(res.Organisations))
				}
			}
			for _, o := range tt.notOrgs {
				if hasName(res.Organisations, o) {
					t.Errorf("%q must not be an organisation; organisations: %s", o, names(res.Organisations))
				}
			}
			for _, p := range tt.people {
				if _, ok := findEntity(res.People, p); !ok {
					t.Errorf("person %q not found; people: %s", p, names(res.People))
				}
			}
			for _, o := range tt.orgs {
				if hasName(res.People, o) {
					t.Errorf("%q must not be a person; people: %s", o, names(res.People))
				}
			}
		})
	}
}

func TestLooseAndCompoundAcronyms(t *testing.T) {
	x := testExtractor()
	tests := []struct {
		acr   string
		words []string
		want  bool
	}{
		{"Aemet", []string{"agencia", "estatal", "de", "meteorologia"}, true},
		{"Ofgem", []string{"office", "of", "gas", "and", "electricity", "markets"}, true},
		{"Aemet", []string{"banco", "central"}, false},
	}
	for _, tt := range tests {
		if got := looseAcronym(tt.acr, tt.words, x.lex); got != tt.want {
			t.Errorf("looseAcronym(%q, %q) = %v, want %v", tt.acr, tt.words, got, tt.want)
		}
	}
	if !compoundAcronym("LKA", "landeskriminalamt") || compoundAcronym("LKA", "bundespolizei") {
		t.Error("compoundAcronym: LKA is Landeskriminalamt, not Bundespolizei")
	}
}

func TestGermanVariants(t *testing.T) {
	got := map[string]bool{}
	for _, v := range germanVariants("statistisches bundesamt") {
		got[v] = true
	}
	for _, want := range []string{"statistischen bundesamt", "statistischen bundesamtes", "statistischem bundesamt"} {
		if !got[want] {
			t.Errorf("germanVariants misses %q: %v", want, got)
		}
	}
}
