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
	for j < hi && !toks[j].punct && isPrep(toks[j].fold) {
		if _, _, isPro := pronounKind(toks[j].fold); isPro {
			break
		}
		j++
		for j < hi && !toks[j].punct && isDeterminer(toks[j].fold) {
			j++
		}
		if j < hi && !toks[j].punct {
			j++
			for j < hi && !toks[j].punct && toks[j].cap {
				j++
			}
		}
		if j < hi && toks[j].text == "," {
			j++
		}
	}
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
			seenCap = true
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
	// Campo": a role, then the name after a comma.
	if (!hasName(np) || isDeterminer(np[0].fold)) && j+1 < hi && toks[j].text == "," && toks[j+1].cap {
		k := j + 1
		for k < hi && !toks[k].punct && (toks[k].cap || isNPLink(toks[k].fold)) && k-j <= maxNP {
			k++
		}
		return toks[j+1 : k], true
	}
	return np, true
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
