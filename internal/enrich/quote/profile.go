package quote

import "strings"

// gender is what the text tells of a person's grammatical gender, for pronouns
// ("she said", "a-t-elle ajouté", "sagte er") and role nouns ("la ministra",
// "die Erzieherin").
type gender uint8

const (
	genderUnknown gender = iota
	male
	female
)

// agrees reports whether a person of gender g may be the one a word of gender want
// stands for; an unknown side agrees with anything.
func agrees(g, want gender) bool {
	return g == genderUnknown || want == genderUnknown || g == want
}

// pronounGender is the gender a subject pronoun marks.
func pronounGender(f string) gender {
	switch f {
	case "he", "il", "er", "el", "lui", "ele":
		return male
	case "she", "elle", "ella", "sie", "lei", "ela":
		return female
	}
	return genderUnknown
}

// titleGender is the gender of a courtesy title before a name.
func titleGender(f string) gender {
	switch f {
	case "mr", "m", "herr", "senor", "sr", "don", "signor", "sig":
		return male
	case "ms", "mrs", "miss", "mme", "mlle", "frau", "senora", "sra", "srta", "dona", "signora", "sig.ra":
		return female
	}
	return genderUnknown
}

// roleGender reads the gender of a role noun from its form and its article:
// "Ministerin", "directrice", "spokeswoman", "la ministra", "une infirmière".
func roleGender(det, w string) gender {
	switch det {
	case "la", "una", "une":
		return female
	case "el", "un", "le":
		return male
	}
	switch {
	case strings.HasSuffix(w, "woman") || strings.HasSuffix(w, "trice") || strings.HasSuffix(w, "euse") ||
		strings.HasSuffix(w, "iere") || strings.HasSuffix(w, "esse"):
		return female
	case strings.HasSuffix(w, "man") || strings.HasSuffix(w, "teur"):
		return male
	case len(w) > 6 && strings.HasSuffix(w, "in") && !strings.HasSuffix(w, "ein") && !strings.HasSuffix(w, "ain") &&
		!strings.HasSuffix(w, "oin") && !strings.HasSuffix(w, "ien"):
		// German feminine role nouns: Ministerin, Sprecherin, Erzieherin.
		return female
	}
	return genderUnknown
}

// givenGender maps common given names, folded, to their usual gender. Names used
// for both (Andrea, Jean, Kim, Sascha) are left out.
var givenGender = func() map[string]gender {
	m := map[string]gender{}
	for _, w := range words(`james john robert michael william david richard joseph thomas charles christopher daniel
matthew anthony mark donald steven paul andrew joshua kevin brian george edward jason ryan jacob gary nicholas eric
jonathan stephen justin scott brandon benjamin samuel gregory alexander frank patrick peter henry arthur simon martin
oliver harry jack tom ben sam max boris keir rishi emmanuel olaf friedrich markus karl hans klaus jurgen wolfgang
horst dieter stefan georg gerhard helmut manfred jorn detlef olaf andreas christian lars jens uwe ralf jorg sven tobias florian lukas felix herbert heinrich
pierre jacques michel philippe alain nicolas francois laurent olivier bruno gerard jerome sebastien julien antoine
guillaume thierry didier yves bernard patrice benoit vincent mathieu jean-luc jean-pierre jean-marc jean-claude
jose antonio manuel francisco juan javier jesus carlos miguel alejandro rafael pedro pablo angel sergio fernando
jorge luis alberto alvaro diego adrian raul enrique ramon vicente alfonso felix inaki jordi joan xavier santiago
giuseppe giovanni mario luigi francesco marco matteo paolo giorgio sergio roberto joao duarte luis
vladimir dmitry sergei volodymyr oleksandr ivan mikhail viktor igor mohammed muhammad mohamed ahmed ali hassan
omar abdullah ibrahim yusuf khalid mahmoud mustafa karim abdel abdelrahman recep narendra xi shinzo fumio cyril
abiy bola william kwame`) {
		m[w] = male
	}
	for _, w := range words(`mary patricia jennifer linda elizabeth barbara susan jessica sarah karen lisa nancy
margaret sandra ashley emily donna michelle carol amanda melissa deborah stephanie rebecca laura helen samantha
katherine christine rachel catherine maria heather diane julie olivia victoria kate lucy sophie chloe emma anna
hannah grace alice jane ruth angela ursula annalena karin katherina kirsten irme doreen anette ulrike petra sabine
claudia monika birgit julia lena lea nina svenja saskia ricarda nancy ayse
marie jeanne francoise monique nathalie isabelle sylvie anne martine nicole valerie sandrine celine aurelie
caroline camille clemence florence agnes brigitte segolene marine rachida elisabeth claire anne-sophie
carmen josefa isabel ana dolores pilar teresa rosa mercedes lucia cristina laura marta elena raquel sara paula
rocio beatriz silvia yolanda ester esther miriam amaia merce victoria ines alba irene
giulia giorgia francesca chiara elly ursula kristalina aissatou leni amina fatima aisha nadia layla`) {
		m[w] = female
	}
	return m
}()

