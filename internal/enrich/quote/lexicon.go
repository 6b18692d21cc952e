package quote

import "strings"

// verbKind says where a speech verb finds its speaker.
type verbKind uint8

const (
	verbBoth  verbKind = iota + 1 // "Smith said" and "said Smith"
	verbLeft                      // only "Smith told", "Smith described ... as"
	verbRight                     // only "according to Smith", "selon Smith", "laut Smith"
)

func words(s string) []string { return strings.Fields(s) }

// speechVerbs maps the folded forms of the verbs that introduce or close reported
// speech, in English, French, Spanish, German, Italian and Portuguese.
var speechVerbs = func() map[string]verbKind {
	m := map[string]verbKind{}
	add := func(k verbKind, list string) {
		for _, w := range words(list) {
			m[w] = k
		}
	}
	// English
	add(verbBoth, `said says added adds stated declared explained explains noted notes stressed stresses insisted insists
warned warns argued argues wrote writes tweeted posted asked asks replied responded continued continues acknowledged
admitted claimed claims maintained conceded cautioned urged recalled recalls remarked observed announced complained
concluded countered emphasised emphasized predicted suggested testified vowed pledged promised shouted exclaimed
recounted agreed insisting adding saying`)
	add(verbLeft, `told tells described describes called calls`)
	// French
	add(verbBoth, `dit declare affirme ajoute explique estime souligne indique assure precise insiste averti avertit
martele lance confie reagi reagit previent prevenu juge denonce reconnu reconnait rappele rappelle poursuivi poursuit
repondu repond annonce ecrit tweete commente regrette resume raconte note observe deplore insistait expliquait
ajoutait affirmait declarait estimait temoigne temoignait assene tranche`)
	// Spanish
	add(verbBoth, `dijo dice afirmo afirma anadio anade senalo senala declaro aseguro asegura explico indico
manifesto subrayo advirtio advierte sostuvo sostiene agrego agrega apunto apunta destaco destaca insistio recalco
comento reconocio preciso expreso admitio lamento denuncio critico respondio escribio sentencio concluyo asevero
relato conto dicho afirmado senalado declarado asegurado explicado`)
	// German
	add(verbBoth, `sagte sagt sagten gesagt erklarte erklart erklarten betonte betont meinte meint warnte warnt kritisierte
forderte fordert schrieb erganzte unterstrich bekraftigte versicherte außerte ausserte argumentierte mahnte berichtete
erlauterte bestatigte fugte teilte raumte stellte verwies sprach`)
	// Italian and Portuguese
	add(verbBoth, `detto dichiarato affermato aggiunto spiegato sottolineato disse afirmou declarou acrescentou
explicou disse sublinhou`)
	// English, more
	add(verbBoth, `reiterated lamented boasted quipped joked mused sighed charged alleged confirmed affirmed
underlined underscored highlighted estimated explained recounted reflected conceded assured advised
objected protested reckoned retorted answered whispered cried pointed`)
	add(verbLeft, `accused branded dismissed hailed praised criticised criticized labelled labeled termed`)
	// French, Spanish and German conjugations from their stems.
	for _, st := range words(`declar affirm ajout expliqu estim soulign indiqu assur precis insist martel lanc confi
reag previen denonc rappel repond annonc ecri tweet comment regrett resum racont observ deplor temoign
assen critiqu plaid rapport concede felicit inquiet interrog ironis temper nuanc detaill exclam
souffl confirm argument reclam alert avert soutien poursuiv recon conclu renchér rencher constat
admet reconnaiss prevein`) {
		for _, suf := range []string{"e", "ait", "a", "ent", "aient"} {
			if _, ok := m[st+suf]; !ok {
				m[st+suf] = verbBoth
			}
		}
	}
	add(verbBoth, `disait dira poursuit poursuivi reconnu reconnait conclut conclu soutenu soutient defendu defend
promis promet admis admet ecrit ecrivait repondait reagissait prevenu previent souligna ajouta lanca confia assura
insista expliqua declara affirma estima precisa raconta denonca rappela reconnut`)
	add(verbLeft, `accuse qualifie qualifiait salue decrit`)
	for _, st := range words(`afirm anad senal declar asegur explic indic manifest subray destac recalc coment precis
expres lament denunci critic sentenci asever relat cont record reclam remarc matiz zanj valor anunci confirm
razon reiter ironiz resum detall plante opin consider defend insist admit respond advert sosten expon
reconoc concluy escrib sugir exig ped apunt agreg`) {
		for _, suf := range []string{"o", "io", "a", "e", "ado", "ido", "aba", "ia"} {
			if _, ok := m[st+suf]; !ok {
				m[st+suf] = verbBoth
			}
		}
	}
	add(verbBoth, `advirtio sostuvo pidio exigio sugirio insistio admitio respondio escribio concluyo reconocio
defendio expuso prometio decia dijeron aseguraron afirmaron explicaron`)
	// Inflected forms that are more often nouns: "la denuncia", "el anuncio", "une note".
	for _, w := range words(`denuncia critica anuncio relato detalle conte conta cuenta`) {
		delete(m, w)
	}
	add(verbBoth, `recuerda denuncio critico`)
	add(verbLeft, `acuso califico tacho elogio`)
	add(verbBoth, `erganzte ergänzte hiess hieß beklagte appellierte schilderte erzahlte bilanzierte resumierte
entgegnete antwortete widersprach bestatigte bestätigte klagte raumte räumte kommentierte versprach
bekannte gestand prazisierte präzisierte`)
	add(verbRight, `selon segun laut secondo segundo according d'apres`)
	add(verbLeft, `zufolge`)
	return m
}()

