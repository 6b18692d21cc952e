package quote

// maxNP bounds the words of a speaker's noun phrase ("the company's chief executive
// John Smith").
const maxNP = 8

func isVerbToken(t token) bool {
	_, ok := speechVerbs[t.fold]
	return ok && !t.punct
}

// collectLeft walks left from toks[j] over the words of a noun phrase and returns
// where it starts, or j+1 when toks[j] cannot end one.
func collectLeft(toks []token, lo, j int) int {
	s, n := j, 0
	for s >= lo && n < maxNP {
		t := toks[s]
		if t.punct || isVerbToken(t) || (isStopWord(t.fold) && !isDeterminer(t.fold)) {
			break
		}
		s--
		n++
	}
	s++
	for s <= j && isNPLink(toks[s].fold) && !toks[s].cap {
		s++
	}
	return s
}

// npLeft finds the speaker before the verb at toks[v]: "Smith said", "the minister
// said", "John Smith, the chief executive, said", "the minister, John Smith, said",
// "he said", "X a déclaré". start is where the phrase begins.
func npLeft(toks []token, lo, v int) (np []token, start int, ok bool) {
	j := v - 1
	for j >= lo && !toks[j].punct && isAux(toks[j].fold) {
		if _, _, isPro := pronounKind(toks[j].fold); isPro {
			break
		}
		j--
	}
	if j < lo {
		return nil, 0, false
	}
	t := toks[j]
	if !t.punct {
		if _, _, isPro := pronounKind(t.fold); isPro {
			return toks[j : j+1], j, true
		}
		s := collectLeft(toks, lo, j)
		if s > j {
			return nil, 0, false
		}
		return toks[s : j+1], s, true
	}
	if t.text != "," {
		return nil, 0, false
	}
	// Apposition between commas.
	k := j - 1
	for k >= lo && !toks[k].punct {
		k--
	}
	seg := toks[k+1 : j]
	if len(seg) == 0 || len(seg) > maxNP+4 {
		return nil, 0, false
	}
	if k < lo || toks[k].text != "," {
		if seg[0].cap && !isDeterminer(seg[0].fold) {
			return seg, k + 1, true
		}
		return nil, 0, false
	}
	before := collectLeft(toks, lo, k-1)
	if hasName(seg) && !isDeterminer(seg[0].fold) && seg[0].cap {
		// "the minister, John Smith, said"
		start = k + 1
		if before <= k-1 {
			start = before
		}
		return seg, start, true
	}
	if before > k-1 {
		return nil, 0, false
	}
	return toks[before:k], before, true
}

// npRight finds the speaker after the verb: "said Smith", "said the minister, John
// Smith", "a déclaré à l'AFP le ministre", "dijo a la prensa el portavoz", "sagte er".
func npRight(toks []token, j, hi int) ([]token, bool) {
	j = skipAdjuncts(toks, j, hi)
	if j >= hi || toks[j].punct {
		return nil, false
	}
	if _, _, isPro := pronounKind(toks[j].fold); isPro && !isDeterminer(toks[j].fold) || toks[j].fold == "il" {
		return toks[j : j+1], true
	}
	s, n, seenCap := j, 0, false
	for j < hi && !toks[j].punct && n < maxNP {
		t := toks[j]
		if isVerbToken(t) {
			break
		}
		if t.cap && !isDeterminer(t.fold) {
			if seenCap && isAgency(t.fold) && j > s && !toks[j-1].cap {
				break // "said Smith to AFP"
			}
			seenCap = true
			j++
			n++
			continue
		}
		if seenCap && !isStopWord(t.fold) && !isNPLink(t.fold) && !isDeterminer(t.fold) && capAhead(toks, j, hi) {
			// A role word between names: "said Chennai captain Gaikwad".
			j++
			n++
			continue
		}
		if !isDeterminer(t.fold) && (isStopWord(t.fold) || seenCap && !isNPLink(t.fold)) {
			break
		}
		j++
		n++
	}
	np := toks[s:j]
	if len(np) == 0 {
		return nil, false
	}
	// "said the minister, John Smith", "dijo el portavoz de la Aemet, Rubén del
	// Campo", "declaró el presidente de la CEE y arzobispo de Valladolid, Luis
	// Argüello": a role, then the name after a comma.
	if !hasName(np) || isDeterminer(np[0].fold) || !np[0].cap {
		if app, ok := apposition(toks, j, hi); ok {
			return app, true
		}
	}
	return np, true
}

