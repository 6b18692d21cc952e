package topic

import "testing"

// TestClassifyLanguages covers the less frequent topics in every language.
func TestClassifyLanguages(t *testing.T) {
	c := New()
	cases := []struct{ lang, want, h, b string }{
		{"fr", "05", "Rentrée scolaire : les enseignants dénoncent le manque de moyens", "Les syndicats d'enseignants estiment que des milliers de postes de professeurs restent vacants dans les collèges et lycées. Le ministre de l'Éducation nationale promet des recrutements."},
		{"fr", "06", "Pollution plastique : les océans saturés, alerte une étude", "Les déchets plastiques menacent la biodiversité marine, selon des chercheurs. Les ONG environnementales réclament une réduction des emballages."},
		{"fr", "12", "Le pape François reçoit des évêques africains au Vatican", "Le souverain pontife a célébré une messe dans la basilique Saint-Pierre en présence de milliers de fidèles et de pèlerins."},
		{"fr", "08", "Un chat retrouvé après dix ans loin de chez lui", "Ses propriétaires n'en croyaient pas leurs yeux : leur chat, disparu depuis une décennie, a été retrouvé grâce à sa puce électronique par un refuge pour animaux."},
		{"fr", "10", "La gastronomie lyonnaise à l'honneur dans un nouveau guide", "Les chefs des bouchons lyonnais et des restaurants étoilés ont présenté leurs recettes et leurs vins aux touristes venus nombreux."},
		{"fr", "14", "Le nombre de sans-abri en hausse de 20 %", "Les associations caritatives alertent sur la précarité croissante des familles et demandent davantage de logements sociaux."},
		{"fr", "13", "Une sonde spatiale détecte de l'eau sur un astéroïde", "Les scientifiques de l'agence spatiale européenne ont analysé les données du satellite, une découverte majeure pour la recherche planétaire."},
		{"fr", "16", "Frappes russes sur Kharkiv, au moins cinq morts", "L'armée russe a lancé des missiles et des drones sur la ville, selon les autorités ukrainiennes. Les forces de Kiev ont riposté sur la ligne de front."},
		{"fr", "09", "Grève à la SNCF : trafic très perturbé", "Les syndicats de cheminots réclament des hausses de salaires. La direction a proposé 2 % d'augmentation, jugée insuffisante par les grévistes."},
		{"es", "05", "Los profesores se manifiestan por la falta de recursos en las escuelas", "Los docentes de la enseñanza pública reclaman más plazas y menos alumnos por aula al inicio del curso escolar."},
		{"es", "06", "Greenpeace denuncia la contaminación de los ríos por vertidos", "La organización ecologista alerta del daño a la biodiversidad y pide al Gobierno medidas contra el cambio climático."},
		{"es", "07", "Sanidad confirma un brote de sarampión en Madrid", "Los hospitales atienden a una veintena de pacientes y los médicos piden reforzar la vacunación infantil."},
		{"es", "12", "Miles de fieles acompañan las procesiones de Semana Santa en Sevilla", "Las cofradías recorrieron las calles y el arzobispo presidió la misa en la catedral."},
		{"es", "02", "Detenido un hombre por el asesinato de su expareja", "La Guardia Civil arrestó al presunto autor, que pasará a disposición judicial. El juez decretó prisión provisional."},
		{"es", "16", "Israel bombardea Gaza pese al alto el fuego", "El ejército israelí lanzó ataques aéreos contra posiciones de Hamás y los milicianos respondieron con cohetes."},
		{"es", "13", "Investigadores españoles desarrollan un chip de inteligencia artificial", "El laboratorio de la universidad presentó el prototipo, que promete reducir el consumo energético de los algoritmos."},
		{"es", "17", "Aemet prevé lluvias intensas y nieve en el norte", "Las temperaturas bajarán hasta diez grados y habrá rachas de viento de 80 km/h, según la previsión meteorológica."},
		{"de", "05", "Lehrermangel: Schulen starten mit Unterrichtsausfall ins neue Schuljahr", "Die Kultusministerin kündigte an, mehr Lehrkräfte einzustellen. Schüler und Eltern kritisieren den Ausfall von Unterrichtsstunden."},
		{"de", "06", "Klimaaktivisten fordern schnelleren Kohleausstieg", "Umweltverbände warnen vor den Folgen der Erderwärmung. Der CO2-Ausstoß sei im vergangenen Jahr kaum gesunken."},
		{"de", "07", "Grippewelle: Kliniken am Limit", "Die Krankenhäuser melden volle Notaufnahmen, viele Patienten müssen warten. Ärzte raten zur Impfung."},
		{"de", "12", "Papst Leo empfängt Bischöfe aus Deutschland", "Im Vatikan ging es um die Zukunft der katholischen Kirche und den Rückgang der Gläubigen."},
		{"de", "16", "Russische Armee meldet Geländegewinne in der Ostukraine", "Nach Angaben des Verteidigungsministeriums in Moskau haben die Truppen mehrere Dörfer eingenommen. Kiew meldet schwere Kämpfe an der Front."},
		{"de", "09", "Warnstreik bei der Bahn legt Fernverkehr lahm", "Die Gewerkschaft GDL fordert mehr Lohn und kürzere Arbeitszeiten für die Beschäftigten."},
		{"de", "13", "Forscher entdecken neue Dinosaurierart in Argentinien", "Die Wissenschaftler beschreiben das Fossil in einer Fachzeitschrift. Die Studie zeigt, wie groß die Tiere wurden."},
		{"de", "08", "Hund rettet Kind aus eiskaltem See", "Der Labrador sprang ins Wasser und zog den Jungen ans Ufer. Die Familie ist überglücklich."},
		{"de", "03", "Zugunglück in Bayern: mehrere Tote", "Ein Regionalzug ist entgleist, Rettungskräfte bergen Verletzte aus den Waggons. Die Unfallursache ist noch unklar."},
		{"en", "14", "Charities warn of rising child poverty", "More families are relying on food banks as the cost of living rises, charities said, urging the government to raise benefits."},
		{"en", "10", "Tourists flock to the coast as summer holidays begin", "Hotels and beaches were packed as families started their vacation, and restaurants reported record bookings."},
		{"en", "08", "Britain's oldest woman celebrates 114th birthday", "She marked the day with cake and a card from the king, surrounded by her grandchildren and great-grandchildren."},
		{"en", "07", "WHO warns of mpox spread in central Africa", "The World Health Organization said cases had doubled and urged countries to expand vaccination and testing."},
		{"en", "03", "Ferry capsizes off Indonesian island, 30 missing", "Rescuers pulled 12 survivors from the water after the overloaded boat sank in rough seas, officials said."},
		{"en", "17", "Snowstorm grounds flights across the Midwest", "Heavy snow and freezing temperatures closed roads, and forecasters said the blizzard would continue into Sunday."},
		{"en", "13", "Tech giant unveils new AI model", "The company said its artificial intelligence software could write code and answer questions, as rivals race to develop chatbots."},
	}
	for _, k := range cases {
		t.Run(k.lang+" "+k.want+" "+k.h, func(t *testing.T) {
			got := c.Classify(k.h, k.b, k.lang)
			if len(got) == 0 || got[0].Code != "medtop:"+k.want+"000000" {
				t.Errorf("got %+v, want main topic %s", got, k.want)
			}
		})
	}
}
