package topic

import (
	"os"
	"reflect"
	"strings"
	"sync"
	"testing"
)

func TestClassifyMainTopic(t *testing.T) {
	c := New()
	tests := []struct {
		name, lang, headline, body string
		want                       string // main topic code number
	}{
		// English: one story per topic.
		{"en arts", "en", "Veteran director's new film opens the festival to a standing ovation",
			"The drama, starring two award-winning actors, premiered at the film festival on Friday. Critics praised the screenplay and the cinema audience applauded for ten minutes. The director said the movie took six years to make.", "01"},
		{"en crime", "en", "Man charged with murder after stabbing in city centre",
			"Police arrested a 34-year-old suspect on Saturday. Prosecutors said he would appear in court on Monday charged with murder. Detectives appealed for witnesses to the attack.", "02"},
		{"en disaster", "en", "Earthquake kills dozens as buildings collapse",
			"A magnitude 6.8 earthquake struck the region before dawn, and rescuers searched the rubble for survivors. The death toll rose to 47, with hundreds injured, as aftershocks shook the area and emergency services evacuated residents.", "03"},
		{"en economy", "en", "Central bank raises interest rates to curb inflation",
			"The central bank lifted its main interest rate by a quarter point as inflation stayed above target. Stock markets fell and the currency rose against the dollar. Economists expect growth to slow as businesses and consumers cut spending.", "04"},
		{"en education", "en", "Teachers warn of crowded classrooms as school year starts",
			"Pupils returned to school this week, but head teachers said classrooms were overcrowded. The education ministry promised more funding for schools and universities, and students' unions called for lower tuition fees.", "05"},
		{"en environment", "en", "Deforestation threatens rare species, conservationists warn",
			"Conservation groups said deforestation and pollution were destroying the habitat of endangered species. The report called for cuts in greenhouse gas emissions to slow climate change and protect biodiversity.", "06"},
		{"en health", "en", "Measles outbreak prompts vaccination drive",
			"Health officials reported 120 cases of measles in a month and urged parents to vaccinate their children. Hospitals set up clinics for the vaccine, and doctors said most patients had not been immunised.", "07"},
		{"en human interest", "en", "Zoo celebrates birth of twin panda cubs",
			"Keepers at the city zoo said the panda gave birth to twin cubs on Sunday. Visitors queued to see the animals, and the zoo plans a birthday party for the pair next year.", "08"},
		{"en labour", "en", "Nurses' union calls strike over pay",
			"The union said its members would walk out next week after talks on wages broke down. Employers offered a 2 percent pay rise, which workers rejected. The strike is the first in the sector for a decade and follows job cuts and staff shortages.", "09"},
		{"en lifestyle", "en", "Chefs bring street food to the city's new night market",
			"Restaurants and cafes opened stalls at the night market, where tourists and locals sampled dishes and local wine. The organisers said the food festival would run every weekend through the summer holiday season.", "10"},
		{"en politics", "en", "Prime minister calls snap election after coalition collapses",
			"The prime minister dissolved parliament on Wednesday and called an early election after the junior coalition partner quit the government. Opposition parties welcomed the vote and began campaigning, and polls show the ruling party trailing.", "11"},
		{"en religion", "en", "Pope names new cardinals at Vatican ceremony",
			"Pope Leo created twenty new cardinals in St Peter's Basilica, including bishops from Africa and Asia. Thousands of pilgrims attended the mass, and the church said the choice reflected the faith's growth outside Europe.", "12"},
		{"en science", "en", "Astronomers spot water vapour on distant planet",
			"Scientists using a space telescope detected water vapour in the atmosphere of a planet orbiting a nearby star. The research, published in a scientific journal, could help astronomers search for life beyond the solar system.", "13"},
		{"en society", "en", "Homelessness rises as rents soar, charities say",
			"Charities said the number of homeless families had doubled in five years as poverty and housing costs rose. Campaigners called for more social housing and welfare support, warning that inequality was growing.", "14"},
		{"en sport", "en", "Late goal sends champions into cup final",
			"The striker scored in the 89th minute as the champions beat their rivals 2-1 to reach the cup final. The coach praised his players after a tense match in front of a full stadium, and the team will face the league leaders in the final.", "15"},
		{"en conflict", "en", "Ceasefire collapses as troops and rebels clash near border",
			"Fighting resumed between government troops and rebel militias, ending a week-long ceasefire. Artillery shelling and airstrikes hit several villages, and the army said soldiers had repelled an offensive by insurgents.", "16"},
		{"en weather", "en", "Heatwave to bring record temperatures this weekend",
			"Forecasters said temperatures would reach 41 degrees Celsius on Saturday as the heatwave peaks. The meteorological office issued an amber warning, and thunderstorms and heavy rain are expected on Monday as cooler winds arrive.", "17"},

		// French.
		{"fr politique", "fr", "Le Premier ministre engage sa responsabilité devant l'Assemblée nationale",
			"Le gouvernement a recours au 49.3 pour faire adopter le budget. Les députés de l'opposition ont déposé une motion de censure, et le président de la République a reçu les chefs de parti à l'Élysée.", "11"},
		{"fr sport", "fr", "Ligue 1 : Lens s'impose face à Nantes",
			"Les joueurs de l'entraîneur ont marqué deux buts en seconde période. Grâce à cette victoire, le club remonte à la troisième place du championnat avant le match de coupe mercredi.", "15"},
		{"fr santé", "fr", "Grippe : les hôpitaux sous tension",
			"L'épidémie de grippe progresse et les urgences des hôpitaux sont saturées. Les médecins appellent à la vaccination des patients les plus fragiles, selon les autorités sanitaires.", "07"},
		{"fr justice", "fr", "Un ancien maire condamné à deux ans de prison pour corruption",
			"Le tribunal correctionnel a condamné l'élu à deux ans de prison ferme. Le parquet avait requis trois ans. Son avocat a annoncé qu'il ferait appel de ce jugement.", "02"},
		{"fr économie", "fr", "L'inflation ralentit, la Bourse de Paris progresse",
			"La hausse des prix à la consommation a ralenti en février, selon l'Insee. Le CAC 40 a gagné 1 %, porté par les valeurs bancaires, et les investisseurs attendent la décision de la BCE sur les taux d'intérêt.", "04"},

		// Spanish.
		{"es política", "es", "El Congreso aprueba los presupuestos con el apoyo de los socios del Gobierno",
			"Los diputados votaron a favor de las cuentas tras semanas de negociación. La oposición criticó al presidente del Gobierno y anunció un recurso ante el Tribunal Constitucional.", "11"},
		{"es deporte", "es", "El Real Madrid gana la Liga tras vencer al Sevilla",
			"El delantero marcó dos goles y el equipo blanco se proclamó campeón a falta de tres jornadas. El entrenador celebró el título con los jugadores en el estadio.", "15"},
		{"es catástrofe", "es", "Un terremoto de magnitud 6,5 sacude el sur del país",
			"El sismo causó el derrumbe de varias viviendas y al menos doce muertos. Los equipos de rescate y los bomberos buscan supervivientes entre los escombros, según protección civil.", "03"},
		{"es laboral", "es", "Los sindicatos convocan una huelga general por los salarios",
			"CCOO y UGT llamaron a los trabajadores a parar el próximo jueves para exigir una subida salarial. La patronal rechazó la propuesta y el paro afecta ya a miles de empleados del sector.", "09"},

		// German.
		{"de politik", "de", "Bundestag stimmt über neuen Haushalt ab",
			"Die Koalition will den Haushaltsentwurf noch vor der Sommerpause verabschieden. Die Opposition kritisierte die Bundesregierung, der Kanzler verteidigte die Pläne im Parlament.", "11"},
		{"de wetter", "de", "Unwetterwarnung: Gewitter und Starkregen im Süden",
			"Der Deutsche Wetterdienst warnt vor schweren Gewittern mit Hagel und Sturmböen. Nach der Hitze sinken die Temperaturen am Wochenende deutlich, im Bergland fällt Regen.", "17"},
		{"de wirtschaft", "de", "Autobauer meldet Gewinneinbruch",
			"Der Konzern verbuchte im Quartal einen Umsatzrückgang von acht Prozent. Die Aktie fiel an der Börse, Anleger sorgen sich um die Nachfrage aus China und die Zölle.", "04"},
		{"de kriminalität", "de", "Polizei nimmt mutmaßlichen Einbrecher fest",
			"Die Staatsanwaltschaft ermittelt gegen den 29-Jährigen wegen Diebstahls. Der Verdächtige soll in mehrere Wohnungen eingebrochen sein und wurde dem Haftrichter vorgeführt.", "02"},
		{"de sport", "de", "Bayern gewinnt Spitzenspiel in der Bundesliga",
			"Der Stürmer erzielte zwei Tore, die Mannschaft baute ihren Vorsprung in der Tabelle aus. Der Trainer lobte die Spieler nach dem Sieg im ausverkauften Stadion.", "15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.headline, tt.body, tt.lang)
			if len(got) == 0 {
				t.Fatalf("no topic")
			}
			want := "medtop:" + tt.want + "000000"
			if got[0].Code != want {
				t.Errorf("main topic %s (%s), want %s; all %+v", got[0].Code, got[0].Name, want, got)
			}
		})
	}
}