// isAux reports auxiliaries and adverbs that may stand between a speaker and the
// verb ("Smith also said", "X a déclaré", "X ha dicho", "X hat gesagt").
func isAux(f string) bool {
	switch f {
	case "a", "ont", "avait", "has", "had", "have", "ha", "han", "habia", "hat", "hatte", "haben", "also", "later",
		"then", "previously", "earlier", "again", "further", "simply", "only", "repeatedly", "publicly", "recently",
		"once", "first", "aussi", "egalement", "encore", "ensuite", "alors", "tambien", "ademas", "luego", "despues", "auch",
		"ebenfalls", "zudem", "bereits", "ausserdem", "außerdem", "noch", "dann", "spater", "was", "is", "would",
		"will", "could", "se", "s'est", "n'a", "pas", "not":
		return true
	}
	return false
}

// isPronoun reports subject pronouns and what they may stand for.
func pronounKind(f string) (person, org, ok bool) {
	switch f {
	case "he", "she", "il", "elle", "el", "ella", "er", "lui", "lei", "ele", "ela":
		return true, false, true
	case "they", "ils", "elles", "ellos", "ellas", "loro", "eles", "elas":
		return true, true, true
	case "it", "sie", "es":
		if f == "sie" {
			return true, false, true
		}
		return false, true, true
	}
	return false, false, false
}

// isDeterminer reports articles that open a role noun phrase ("the minister", "le
// ministre", "el portavoz", "der Sprecher").
func isDeterminer(f string) bool {
	switch f {
	case "the", "a", "an", "le", "la", "les", "l'", "un", "une", "el", "los", "las", "una", "der", "die", "das", "den",
		"dem", "des", "ein", "eine", "einer", "il", "lo", "gli", "o", "os", "as", "its", "his", "her", "their":
		return true
	}
	return false
}

// isNPWord reports lower-case words allowed inside a speaker's noun phrase: role
// nouns and adjectives come through as any word, these are the small words.
func isNPLink(f string) bool {
	switch f {
	case "of", "for", "at", "de", "du", "des", "del", "d'", "l'", "von", "der", "di", "da", "do", "dos", "al", "van", "'s", "’s", "s", "en", "in":
		return true
	}
	return false
}

