package quote

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// entry is a speaker the story names, prepared for matching.
type entry struct {
	name    string
	person  bool
	role    bool       // a role the entity list took for a name ("Konzernsprecher"): never matched
	forms   [][]string // folded words of the name and each alias
	surface []string   // forms searched in the text: name, aliases, a person's surname
}

type mention struct {
	pos, end, ent int
}

// resolver turns a speaker phrase into a canonical name.
type resolver struct {
	body     string
	ents     []entry
	spans    []span
	mentions []mention
	scanned  bool
	// the last name a tag gave that matched no entity, for pronouns after it
	lastRaw    string
	lastRawPos int
	lastRawSex gender
	// the gender the pronoun or role being resolved marks
	want gender
	prof []profile
	// token buffers of nearVerb, rawName and profileOf, kept for reuse
	nearBuf, rawBuf, profBuf []token
	// buffers of init, kept for reuse
	cutsBuf           []formCut
	surfBuf, wordsBuf []string
	formsBuf          [][]string
}

// formCut is where a speaker's folded name or alias lies in the string of all of them.
type formCut struct{ ent, a, b int }

// reuse returns an empty resolver that keeps r's buffers.
func (r *resolver) reuse() resolver {
	return resolver{nearBuf: r.nearBuf[:0], rawBuf: r.rawBuf[:0], profBuf: r.profBuf[:0], mentions: r.mentions[:0],
		ents: r.ents[:0], cutsBuf: r.cutsBuf[:0], surfBuf: r.surfBuf[:0], wordsBuf: r.wordsBuf[:0], formsBuf: r.formsBuf[:0]}
}

func (r *resolver) init(body string, speakers []pipeline.Entity, spans []span) {
	r.body, r.spans = body, spans
	// All folded forms go into one string and all words into one slice, so preparing
	// the speakers costs a handful of allocations, not several per name.
	nforms, size := 0, 0
	for _, e := range speakers {
		nforms += 2 + len(e.Aliases)
		size += len(e.Name) + 1
		for _, a := range e.Aliases {
			size += len(a) + 1
		}
	}
	var b strings.Builder
	b.Grow(size + size/4)
	cuts := slices.Grow(r.cutsBuf[:0], nforms)
	for ei, e := range speakers {
		for k := -1; k < len(e.Aliases); k++ {
			form := e.Name
			if k >= 0 {
				form = e.Aliases[k]
			}
			a := b.Len()
			appendFold(&b, form)
			cuts = append(cuts, formCut{ei, a, b.Len()})
			b.WriteByte(' ')
		}
	}
	folded := b.String()
	r.ents = slices.Grow(r.ents[:0], len(speakers))[:len(speakers)]
	surface := slices.Grow(r.surfBuf[:0], nforms)
	wordsAll := slices.Grow(r.wordsBuf[:0], nforms*3)
	formsAll := slices.Grow(r.formsBuf[:0], nforms)
	defer func() {
		r.cutsBuf, r.surfBuf, r.wordsBuf, r.formsBuf = cuts[:0], surface[:0], wordsAll[:0], formsAll[:0]
	}()
	// The list holds the people first: after the first name that is plainly an
	// organisation's, every name is one ("Junts per Catalunya" reads like a person's).
	orgs := false
	for ei, e := range speakers {
		if strings.IndexByte(e.Name, ' ') < 0 {
			if _, ok := spokesCompound(textkit.Fold(e.Name)); ok {
				// "Konzernsprecher" names a role, not an organisation: it speaks for one.
				r.ents[ei] = entry{name: e.Name, role: true}
				continue
			}
		}
		orgs = orgs || strongOrg(e)
		r.ents[ei] = entry{name: e.Name, person: !orgs && looksPerson(e.Name)}
	}
	for _, c := range cuts {
		en := &r.ents[c.ent]
		if en.role {
			continue
		}
		w0 := len(wordsAll)
		wordsAll = appendWords(wordsAll, folded[c.a:c.b])
		if len(wordsAll) == w0 {
			continue
		}
		formsAll = append(formsAll, wordsAll[w0:len(wordsAll):len(wordsAll)])
		if en.forms == nil {
			en.forms = formsAll[len(formsAll)-1 : len(formsAll) : len(formsAll)]
		} else {
			en.forms = formsAll[len(formsAll)-len(en.forms)-1 : len(formsAll) : len(formsAll)]
		}
	}
	for ei := range r.ents {
		en := &r.ents[ei]
		if en.role {
			continue
		}
		e := speakers[ei]
		s0 := len(surface)
		if strings.TrimSpace(e.Name) != "" {
			surface = append(surface, e.Name)
		}
		for _, a := range e.Aliases {
			if strings.TrimSpace(a) != "" {
				surface = append(surface, a)
			}
		}
		if en.person {
			if k := strings.LastIndexByte(e.Name, ' '); k > 0 && !isRoman(e.Name[k+1:]) {
				surface = append(surface, e.Name[k+1:])
			}
		}
		en.surface = surface[s0:len(surface):len(surface)]
	}
}

