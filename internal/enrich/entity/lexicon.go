package entity

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// wordFlag says what a word (after textkit.Fold) can be. One word may carry several.
type wordFlag uint32

const (
	fTitle         wordFlag = 1 << iota // a title or honorific written before a name
	fHonorific                          // Mr, Mme, Herr...: kept in a titled alias ("Mr Xi")
	fSpeech                             // a speech verb written after a name ("said")
	fSpeechPre                          // a speech verb or attribution written before a name ("said", "selon")
	fCommon                             // a common word: capitalised only at a sentence start or in a title
	fMonth                              // months and weekdays: never a name
	fParticle                           // a name particle ("de", "van", "bin")
	fConnector                          // joins the parts of an organisation's or place's name ("of")
	fOrgHead                            // the head noun of an organisation's name ("Ministry", "Bank")
	fOrgSuffix                          // a company form ("Inc", "GmbH")
	fLocPrep                            // a preposition before a place ("in", "à", "nach")
	fPlaceHead                          // the head of a place name taking "of" ("Republic of")
	fGiven                              // a given name
	fNotOrgAcronym                      // an upper-case word that names no organisation ("CEO", "GDP")
	fArticle                            // an article or determiner before a role noun
	fFacility                           // a building, street or venue word ("Bridge", "Estadio")
	fOrgLead                            // a word that opens an organisation's name ("FC", "Museum", "Deportivo")
	fNamedOrg                           // a word that is itself an institution's name ("Bundespolizei")
	fFamily                             // an East Asian family name written first ("Nguyen", "Park", "Wang")
	fRole                               // a person's role or occupation ("nurse", "agriculteur", "Landwirt")
	fOrgNoun                            // a noun describing an organisation ("carmaker", "syndicat", "Konzern")
	fEventLead                          // a word opening the name of an event or storm ("Storm", "Operation")
	fCompanyHead                        // a word ending a company's name ("Water", "Holdings", "Energy")
	fGermanNoun                         // a common German noun ("Mann", "Lage")
	fSurname                            // a frequent family name ("Smith", "Müller", "García")
	fDone                               // the token's flags are computed (see text.fl)
	fCapDone                            // the token's capitalisation is known (see text.cap)
	fCapYes                             // the token starts a name: capitalised, a brand or "al-"
	fDemDone                            // the token's demonym lookup is done (see run.demonym)
	fDemYes                             // the token is a demonym
)

// The word lists below are the team's own, for en/fr/es/de (with some it/pt).
// Multi-word titles need only their words listed: each word of "Prime Minister" is a title word.

const titleWords = `
mr mrs ms miss dr prof professor sir dame lord lady madam mister
president vice-president vice prime minister ministers chancellor secretary secretary-general general senator sen
judge justice pope king queen prince princess crown emperor sultan emir sheikh ayatollah
governor gov mayor ambassador envoy commissioner chairman chairwoman chair chief ceo cfo coo founder director
spokesman spokeswoman spokesperson deputy acting former foreign defence defense interior finance economy
home health justice education environment energy trade transport labour labor culture agriculture
attorney representative rep congressman congresswoman lawmaker mp leader premier colonel col lieutenant lt
captain capt sergeant sgt major admiral marshal commander brigadier field cardinal archbishop bishop father rabbi imam
reverend rev assistant district coach bischof erzbischof kardinal évêque archevêque obispo arzobispo cardenal
coordinator coordinatrice coordinateur coordinador coordinadora manager striker midfielder defender goalkeeper skipper opposition speaker head detective inspector
superintendent officer constable chief-executive secretary-of-state undersecretary under-secretary state
m mme mmes mlle mm monsieur madame président presidente présidente ministre première premier chef porte-parole
général maire députée député sénateur sénatrice ambassadeur ambassadrice secrétaire directeur directrice juge pape
roi reine chancelier chancelière commissaire procureur procureure avocat avocate patron patronne
sr sra srta don doña señor señora ministro ministra canciller alcalde alcaldesa secretario secretaria juez jueza papa
rey reina diputado diputada senador senadora portavoz jefe jefa vicepresidente vicepresidenta fiscal líder
herr frau hr bundeskanzler bundeskanzlerin kanzler kanzlerin ministerin präsident präsidentin bundespräsident
bundespräsidentin bürgermeister bürgermeisterin sprecher sprecherin chefin vorsitzende vorsitzender papst könig königin
außenminister außenministerin finanzminister finanzministerin innenminister innenministerin verteidigungsminister
verteidigungsministerin wirtschaftsminister wirtschaftsministerin gesundheitsminister gesundheitsministerin
ministerpräsident ministerpräsidentin regierungschef regierungschefin generalsekretär trainer richter richterin
staatsanwalt abgeordnete abgeordneter kapitän kapitänin ministro presidente signor signora
`

