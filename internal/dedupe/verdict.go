package dedupe

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Previous is what the version decision needs of the latest stored version of a uri.
type Previous struct {
	Version        int
	Fingerprint    string
	Headline       string
	PubStatus      string
	VersionCreated time.Time
}

// Decision is what an item is to its story.
type Decision struct {
	// Version is the item's version number: the item's own when its format gives one,
	// else the next after the stored one.
	Version int
	// Verdict is one of pipeline.VerdictNew, VerdictUpdate, VerdictCorrection, VerdictKill.
	Verdict string
	// PubStatus is usable, or canceled for a kill.
	PubStatus string
	// Change is a short human summary of what this version changed.
	Change string
	// Repeat: the item is the stored version again; there is nothing to emit.
	Repeat bool
	// OutOfOrder: the item's explicit version is older than the stored one. It belongs to
	// the story's history and must never replace the latest version.
	OutOfOrder bool
}

// Decide decides what the item is to the story whose latest stored version is prev (nil
// when the uri is new). fingerprint, headline and text are the item's as the story is
// built from it; prevText is the stored version's text, or "" when unknown (Change then
// says less about the body).
//
// Versions: an explicit version (it.Version > 0: NewsML-G2, ninjs) wins. Without one,
// a changed fingerprint, headline or status is the next version after prev. The same
// fingerprint, headline and status as prev is a repeat, but an explicit version newer
// than prev is never a repeat: the provider says it is a new version (its metadata may
// have changed). An explicit version older than prev is out of order. An explicit
// version equal to prev's with other content or status is that version re-sent with
// changes: it keeps its number (the provider's numbering stays ours, so its next version
// does not collide) and its verdict is a correction, unless it is a kill.
//
// Verdicts: kill (pubstatus canceled or withheld, a kill signal, or a kill or withdrawal
// marker) wins over correction (a correction signal or marker), which wins over new (no
// prev, or version 1) and update. A kill's PubStatus is canceled.
//
// Decide is pure: the same arguments always give the same decision.
func Decide(prev *Previous, it pipeline.RawItem, fingerprint, headline, text string, prevText string) Decision {
	kill, killChange := isKill(it, headline, text)
	status := pipeline.PubStatusUsable
	if kill {
		status = pipeline.PubStatusCanceled
	}
	d := Decision{PubStatus: status, Version: max(it.Version, 1)}

	if prev == nil {
		d.Verdict = pipeline.VerdictNew
		d.Change = "first version"
		switch {
		case kill:
			d.Verdict, d.Change = pipeline.VerdictKill, killChange
		case isCorrection(it, headline, text):
			d.Verdict = pipeline.VerdictCorrection
		}
		return d
	}

	prevStatus := storedStatus(prev.PubStatus)
	sameContent := fingerprint == prev.Fingerprint && headline == prev.Headline
	same := sameContent && status == prevStatus
	explicit := it.Version > 0
	resent := false
	switch {
	case !explicit && same:
		return Decision{Version: prev.Version, Verdict: verdictOf(prev.Version), PubStatus: status, Repeat: true}
	case !explicit:
		d.Version = prev.Version + 1
	case it.Version < prev.Version:
		d.OutOfOrder = true
	case it.Version == prev.Version && same:
		return Decision{Version: prev.Version, Verdict: verdictOf(prev.Version), PubStatus: status, Repeat: true}
	case it.Version == prev.Version:
		resent = true
	}

	d.Verdict = verdictOf(d.Version)
	switch {
	case kill:
		d.Verdict = pipeline.VerdictKill
	case resent || isCorrection(it, headline, text):
		d.Verdict = pipeline.VerdictCorrection
	}

	var parts []string
	if d.OutOfOrder {
		// Only the latest version is known: comparing with it would misstate this one.
		parts = append(parts, fmt.Sprintf("arrived after version %d", prev.Version))
	} else {
		if resent {
			parts = append(parts, fmt.Sprintf("version %d re-sent", d.Version))
		}
		switch {
		case kill && prevStatus != pipeline.PubStatusCanceled:
			parts = append(parts, killChange)
		case !kill && prevStatus == pipeline.PubStatusCanceled:
			parts = append(parts, "reinstated")
		}
		// A kill notice often carries no text: that is not its content being removed.
		if !kill || headline != "" || text != "" {
			parts = append(parts, contentChange(prev, fingerprint, headline, text, prevText)...)
		}
	}
	if len(parts) == 0 {
		parts = append(parts, "no text change")
	}
	d.Change = strings.Join(parts, "; ")
	return d
}