// appendFold writes s folded: lower case, no diacritics.
func appendFold(b *strings.Builder, s string) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			b.WriteString(textkit.Fold(s))
			return
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
}

// appendWords appends the words of a folded name, without punctuation or possessive.
func appendWords(out []string, f string) []string {
	i := 0
	for i < len(f) {
		r, w := utf8.DecodeRuneInString(f[i:])
		if !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
			i += w
			continue
		}
		j := i + w
		for j < len(f) {
			r2, w2 := utf8.DecodeRuneInString(f[j:])
			if !(unicode.IsLetter(r2) || unicode.IsDigit(r2) || r2 == '\'' || r2 == '-') {
				break
			}
			j += w2
		}
		out = append(out, strings.TrimSuffix(f[i:j], "'s"))
		i = j
	}
	return out
}

// foldWords folds a name into its words, without punctuation or a possessive.
func foldWords(s string) []string {
	f := textkit.Fold(s)
	ws := strings.FieldsFunc(f, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-')
	})
	for k, w := range ws {
		ws[k] = strings.TrimSuffix(w, "'s")
	}
	return ws
}

// orgWords mark an organisation's name ("Rheinmark Bank", "Ministry of Defence").
var orgWords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range words(`bank reserve ministry council union party court police army forces commission committee agency
organisation organization association federation university institute group corp corporation inc ltd llc plc company
co airlines airline motors fund office department house government parliament assembly league club united fc ag sa se
gmbh nations front alliance movement network news times post press service services authority board foundation trust
capital partners holdings systems energy international industries federal national central reserve senate congress
ministere conseil parti tribunal cour armee agence universite groupe societe banque syndicat assemblee
banco ministerio consejo partido ejercito comision agencia universidad grupo sociedad sindicato
ministerium rat partei gericht armee kommission agentur universitat gruppe gesellschaft verband bundesbank bundestag
regierung behorde stiftung verein kremlin pentagon nato eu un museum musee museo theatre theater orchestra
hospital hopital klinik klinikum school ecole escuela schule college academy academie sparkasse versicherung airport
aeroport aeropuerto flughafen gallery galerie library bibliotheque biblioteca bibliothek church eglise iglesia kirche
prefecture mairie ayuntamiento rathaus city-council tribunal olympique sporting real atletico deportivo racing borussia
fc sv vfb vfl rc as ac ss cf ud cd sc super royal royals indians kings giants rangers deutsche deutscher deutsches
vereinte vereinigte nacional nationale europaische europea europeenne`) {
		m[w] = true
	}
	return m
}()

// looksPerson tells a person's name from an organisation's: two to five words, no
// organisation noun, no acronym.
func looksPerson(name string) bool {
	n := 0
	for rest := name; rest != ""; {
		k := strings.IndexByte(rest, ' ')
		w := rest
		if k >= 0 {
			w, rest = rest[:k], rest[k+1:]
		} else {
			rest = ""
		}
		if w == "" {
			continue
		}
		n++
		if n > 5 {
			return false
		}
		var buf [24]byte
		lw := buf[:0]
		upper := len(w) >= 2
		for i := 0; i < len(w) && len(lw) < len(buf); i++ {
			c := w[i]
			if c >= utf8.RuneSelf {
				upper = false
				lw = lw[:0]
				break
			}
			if 'a' <= c && c <= 'z' || c == '.' {
				upper = false
			}
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			if c != '.' && c != ',' && c != '(' && c != ')' {
				lw = append(lw, c)
			}
		}
		if upper && !isRoman(w) || len(lw) > 0 && orgWords[string(lw)] {
			return false
		}
		if len(lw) == 0 && orgWords[textkit.Fold(w)] {
			return false
		}
	}
	return n >= 2
}