const honorifics = `mr mrs ms miss dr prof sir dame lord lady m mme mlle monsieur madame sr sra srta don doña señor señora herr frau hr signor signora`

const speechAfter = `
said says say told tells added adds stated declared announced warned insisted explained noted wrote argued claimed
replied confirmed stressed urged tweeted posted acknowledged admitted conceded cautioned predicted recalled
a déclaré déclare affirme indiqué indique expliqué explique ajouté ajoute souligné souligne estimé estime assuré
assure précisé précise annoncé annonce averti avertit dit affirmé martelé insisté dénoncé déploré regretté
dijo afirmó declaró aseguró explicó añadió agregó señaló indicó advirtió subrayó manifestó apuntó insistió sostuvo
reconoció destacó anunció denunció afirma asegura explica dice señala
sagte sagt erklärte erklärt betonte betont teilte fügte warnte warnt sprach kündigte forderte fordert kritisierte
schrieb meinte räumte
`

const speechBefore = `
said says told added according asked quoted warned wrote insisted explained
déclaré affirmé indiqué expliqué ajouté souligné estimé assuré précisé selon dit lance lancé
dijo afirmó declaró aseguró explicó añadió agregó señaló indicó según advirtió
sagte sagt erklärte betonte laut so meinte schrieb warnte
`

const monthWords = `
january february march april june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday
janvier février mars avril mai juin juillet août septembre octobre novembre décembre
lundi mardi mercredi jeudi vendredi samedi dimanche
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
lunes martes miércoles jueves viernes sábado domingo
januar februar märz juni juli oktober dezember
montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend
`

const particles = `de van von der den da di del della dos das du la le bin ibn ben al el ter ten zu y e mac abu ould`

const connectors = `of for the and de del des du la las los le d' l' für der des y et e di della dello
on against in und para pour do da dos das`

const orgHeads = `
ministry department office bank party council court commission union agency army navy corps guard guards
corporation company university college school institute institution federation association organization
organisation group airlines airline airways fund foundation committee assembly parliament senate congress
authority board bureau service services police tribunal club society trust alliance coalition front
juniors museum bourse
movement network centre center hospital church federal reserve exchange inc ltd
brigade brigades regiment force forces administration agency cabinet government directorate secretariat
commission observatory laboratory lab labs institute partnership holdings industries motors technologies
systems pharmaceuticals petroleum energy media news times post journal herald telegraph tribune gazette
ministère banque parti conseil cour commission union agence armée fédération association organisation
université institut fonds comité assemblée sénat tribunal ligue syndicat confédération gendarmerie police
mouvement rassemblement groupe compagnie société office fondation observatoire haut-commissariat
ministerio banco partido consejo corte comisión unión agencia ejército federación asociación organización
universidad instituto fondo comité asamblea senado tribunal liga sindicato confederación policía movimiento
grupo compañía sociedad fundación audiencia congreso gobierno bolsa museo fiscalía
ministerium bank partei rat gericht kommission union agentur armee verband vereinigung organisation
universität institut fonds komitee versammlung bundestag behörde amt bundesamt polizei gewerkschaft stiftung
gesellschaft bundesgerichtshof landgericht oberlandesgericht börse staatsanwaltschaft museum
musée préfecture parquet
`

const orgSuffixes = `inc ltd plc llc llp corp co gmbh ag sa s.a. se nv bv spa s.p.a. sarl sas srl kg oyj asa ab`

const locPreps = `
in at near from to into across outside inside towards toward via throughout around
à au aux en dans vers près depuis
en a desde hacia cerca
in im nach aus bei von vom ins
`

const facilityWords = `bridge street road avenue square stadium airport station park tower palace hall arena
cathedral church mosque temple prison gate gardens castle boulevard lane
estadio palacio plaza calle avenida aeropuerto estación catedral iglesia cárcel
aéroport gare palais rue boulevard cathédrale église prison
straße strasse platz flughafen bahnhof dom schloss kirche stadion gefängnis`

const orgLeads = `fc cf ac as rc sc ssc afc cd ud sd olympique sporting deportivo stade real atlético atletico racing club
museum museo musée air universidad université universität university bank banco banque ministerio ministère ministerium
ministry gewerkschaft staatsanwaltschaft fundación fondation stiftung instituto institut comité partido parti partei
unión union federación fédération asociación association consejo conseil tribunal corte cour bolsa bourse`

