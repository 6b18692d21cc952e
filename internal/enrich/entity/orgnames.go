package entity

import (
	"strings"

	"github.com/wirehose/wirehose/internal/enrich/textkit"
)

// orgKeys returns the keys an organisation's folded words are known by: the words
// themselves, the German genitive undone ("Berliner Ensembles"), the usual short
// forms expanded ("Uniklinik Heidelberg") and the legal form and group words dropped
// ("Ryanair Holdings plc" is Ryanair, "Daimler Truck Holding AG" is Daimler Truck).
func (r *run) orgKeys(words []string) (full, base string) {
	w := words
	if r.lang == "de" {
		w = append([]string(nil), words...)
		for i, x := range w {
			switch x {
			case "uniklinik", "uniklinikum", "universitatsklinik":
				w[i] = "universitatsklinikum"
			case "uni":
				w[i] = "universitat"
			}
		}
		if n := len(w) - 1; n >= 1 && len(w[n]) > 5 && strings.HasSuffix(w[n], "s") && !strings.HasSuffix(w[n], "ss") {
			w[n] = strings.TrimSuffix(w[n], "s")
		}
	}
	full = strings.Join(w, " ")
	n := len(w)
	for n > 1 && (r.x.lex[w[n-1]]&fOrgSuffix != 0 || isGroupWord(w[n-1]) || w[n-1] == "de" && n > 2) {
		n--
	}
	if n < len(w) && len(w[0]) >= 3 {
		base = strings.Join(w[:n], " ")
	}
	return full, base
}

func isGroupWord(f string) bool {
	switch f {
	case "holding", "holdings", "group", "groupe", "grupo", "gruppe", "c.v.", "co", "co.", "company":
		return true
	}
	return false
}

// baseSurface returns the surface without its last n words.
func baseSurface(s string, n int) string {
	for ; n > 0; n-- {
		k := strings.LastIndexByte(s, ' ')
		if k < 0 {
			return s
		}
		s = s[:k]
	}
	return strings.TrimRight(s, " ,")
}

// German definite articles recorded before a mention.
const (
	articleDer uint8 = iota + 1
	articleDas
)

// germanNominative returns the name a German organisation carries without its article:
// after "der" or "das" the adjective that opens it takes the strong ending ("Der
// Deutsche Bühnenverein" is "Deutscher Bühnenverein", "das Deutsche
// Krebsforschungszentrum" is "Deutsches Krebsforschungszentrum").
func germanNominative(surface string, article uint8) string {
	first, rest, ok := strings.Cut(surface, " ")
	if !ok || len(first) < 4 || !strings.HasSuffix(first, "e") || !textkit.IsCapitalized(first) || !textkit.IsCapitalized(rest) {
		return surface
	}
	switch article {
	case articleDer:
		return first + "r " + rest
	case articleDas:
		return first + "s " + rest
	}
	return surface
}

// isCompetition reports whether the folded words name a competition rather than the
// body running it: a league word followed by a number or a sponsor ("Ligue 1", "Liga
// Endesa", "Ligue Conférence"), not by "de"/"of" ("Ligue de football professionnel").
func (r *run) isCompetition(words []string) bool {
	if len(words) < 2 || !leagueSet[words[0]] {
		return false
	}
	return r.x.lex[words[1]]&(fConnector|fParticle) == 0
}

// isGenericGovernment reports whether the words name a government only by a generic
// adjective ("Gobierno regional").
func isGenericGovernment(words []string) bool {
	return len(words) == 2 && governmentSet[words[0]] && genericAdjSet[words[1]]
}

// word sets built once from the lists above; read-only after package initialisation
var (
	leagueSet     = wordSet(leagueWords)
	governmentSet = wordSet(governmentWords)
	genericAdjSet = wordSet(genericAdjectives)
	matchVerbSet  = wordSet(matchVerbs)
	sportWordSet  = wordSet(sportWords)
)

func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[textkit.Fold(w)] = true
	}
	return m
}