func TestClassifySubjects(t *testing.T) {
	c := New()
	got := c.Classify("Dock workers strike as pay talks fail", "The union said workers would strike over wages, halting trade and exports at the port as companies counted the cost to the economy and the stock market fell.", "en")
	if len(got) == 0 || len(got) > maxTopics {
		t.Fatalf("got %d subjects, want 1..%d", len(got), maxTopics)
	}
	for i, s := range got {
		if !strings.HasPrefix(s.Code, "medtop:") || s.URI != "http://cv.iptc.org/newscodes/mediatopic/"+s.Code[7:] {
			t.Errorf("subject %d: code %q uri %q", i, s.Code, s.URI)
		}
		if s.Confidence <= 0 || s.Confidence > 1 {
			t.Errorf("subject %d: confidence %v outside (0,1]", i, s.Confidence)
		}
		if i > 0 && s.Confidence > got[i-1].Confidence {
			t.Errorf("subjects not sorted by confidence: %+v", got)
		}
	}
	if got[0].Code != "medtop:09000000" || got[0].Name != "labour" {
		t.Errorf("main = %+v, want labour", got[0])
	}
}

func TestClassifyEmpty(t *testing.T) {
	c := New()
	tests := []struct{ name, headline, body string }{
		{"empty", "", ""},
		{"blank", "  ", "\n\n"},
		{"no cue", "Xq zz", "Lorem ipsum dolor sit amet."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Classify(tt.headline, tt.body, "en"); got != nil {
				t.Errorf("got %+v, want nil", got)
			}
		})
	}
}