// germanTitleEnds are the ends of German compounds that name a role ("Ifo-Präsident",
// "Bundespolizeisprecher"): such a word is a title before a name.
var germanTitleEnds = []string{"prasident", "prasidentin", "sprecher", "sprecherin", "direktor", "direktorin",
	"chef", "chefin", "minister", "ministerin", "kanzler", "kanzlerin", "leiter", "leiterin", "vorsitzende",
	"vorsitzender", "okonom", "okonomin", "volkswirt", "volkswirtin", "experte", "expertin", "kurator", "kuratorin",
	"trainer", "anwalt", "anwaltin", "richter", "richterin", "fuhrerin", "fuhrer", "sekretar", "sekretarin",
	"bürgermeister", "burgermeister", "burgermeisterin", "abgeordnete", "abgeordneter", "analyst", "analystin",
	"kommissar", "kommissarin", "botschafter", "botschafterin", "beauftragte", "beauftragter", "manager", "managerin",
	"stratege", "strategin", "forscher", "forscherin", "professor", "professorin", "sprecherin", "fuhrung",
	"meteorologe", "meteorologin", "soziologe", "soziologin", "politologe", "politologin", "bischof", "erzbischof",
	"kardinal", "koordinator", "koordinatorin", "referent", "referentin", "berater", "beraterin", "ratin"}

// germanOrgEnds are the ends of German compounds that name an institution: with
// "Bundes-"/"Landes-" inside ("Bundespolizei", "Umweltbundesamt") or a name before a
// hyphen ("Ifo-Institut", "Robert-Koch-Institut") such a word is a named organisation;
// otherwise it heads one when a name follows ("Oberlandesgericht Hamm").
var germanOrgEnds = []string{"polizei", "ministerium", "gericht", "gerichtshof", "bank", "amt", "agentur", "regierung",
	"anstalt", "behorde", "kammer", "kasse", "sparkasse", "werke", "gesellschaft", "stiftung", "institut", "verband",
	"partei", "vereinigung", "genossenschaft", "zentrale", "wehr", "rat", "tag", "kartellamt", "netzagentur",
	"gewerkschaft", "staatsanwaltschaft", "kommission", "museum", "universitat", "hochschule", "dienst",
	"klinikum", "bahn", "versicherung", "akademie", "kunstsammlungen", "sammlungen"}

// germanHeadEnds are the ends among germanOrgEnds that head a name without a prefix.
var germanHeadEnds = []string{"polizei", "ministerium", "gericht", "gerichtshof", "bank", "amt", "agentur", "regierung",
	"anstalt", "behorde", "kammer", "kasse", "werke", "gesellschaft", "stiftung", "institut", "verband", "partei",
	"vereinigung", "genossenschaft", "klinikum", "versicherung", "akademie", "kunstsammlungen", "sammlungen",
	"zentrale", "prasidium", "verein", "bund", "oper", "theater", "klinik", "stadtrat", "gemeinderat", "landtag",
	"ensemble", "rat"}

// determiners never start a name ("The", "Ihr", "Cette")
const determiners = `the a an le la les el los las der die das den dem des un une una ein eine einer
his her its their our my your this that these those
ihr ihre sein seine unser unsere dieser diese dieses jener jene
son sa ses leur leurs notre nos votre vos ce cet cette ces
su sus nuestro nuestra nuestros este esta estos estas ese esa esos esas aquel aquella`

const placeHeads = `republic kingdom isle islands gulf bay sea strait city state states republique république república
isla islas golfo ciudad estado`

const notOrgAcronyms = `
ceo cfo coo cto gdp vat ngo ngos ai tv gmt utc bst cet cest est pst edt usd eur gbp jpy chf cny rub
covid covid-19 hiv aids dna rna id ok pm am mp mps mep meps phd suv ipo lng co2 ufo faq ev evs gps sms
pib tva ong ia iva bip mwst ki eu-kommission pdg dg rdc km kg mw gw kwh tnt sos pr hr it ip
us usa uk u.s. u.k. uae drc nyc la dc ii iii iv vi vii viii ix xi xii xiv xv xvi
nrw bw mv mwh gwh twh mrna ph db mah iphone ipad ios imac macos ebook email
kospi dax mdax cac ftse ibex nikkei topix sensex nifty hang seng dow sp s&p500 stoxx msci
tgv ter ice rer ave lgv ic eurocity intercity suv pcr mri ct gdpr dsgvo rgpd
`

