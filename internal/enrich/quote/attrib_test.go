package quote

import "testing"

// TestAttribution covers the classes of speech tag a desk reads, each in English,
// French, Spanish and German, on invented sentences.
func TestAttribution(t *testing.T) {
	people := ents("Hana Park|Park", "Tomas Berger", "Lucía Ortega", "Claire Dumont", "Herbert Vogel|Vogel",
		"Ines Kramer", "Marc Lefèvre", "Pablo Ibarra", "Nordwerk AG|Nordwerk", "Ministerio de Sanidad",
		"Banque Aurore", "Harbour Trust|HT")
	tests := []struct {
		name, lang, body, want string
	}{
		// Speaker after the quotation, verb first.
		{"en inverted said", "en", `"We will rebuild every school in the district," said Ms Park.`, "Hana Park"},
		{"fr inverted pronoun", "fr", "Claire Dumont a visité le chantier. « Nous tiendrons les délais fixés par l'État », a-t-elle ajouté.", "Claire Dumont"},
		{"es inverted role", "es", "La ministra de Sanidad, Lucía Ortega, visitó el hospital. «No cerraremos ninguna planta este verano», dijo la ministra.", "Lucía Ortega"},
		{"de inverted role", "de", "Innenminister Herbert Vogel besuchte die Wache. „Wir stellen in diesem Jahr tausend Beamte ein“, sagte der Minister.", "Herbert Vogel"},
		// Role nouns back to a named person, across compounds, gender and synonyms.
		{"en role after apposition", "en", `Tomas Berger, the harbour master, spoke first. Later Hana Park arrived. "The cranes will run again by Friday at noon," the harbour master said.`, "Tomas Berger"},
		{"fr role synonym", "fr", "Le film du réalisateur Marc Lefèvre ouvre le festival. Claire Dumont préside le jury. « Ce prix récompense dix ans de travail acharné », a confié le cinéaste.", "Marc Lefèvre"},
		{"es role feminine", "es", "Pablo Ibarra presentó el plan junto a la presidenta Lucía Ortega. «Este acuerdo cambia las reglas del juego», afirmó la presidenta.", "Lucía Ortega"},
		{"de role demonym", "de", "Der kroatische Stürmer Tomas Berger traf zweimal. Trainer Herbert Vogel lobte das Team. „Ich habe heute einfach nur Glück gehabt“, sagte der Kroate.", "Tomas Berger"},
		{"de role feminine", "de", "Ines Kramer leitet die Kita. Herbert Vogel kam zu Besuch. „Wir haben seit Monaten zwei Stellen nicht besetzt“, sagte die Erzieherin der Zeitung.", "Ines Kramer"},
		// Unnamed spokesperson speaks for the organisation.
		{"en spokesperson for org", "en", `Nordwerk AG cut its forecast. "We expect demand to recover in the second half," a spokesperson for Nordwerk said.`, "Nordwerk AG"},
		{"en spokesperson descriptive", "en", `Harbour Trust said it would appeal. "We have never seen a ruling like this one before," a spokeswoman for the charity said.`, "Harbour Trust"},
		{"fr porte-parole", "fr", "« Aucun client ne perdra un seul euro dans cette affaire », a indiqué un porte-parole de la Banque Aurore.", "Banque Aurore"},
		{"es portavoz", "es", "«El plan llegará a todos los centros de salud del país», aseguró un portavoz del Ministerio de Sanidad.", "Ministerio de Sanidad"},
		{"de compound Sprecher", "de", "Nordwerk meldete Verluste. „Die Auftragsbücher sind trotzdem gut gefüllt“, sagte ein Nordwerk-Sprecher.", "Nordwerk AG"},
		// Organisation speaking.
		{"en statement", "en", `"The team was found to be two overs short of the rate," the Harbour Trust said in a statement.`, "Harbour Trust"},
		{"fr selon", "fr", "Selon la Banque Aurore, « les taux resteront stables jusqu'à la fin de l'année ».", "Banque Aurore"},
		{"es según", "es", "Según el Ministerio de Sanidad, «la campaña de vacunación empieza el lunes».", "Ministerio de Sanidad"},
		{"de teilte mit", "de", "„Das hat mit unserer Firmenkultur nichts mehr zu tun“, teilte Nordwerk mit.", "Nordwerk AG"},
		// Pronouns with gender.
		{"en she skips he", "en", `Hana Park met Tomas Berger on Monday. "We agreed on every point that matters to workers," she said.`, "Hana Park"},
		{"fr elle skips M.", "fr", "Claire Dumont a reçu M. Lefèvre à Lyon. « Le dialogue reprendra dès la semaine prochaine », a-t-elle assuré.", "Claire Dumont"},
		{"es ella", "es", "Lucía Ortega recibió al señor Ibarra. «No habrá recortes en la sanidad pública», dijo ella.", "Lucía Ortega"},
		{"de sie skips Herr", "de", "Ines Kramer traf Herrn Vogel in Bonn. „Wir brauchen mehr Geld für die Schulen im Land“, sagte sie.", "Ines Kramer"},
		// An agency as listener is never the speaker.
		{"en told AFP", "en", `"Nobody has paid us for three months now," Tomas Berger told AFP.`, "Tomas Berger"},
		{"es dijo a Reuters", "es", "«Queremos fabricar aquí nuestra propia tecnología», dijo a Reuters Pablo Ibarra, consejero delegado.", "Pablo Ibarra"},
		{"de sagte der Nachrichtenagentur", "de", "„Das ist der stärkste Sturm dieses Jahres“, sagte Meteorologin Ines Kramer der Nachrichtenagentur dpa.", "Ines Kramer"},
		{"fr a déclaré à l'AFP", "fr", "« Nous ne lâcherons rien sur les salaires », a déclaré à l'AFP Marc Lefèvre.", "Marc Lefèvre"},
		// A role, then the name after commas and a coordination.
		{"es role list then name", "es", "«Esta reforma llega tarde pero llega», declaró en rueda de prensa el presidente de la Banque Aurore y consejero de Sanidad, Pablo Ibarra.", "Pablo Ibarra"},
		{"de role genitive then name", "de", "„Jeder Austritt schmerzt uns sehr“, sagte der Vorsitzende des Verbands, der Bonner Pfarrer Herbert Vogel.", "Herbert Vogel"},
		// A person before an organisation in one phrase.
		{"de person von org", "de", "Der Soziologe Tomas Berger von der Nordwerk AG sagte: „Die Bindung der Jüngeren bricht weiter weg.“", "Tomas Berger"},
		{"en role word between names", "en", `"We were maybe ten runs short in the end," said Nordwerk captain Park.`, "Hana Park"},
		// Colon after a subject with any verb.
		{"de colon subject", "de", "Trainer Herbert Vogel haderte mit der Chancenverwertung: „Wir hätten das Spiel zweimal entscheiden müssen.“", "Herbert Vogel"},
		{"en colon pronoun", "en", `Tomas Berger declined to speculate. He would only say this: "I have played two hundred minutes in this league."`, "Tomas Berger"},
		// Names the speakers list lacks, as written without their titles.
		{"en missing speaker", "en", `"The bridge was never safe for heavy lorries," said engineer Paul Okafor.`, "Paul Okafor"},
		{"fr missing speaker pronoun", "fr", "La coordinatrice de l'ONU, Aïssatou Ndiaye, a réclamé une enquête. « Les attaques contre les hôpitaux doivent cesser », a-t-elle insisté.", "Aïssatou Ndiaye"},
		{"de missing speaker with role", "de", "„Wir hatten genug Chancen für zwei Spiele“, sagte der Grünen-Politiker Georg Lindner.", "Georg Lindner"},
		// Exact alias over a common word.
		{"de exact alias", "de", "„Ich denke an gar nichts anderes als an das nächste Spiel“, sagte Vogel.", "Herbert Vogel"},
		{"en he by given name", "en", `Tomas Berger thanked Hana Park for her help. "Without the volunteers we would have closed in May," he said.`, "Tomas Berger"},
		// A quotation inside a quotation keeps the outer speaker.
		{"en nested quotes", "en", `"They told us 'wait until spring' and we waited for nothing at all," said Ines Kramer.`, "Ines Kramer"},
		// A null subject in Spanish continues the apposed name before it.
		{"es null subject after apposition", "es", "La portavoz de Nordwerk, Lucía Ortega, dejó claro su apoyo. «Nuestro voto de hoy no es un cheque en blanco», advirtió.", "Lucía Ortega"},
		// Parenthesised acronyms and party labels.
		{"en acronym in parentheses", "en", `"Blanket bans would push jobs into the informal economy," the Harbour Trust (HT) said in a statement.`, "Harbour Trust"},
		{"es party in parentheses", "es", "«No votaremos este texto en ningún caso», advirtió Pablo Ibarra (PNV) en el pleno.", "Pablo Ibarra"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.body, tt.lang, people)
			if len(got) == 0 {
				t.Fatalf("no quotation found in %q", tt.body)
			}
			if got[len(got)-1].Speaker != tt.want {
				t.Errorf("speaker %q, want %q (%q)", got[len(got)-1].Speaker, tt.want, got[len(got)-1].Text)
			}
		})
	}
}