func TestStemsAndCompounds(t *testing.T) {
	c := New()
	tests := []struct {
		name, lang, text, want string
	}{
		{"french plural with accent", "fr", "élections élections législatives scrutin", "11"},
		{"german compound head", "de", "Landtagswahl Bundestagswahlen Kommunalwahl", "11"},
		{"german inflection", "de", "wählen Wähler Wahlkampf", "11"},
		{"spanish stem", "es", "futbolistas futbolista fútbol", "15"},
		{"english phrase", "en", "the world cup", "15"},
		{"unknown language uses every lexicon", "it", "football championship", "15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify("", tt.text, tt.lang)
			if len(got) == 0 || got[0].Code != "medtop:"+tt.want+"000000" {
				t.Errorf("got %+v, want main %s", got, tt.want)
			}
		})
	}
}

func TestConcepts(t *testing.T) {
	cs := Concepts()
	if len(cs) != nTopics {
		t.Fatalf("%d concepts, want %d", len(cs), nTopics)
	}
	want := map[string]string{
		"medtop:11000000": "politics and government",
		"medtop:12000000": "religion",
		"medtop:03000000": "disaster, accident and emergency incident",
	}
	for _, k := range cs {
		if w, ok := want[k.Code]; ok && k.Name != w {
			t.Errorf("%s = %q, want %q", k.Code, k.Name, w)
		}
	}
}

func BenchmarkClassify(b *testing.B) {
	data, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		b.Fatal(err)
	}
	headline, body, _ := strings.Cut(string(data), "\n\n")
	c := New()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(headline, body, "en")
	}
}

func TestClassifyConcurrent(t *testing.T) {
	c := New()
	data, err := os.ReadFile("testdata/bench_en.txt")
	if err != nil {
		t.Fatal(err)
	}
	headline, body, _ := strings.Cut(string(data), "\n\n")
	want := c.Classify(headline, body, "en")
	if len(want) == 0 || want[0].Code != "medtop:09000000" {
		t.Fatalf("bench story main topic = %+v, want labour", want)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				if got := c.Classify(headline, body, "en"); !reflect.DeepEqual(got, want) {
					t.Errorf("concurrent result %+v differs from %+v", got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}

func TestWeatherWithCasualtiesIsDisaster(t *testing.T) {
	c := New()
	tests := []struct {
		name, headline, body, want string
	}{
		{"forecast stays weather", "Storm to bring heavy rain and strong winds",
			"Forecasters said the storm would bring heavy rain, gusts of up to 90 km/h and falling temperatures on Sunday, and the weather service issued a yellow warning.", "17"},
		{"deadly storm is a disaster", "Storm kills five as floods sweep villages",
			"The storm brought torrential rain and gale-force winds. Five people died and dozens were injured as flash floods destroyed homes; rescuers searched for the missing and thousands were evacuated.", "03"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.headline, tt.body, "en")
			if len(got) == 0 || got[0].Code != "medtop:"+tt.want+"000000" {
				t.Fatalf("got %+v, want main %s", got, tt.want)
			}
			for i := 1; i < len(got); i++ {
				if got[i].Confidence > got[i-1].Confidence {
					t.Errorf("confidences not in order: %+v", got)
				}
			}
		})
	}
}