// commonWords are words that start a sentence or a title-case headline without
// naming anything. A capitalised common word at a sentence start is not a name start.
const commonWords = `
the a an this that these those there then thus here when while where what which who whom whose why how
it its it's he she they we you i his her their our your my them us him me one two three four five six seven
eight nine ten first second third last next new old after before during since until as at by for from in into
of on off over under with without about against among between through throughout toward towards up down out
and or but nor so yet if unless although though because however meanwhile moreover also still even just only
not no yes all any both each every few many more most much other some such own same several either neither
is are was were be been being am has have had having do does did will would shall should can could may might must
said says say told according officials official authorities police protesters residents witnesses analysts
experts investors traders sources critics supporters leaders troops forces soldiers rescuers doctors
people government ministry army court council party president minister prime state city country region
world cup league championship open games day week year month war summit conference forum festival prize award
act bill law treaty agreement accord plan deal programme program strategy report index street road avenue
square bridge airport station tower hall palace house building centre center hospital school church cathedral
mosque temple stadium arena park river lake sea ocean mountain mount island islands valley coast north south east
west northern southern eastern western central great grand high upper lower national international federal royal
united global human rights climate change energy oil gas trade market markets stock exchange dollar euro pound
christmas easter ramadan eid olympics olympic paralympic prix formula tour god celsius fahrenheit
champions premier
today yesterday tomorrow tonight now later earlier recently currently already again once twice never always
some many several most few thousands hundreds millions dozens
breaking update updated exclusive analysis factbox explainer live watch video photos timeline
le la les un une des du de ce cette ces il elle ils elles nous vous on je tu son sa ses leur leurs mon ma mes
et ou mais donc car ni si quand lorsque alors puis ainsi après avant pendant depuis selon pour par sur sous
dans avec sans chez entre contre vers plus moins très tout tous toute toutes aucun chaque plusieurs autre
au aux en y ne pas c'est cela ça qui que quoi dont où comment pourquoi selon
el los las una unos unas lo al del este esta estos estas ese esa esos esas aquel su sus
y o pero sino porque aunque cuando mientras donde como según para por sobre bajo tras ante desde hasta
entre contra sin con muy más menos todo todos toda todas cada otro otra otros otras también además
él ella ellos ellas nosotros ustedes usted se le les hay es son fue era será
der die das den dem des ein eine einer einem einen eines er sie es wir ihr ich du man sein seine ihre
und oder aber doch denn weil wenn als ob dass damit nachdem bevor während seit nach vor bei mit ohne
für gegen über unter zwischen durch um auf aus von zu zum zur im am ins beim vom auch noch schon nur sehr
mehr weniger alle jeder jede jedes kein keine dieser diese dieses jener nicht ja nein hier dort heute
gestern morgen damals dann so wie wo was wer warum laut trotz wegen
il lo gli uno della delle degli dei nel nella con per tra fra
`

// adjectival endings of the lower-case words French and Spanish organisation names
// carry after their head ("Parti socialiste", "Banque centrale européenne").
var adjEndings = []string{"ales", "ares", "icos", "icas", "istas", "iaux", "ives", "ifs", "ennes", "aises", "anos", "anas", "eros", "eras", "enses", "ale", "al", "aux", "aire", "iste", "ista", "ique", "ico", "ica", "elle", "el", "ienne", "ien",
	"aise", "ais", "ano", "ana", "ense", "éenne", "éen", "eo", "ea", "ional", "onal", "ero", "era", "if", "ive",
	"ivo", "iva", "aine", "ain", "ote", "ois", "oise", "ère", "er"}

func addWords(m map[string]wordFlag, list string, f wordFlag) {
	for _, w := range strings.Fields(list) {
		m[textkit.Fold(w)] |= f
	}
}

func buildLexicon(given string) map[string]wordFlag {
	m := make(map[string]wordFlag, 4096)
	addWords(m, titleWords, fTitle)
	addWords(m, honorifics, fHonorific|fTitle)
	addWords(m, speechAfter, fSpeech)
	addWords(m, speechBefore, fSpeechPre)
	addWords(m, monthWords, fMonth)
	addWords(m, particles, fParticle)
	addWords(m, connectors, fConnector)
	addWords(m, orgHeads, fOrgHead)
	addWords(m, orgSuffixes, fOrgSuffix)
	addWords(m, locPreps, fLocPrep)
	addWords(m, placeHeads, fPlaceHead)
	addWords(m, notOrgAcronyms, fNotOrgAcronym)
	addWords(m, facilityWords, fFacility)
	addWords(m, orgLeads, fOrgLead)
	addWords(m, commonWords, fCommon)
	addWords(m, determiners, fArticle)
	addWordsExtra(m)
	addOrgWords(m)
	for _, e := range germanTitleEnds {
		m[e] |= fTitle
	}
	for _, line := range strings.Split(given, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		addWords(m, line, fGiven)
	}
	// "May", "August" and "Will" are given names too; a month name starting a
	// capitalised pair is judged as a name.
	return m
}