// skipAdjuncts skips the prepositional phrases between a verb and an inverted
// speaker: "said on Monday", "a déclaré à l'AFP", "declaró en rueda de prensa",
// "dijo a Reuters".
func skipAdjuncts(toks []token, j, hi int) int {
	for j < hi && !toks[j].punct && isPrep(toks[j].fold) {
		if _, _, isPro := pronounKind(toks[j].fold); isPro {
			break
		}
		j++
		for j < hi && !toks[j].punct && isDeterminer(toks[j].fold) {
			j++
		}
		if j < hi && !toks[j].punct {
			agency := isAgency(toks[j].fold)
			j++
			for !agency && j < hi && !toks[j].punct && toks[j].cap && !isDeterminer(toks[j].fold) {
				j++
			}
			// "en rueda de prensa", "lors d'une conférence de presse"
			for j+1 < hi && !toks[j].punct && (toks[j].fold == "de" || toks[j].fold == "d'" || toks[j].fold == "of") && !toks[j+1].cap && !toks[j+1].punct {
				j += 2
			}
		}
		if j < hi && toks[j].text == "," {
			j++
		}
	}
	return j
}

// capAhead reports a capitalised word within two words of toks[j], before any
// punctuation or stop word.
func capAhead(toks []token, j, hi int) bool {
	for k := j + 1; k < hi && k <= j+2; k++ {
		t := toks[k]
		if t.punct || isStopWord(t.fold) || isDeterminer(t.fold) {
			return false
		}
		if t.cap {
			return true
		}
	}
	return false
}

// apposition finds a name set off by commas after a role, within a few segments:
// "…, Félix Bolaños," after "el ministro de la Presidencia, Justicia y Relaciones
// con las Cortes". The name is two or more capitalised words ending its segment.
func apposition(toks []token, j, hi int) ([]token, bool) {
	limit := j + 24
	if limit > hi {
		limit = hi
	}
	for k := j; k < limit; k++ {
		t := toks[k]
		if !t.punct {
			if isStopWord(t.fold) && t.fold != "y" && t.fold != "and" && t.fold != "et" && t.fold != "und" && t.fold != "con" && t.fold != "with" {
				return nil, false
			}
			continue
		}
		if t.text != "," && t.text != "(" && t.text != ")" {
			return nil, false
		}
		if t.text != "," {
			continue
		}
		// The segment after the comma.
		e := k + 1
		for e < limit && !toks[e].punct {
			e++
		}
		seg := toks[k+1 : e]
		// Its trailing run of capitalised words.
		r := len(seg)
		for r > 0 && seg[r-1].cap && !isDeterminer(seg[r-1].fold) || r > 1 && r < len(seg) && isNPLink(seg[r-1].fold) && seg[r-2].cap {
			r--
		}
		if len(seg)-r >= 2 && hasName(seg[r:]) {
			return seg[r:], true
		}
	}
	return nil, false
}

// isAgency reports a news agency, which a speech tag names as the listener ("told
// AFP", "dijo a Reuters", "sagte der Nachrichtenagentur dpa"), not the speaker.
func isAgency(f string) bool {
	switch f {
	case "afp", "reuters", "ap", "dpa", "efe", "ansa", "kna", "epd", "apa", "sda", "ats", "lusa", "anp", "belga",
		"bloomberg", "xinhua", "tass", "ria", "interfax", "kyodo", "yonhap", "pti", "ians", "aa", "europa", "bbc",
		"cnn", "nachrichtenagentur", "agence", "agencia":
		return true
	}
	return false
}

// hasName reports whether a phrase holds a capitalised word that is not an article,
// a title or an organisation noun ("the minister" has none, "Mr Xi" has one).
func hasName(np []token) bool {
	for _, t := range np {
		if t.cap && !t.punct && !isDeterminer(t.fold) && !titles[t.fold] && !orgHeads[t.fold] {
			return true
		}
	}
	return false
}