// isStopWord ends a noun phrase scanned for a speaker: conjunctions, relatives,
// subordinators, prepositions that begin an adjunct.
func isStopWord(f string) bool {
	switch f {
	case "and", "or", "but", "that", "which", "who", "whom", "while", "as", "because", "if", "when", "after", "before",
		"than", "so", "then", "with", "without", "to", "on", "by", "from", "into", "during", "about", "since",
		"et", "ou", "mais", "au", "aux", "que", "qui", "dont", "lors", "dans", "sur", "par", "pour", "avec", "apres", "avant", "depuis",
		"y", "o", "pero", "quien", "cuando", "con", "sin", "por", "para", "tras", "ante", "durante", "desde",
		"und", "oder", "aber", "dass", "wer", "mit", "ohne", "nach", "vor", "seit", "bei", "am", "im", "beim", "auf", "zu", "zum", "zur", "gegenuber", "gegenüber",
		"not", "no", "ne", "nicht", "is", "was", "were", "are", "been", "be", "est", "sont", "es", "fue", "ist", "war":
		return true
	}
	return false
}

// isPrep reports prepositions that open an adjunct between a verb and an inverted
// speaker ("said on Monday Smith", "a déclaré à l'AFP le ministre", "dijo a la prensa").
func isPrep(f string) bool {
	switch f {
	case "to", "on", "in", "at", "during", "a", "à", "al", "au", "aux", "en", "dans", "lors", "ante", "vor", "gegenuber", "im", "am", "beim", "auf", "durante", "tras", "after", "apres",
		"desde", "devant", "depuis", "sur", "sobre", "from", "by", "via", "per":
		return true
	}
	return false
}

// orgHeads are the nouns of a role phrase that name an organisation ("the ministry
// said"), folded.
var orgHeads = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words(`company firm group ministry government agency army military police court party union bank
council commission committee office department embassy club team university organisation organization association
federation board authority authorities regulator parliament senate congress institute foundation
societe entreprise groupe ministere gouvernement agence armee police tribunal cour parti syndicat banque conseil commission
comite bureau ambassade equipe universite organisation federation autorite autorites parquet
etablissement organisme institution institut body entity service services firme club
organismo institucion entidad servicio einrichtung institut dienst haus museum musee museo
empresa compania grupo ministerio gobierno agencia ejercito policia tribunal corte partido sindicato banco consejo comision
comite oficina embajada equipo universidad organizacion asociacion federacion autoridad autoridades fiscalia
unternehmen konzern gruppe ministerium regierung agentur armee bundeswehr polizei gericht partei gewerkschaft bank rat kommission
ausschuss amt botschaft verein mannschaft universitat organisation verband behorde behorden staatsanwaltschaft`) {
		m[w] = true
	}
	return m
}()

// titles are the words before a name that are not part of it ("Mr", "President",
// "Foreign Minister"), folded and without the dot.
var titles = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words(`mr mrs ms miss dr prof sir dame lord lady m mme mlle me sr sra srta don dona herr frau
president prime minister chancellor secretary senator sen rep gov governor mayor general gen king queen pope judge
justice ceo chief executive foreign defence defense finance interior health economy vice deputy chairman chairwoman
chair director spokesman spokeswoman spokesperson premier leader commissioner ambassador officer captain capt col colonel
lt lieutenant sgt sergeant adm admiral coach manager state labour labor
president presidente ministre ministro ministra ministerin minister premier kanzler kanzlerin bundeskanzler bundeskanzlerin
senateur senadora senador abgeordnete generalsekretar secretaire secretario secretaria portavoz porte-parole sprecher sprecherin
le la el der die the a an of de del du des`) {
		m[w] = true
	}
	return m
}()

// isAbbrev reports abbreviations whose dot does not end a sentence.
func isAbbrev(w string) bool {
	if len(w) == 1 {
		return true
	}
	switch w {
	case "Mr", "Mrs", "Ms", "Dr", "St", "Gen", "Sen", "Rep", "Gov", "Lt", "Col", "Prof", "Sgt", "Jr", "Sr", "Sra", "Mme",
		"Pres", "Capt", "Cmdr", "Adm", "Maj", "Insp", "Supt", "Det", "Rev", "Hon", "Fr", "Mt", "No", "Nr", "vs", "Jan", "Feb",
		"Aug", "Sept", "Sep", "Oct", "Nov", "Dec", "Corp", "Inc", "Ltd", "Co", "Dept", "Univ", "approx", "etc", "ca", "bzw", "z.B", "Abs":
		return true
	}
	return false
}