// profile is what the story says of a person beside the name: the role words
// written next to it ("Innenminister Herbert Reul", "la ministra de Trabajo,
// Yolanda Díaz", "Nguyen Thi Lan, a labour economist") and the gender they,
// a title or the given name mark.
type profile struct {
	done  bool
	sex   gender
	roles []string
}

// profileOf reads the profile of a person from where the story names them, once.
func (r *resolver) profileOf(ent int) *profile {
	if r.prof == nil {
		r.prof = make([]profile, len(r.ents))
	}
	p := &r.prof[ent]
	if p.done {
		return p
	}
	p.done = true
	if !r.scanned {
		r.scan()
	}
	e := r.ents[ent]
	if !e.person {
		return p
	}
	if len(e.forms) > 0 && len(e.forms[0]) > 1 {
		p.sex = givenGender[e.forms[0][0]]
	}
	for _, m := range r.mentions {
		if m.ent != ent {
			continue
		}
		// Before the name, in its sentence: "Bundesbildungsministerin Karin Prien",
		// "le ministre des Transports, Philippe Tabarot", "M. Benhaddou".
		from := sentenceStart(r.body, m.pos)
		if m.pos-from > 80 {
			from = m.pos - 80
			for from < m.pos && r.body[from]&0xC0 == 0x80 {
				from++
			}
		}
		before := tokenize(r.body, from, m.pos, r.profBuf[:0])
		r.profBuf = before[:0]
		k := len(before) - 1
		if k >= 0 && before[k].text == "," {
			k--
		}
		for n := 0; k >= 0 && n < 6; k, n = k-1, n+1 {
			t := before[k]
			if t.punct || isVerbToken(t) || isStopWord(t.fold) && !isDeterminer(t.fold) {
				break
			}
			if g := titleGender(t.fold); g != genderUnknown {
				p.sex = g
				continue
			}
			if isDeterminer(t.fold) || isNPLink(t.fold) {
				if n > 0 && p.sex == genderUnknown && len(p.roles) > 0 {
					p.sex = roleGender(t.fold, p.roles[len(p.roles)-1])
				}
				continue
			}
			p.roles = appendRole(p.roles, t.fold)
		}
		// After the name, an apposition: "Nguyen Thi Lan, a labour economist who",
		// "Florence Martin, infirmière à Amiens".
		if m.end+2 < len(r.body) && r.body[m.end] == ',' {
			to := m.end + 80
			if to > len(r.body) {
				to = len(r.body)
			}
			for to < len(r.body) && r.body[to]&0xC0 == 0x80 {
				to++
			}
			after := tokenize(r.body, m.end+1, to, r.profBuf[:0])
			r.profBuf = after[:0]
			det := ""
			for n, t := range after {
				if t.punct || n > 6 || isVerbToken(t) || isStopWord(t.fold) && !isDeterminer(t.fold) || isNPLink(t.fold) {
					break
				}
				if isDeterminer(t.fold) {
					det = t.fold
					continue
				}
				if t.cap && n == 0 {
					break // another name in a list
				}
				p.roles = appendRole(p.roles, t.fold)
				if p.sex == genderUnknown {
					p.sex = roleGender(det, t.fold)
				}
			}
		}
	}
	for _, w := range p.roles {
		if p.sex != genderUnknown {
			break
		}
		p.sex = roleGender("", w)
	}
	return p
}

