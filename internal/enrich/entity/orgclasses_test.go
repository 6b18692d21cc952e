package entity

import (
	"testing"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// TestOrganisationClasses checks the classes of organisation names, one case per class
// and language, on invented sentences and with the real gazetteer.
func TestOrganisationClasses(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		body      string
		orgs      []string // names or aliases that must be found
		notOrgs   []string // forms no organisation may carry
		notPlaces []string
		places    []string
		count     int // organisations expected, when not 0
	}{
		{"legal form closes a company, short form merged", "en",
			"Harbourline Ferries plc cut its forecast. Shares in Harbourline Ferries fell 3%.",
			[]string{"Harbourline Ferries plc", "Harbourline Ferries"}, nil, nil, nil, 1},
		{"lower-case name before plc", "en",
			"The port, run by its operator tavo plc, reopened on Monday.",
			[]string{"tavo plc"}, nil, nil, nil, 0},
		{"group words merge with the short name", "en",
			"Brightwell Holdings plc reported a loss. Brightwell said costs rose.",
			[]string{"Brightwell Holdings plc", "Brightwell"}, nil, nil, nil, 1},
		{"spanish legal forms", "es",
			"La jueza investiga a Construcciones Beltrán S.L. y a Grupo Ferrol S.A. de C.V. por fraude.",
			[]string{"Construcciones Beltrán S.L.", "Grupo Ferrol S.A. de C.V."}, nil, nil, nil, 0},
		{"german descriptor stays out of the name", "de",
			"Der Konkurrent Norvend AG legt am Montag Zahlen vor, auch der Lastwagenbauer Norvend Truck.",
			[]string{"Norvend AG", "Norvend Truck"}, []string{"Konkurrent Norvend AG", "Lastwagenbauer Norvend Truck"}, nil, nil, 0},
		{"subsidiary named with a country and a legal form", "fr",
			"La filiale zippAir Switzerland SA reste le premier transporteur.",
			[]string{"zippAir Switzerland SA"}, nil, []string{"Switzerland"}, nil, 0},
		{"possessive place before an institution", "en",
			"Germany's Federal Labour Court ruled on Tuesday.",
			[]string{"Federal Labour Court"}, []string{"Germany's Federal Labour Court"}, nil, []string{"Germany"}, 0},
		{"brand shapes", "en",
			"LumoPay said it would appeal, while zippAir cut fares.",
			[]string{"LumoPay", "zippAir"}, nil, nil, nil, 0},
		{"french institutions written in lower case", "fr",
			"La cour d'appel de Rennes a confirmé le jugement du tribunal administratif de Nantes. La mairie de Brest et l'hôpital Bichat ont réagi.",
			[]string{"cour d'appel de Rennes", "tribunal administratif de Nantes", "mairie de Brest", "hôpital Bichat"}, nil, nil, nil, 0},
		{"an indefinite court names no institution", "fr",
			"En 2024, un tribunal d'Amsterdam avait donné raison aux militants.",
			nil, []string{"tribunal d'Amsterdam"}, nil, []string{"Amsterdam"}, 0},
		{"spanish portfolios coordinated in a ministry's name", "es",
			"Un portavoz del Ministerio de Agricultura, Pesca y Alimentación aseguró que el Ministerio para la Transición Ecológica y el Reto Demográfico tramita un decreto.",
			[]string{"Ministerio de Agricultura, Pesca y Alimentación", "Ministerio para la Transición Ecológica y el Reto Demográfico"}, []string{"Pesca", "Reto Demográfico"}, nil, nil, 0},
		{"english portfolios coordinated", "en",
			"The Department for Environment, Food and Rural Affairs said the plan was sound.",
			[]string{"Department for Environment, Food and Rural Affairs"}, nil, nil, nil, 0},
		{"a coordinated place or organisation stays apart", "es",
			"El Ministerio de Sanidad y la OMS firmaron un acuerdo.",
			[]string{"Ministerio de Sanidad"}, []string{"Ministerio de Sanidad y la OMS"}, nil, nil, 0},
		{"german genitive head", "de",
			"Nach einem Urteil des Oberlandesgerichts Celle muss die Bank zahlen.",
			[]string{"Oberlandesgerichts Celle"}, nil, nil, nil, 0},
		{"german adjective takes the strong ending", "de",
			"Der Deutsche Kulturrat sprach von einem Signal. Das Deutsche Musikinstitut schloss sich an.",
			[]string{"Deutscher Kulturrat", "Deutsches Musikinstitut"}, nil, nil, nil, 0},
		{"german branch with a region", "de",
			"Die Verbraucherzentrale Sachsen begrüßte das Urteil, die AOK Niedersachsen zahlt.",
			[]string{"Verbraucherzentrale Sachsen", "AOK Niedersachsen"}, nil, nil, nil, 0},
		{"german party before a role", "de",
			"Die Grünen-Abgeordnete Clara Feld und SPD-Chef Lars Klingbeil widersprachen. NRW-Innenminister Herbert Reul schwieg.",
			[]string{"SPD", "Bündnis 90/Die Grünen"}, []string{"NRW"}, nil, nil, 0},
		{"one-letter compounds are no names", "de",
			"Mehr Personal soll in Münchens U-Bahn für Sicherheit sorgen.",
			nil, []string{"U-Bahn", "Münchens U-Bahn"}, nil, nil, 0},
		{"club prefixes", "de",
			"Der TSV Hollenbek besiegte den VfL Marsch mit 31:28, sagte der Trainer nach dem Spiel.",
			[]string{"TSV Hollenbek", "VfL Marsch"}, nil, nil, nil, 0},
		{"a city is its club in a match report", "en",
			"Newcastle United lost 2-1 at home. Newcastle were furious after the match, and the Newcastle manager blamed the referee for the penalty.",
			[]string{"Newcastle United"}, nil, []string{"Newcastle"}, nil, 1},
		{"a city before a match verb is the team", "fr",
			"Ligue 1: Angers bat Brest 2-0. L'entraîneur a salué ses joueurs après le match et le premier but.",
			[]string{"Angers"}, []string{"Ligue 1"}, []string{"Angers"}, nil, 0},
		{"outside sport a city stays a place", "fr",
			"Angers bat des records de chaleur cet été, selon la préfecture.",
			nil, []string{"Angers"}, nil, []string{"Angers"}, 0},
		{"competitions are no organisations", "es",
			"El Unicaja ganó en la Liga Endesa, según la Liga de Fútbol Profesional.",
			[]string{"Unicaja"}, []string{"Liga Endesa"}, nil, nil, 0},
		{"a generic government is unnamed", "es",
			"Los rectores pidieron al Gobierno regional más fondos.",
			nil, []string{"Gobierno regional"}, nil, nil, 0},
		{"organisation noun before a title word", "en",
			"Passenger watchdog Transport Voice said refunds were due.",
			[]string{"Transport Voice"}, []string{"Voice"}, nil, nil, 0},
		{"organisation noun before an acronym and its branch", "fr",
			"Le syndicat SUD Rail Ouest appelle à la grève, la fédération CFDT Banques et Assurances aussi.",
			[]string{"SUD Rail Ouest", "CFDT Banques et Assurances"}, nil, nil, nil, 0},
		{"organisation noun before an article", "es",
			"La asociación civil El Poder Vecinal pidió una investigación.",
			[]string{"El Poder Vecinal"}, nil, nil, nil, 0},
		{"head before a known name", "de",
			"Die Gewerkschaft Verdi begrüßte den Beschluss.",
			[]string{"Verdi", "Vereinte Dienstleistungsgewerkschaft"}, nil, nil, nil, 1},
		{"acronym of a compound and hyphenated words", "de",
			"Analyst Tim Berg von der Landesbank Baden-Württemberg (LBBW) ist skeptisch. Die LBBW senkte ihr Ziel.",
			[]string{"Landesbank Baden-Württemberg", "LBBW"}, nil, nil, nil, 1},
		{"acronym opening a club's name", "de",
			"Der THW Kiel gewann, sagte THW-Trainer Filip Jícha.",
			[]string{"THW Kiel"}, nil, nil, nil, 1},
		{"plural possessive inside a name", "en",
			"The Ontario Teachers' Federation said the plan failed.",
			[]string{"Ontario Teachers' Federation"}, nil, nil, nil, 0},
		{"a defined acronym is no place", "fr",
			"La Métropole européenne de Lille (MEL) a voté. Le syndicat demande à la MEL de réagir.",
			[]string{"Métropole européenne de Lille"}, nil, []string{"MEL"}, nil, 0},
		{"brand written with a plus", "fr",
			"Il a parlé au micro de Canal+.",
			[]string{"Canal+"}, nil, nil, nil, 0},
		{"rating agency with a possessive", "fr",
			"L'agence de notation Moody's a placé la note sous surveillance.",
			[]string{"Moody's"}, []string{"Moody"}, nil, nil, 0},
	}
	x := New(loadGazetteer(t))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := x.Extract(Input{Body: tt.body, Language: tt.lang})
			for _, o := range tt.orgs {
				if !hasName(res.Organisations, o) {
					t.Errorf("organisation %q not found; organisations: %s", o, names(res.Organisations))
				}
			}
			for _, o := range tt.notOrgs {
				for _, e := range res.Organisations {
					if textkit.EqualFold(e.Name, o) {
						t.Errorf("%q must not be an organisation's name; organisations: %s", o, names(res.Organisations))
					}
				}
			}
			if tt.count > 0 && len(res.Organisations) != tt.count {
				t.Errorf("got %d organisations, want %d: %s", len(res.Organisations), tt.count, names(res.Organisations))
			}
			for _, p := range tt.notPlaces {
				for _, pl := range res.Places {
					for _, n := range append([]string{pl.Name}, pl.Aliases...) {
						if textkit.EqualFold(n, p) {
							t.Errorf("%q must not be a place; places: %v", p, res.Places)
						}
					}
				}
			}
			for _, p := range tt.places {
				found := false
				for _, pl := range res.Places {
					for _, n := range append([]string{pl.Name}, pl.Aliases...) {
						found = found || textkit.EqualFold(n, p)
					}
				}
				if !found {
					t.Errorf("place %q not found; places: %v", p, res.Places)
				}
			}
		})
	}
}

func TestBrandShape(t *testing.T) {
	tests := []struct {
		w    string
		want bool
	}{
		{"easyJet", true}, {"beIN", true}, {"i-DE", true}, {"ScottishPower", true}, {"FirstGroup", true},
		{"UniCredit", true}, {"McCarthy", false}, {"MacLeod", false}, {"DiCaprio", false}, {"LeBlanc", false},
		{"JPMorgan", false}, {"Berlin", false}, {"kWh", true}, {"van", false},
	}
	for _, tt := range tests {
		if got := brandShape(tt.w); got != tt.want {
			t.Errorf("brandShape(%q) = %v, want %v", tt.w, got, tt.want)
		}
	}
}