// isRoman reports a regnal number ("Leo XIV", "Charles III").
func isRoman(w string) bool {
	w = strings.TrimSuffix(w, ".")
	for i := 0; i < len(w); i++ {
		switch w[i] {
		case 'I', 'V', 'X':
		default:
			return false
		}
	}
	return w != "" && len(w) <= 5
}

// strongOrg reports a name that can only be an organisation's: an acronym, an
// organisation noun, or more than five words.
func strongOrg(e pipeline.Entity) bool {
	for _, a := range e.Aliases {
		if isAcronym(a) {
			return true // "Deutscher Wetterdienst (DWD)"
		}
	}
	if strings.IndexByte(e.Name, ' ') < 0 {
		return isAcronym(e.Name)
	}
	return !looksPerson(e.Name)
}

// isAcronym reports a word of two or more capitals ("DWD", "UPV/EHU").
func isAcronym(w string) bool {
	return len(w) >= 2 && strings.IndexByte(w, ' ') < 0 && strings.ToUpper(w) == w && strings.ToLower(w) != w
}

// scan finds where the story names each speaker, once, outside quotations.
func (r *resolver) scan() {
	r.scanned = true
	for ei, e := range r.ents {
		for si, s := range e.surface {
			if len(s) < 2 || containsStr(e.surface[:si], s) {
				continue
			}
			for off := 0; ; {
				k := strings.Index(r.body[off:], s)
				if k < 0 {
					break
				}
				p := off + k
				off = p + len(s)
				if !boundary(r.body, p, off) || r.inQuote(p) {
					continue
				}
				r.mentions = append(r.mentions, mention{pos: p, end: off, ent: ei})
			}
		}
	}
	// Insertion sort: a story names a few dozen speakers at most. At one offset the
	// longer name goes first.
	for i := 1; i < len(r.mentions); i++ {
		for j := i; j > 0 && (r.mentions[j].pos < r.mentions[j-1].pos ||
			r.mentions[j].pos == r.mentions[j-1].pos && r.mentions[j].end > r.mentions[j-1].end); j-- {
			r.mentions[j], r.mentions[j-1] = r.mentions[j-1], r.mentions[j]
		}
	}
	// A name inside a longer one is not a mention of its own: "Steffen" in "Steffen
	// Baumgart" does not name Horst Steffen.
	kept := r.mentions[:0]
	reach := -1
	for _, m := range r.mentions {
		if m.end <= reach {
			continue
		}
		kept = append(kept, m)
		if m.end > reach {
			reach = m.end
		}
	}
	r.mentions = kept
}

// within returns the speaker the text names inside body[from:to], a person before an
// organisation ("Detlef Pollack von der Universität Münster", "Union-Trainer Steffen
// Baumgart"), the first of a kind; a possessor ("Smith's lawyer") does not speak.
func (r *resolver) within(from, to int) (string, bool) {
	if !r.scanned {
		r.scan()
	}
	person, personEnd, org := -1, 0, -1
	for _, m := range r.mentions {
		if m.pos < from {
			continue
		}
		if m.pos >= to {
			break
		}
		if r.possessor(m) {
			continue
		}
		// Two speakers' names may overlap ("Anna Maria" and "Maria Lopez" in "Anna
		// Maria Lopez"): then nothing stands between them.
		if person >= 0 && m.pos > personEnd && linkBetween(r.body[personEnd:m.pos]) {
			break // "Detlef Pollack von der Universität Münster"
		}
		if r.ents[m.ent].person {
			person, personEnd = m.ent, m.end
			continue
		}
		if org < 0 && !isAgency(r.ents[m.ent].forms[0][0]) {
			org = m.ent
		}
	}
	if person >= 0 {
		return r.ents[person].name, true
	}
	if org >= 0 {
		return r.ents[org].name, true
	}
	return "", false
}

