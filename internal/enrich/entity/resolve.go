package entity

import (
	"slices"
	"sort"
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// acc accumulates one entity.
type acc struct {
	name     string
	words    []string
	forms    []string // every form seen, first seen first
	mentions int
	order    int
	last     int // order of the last mention, for choosing among namesakes
	entry    int // known organisation entry, or -1
	place    placeCand
	headed   bool // named by a head before a known short form ("Gewerkschaft Verdi")
}

func (a *acc) addForm(f string) {
	f = strings.TrimSpace(f)
	if f == "" {
		return
	}
	for _, g := range a.forms {
		if g == f {
			return
		}
	}
	a.forms = append(a.forms, f)
}

func (a *acc) seen(order int) {
	a.mentions++
	if order < a.order {
		a.order = order
	}
	if order > a.last {
		a.last = order
	}
}

// entity turns an accumulator into the output form: aliases are the other forms,
// compared after Fold, in order of first use.
func (a *acc) entity(s *scratch) pipeline.Entity {
	e := pipeline.Entity{Name: a.name, Mentions: a.mentions}
	if len(a.forms) == 0 || len(a.forms) == 1 && a.forms[0] == a.name {
		return e
	}
	// the folded forms seen so far, one after another in s.fold
	var endsBuf [16]int
	buf := textkit.AppendFold(s.fold[:0], a.name)
	ends := append(endsBuf[:0], len(buf))
	for _, f := range a.forms {
		start := len(buf)
		buf = textkit.AppendFold(buf, f)
		k := buf[start:]
		dup := false
		prev := 0
		for _, end := range ends {
			if string(buf[prev:end]) == string(k) {
				dup = true
				break
			}
			prev = end
		}
		if dup {
			buf = buf[:start]
			continue
		}
		ends = append(ends, len(buf))
		if e.Aliases == nil {
			e.Aliases = make([]string, 0, len(a.forms))
		}
		e.Aliases = append(e.Aliases, f)
	}
	s.fold = buf
	return e
}

func (r *run) wordsHave(words []string, f wordFlag) bool {
	for _, w := range words {
		if r.x.lex[w]&f != 0 {
			return true
		}
	}
	return false
}

// contentWords counts the words of a name that are not particles.
func (r *run) contentWords(words []string) int {
	n := 0
	for _, w := range words {
		if r.x.lex[w]&fParticle == 0 || len(w) > 3 {
			n++
		}
	}
	return n
}

func hasSuffixWords(long, short []string) bool {
	if len(short) >= len(long) || len(short) == 0 {
		return false
	}
	off := len(long) - len(short)
	for i, w := range short {
		if long[off+i] != w {
			return false
		}
	}
	return true
}

// capitalisedMidSentence lists the folded words the body capitalises away from a
// sentence start: a sentence-initial word seen so is a name, not a common word.
func (r *run) midCap(word string) bool {
	t := r.body
	for i, tk := range t.toks {
		if tk.Kind == textkit.Word && !tk.SentStart && !t.skip[i] && len(tk.Text) >= len(word) && textkit.IsCapitalized(tk.Text) && t.fold(i) == word {
			return true
		}
	}
	return false
}

// lowerSeen reports whether the body writes the folded word in lower case somewhere:
// then a capitalised use at a sentence start is the common word.
func (r *run) lowerSeen(word string) bool {
	t := r.body
	for i, tk := range t.toks {
		if tk.Kind == textkit.Word && len(tk.Text) >= len(word) && textkit.IsLower(tk.Text) && t.fold(i) == word {
			return true
		}
	}
	return false
}

func (r *run) resolve() Result {
	people := r.people
	byName := r.byName

	// 1. full names: two words or more that read as a person. A capitalised pair is a
	// person only with evidence: a known given name or family name, a title or role, an
	// apposition, a speech verb, or the surname used alone elsewhere in the story.
	lone := r.loneWords()
	isFull := func(m *mention) bool {
		if m.kind != mName || r.contentWords(m.words) < 2 || m.quoted {
			return false
		}
		if r.wordsHave(m.words, fFacility) && !m.given && !m.family {
			return false
		}
		if r.x.lex[m.words[0]]&fEventLead != 0 && !m.title {
			return false // "Storm Ciarán", "Operation Sindoor"
		}
		last := m.words[len(m.words)-1]
		if r.x.lex[last]&(fOrgHead|fOrgSuffix) != 0 && !m.title {
			return false // "Victoria Police", "Acme Ltd"
		}
		if (m.orgCue || m.apposOr || m.orgVerb) && !(m.given && (m.title || m.appos || m.speech)) {
			return false
		}
		if strings.ContainsAny(m.surface, "&0123456789/") {
			return false
		}
		named := m.given || m.family || m.title ||
			len(m.words) == 2 && r.x.lex[last]&fSurname != 0 && r.x.lex[m.words[0]]&(fCommon|fTitle|fOrgHead|fMonth|fArticle) == 0 && !m.sentInit
		if m.given && !m.family && !m.title && !m.speech && !m.appos && !lone[last] && r.x.lex[last]&(fCommon|fCompanyHead) != 0 && r.x.lex[last]&fGiven == 0 {
			return false // "Paris Agreement", "Victoria Square"
		}
		if r.lang == "de" {
			// German capitalises every noun: a name needs a given name, a title or a
			// role; otherwise a cue and no word that reads as a common noun.
			if named {
				return true
			}
			if !(m.appos || m.speech || lone[last]) {
				return false
			}
			for _, w := range m.words {
				if germanNoun(r.x.lex, w) || r.x.lex[w]&(fCommon|fOrgHead|fMonth|fOrgLead|fOrgNoun) != 0 {
					return false
				}
			}
			return true
		}
		if named || m.appos {
			return true
		}
		if !(m.speech || lone[last]) {
			return false
		}
		if r.wordsHave(m.words, fCommon|fOrgHead|fMonth|fOrgLead|fCompanyHead) {
			return false
		}
		if r.lang != "en" && r.lang != "" {
			for _, w := range m.words {
				if isAdjective(w) && len(w) > 5 {
					return false // "Agenda Urbana", "Transparencia Mexicana"
				}
			}
		}
		return true
	}
	for i := range r.ments {
		m := &r.ments[i]
		if !isFull(m) {
			continue
		}
		if a, ok := byName[string(r.joinKey(m.words))]; ok {
			a.seen(m.order)
			a.addForm(m.titled)
			continue
		}
		key := m.key()
		var into *acc
		for _, p := range people {
			switch {
			case hasSuffixWords(p.words, m.words):
				into = p
			case hasSuffixWords(m.words, p.words):
				// the new form is fuller: it becomes the name
				p.name, p.words = m.surface, m.words
				p.addForm(m.surface)
				into = p
			case len(p.words) >= 2 && len(m.words) >= 2 && p.words[0] == m.words[0] && p.words[len(p.words)-1] == m.words[len(m.words)-1]:
				if len(m.words) > len(p.words) {
					p.name, p.words = m.surface, m.words
				}
				into = p
			}
			if into != nil {
				break
			}
		}
		if into != nil {
			into.addForm(m.surface)
			into.addForm(m.titled)
			into.seen(m.order)
			byName[key] = into
			m.kind = 0
			continue
		}
		a := r.newAcc(m.surface, m.words, m.order)
		a.addForm(m.titled)
		people = append(people, a)
		byName[key] = a
		m.kind = 0 // consumed
	}

	// 2. surnames and titled forms of those people
	surname := r.surname
	for _, p := range people {
		w := p.words
		r.addTo(surname, w[len(w)-1], p)
		if len(w) > 2 {
			r.addTo(surname, strings.Join(w[1:], " "), p)
			if len(w) == 3 && r.x.lex[w[1]]&(fGiven|fParticle) == 0 {
				// the first of two family names: "Etxeberria" of "Iñaki Etxeberria Goikoetxea"
				r.addTo(surname, w[1], p)
			}
		}
		if r.x.lex[w[0]]&fGiven == 0 {
			r.addTo(surname, w[0], p) // family name first: "Xi" of "Xi Jinping"
		}
	}
	firstName := r.firstName
	for _, p := range people {
		r.addTo(firstName, p.words[0], p)
	}
	pick := func(list []*acc, order int) *acc {
		best := list[0]
		for _, p := range list[1:] {
			if p.order < order && (best.order > order || p.last > best.last) {
				best = p
			}
		}
		return best
	}
	singles := r.singles
	orgShort := r.orgShort // "Verdi" of "Gewerkschaft Verdi"
	for i := range r.ments {
		m := &r.ments[i]
		if m.kind == mOrg && len(m.words) == 2 && r.x.lex[m.words[0]]&(fOrgLead|fOrgHead) != 0 {
			orgShort[m.words[1]] = true
		}
	}
	orgMents, placeMents, loose := r.orgMents, r.placeMents, r.loose
	for i := range r.ments {
		m := &r.ments[i]
		if m.kind == 0 {
			continue
		}
		// key is the words joined, looked up without building a string; a mention
		// of one word is its word
		kb := r.joinKey(m.words)
		if m.kind == mName || m.kind == mPlace && !m.loc && len(m.words) == 1 {
			li, ok := surname[string(kb)]
			if !ok && m.title && len(m.words) == 1 {
				li, ok = firstName[string(kb)] // "Dr Tedros", "Sheikh Mohammed"
			}
			if ok && (m.kind == mName || m.title || m.speech || !r.placeIsStrong(m)) {
				p := pick(r.lists[li], m.order)
				p.addForm(m.surface)
				p.addForm(m.titled)
				p.seen(m.order)
				continue
			}
		}
		switch m.kind {
		case mOrg:
			orgMents = append(orgMents, m)
		case mPlace:
			placeMents = append(placeMents, m)
		case mName:
			word := m.surface
			if orgShort[string(kb)] {
				m.kind = mOrg
				orgMents = append(orgMents, m)
				continue
			}
			if isAcronymShape(word) && len(m.words) == 1 && textkit.IsAllCaps(word) {
				if r.x.lex[m.words[0]]&fNotOrgAcronym == 0 && abbreviatedCountry(m.words[0]) == "" {
					m.kind = mOrg
					orgMents = append(orgMents, m)
				}
				continue
			}
			orgish := m.orgCue || m.apposOr || m.orgVerb
			if e, ok := r.x.sportForm[string(kb)]; ok && len(m.words) == 1 && !m.title && r.isSports() {
				m.kind, m.org = mOrg, e // "Chelsea had led" in a match report
				orgMents = append(orgMents, m)
				continue
			}
			if first, _, _ := strings.Cut(word, " "); brandShape(first) && !m.title && !m.quoted {
				m.kind = mOrg // "ScottishPower", "easyJet", "i-DE Redes Eléctricas Inteligentes"
				orgMents = append(orgMents, m)
				continue
			}
			if len(m.words) > 1 {
				// a pair that is no person: an organisation when something says so
				if r.contentWords(m.words) >= 2 && !r.wordsHave(m.words, fMonth) && !m.quoted &&
					(orgish && !m.sentInit || r.wordsHave(m.words, fOrgHead|fOrgSuffix|fCompanyHead) && !m.sentInit) {
					m.kind = mOrg
					orgMents = append(orgMents, m)
				} else if !m.quoted && !r.wordsHave(m.words, fMonth|fCommon) {
					loose = append(loose, m)
				}
				continue
			}
			key := m.key() // one word or none: no string is built
			if r.wordsHave(m.words, fCommon|fMonth|fOrgHead) && (!m.title || r.x.lex[key]&fGiven == 0) || m.quoted || r.x.places.demonym(word) {
				continue
			}
			given := r.x.lex[key]&fGiven != 0
			roleWord := r.x.lex[key]&(fTitle|fRole) != 0 || r.lang == "de" && (germanCompound(key)&fTitle != 0 || germanNoun(r.x.lex, key))
			if roleWord {
				continue
			}
			if orgish && !m.title || m.speech && !m.title && !m.appos && !given {
				// a lone name that speaks and was never introduced as a person is an
				// institution: "Eurogate said", "the Tate announced"
				if !m.sentInit || r.midCap(key) || !r.lowerSeen(key) && !strings.HasSuffix(key, "s") {
					m.kind = mOrg
					orgMents = append(orgMents, m)
				}
				continue
			}
			strong := m.title || m.appos || m.speech && (!m.sentInit || r.midCap(key))
			if !strong {
				if !m.sentInit || r.midCap(key) {
					loose = append(loose, m)
				}
				continue
			}
			if r.x.places.demonym(word) {
				continue
			}
			if a, ok := singles[key]; ok {
				a.seen(m.order)
				a.addForm(m.titled)
				continue
			}
			a := r.newAcc(m.surface, m.words, m.order)
			a.addForm(m.titled)
			singles[key] = a
			people = append(people, a)
		}
	}

	placeMents, orgMents = r.teams(placeMents, orgMents)
	orgMents = r.coordinated(orgMents, loose)
	orgs := r.resolveOrgs(orgMents)
	places := r.resolvePlaces(placeMents)

	if r.head != nil && r.head.titling {
		r.headlineByForms(people, orgs, places)
	}

	// the buffers grown here go back to the run for the next story
	r.people, r.orgMents, r.placeMents, r.loose, r.orgs, r.places = people, orgMents, placeMents, loose, orgs, places

	var res Result
	slices.SortStableFunc(people, byOrder)
	if len(people) > 0 {
		res.People = make([]pipeline.Entity, 0, len(people))
	}
	for _, p := range people {
		res.People = append(res.People, p.entity(&r.scratch))
	}
	slices.SortStableFunc(orgs, byOrder)
	if len(orgs) > 0 {
		res.Organisations = make([]pipeline.Entity, 0, len(orgs))
	}
	for _, o := range orgs {
		res.Organisations = append(res.Organisations, o.entity(&r.scratch))
	}
	slices.SortStableFunc(places, byOrder)
	if len(places) > 0 {
		res.Places = make([]pipeline.Place, 0, len(places))
	}
	for _, p := range places {
		e := p.entity(&r.scratch)
		res.Places = append(res.Places, pipeline.Place{
			Name: p.place.Name, Kind: p.place.Kind, Country: p.place.Country,
			Lat: p.place.Lat, Lon: p.place.Lon, GeoNameID: p.place.ID,
			Aliases: e.Aliases, Mentions: p.mentions,
		})
	}
	return res
}

func byOrder(a, b *acc) int { return a.order - b.order }

// placeIsStrong reports whether a one-word place should stay a place even when a person
// of the story bears that name: a country or a big city named with no person cue.
func (r *run) placeIsStrong(m *mention) bool {
	n, best := r.lookup(m.surface)
	return n > 0 && (best.Kind == "country" || best.Kind == "continent") && !m.title && !m.speech
}

// headlineByForms counts the entities a title-case headline names, found by their forms.
func (r *run) headlineByForms(groups ...[]*acc) {
	forms := map[string]*acc{}
	maxW := 1
	for _, g := range groups {
		for _, a := range g {
			for _, f := range append([]string{a.name}, a.forms...) {
				forms[textkit.Fold(f)] = a
				if n := len(strings.Fields(f)); n > maxW {
					maxW = n
				}
			}
			if len(a.words) > 1 && a.entry < 0 && a.place.ID == 0 {
				forms[a.words[len(a.words)-1]] = a
			}
		}
	}
	t := r.head
	for i := 0; i < len(t.toks); i++ {
		if !t.cap(i) {
			continue
		}
		for n := maxW; n >= 1; n-- {
			if i+n > len(t.toks) || !t.cap(i+n-1) {
				continue
			}
			if a, ok := forms[textkit.Fold(t.surface(i, i+n))]; ok {
				a.seen(t.toks[i].Start)
				i += n - 1
				break
			}
		}
	}
}

func (r *run) resolveOrgs(ments []*mention) []*acc {
	out := r.orgs
	byKey, byEntry, acrDef := r.byKey, r.byEntry, r.acrDef
	acronyms := r.acronyms
	// sort.Stable runs the algorithm of sort.SliceStable, whose order the names depend on
	r.sortMents = ments
	sort.Stable(&r.sortMents)
	r.sortMents = nil
	for _, m := range ments {
		if m.org >= 0 && r.isAgency(m.org) || r.agencyF.hasKey(r.joinKey(m.words)) {
			continue
		}
		if m.org >= 0 && r.x.orgs[m.org].agency {
			continue // news agencies are the story's sources, not its subjects
		}
		if n := len(m.words); m.org < 0 && n >= 2 {
			if ref, ok := r.x.orgForm[m.words[n-1]]; ok && r.x.orgs[ref.entry].agency {
				continue // "Nachrichtenagentur AFP"
			}
		}
		if r.isCompetition(m.words) || isGenericGovernment(m.words) {
			continue // "Liga Endesa", "el Gobierno regional"
		}
		if m.org < 0 && len(m.words) == 1 && textkit.IsAllCaps(m.surface) && m.acr == "" {
			acronyms = append(acronyms, m)
			continue
		}
		// "Gewerkschaft Verdi": a head before a known name is that organisation
		var short string
		headedKnown := false
		if len(m.words) == 2 && r.x.lex[m.words[0]]&(fOrgLead|fOrgHead) != 0 {
			if _, rest, ok := strings.Cut(m.surface, " "); ok && textkit.IsCapitalized(rest) {
				short = rest
				if ref, ok := r.x.orgForm[m.words[1]]; ok && m.org < 0 && !r.x.orgs[ref.entry].agency && (!ref.acronym || textkit.IsAllCaps(rest)) {
					m.org = ref.entry
					headedKnown = true
				}
			}
		}
		full, base := r.orgKeys(m.words)
		raw := full // the words as written; German keys undo inflections
		if r.lang == "de" {
			raw = strings.Join(m.words, " ")
		}
		if m.org < 0 && len(m.words) > 1 {
			// a known name the scanner found by its head ("Stade rennais")
			if ref, ok := r.x.orgForm[raw]; ok && !ref.acronym && !ref.poss && !r.x.orgs[ref.entry].agency {
				m.org = ref.entry
			}
		}
		var a *acc
		if m.org >= 0 {
			a = byEntry[m.org]
		}
		if a == nil {
			a = byKey[full]
		}
		if a == nil && base != "" {
			a = byKey[base]
		}
		if a == nil && m.acr != "" {
			a = acrDef[string(r.folded(m.acr))]
		}
		if a == nil && len(m.words) == 1 && m.org < 0 {
			a = r.onlyOrgStarting(out, m.words[0]) // "Sparkasse" after "Sparkasse Ruhrtal"
		}
		if a == nil {
			a = r.newAcc(m.surface, m.words, m.order)
			a.entry = m.org
			a.mentions = 0
			out = append(out, a)
		}
		a.seen(m.order)
		name := m.surface
		if m.article != 0 {
			name = germanNominative(m.surface, m.article)
			a.addForm(name)
		}
		a.addForm(m.surface)
		if short != "" {
			a.addForm(short)
		}
		if base != "" {
			a.addForm(baseSurface(m.surface, len(m.words)-strings.Count(base, " ")-1))
		}
		if len(m.words) > len(a.words) && !textkit.IsAllCaps(m.surface) {
			a.name, a.words = name, m.words
		} else if a.name == m.surface && name != m.surface {
			a.name = name
		}
		if headedKnown && a.name == m.surface {
			a.headed = true
		}
		byKey[full] = a
		if base != "" {
			byKey[base] = a
		}
		if m.org >= 0 {
			byEntry[m.org] = a
			if a.entry < 0 {
				a.entry = m.org
			}
		}
		byKey[raw] = a
		if len(m.words) == 2 && r.x.lex[m.words[0]]&(fOrgLead|fOrgHead) != 0 {
			byKey[m.words[1]] = a
		}
		if m.acr != "" {
			a.addForm(m.acr)
			acrDef[textkit.Fold(m.acr)] = a
		}
	}
	for _, m := range acronyms {
		k := textkit.Fold(m.surface)
		a := acrDef[k]
		if a == nil {
			a = byKey[k]
		}
		if a == nil {
			for _, o := range out {
				if !textkit.IsAllCaps(o.name) && acronymMatches(m.surface, o.words, r.x.lex) {
					a = o
					break
				}
			}
		}
		if a == nil {
			a = r.onlyOrgStarting(out, k) // "THW" of "THW Kiel"
		}
		if a == nil {
			a = r.newAcc(m.surface, m.words, m.order)
			a.mentions = 0
			out = append(out, a)
			byKey[k] = a
		}
		a.seen(m.order)
		a.addForm(m.surface)
	}
	r.acronyms = acronyms
	// known organisations named only by an acronym or short form take their full name
	for _, a := range out {
		if a.entry < 0 {
			continue
		}
		e := r.x.orgs[a.entry]
		full := e.en
		if n, ok := e.byLang[r.lang]; ok {
			full = n
		}
		if textkit.IsAllCaps(a.name) || strings.Count(a.name, " ") < strings.Count(full, " ") && !r.usedFull(a) || r.x.orgForm[string(r.folded(a.name))].variant || a.headed {
			a.name = full
		}
	}
	return out
}

// onlyOrgStarting returns the one organisation of several words that starts with the
// folded word, or nil when none or several do.
func (r *run) onlyOrgStarting(out []*acc, w string) *acc {
	var found *acc
	for _, o := range out {
		if len(o.words) >= 2 && o.words[0] == w {
			if found != nil {
				return nil
			}
			found = o
		}
	}
	return found
}

// usedFull reports whether the story wrote a multi-word form of the organisation.
func (r *run) usedFull(a *acc) bool {
	for _, f := range a.forms {
		if strings.Contains(f, " ") {
			return true
		}
	}
	return false
}

func (r *run) resolvePlaces(ments []*mention) []*acc {
	// ctx is a set of countries: each is added once, which saves the gazetteer
	// comparing a candidate with the same country again and again
	ctx := r.ctx[:0]
	addCtx := func(c string) {
		for _, d := range ctx {
			if d == c {
				return
			}
		}
		ctx = append(ctx, c)
	}
	for _, c := range r.in.Context {
		addCtx(c)
	}
	// a story written in the language of one country is most likely about it:
	// "Valencia" in Spanish copy is the Spanish city, unless the dateline says otherwise
	var priorBuf [1]string
	var prior []string
	if c := langCountry(r.lang); c != "" && len(ctx) == 0 {
		priorBuf[0] = c
		prior = priorBuf[:]
	}
	for _, m := range r.dlPlaces {
		if c, ok := r.resolvePlace(m.surface, prior); ok && c.Country != "" {
			addCtx(c.Country)
		}
	}
	if len(ctx) == 0 {
		ctx = append(ctx, prior...)
	}
	for _, m := range ments {
		if code := abbreviatedKey(r.joinKey(m.words)); code != "" {
			addCtx(code)
			continue
		}
		if n, best := r.lookup(m.surface); n > 0 && (best.Kind == "country" || best.Kind == "region") {
			if best.Country != "" {
				addCtx(best.Country)
			}
		}
	}
	r.ctx = ctx
	out := r.places
	src := r.body.s
	for mi, m := range ments {
		var c placeCand
		ok := false
		// "Paris, Texas": a place followed by its region or country
		if mi+1 < len(ments) && m.order >= bodyBase {
			nx := ments[mi+1]
			if nx.order-bodyBase == m.end+2 && m.end+2 <= len(src) && src[m.end:m.end+2] == ", " {
				if pc, found := r.resolveInContext(nx.surface, ctx); found && pc.Country != "" && pc.Kind != "city" {
					c, ok = r.x.places.in(m.surface, pc.Country)
				}
			}
		}
		if !ok {
			c, ok = r.resolveInContext(m.surface, ctx)
		}
		if !ok {
			continue
		}
		if len(m.words) == 1 && (m.sentInit || m.headline) && !r.inDateline(m) && r.lowerSeen(m.words[0]) {
			continue // a common noun opening a sentence: "Grève à la SNCF" when the body says "grève"
		}
		if !m.loc && len(m.words) == 1 && c.Kind == "city" && m.order >= bodyBase && !r.inDateline(m) {
			// a small town named by a word with no preposition is more often a
			// surname or a common noun ("Lage", "Kosten")
			if c.Pop < 20000 || m.key() != string(r.folded(c.Name)) && c.Pop < 200000 {
				continue
			}
		}
		var a *acc
		for _, o := range out { // the places of one story are few
			if o.place.ID == c.ID {
				a = o
				break
			}
		}
		if a == nil {
			// a place is found again by its ID: its words are never compared
			a = r.newAcc(c.Name, nil, m.order)
			a.mentions = 0
			a.place = c
			out = append(out, a)
		}
		a.seen(m.order)
		a.addForm(m.surface)
	}
	return out
}

// resolveInContext is resolvePlace with the story's context, which resolvePlaces
// settles before its first call.
func (r *run) resolveInContext(s string, ctx []string) (placeCand, bool) {
	pm := r.placeMemo(s)
	if !pm.resolved {
		pm.res, pm.ok = r.resolvePlace(s, ctx)
		pm.resolved = true
	}
	return pm.res, pm.ok
}

func (r *run) inDateline(m *mention) bool {
	for _, d := range r.dlPlaces {
		if d.order == m.order {
			return true
		}
	}
	return false
}

func (r *run) resolvePlace(s string, ctx []string) (placeCand, bool) {
	if code := abbreviatedKey(r.folded(s)); code != "" {
		return r.x.places.country(code)
	}
	return r.x.places.resolve(s, ctx)
}

// loneWords lists the words the story uses alone as a name (a surname on second
// mention: "Doe said"), away from the start of a sentence or followed by a speech verb.
func (r *run) loneWords() map[string]bool {
	m := map[string]bool{}
	for i := range r.ments {
		mm := &r.ments[i]
		if mm.kind == mName && len(mm.words) == 1 && (!mm.sentInit || mm.speech || mm.title) {
			m[mm.words[0]] = true
		}
	}
	return m
}

// coordinated turns names left unclassified into organisations when they are
// coordinated with one ("Lufthansa, Eurowings und Ryanair", "PSOE, Sumar, Junts y PNV"):
// the members of a list are of one kind.
func (r *run) coordinated(orgs, loose []*mention) []*mention {
	if len(loose) == 0 || len(orgs) == 0 {
		return orgs
	}
	type key struct {
		head bool
		pos  int
	}
	starts := map[key]bool{}
	ends := map[key]bool{}
	mark := func(m *mention) {
		base := bodyBase
		if m.headline {
			base = 0
		}
		starts[key{m.headline, m.order - base}] = true
		ends[key{m.headline, m.end}] = true
	}
	for _, m := range orgs {
		mark(m)
	}
	for changed := true; changed; {
		changed = false
		for i, m := range loose {
			if m == nil {
				continue
			}
			src, base := r.in.Body, bodyBase
			if m.headline {
				src, base = r.in.Headline, 0
			}
			if m.headline && r.head != nil {
				src = r.head.s
			}
			start := m.order - base
			ok := false
			if n := coordGap(src[m.end:], false); n > 0 && starts[key{m.headline, m.end + n}] {
				ok = true
			}
			if !ok {
				for n := 2; n <= 12 && start-n >= 0; n++ {
					if ends[key{m.headline, start - n}] && coordGap(src[start-n:start], true) == n {
						ok = true
						break
					}
				}
			}
			if ok {
				m.kind = mOrg
				orgs = append(orgs, m)
				mark(m)
				loose[i] = nil
				changed = true
			}
		}
	}
	return orgs
}

// coordGap returns the length of a list separator at the start of s (", ", " and ",
// " et la ", " y "), or 0; whole reports whether all of s must be the separator.
func coordGap(s string, whole bool) int {
	n := 0
	if strings.HasPrefix(s, ", ") {
		n = 2
	} else if strings.HasPrefix(s, " ") {
		rest := s[1:]
		for _, c := range []string{"and ", "und ", "et ", "y ", "e ", "or ", "oder ", "ou ", "o ", "sowie "} {
			if strings.HasPrefix(rest, c) {
				n = 1 + len(c)
				break
			}
		}
	}
	if n == 0 {
		return 0
	}
	for _, a := range []string{"la ", "le ", "les ", "el ", "los ", "las ", "the ", "die ", "der ", "das ", "l'", "l’"} {
		if n > 2 && strings.HasPrefix(s[n:], a) { // after a conjunction only: ", die" opens a clause
			n += len(a)
			break
		}
	}
	if whole && n != len(s) {
		return 0
	}
	return n
}

// langCountry is the country most stories written in a language are about.
func langCountry(lang string) string {
	switch lang {
	case "es":
		return "ES"
	case "fr":
		return "FR"
	case "de":
		return "DE"
	case "it":
		return "IT"
	case "pt":
		return "PT"
	}
	return ""
}