func appendRole(roles []string, w string) []string {
	if len(w) < 3 || len(roles) >= 8 {
		return roles
	}
	for _, x := range roles {
		if x == w {
			return roles
		}
	}
	return append(roles, w)
}

// roleSynonyms groups the role nouns that name the same job in one language or
// across the four ("cinéaste" for "réalisateur").
var roleSynonyms = func() map[string]int {
	m := map[string]int{}
	for i, g := range []string{
		"cineaste realisateur realisatrice filmmaker regisseur regisseurin cineasta director-de-cine",
		"coach trainer entraineur entrenador manager cheftrainer",
		"striker forward attaquant buteur delantero sturmer angreifer",
		"spokesman spokeswoman spokesperson porte-parole portavoz sprecher sprecherin",
		"writer author novelist ecrivain ecrivaine auteur autrice escritor escritora autor autora schriftsteller schriftstellerin autorin",
		"researcher scientist chercheur chercheuse investigador investigadora forscher forscherin wissenschaftler",
		"doctor physician medecin medico arzt arztin",
		"goalkeeper keeper gardien portero torwart",
	} {
		for _, w := range words(g) {
			m[w] = i + 1
		}
	}
	return m
}()

// roleEq compares a role noun with one written beside a name, across compounds
// ("Minister" in "Innenminister"), gender ("ministra", "ministre", "Ministerin"),
// demonyms ("Kroate", "kroatische") and a few synonyms.
func roleEq(a, b string) bool {
	if a == b {
		return true
	}
	if g := roleSynonyms[a]; g != 0 && g == roleSynonyms[b] {
		return true
	}
	sa, sb := roleStem(a), roleStem(b)
	if sa == sb || len(sa) >= 5 && strings.HasSuffix(sb, sa) || len(sb) >= 5 && strings.HasSuffix(sa, sb) {
		return true
	}
	n := 0
	for n < len(sa) && n < len(sb) && sa[n] == sb[n] {
		n++
	}
	short := min(len(sa), len(sb))
	return n >= 5 && n*5 >= short*4
}

// roleStem drops the gender endings of a role noun.
func roleStem(w string) string {
	for _, suf := range []string{"erin", "trice", "teur", "euse", "eur", "in", "a", "o", "e"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) {
			if suf == "erin" {
				return w[:len(w)-2]
			}
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

// byRole returns the person named last before pos whose role matches the noun.
func (r *resolver) byRole(head string, pos int, want gender) (string, bool) {
	if !r.scanned {
		r.scan()
	}
	for k := len(r.mentions) - 1; k >= 0; k-- {
		m := r.mentions[k]
		if m.pos >= pos || !r.ents[m.ent].person {
			continue
		}
		p := r.profileOf(m.ent)
		if !agrees(p.sex, want) {
			continue
		}
		for _, role := range p.roles {
			if roleEq(head, role) {
				return r.ents[m.ent].name, true
			}
		}
	}
	return "", false
}

// sexOf returns the gender the story gives a speaker: the given name's when it is a
// known one, else what the words beside the name mark.
func (r *resolver) sexOf(ent int) gender {
	if e := r.ents[ent]; e.person && len(e.forms) > 0 && len(e.forms[0]) > 1 {
		if g := givenGender[e.forms[0][0]]; g != genderUnknown {
			return g
		}
	}
	return r.profileOf(ent).sex
}