// nameStart returns where the first word of body[from:to] that may open an unlisted
// name begins (a capitalised word after ", " or a known given name), a little before
// it so the comma is kept, or -1.
func (r *resolver) nameStart(from, to int) int {
	b := r.body
	for i := from; i < to; i++ {
		c := b[i]
		if !('A' <= c && c <= 'Z' || c >= 0xC3 && c <= 0xC5) || i > 0 && b[i-1] != ' ' && b[i-1] != '\n' {
			continue
		}
		if i >= from+2 && b[i-2] == ',' {
			return i - 2
		}
		j := i
		for j < to && b[j] != ' ' && b[j] != ',' && b[j] != '.' && b[j] != '\n' {
			j++
		}
		if j-i <= 24 && givenGender[foldWord(b[i:j])] != genderUnknown {
			return i
		}
		i = j
	}
	return -1
}

// first returns the speaker the text names first in body[from:to], a person before
// an organisation: the subject of a sentence that introduces a quotation with a
// colon ("Bremens Coach Horst Steffen haderte mit der Chancenverwertung: „…“").
func (r *resolver) first(from, to int) (string, bool) {
	if !r.scanned {
		r.scan()
	}
	org := -1
	for _, m := range r.mentions {
		if m.pos < from || r.possessor(m) {
			continue
		}
		if m.pos >= to {
			break
		}
		if r.ents[m.ent].person {
			return r.ents[m.ent].name, true
		}
		if org < 0 {
			org = m.ent
		}
	}
	if org >= 0 {
		return r.ents[org].name, true
	}
	return "", false
}

