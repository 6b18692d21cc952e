package entity

import "strings"

// moreOrgHeads are heads of organisations' names beyond the general list: local
// government, courts, hospitals, universities (plurals too), stages and orchestras.
const moreOrgHeads = `
ayuntamiento consejería diputación cabildo generalitat xunta juzgado audiencia metro transportes
universidades universités universitäten universities hospitales hôpital clínica klinik klinikum uniklinik
theatre theater teatro théâtre opera opéra oper orchestra orchestre orquesta orchester philharmonic
philharmonie philharmoniker ensemble schaubühne staatsoper mairie stadtrat gemeinderat landtag senat
verbraucherzentrale polizeipräsidium landgericht amtsgericht verwaltungsgericht sozialgericht
`

// moreOrgSuffixes are legal forms closing a company's name in the languages of wire copy.
const moreOrgSuffixes = `plc llc lp limited s.l. sl s.l.u. slu s.a.u. sau s.a.s. s.r.l. s.a.b. sab c.v. ltda
kgaa ohg mbh e.v. oy n.v. b.v. pte pty ag se sa nv bv inc. ltd. corp. co.`

// clubLeads open the names of sports clubs ("SG Flensburg-Handewitt", "VfL Wolfsburg",
// "OGC Nice").
const clubLeads = `sg sv tsv vfl vfb tsg fsv spvgg hsg bsc ogc losc rcd hc ehc fk sk nk pfc kv krc rsc thw`

// moreCompanyHeads end companies' names ("Mercedes-Benz Trucks", "Caledonia Home Energy").
const moreCompanyHeads = `truck trucks cars vans buses coaches bikes albion hotspur`

// moreRoles are plural roles: "analysts at Jefferies" names an organisation after "at".
const moreRoles = `analysts economists strategists lawyers researchers scientists experts consultants
bankers brokers traders engineers analystes économistes avocats chercheurs analistas economistas
abogados investigadores analysten ökonomen anwälte forscher`

// leagueWords open the names of competitions, which are no organisations when a sponsor
// or a number follows ("Liga Endesa", "Ligue 1", "Ligue Conférence"), unlike the bodies
// running them ("Ligue de football professionnel").
const leagueWords = `liga ligue league lega serie bundesliga copa coupe cup pokal trophy trophée trofeo`

// governmentWords with only a generic adjective after them name no particular body
// ("el Gobierno regional", "le gouvernement fédéral").
const governmentWords = `gobierno gouvernement government regierung governo executive ejecutivo exécutif`

// genericAdjectives are the adjectives that leave a government unnamed.
const genericAdjectives = `regional central local federal provincial municipal autonómico autonómica nacional
national régional fédéral`

// germanRelational are the first parts of German compounds that relate a company to
// another ("Schwestergesellschaft", "Tochterfirma", "Muttergesellschaft"): such a word
// describes the name after it rather than heading it.
var germanRelational = []string{"schwester", "tochter", "mutter", "partner", "konkurrenz", "dach", "beteiligungs"}

// germanRoleParts are last parts of German hyphenated compounds after an organisation
// that make a role or a part of it ("SPD-Chef", "CSU-Fraktion", "Grünen-Abgeordnete"):
// the organisation before the hyphen is named.
var germanRoleParts = []string{"chef", "chefin", "fraktion", "politiker", "politikerin", "abgeordnete",
	"abgeordneter", "vorsitzende", "vorsitzender", "sprecher", "sprecherin", "trainer", "spitze", "mitglied",
	"mitglieder", "geschaftsfuhrer", "geschaftsfuhrerin", "fuhrung", "landesverband", "kandidat", "kandidatin",
	"prasident", "prasidentin", "spieler", "spielerin", "ruckraumspieler", "torhuter", "fans", "anhanger"}

// matchVerbs say what a team did in a match; a city name before one in a sports story
// is the team ("Rennes domine Lens", "Flensburg führte 23:20").
const matchVerbs = `beat beats stun stuns stunned drew draw draws won win wins lost lose loses thrash thrashed
edge edged edges crush crushed trail trailed trails lead leads led host hosts hosted face faces faced
domine dominé bat battu s'impose s'est reçoit affronte concède mène menait l'emporte
gana ganó derrota derrotó vence venció empata empató pierde perdió golea goleó recibe visita
gewinnt gewann schlägt schlug besiegt besiegte verliert verlor führte führt siegt siegte unterlag`

// sportWords say a story is about a match.
const sportWords = `match matches goal goals minute minutes stoppage penalty referee striker midfielder coach
manager season league standings halftime half-time derby fixture points
but buts minute entraîneur journée arbitre penalty championnat saison victoire défaite classement
gol goles partido jornada entrenador árbitro temporada clasificación victoria derrota puntos rebotes canasta
tor tore spiel spiele trainer saison spieltag tabelle sieg niederlage partie halbzeit schiedsrichter zuschauer`

// lowerHeadsRomance head French and Spanish institutions written in lower case
// ("la cour d'appel de Douai", "le tribunal correctionnel de Lille", "la mairie de
// Lille", "l'hôpital Lariboisière").
func isLowerHeadWide(f string) bool {
	switch f {
	case "cour", "tribunal", "mairie", "hopital", "conseil", "juzgado", "fiscalia", "audiencia", "clinique",
		"prefecture", "parquet", "ministere", "ministerio", "secretariat", "universite", "lycee", "college":
		return true
	}
	return false
}

func addOrgWords(m map[string]wordFlag) {
	addWords(m, moreOrgHeads, fOrgHead)
	addWords(m, moreOrgSuffixes, fOrgSuffix)
	addWords(m, clubLeads, fOrgLead)
	addWords(m, moreCompanyHeads, fCompanyHead)
	addWords(m, moreRoles, fRole)
}

// brandShape reports whether w is written like a brand, never like a person's name:
// lower case first with a capital inside ("easyJet", "beIN", "i-DE", "eBay") or a
// compound of two capitalised parts ("ScottishPower", "FirstGroup", "UniCredit") whose
// first part is no name prefix ("McCarthy", "MacLeod", "DiCaprio", "LeBlanc").
func brandShape(w string) bool {
	if len(w) < 3 || len(w) > 24 {
		return false
	}
	c := w[0]
	if c >= 'a' && c <= 'z' {
		for i := 1; i < len(w); i++ {
			if w[i] >= 'A' && w[i] <= 'Z' {
				return true
			}
		}
		return false
	}
	if c < 'A' || c > 'Z' {
		return false
	}
	for i := 1; i < len(w)-1; i++ {
		d := w[i]
		if d >= 'A' && d <= 'Z' {
			if i < 3 || w[i-1] < 'a' || w[i-1] > 'z' || w[i+1] < 'a' || w[i+1] > 'z' {
				return false // "JPMorgan", "McCarthy", "DeSantis"
			}
			switch strings.ToLower(w[:i]) {
			case "mac", "fitz", "van", "von", "del", "della", "des", "les", "san", "ter", "ten", "vander", "dela":
				return false
			}
			return true
		}
		if d == '-' || d == '\'' {
			return false
		}
	}
	return false
}