func verdictOf(version int) string {
	if version <= 1 {
		return pipeline.VerdictNew
	}
	return pipeline.VerdictUpdate
}

// storedStatus reads a stored pubstatus; empty is usable.
func storedStatus(s string) string {
	if s == "" {
		return pipeline.PubStatusUsable
	}
	return s
}

// contentChange says what changed between prev and the item: the headline, and the
// body by paragraphs when prevText is known.
func contentChange(prev *Previous, fingerprint, headline, text, prevText string) []string {
	var parts []string
	if headline != prev.Headline {
		parts = append(parts, "headline changed")
	}
	if fingerprint == prev.Fingerprint {
		return parts
	}
	if prevText == "" {
		if len(parts) == 0 {
			return []string{"content changed"}
		}
		return append(parts, "body changed")
	}
	if body := paragraphChange(paragraphs(prevText), paragraphs(text)); body != "" {
		return append(parts, "body: "+body)
	}
	if len(parts) == 0 {
		// The fingerprint moved but no paragraph did: punctuation, case or spacing.
		return []string{"text changed"}
	}
	return parts
}

// paragraphs splits text at blank lines, spacing collapsed.
func paragraphs(text string) []string {
	var out []string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// maxDiffParagraphs bounds the paragraph alignment (quadratic) to stories of sane length.
const maxDiffParagraphs = 400

// paragraphChange counts paragraphs added, changed and removed from old to cur, as
// "2 paragraphs added, 1 changed". Paragraphs are aligned by their longest common
// subsequence; between two aligned ones, a removed and an added paragraph pair up as
// one changed.
func paragraphChange(old, cur []string) string {
	var added, changed, removed int
	if len(old) > maxDiffParagraphs || len(cur) > maxDiffParagraphs {
		common := commonCount(old, cur)
		removed, added = len(old)-common, len(cur)-common
	} else {
		// lcs[i][j]: length of the longest common subsequence of old[i:] and cur[j:].
		lcs := make([][]int, len(old)+1)
		for i := range lcs {
			lcs[i] = make([]int, len(cur)+1)
		}
		for i := len(old) - 1; i >= 0; i-- {
			for j := len(cur) - 1; j >= 0; j-- {
				if old[i] == cur[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		gapOld, gapCur := 0, 0
		flush := func() {
			c := min(gapOld, gapCur)
			changed += c
			removed += gapOld - c
			added += gapCur - c
			gapOld, gapCur = 0, 0
		}
		i, j := 0, 0
		for i < len(old) && j < len(cur) {
			switch {
			case old[i] == cur[j]:
				flush()
				i++
				j++
			case lcs[i+1][j] >= lcs[i][j+1]:
				gapOld++
				i++
			default:
				gapCur++
				j++
			}
		}
		gapOld += len(old) - i
		gapCur += len(cur) - j
		flush()
	}
	return countPhrase(added, changed, removed)
}

// commonCount is how many paragraphs old and cur share, as multisets.
func commonCount(old, cur []string) int {
	seen := make(map[string]int, len(old))
	for _, p := range old {
		seen[p]++
	}
	n := 0
	for _, p := range cur {
		if seen[p] > 0 {
			seen[p]--
			n++
		}
	}
	return n
}

func countPhrase(added, changed, removed int) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{{added, "added"}, {changed, "changed"}, {removed, "removed"}} {
		if c.n == 0 {
			continue
		}
		if len(parts) == 0 {
			noun := "paragraphs"
			if c.n == 1 {
				noun = "paragraph"
			}
			parts = append(parts, fmt.Sprintf("%d %s %s", c.n, noun, c.what))
		} else {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	return strings.Join(parts, ", ")
}

// Markers are what agencies put in front of a headline or slugline, or in an editor's
// note, to flag a version: "CORRECTED-UPDATE 2-...", "KORREKTUR: ...", "KILL - KILL",
// "(Corrects name in paragraph 3)". Upper case, as wires write them; the accentless
// spellings are there because some systems strip accents.
var (
	killMarkers = []string{
		// en
		"KILL", "MANDATORY KILL", "WITHDRAWN", "WITHDRAWAL", "WITHDRAW", "WITHDRAWS", "ELIMINATE",
		// fr
		"RETIRÉ", "RETIRE", "ANNULÉ", "ANNULE", "ANNULATION", "SUPPRESSION",
		// es, pt
		"ANULADO", "ANULADA", "ANULACIÓN", "ANULACION", "RETIRADO", "RETIRADA", "ELIMINADO", "ELIMINAR",
		// de
		"ZURÜCKGEZOGEN", "ZURUECKGEZOGEN", "ZURUCKGEZOGEN", "STORNO", "STORNIERT", "STORNIERUNG",
		// it
		"ANNULLATO", "RITIRATO",
	}
	correctionMarkers = []string{
		// en
		"CORRECTION", "CORRECTED", "CORRECTS", "CORRECTING",
		// fr
		"RECTIFICATIF", "RECTIFICATION", "CORRECTIF", "CORRIGÉ", "CORRIGE", "RECTIFIE", "RECTIFIÉ",
		// es, pt
		"CORRECCIÓN", "CORRECCION", "CORREGIDO", "CORREGIDA", "RECTIFICACIÓN", "RECTIFICACION",
		"FE DE ERRATAS", "CORREÇÃO", "CORRECAO", "CORRIGIDO",
		// de
		"KORREKTUR", "KORRIGIERT", "KORRIGIERTE", "BERICHTIGUNG", "BERICHTIGT", "BERICHTIGTE",
		// it
		"CORREZIONE", "CORRETTO",
	}
)

// Signal codes, by their last segment ("sig:correction", ".../signal/correction").
var (
	killSignals       = map[string]bool{"kill": true, "withdrawal": true, "withdrawn": true, "withdraw": true, "cancel": true, "canceled": true, "cancelled": true}
	correctionSignals = map[string]bool{"correction": true, "corrected": true}
)

// isKill says whether the item withdraws its story, and how to say so in Change.
func isKill(it pipeline.RawItem, headline, text string) (bool, string) {
	switch strings.ToLower(strings.TrimSpace(it.PubStatus)) {
	case "", pipeline.PubStatusUsable:
	case pipeline.PubStatusWithheld:
		return true, "withheld"
	default:
		// canceled, and statuses wirehose does not know: nothing is published on a guess.
		return true, "killed"
	}
	if hasSignal(it.Signals, killSignals) || hasMarker(it, headline, text, killMarkers, true) {
		return true, "killed"
	}
	return false, ""
}

func isCorrection(it pipeline.RawItem, headline, text string) bool {
	return hasSignal(it.Signals, correctionSignals) || hasMarker(it, headline, text, correctionMarkers, false)
}

func hasSignal(signals []string, codes map[string]bool) bool {
	for _, s := range signals {
		s = strings.ToLower(strings.TrimSpace(s))
		if i := strings.LastIndexAny(s, ":/"); i >= 0 {
			s = s[i+1:]
		}
		if codes[s] {
			return true
		}
	}
	return false
}

// hasMarker looks for a marker where wires put one: leading the headline, the slugline
// or the summary, or as a bracketed note opening the headline, the summary or the
// first paragraph of the text. A marker word inside a sentence ("Troops kill ...",
// "a market correction") is news, not a marker. Kill markers count only in upper case
// or in brackets: "Killed: ..." may well be a headline.
func hasMarker(it pipeline.RawItem, headline, text string, markers []string, kill bool) bool {
	anyCase := !kill
	for _, s := range []string{headline, it.Title, it.Slugline, it.Summary} {
		if leadingMarker(s, markers, anyCase) || bracketNote(s, markers) {
			return true
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	return bracketNote(first, markers)
}

// separators end a leading tag: "KILL - ...", "CORRECTED-UPDATE 2-...", "KORREKTUR: ...".
const separators = ":-–—=/|*("

// leadingMarker: the line opens with tags ending in a separator, and one of them is a
// marker in upper case, or, when anyCase, in any case followed by a colon
// ("Correction: ..."); or the line, not all in upper case, opens with an upper-case
// marker before its first lower-case word ("CORRECTS spelling ..."). Upper-case tags that are no markers ("UPDATE 2", "URGENT",
// "REFILE") are stepped over. A line without any separator is a marker only when it is
// nothing but marker words ("KILL KILL KILL"), and in a line with no lower case at all a
// hyphen between two words joins them ("KILL-SWITCH LAW PASSES"), so an upper-case
// headline is not mistaken for a marker.
func leadingMarker(line string, markers []string, anyCase bool) bool {
	allUpper := !strings.ContainsFunc(line, unicode.IsLower)
	rest := strings.TrimLeftFunc(line, func(r rune) bool { return !unicode.IsLetter(r) })
	for steps := 0; rest != "" && steps < 4; steps++ {
		if !allUpper && startsWithMarker(capitalWords(rest), markers) {
			return true // "CORRECTS spelling of the name", "KILL this story"
		}
		end := tagEnd(rest, allUpper)
		if end < 0 {
			return onlyMarkers(rest, markers)
		}
		tag := strings.TrimSpace(rest[:end])
		upper := tag != "" && !strings.ContainsFunc(tag, unicode.IsLower)
		if (upper || anyCase && rest[end] == ':') && startsWithMarker(strings.ToUpper(tag), markers) {
			return true
		}
		if !upper || len(strings.Fields(tag)) > 4 {
			return false
		}
		rest = strings.TrimLeftFunc(rest[end:], func(r rune) bool { return !unicode.IsLetter(r) })
	}
	return false
}

// capitalWords is the run of words opening s that have no lower-case letter.
func capitalWords(s string) string {
	words := strings.Fields(s)
	n := 0
	for n < len(words) && !strings.ContainsFunc(words[n], unicode.IsLower) {
		n++
	}
	return strings.Join(words[:n], " ")
}

// tagEnd is the index of the separator ending the leading tag of s, or -1.
func tagEnd(s string, allUpper bool) int {
	for i, r := range s {
		if !strings.ContainsRune(separators, r) {
			continue
		}
		if allUpper && r == '-' && i > 0 && s[i-1] != ' ' && i+1 < len(s) && s[i+1] != ' ' {
			continue // a hyphenated word
		}
		return i
	}
	return -1
}

// bracketNote: the line opens with "(" or "[" and a marker word in any case:
// "(Corrects spelling of name)", "[KORREKTUR]", "(Withdrawn: sent in error)".
func bracketNote(line string, markers []string) bool {
	line = strings.TrimSpace(line)
	if line == "" || line[0] != '(' && line[0] != '[' {
		return false
	}
	return startsWithMarker(strings.ToUpper(strings.TrimSpace(line[1:])), markers)
}

// startsWithMarker: s (upper case) starts with a marker followed by a word boundary.
func startsWithMarker(s string, markers []string) bool {
	for _, m := range markers {
		if !strings.HasPrefix(s, m) {
			continue
		}
		rest := s[len(m):]
		if rest == "" {
			return true
		}
		if r := []rune(rest)[0]; !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			return true
		}
	}
	return false
}

// onlyMarkers: every word of s is a marker word ("KILL KILL KILL", "MANDATORY KILL").
func onlyMarkers(s string, markers []string) bool {
	if strings.ToUpper(s) != s {
		return false
	}
	words := strings.Fields(s)
	if len(words) == 0 {
		return false
	}
	for i := 0; i < len(words); {
		n := 0
		for _, m := range markers {
			mw := strings.Fields(m)
			if i+len(mw) <= len(words) && strings.Join(words[i:i+len(mw)], " ") == m && len(mw) > n {
				n = len(mw)
			}
		}
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}