// linkBetween reports a preposition that attaches what follows to a name before it.
func linkBetween(s string) bool {
	for _, w := range strings.Fields(s) {
		switch strings.ToLower(w) {
		case "von", "vom", "of", "de", "du", "des", "del", "at", "from", "bei", "aus", "chez", "en":
			return true
		}
	}
	return false
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// boundary reports whether body[p:e] is a whole word.
func boundary(body string, p, e int) bool {
	if p > 0 {
		r, _ := utf8.DecodeLastRuneInString(body[:p])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if e < len(body) {
		r, _ := utf8.DecodeRuneInString(body[e:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

func (r *resolver) inQuote(p int) bool {
	for _, s := range r.spans {
		if p >= s.outerStart && p < s.outerEnd {
			return true
		}
		if s.outerStart > p {
			break
		}
	}
	return false
}

// last returns the speaker named last in body[from:to] of the wanted kinds, and
// where, with an organisation noun to prefer ("ministry") when head is set.
func (r *resolver) last(from, to int, person, org bool, head string) (string, int) {
	if !r.scanned {
		r.scan()
	}
	fallback, fpos := "", -1
	for k := len(r.mentions) - 1; k >= 0; k-- {
		m := r.mentions[k]
		if m.pos >= to {
			continue
		}
		if m.pos < from {
			break
		}
		e := r.ents[m.ent]
		if e.person && !person || !e.person && !org || e.person && r.want != genderUnknown && !agrees(r.sexOf(m.ent), r.want) {
			continue
		}
		if head == "" || containsStem(e.forms[0], head) {
			return e.name, m.pos
		}
		if fallback == "" {
			fallback, fpos = e.name, m.pos
		}
	}
	return fallback, fpos
}

// salient returns the organisation of the story whose name has head ("the museum",
// "das Museum") that the text names most often before pos, the first named on a tie (the one the story is about).
func (r *resolver) salient(pos int, head string) string {
	if !r.scanned {
		r.scan()
	}
	var counts [64]int
	best, bestN := -1, 0
	for _, m := range r.mentions {
		if m.pos >= pos || m.ent >= len(counts) {
			break
		}
		e := r.ents[m.ent]
		if e.person || !containsStem(e.forms[0], head) {
			continue
		}
		counts[m.ent]++
		if counts[m.ent] > bestN {
			best, bestN = m.ent, counts[m.ent]
		}
	}
	if best < 0 {
		who, _ := r.last(0, pos, false, true, "")
		return who
	}
	return r.ents[best].name
}

// lastIn returns the speaker of a kind named last in body[from:to].
func (r *resolver) lastIn(from, to int, person, org bool) string {
	who, _ := r.last(from, to, person, org, "")
	return who
}

// pronoun resolves "he", "elle", "sie" to the person the text has just named ("they"
// and "it" may stand for an organisation).
func (r *resolver) pronoun(person, org bool, g gender, pos int) string {
	r.want = g
	who, at := r.subjectAt(pos, person, org)
	r.want = genderUnknown
	raw := r.lastRaw != "" && r.lastRawPos > at && r.lastRawPos < pos && agrees(r.lastRawSex, g)
	if person {
		// A person the speakers list lacks, named after the last one it holds:
		// "La coordinatrice de l'ONU, Aïssatou Ndiaye, a réclamé une enquête."
		from := max(at+1, pos-300, sentenceStart(r.body, sentenceStart(r.body, pos)-2))
		if name, npos, ok := r.rawName(from, pos, g); ok && (!raw || npos > r.lastRawPos) {
			return name
		}
	}
	if raw {
		return r.lastRaw
	}
	return who
}

// rawName finds the last name in body[from:to], outside quotations, that the
// speakers list lacks: two to four capitalised words that open with a known given
// name or stand between commas as an apposition.
func (r *resolver) rawName(from, to int, want gender) (string, int, bool) {
	if to-from < 5 {
		return "", -1, false
	}
	for from < to && r.body[from]&0xC0 == 0x80 {
		from++
	}
	// Most windows hold no candidate: find the first one by bytes before tokenizing.
	if from = r.nameStart(from, to); from < 0 {
		return "", -1, false
	}
	toks := tokenize(r.body, from, to, r.rawBuf[:0])
	r.rawBuf = toks[:0]
	best, bestPos := "", -1
	for k := 0; k < len(toks); k++ {
		if !toks[k].cap || toks[k].punct || r.inQuote(toks[k].start) {
			continue
		}
		e := k
		for e < len(toks) && e-k < 4 && toks[e].cap && !toks[e].punct && !isDeterminer(toks[e].fold) &&
			!titles[toks[e].fold] && !orgWords[toks[e].fold] {
			e++
		}
		if e-k < 2 {
			continue
		}
		sex := givenGender[toks[k].fold]
		appos := k > 0 && toks[k-1].text == "," && e < len(toks) && toks[e].text == ","
		if sex == genderUnknown && !appos || !agrees(sex, want) {
			k = e
			continue
		}
		if _, ok := r.within(toks[k].start, toks[e-1].end); ok {
			k = e
			continue
		}
		best, bestPos = r.body[toks[k].start:toks[e-1].end], toks[k].start
		k = e
	}
	return best, bestPos, bestPos >= 0
}

// match finds the speaker a phrase names: the whole name or an alias, a titled form
// ending with it ("Foreign Minister Annalena Baerbock"), a surname ("Baerbock",
// "Mr Xi", "President Putin"), or a name inside it ("a Kremlin spokesman").
func (r *resolver) match(words []string) (string, bool) {
	if len(words) == 0 {
		return "", false
	}
	best, bestScore := "", 0
	for _, e := range r.ents {
		for _, f := range e.forms {
			s := 0
			switch {
			case equalWords(words, f):
				s = 5
			case hasSuffixWords(words, f):
				s = 4
			case hasSuffixWords(f, words) && !allTitles(words):
				s = 3
			case e.person && len(f) > 1 && words[len(words)-1] == f[len(f)-1]:
				s = 2
			case containsWords(words, f):
				s = 1
			}
			if s > bestScore {
				best, bestScore = e.name, s
			}
		}
	}
	return best, bestScore > 0
}

func equalWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// hasSuffixWords reports whether a ends with the words of b.
func hasSuffixWords(a, b []string) bool {
	if len(b) == 0 || len(b) > len(a) {
		return false
	}
	return equalWords(a[len(a)-len(b):], b)
}

func containsWords(a, b []string) bool {
	for i := 0; i+len(b) <= len(a); i++ {
		if equalWords(a[i:i+len(b)], b) {
			return true
		}
	}
	return false
}

func allTitles(ws []string) bool {
	for _, w := range ws {
		if !titles[w] {
			return false
		}
	}
	return true
}

// resolve turns a speaker phrase into a name: a pronoun, a speaker of the story, a
// role ("the minister", "the company") standing for the last one named, or a name
// that is not among the speakers, as written without its title.
func (x *extractor) resolve(np []token, pos int) (string, bool) {
	if len(np) == 0 {
		return "", false
	}
	if len(np) == 1 {
		if p, o, ok := pronounKind(np[0].fold); ok {
			who := x.res.pronoun(p, o, pronounGender(np[0].fold), pos)
			return who, who != ""
		}
	}
	if who, ok := x.res.within(np[0].start, np[len(np)-1].end); ok {
		return who, true
	}
	ws := make([]string, 0, len(np))
	for _, t := range np {
		if t.punct {
			continue
		}
		f := strings.TrimSuffix(strings.TrimSuffix(t.fold, "'s"), "’s")
		if f != "" {
			ws = append(ws, f)
		}
	}
	if who, ok := x.res.match(ws); ok {
		return who, true
	}
	if n := roleNP(np); n > 0 {
		// "sagte die Erzieherin dem Evangelischen Pressedienst": the role alone.
		np, ws = np[:n], ws[:min(n, len(ws))]
		return x.role(ws, np, pos)
	}
	if !hasName(np) || hasSpokes(ws) {
		return x.role(ws, np, pos)
	}
	// A name the speakers list lacks: as written, without title or article.
	s, e := -1, -1
	for k, t := range np {
		if t.punct || !t.cap || isDeterminer(t.fold) || titles[t.fold] || orgHeads[t.fold] {
			if s < 0 {
				continue
			}
			if !t.cap && !isNPLink(t.fold) {
				break
			}
			continue
		}
		if s < 0 {
			s = k
		}
		e = k
	}
	if s < 0 {
		return "", false
	}
	// "Limburger Bischof Georg Bätzing": a German role before the name is
	// capitalised too; the name starts at a known given name, else keeps two words.
	given := false
	for k := s; k < e; k++ {
		if givenGender[np[k].fold] != genderUnknown {
			s, given = k, true
			break
		}
	}
	if !given && x.lang == "de" && e-s >= 2 {
		s = e - 1
	}
	name := x.body[np[s].start:np[e].end]
	name = strings.TrimSuffix(strings.TrimSuffix(name, "'s"), "’s")
	x.res.lastRaw, x.res.lastRawPos = name, np[s].start
	x.res.lastRawSex = givenGender[np[s].fold]
	for _, t := range np[:s] {
		if g := titleGender(t.fold); g != genderUnknown {
			x.res.lastRawSex = g
		}
	}
	return name, true
}

// spokesWords name the one who speaks for an organisation.
func isSpokes(f string) bool {
	switch f {
	case "spokesman", "spokeswoman", "spokesperson", "representative", "porte-parole", "portavoz", "vocero", "vocera",
		"sprecher", "sprecherin", "portavoce", "porta-voz":
		return true
	}
	return false
}

// role resolves a role phrase: an organisation noun ("the ministry", "police") to the
// last organisation named, preferring one whose name has that noun; a definite person
// role ("the minister", "le ministre", "der Kanzler") to the last person named.
func (x *extractor) role(ws []string, np []token, pos int) (string, bool) {
	if len(ws) == 0 {
		return "", false
	}
	head := ws[len(ws)-1]
	spokes := false
	for k, w := range ws {
		if isNPLink(w) && k > 0 {
			head = ws[k-1]
			break
		}
	}
	for _, w := range ws {
		if isSpokes(w) {
			spokes = true
		}
		// "ein Konzernsprecher", "ein Bahnsprecher", "ein Union-Sprecher": the
		// organisation the compound names speaks.
		if pre, ok := spokesCompound(w); ok {
			if who, ok := x.res.orgByWord(pre); ok {
				return who, true
			}
			if isOrgHead(pre) {
				who := x.res.salient(pos, pre)
				return who, who != ""
			}
			spokes = true
		}
	}
	if spokes {
		// "a spokesman for the ministry": the organisation speaks; "a spokesperson
		// for the bookshop chain": the one the story has just named.
		for _, w := range ws {
			if isOrgHead(w) {
				who := x.res.salient(pos, w)
				return who, who != ""
			}
		}
		who := x.res.subject(pos, false, true)
		return who, who != ""
	}
	if isOrgHead(head) {
		who := x.res.salient(pos, head)
		return who, who != ""
	}
	switch ws[0] {
	case "the", "le", "la", "l'", "el", "der", "die", "das", "il", "lo", "o", "a":
		if ws[0] == "a" && x.lang == "en" {
			return "", false
		}
		if x.lang == "en" && strings.HasSuffix(head, "s") && !strings.HasSuffix(head, "ss") {
			return "", false // plural: "the officials said"
		}
		// "the minister", "le cinéaste", "die Erzieherin": the last person the story
		// gave that role, else the one it has just named, of the role's gender.
		want := roleGender(ws[0], head)
		if who, ok := x.res.byRole(head, pos, want); ok {
			return who, true
		}
		x.res.want = want
		who := x.res.subject(pos, true, false)
		x.res.want = genderUnknown
		return who, who != ""
	}
	return "", false
}

// spokesCompound splits a German compound of Sprecher: "Konzernsprecher" → "konzern",
// "Regierungssprecherin" → "regierung", "Union-Sprecher" → "union".
func spokesCompound(w string) (string, bool) {
	for _, suf := range []string{"sprecherin", "sprecher"} {
		if len(w) > len(suf)+2 && strings.HasSuffix(w, suf) {
			pre := strings.TrimSuffix(w[:len(w)-len(suf)], "-")
			if len(pre) > 4 && strings.HasSuffix(pre, "s") && !isOrgHead(pre) {
				pre = pre[:len(pre)-1] // linking s
			}
			return pre, len(pre) >= 2
		}
	}
	return "", false
}

// orgByWord returns the organisation whose name or alias has the word.
func (r *resolver) orgByWord(w string) (string, bool) {
	for _, e := range r.ents {
		if e.person {
			continue
		}
		for _, f := range e.forms {
			if containsStem(f, w) {
				return e.name, true
			}
		}
	}
	return "", false
}

// roleNP reports a determiner with one capitalised noun, a role in German, where
// every noun is capitalised ("die Erzieherin", "der Kroate"), or a capitalised role
// elsewhere ("the Minister").
func roleNP(np []token) int {
	if len(np) < 2 || !isDeterminer(np[0].fold) {
		return 0
	}
	caps, n := 0, len(np)
	for k, t := range np[1:] {
		if isDeterminer(t.fold) && caps > 0 {
			if _, ok := spokesCompound(np[k].fold); ok || isSpokes(np[k].fold) {
				return 0 // "ein Sprecher des Museums": the genitive names who speaks
			}
			n = k + 1
			break
		}
		if t.cap {
			caps++
		}
	}
	if caps != 1 {
		return 0
	}
	return n
}

func hasSpokes(ws []string) bool {
	for _, w := range ws {
		if isSpokes(w) {
			return true
		}
	}
	return false
}

// stemEq compares two folded nouns up to an inflexion ("museum", "museums").
func stemEq(a, b string) bool {
	if a == b {
		return true
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return len(b) >= 4 && len(a)-len(b) <= 2 && strings.HasPrefix(a, b)
}

func containsStem(ws []string, w string) bool {
	for _, x := range ws {
		if stemEq(x, w) {
			return true
		}
	}
	return false
}

// isOrgHead reports an organisation noun, inflected or not ("Museums", "ministries").
func isOrgHead(w string) bool {
	if orgHeads[w] {
		return true
	}
	for _, suf := range []string{"s", "es", "en", "n"} {
		if len(w) > len(suf)+3 && strings.HasSuffix(w, suf) && orgHeads[w[:len(w)-len(suf)]] {
			return true
		}
	}
	return false
}

// subject returns the speaker a pronoun or role most likely stands for: in the last
// sentence before pos that names one of the wanted kind, the first one it names —
// the subject, in the languages wirehose reads, rather than an object after it
// ("Cornejo beat goalkeeper Franco Armani. ... said the striker" is Cornejo).
func (r *resolver) subject(pos int, person, org bool) string {
	who, _ := r.subjectAt(pos, person, org)
	return who
}

func (r *resolver) subjectAt(pos int, person, org bool) (string, int) {
	who, at := r.last(0, pos, person, org, "")
	if who == "" {
		return "", -1
	}
	from := sentenceStart(r.body, at)
	first, firstPos := "", -1
	for _, m := range r.mentions {
		if m.pos < from {
			continue
		}
		if m.pos > at {
			break
		}
		e := r.ents[m.ent]
		if !(e.person && person || !e.person && org) || r.possessor(m) ||
			e.person && r.want != genderUnknown && !agrees(r.sexOf(m.ent), r.want) {
			continue
		}
		// The speaker of a speech tag in that sentence is the one a pronoun after it
		// continues ("..., sagte Kuratorin Lea Baumgartner. »…«, erklärte sie").
		if r.nearVerb(m, from) {
			return e.name, m.pos
		}
		if first == "" {
			first, firstPos = e.name, m.pos
		}
	}
	if first != "" {
		return first, firstPos
	}
	return who, at
}

// possessor reports a mention written as a possessive ("Foust's lawyer"): the
// sentence is about someone else.
func (r *resolver) possessor(m mention) bool {
	end := m.pos
	for _, s := range r.ents[m.ent].surface {
		if strings.HasPrefix(r.body[m.pos:], s) && m.pos+len(s) > end {
			end = m.pos + len(s)
		}
	}
	rest := r.body[end:]
	return strings.HasPrefix(rest, "'s ") || strings.HasPrefix(rest, "’s ") || strings.HasPrefix(rest, "' ") || strings.HasPrefix(rest, "’ ")
}

// nearVerb reports whether a speech verb stands within three words before the
// mention or right after it, in its sentence.
func (r *resolver) nearVerb(m mention, from int) bool {
	lo := m.pos - 40
	if lo < from {
		lo = from
	}
	for lo > from && lo < len(r.body) && r.body[lo]&0xC0 == 0x80 {
		lo--
	}
	before := tokenize(r.body, lo, m.pos, r.nearBuf[:0])
	r.nearBuf = before[:0]
	for k := len(before) - 1; k >= 0 && k >= len(before)-3; k-- {
		if isVerbToken(before[k]) {
			return true
		}
		if before[k].punct {
			break
		}
	}
	hi := m.pos + 60
	if hi > len(r.body) {
		hi = len(r.body)
	}
	for hi < len(r.body) && r.body[hi]&0xC0 == 0x80 {
		hi++
	}
	after := tokenize(r.body, m.pos, hi, r.nearBuf[:0])
	r.nearBuf = after[:0]
	n := 0
	for _, t := range after {
		if t.punct {
			break
		}
		if n > 0 && isVerbToken(t) {
			return true
		}
		n++
		if n > 4 {
			break
		}
	}
	return false
}

// sentenceStart returns where the sentence around body[p] starts: after a full stop,
// question or exclamation mark that is not an abbreviation's, or a paragraph break.
func sentenceStart(body string, p int) int {
	for i := p - 1; i > 0; i-- {
		c := body[i]
		if c == '\n' {
			return i + 1
		}
		if (c == ' ') && (body[i-1] == '.' || body[i-1] == '!' || body[i-1] == '?') {
			j := i - 1
			k := j
			for k > 0 && body[k-1] != ' ' && body[k-1] != '\n' {
				k--
			}
			if body[i-1] == '.' && isAbbrev(body[k:j]) {
				continue
			}
			return i + 1
		}
	}
	return 0
}
