package dedupe

import (
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestDecide(t *testing.T) {
	const (
		headline = "Ferry runs aground off the coast"
		text     = "A ferry ran aground on Tuesday.\n\nNobody was hurt.\n\nThe port was closed."
	)
	v1 := &Previous{Version: 1, Fingerprint: "fp1", Headline: headline, PubStatus: pipeline.PubStatusUsable}
	v2 := &Previous{Version: 2, Fingerprint: "fp1", Headline: headline, PubStatus: pipeline.PubStatusUsable}
	v3 := &Previous{Version: 3, Fingerprint: "fp1", Headline: headline, PubStatus: pipeline.PubStatusUsable}
	killed := &Previous{Version: 2, Fingerprint: "fp1", Headline: headline, PubStatus: pipeline.PubStatusCanceled}
	noStatus := &Previous{Version: 1, Fingerprint: "fp1", Headline: headline}

	tests := []struct {
		name               string
		prev               *Previous
		it                 pipeline.RawItem
		fp, head, txt, old string
		want               Decision
	}{
		{
			name: "first sighting is new", it: pipeline.RawItem{},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictNew, PubStatus: pipeline.PubStatusUsable, Change: "first version"},
		},
		{
			name: "first sighting keeps its explicit version", it: pipeline.RawItem{Version: 3},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 3, Verdict: pipeline.VerdictNew, PubStatus: pipeline.PubStatusUsable, Change: "first version"},
		},
		{
			name: "first sighting canceled is a kill", it: pipeline.RawItem{PubStatus: pipeline.PubStatusCanceled},
			want: Decision{Version: 1, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "first sighting withheld is a kill with pubstatus canceled", it: pipeline.RawItem{PubStatus: pipeline.PubStatusWithheld},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "withheld"},
		},
		{
			name: "first sighting with a correction marker", it: pipeline.RawItem{},
			fp: "fp1", head: "CORRECTION: " + headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictCorrection, PubStatus: pipeline.PubStatusUsable, Change: "first version"},
		},
		{
			name: "same content is a repeat", prev: v1, it: pipeline.RawItem{},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictNew, PubStatus: pipeline.PubStatusUsable, Repeat: true},
		},
		{
			name: "stored status empty reads as usable", prev: noStatus, it: pipeline.RawItem{PubStatus: pipeline.PubStatusUsable},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictNew, PubStatus: pipeline.PubStatusUsable, Repeat: true},
		},
		{
			name: "same explicit version and content is a repeat", prev: v2, it: pipeline.RawItem{Version: 2},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Repeat: true},
		},
		{
			name: "changed headline is the next version", prev: v1, it: pipeline.RawItem{},
			fp: "fp1", head: "Ferry aground, port closed", txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "headline changed"},
		},
		{
			name: "changed body without the stored text", prev: v2, it: pipeline.RawItem{},
			fp: "fp2", head: headline, txt: text,
			want: Decision{Version: 3, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "content changed"},
		},
		{
			name: "changed headline and body without the stored text", prev: v1, it: pipeline.RawItem{},
			fp: "fp2", head: "Ferry aground", txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "headline changed; body changed"},
		},
		{
			name: "paragraphs added and changed", prev: v1, it: pipeline.RawItem{},
			fp: "fp2", head: "Ferry aground", old: text,
			txt:  "A ferry ran aground on Tuesday.\n\nTwo passengers were hurt.\n\nThe port was closed.\n\nDivers inspected the hull.\n\nAn inquiry was opened.",
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "headline changed; body: 2 paragraphs added, 1 changed"},
		},
		{
			name: "paragraph removed", prev: v1, it: pipeline.RawItem{},
			fp: "fp2", head: headline, old: text, txt: "A ferry ran aground on Tuesday.\n\nThe port was closed.",
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "body: 1 paragraph removed"},
		},
		{
			name: "fingerprint moved but no paragraph did", prev: v1, it: pipeline.RawItem{},
			fp: "fp2", head: headline, old: "A ferry ran\naground.", txt: "A ferry ran aground.",
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "text changed"},
		},
		{
			name: "kill with the same text is a kill", prev: v1, it: pipeline.RawItem{PubStatus: pipeline.PubStatusCanceled},
			fp: "fp1", head: headline, txt: text, old: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "kill sent again is a repeat", prev: killed, it: pipeline.RawItem{PubStatus: pipeline.PubStatusCanceled},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusCanceled, Repeat: true},
		},
		{
			name: "kill notice without text", prev: v1, it: pipeline.RawItem{PubStatus: pipeline.PubStatusCanceled},
			old:  text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "kill marker in the headline", prev: v1, it: pipeline.RawItem{},
			fp: "fp1", head: "KILL - " + headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed; headline changed"},
		},
		{
			name: "kill signal", prev: v1, it: pipeline.RawItem{Signals: []string{"sig:kill"}},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "withheld later is a kill with pubstatus canceled", prev: v1, it: pipeline.RawItem{PubStatus: pipeline.PubStatusWithheld},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "withheld"},
		},
		{
			name: "unknown pubstatus is not published on a guess", prev: v1, it: pipeline.RawItem{PubStatus: "embargoed-ish"},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "usable again after a kill", prev: killed, it: pipeline.RawItem{},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 3, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "reinstated"},
		},
		{
			name: "correction signal", prev: v1, it: pipeline.RawItem{Signals: []string{"sig:update", "sig:correction"}},
			fp: "fp2", head: headline, old: text, txt: "A ferry ran aground on Monday.\n\nNobody was hurt.\n\nThe port was closed.",
			want: Decision{Version: 2, Verdict: pipeline.VerdictCorrection, PubStatus: pipeline.PubStatusUsable, Change: "body: 1 paragraph changed"},
		},
		{
			name: "correction signal as a uri", prev: v1, it: pipeline.RawItem{Signals: []string{"http://cv.iptc.org/newscodes/signal/correction"}},
			fp: "fp2", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictCorrection, PubStatus: pipeline.PubStatusUsable, Change: "content changed"},
		},
		{
			name: "kill wins over correction", prev: v1, it: pipeline.RawItem{PubStatus: pipeline.PubStatusCanceled, Signals: []string{"sig:correction"}},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "killed"},
		},
		{
			name: "explicit version wins over counting", prev: v2, it: pipeline.RawItem{Version: 5},
			fp: "fp2", head: headline, txt: text,
			want: Decision{Version: 5, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "content changed"},
		},
		{
			name: "explicit newer version with the same text is not a repeat", prev: v2, it: pipeline.RawItem{Version: 3},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 3, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "no text change"},
		},
		{
			name: "older explicit version is out of order", prev: v3, it: pipeline.RawItem{Version: 2},
			fp: "fp0", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "arrived after version 3", OutOfOrder: true},
		},
		{
			name: "first version arriving late is new and out of order", prev: v3, it: pipeline.RawItem{Version: 1},
			fp: "fp0", head: headline, txt: text,
			want: Decision{Version: 1, Verdict: pipeline.VerdictNew, PubStatus: pipeline.PubStatusUsable, Change: "arrived after version 3", OutOfOrder: true},
		},
		{
			name: "late correction keeps its verdict", prev: v3, it: pipeline.RawItem{Version: 2, Signals: []string{"sig:correction"}},
			fp: "fp0", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictCorrection, PubStatus: pipeline.PubStatusUsable, Change: "arrived after version 3", OutOfOrder: true},
		},
		{
			name: "late version identical to the latest is still out of order", prev: v3, it: pipeline.RawItem{Version: 2},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictUpdate, PubStatus: pipeline.PubStatusUsable, Change: "arrived after version 3", OutOfOrder: true},
		},
		{
			name: "same explicit version re-sent with changes is a correction", prev: v2, it: pipeline.RawItem{Version: 2},
			fp: "fp1", head: "Ferry aground", txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictCorrection, PubStatus: pipeline.PubStatusUsable, Change: "version 2 re-sent; headline changed"},
		},
		{
			name: "same explicit version re-sent canceled is a kill", prev: v2, it: pipeline.RawItem{Version: 2, PubStatus: pipeline.PubStatusCanceled},
			fp: "fp1", head: headline, txt: text,
			want: Decision{Version: 2, Verdict: pipeline.VerdictKill, PubStatus: pipeline.PubStatusCanceled, Change: "version 2 re-sent; killed"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Decide(tt.prev, tt.it, tt.fp, tt.head, tt.txt, tt.old)
			if got != tt.want {
				t.Errorf("Decide =\n  %+v\nwant\n  %+v", got, tt.want)
			}
			if again := Decide(tt.prev, tt.it, tt.fp, tt.head, tt.txt, tt.old); again != got {
				t.Errorf("Decide is not deterministic: %+v then %+v", got, again)
			}
		})
	}
}

func TestDecideMarkers(t *testing.T) {
	prev := &Previous{Version: 1, Fingerprint: "fp1", Headline: "Old headline", PubStatus: pipeline.PubStatusUsable}
	tests := []struct {
		name     string
		headline string
		it       pipeline.RawItem
		text     string
		want     string
	}{
		// Corrections, by language.
		{name: "en CORRECTION colon", headline: "CORRECTION: Ferry runs aground", want: pipeline.VerdictCorrection},
		{name: "en Correction colon in title case", headline: "Correction: Ferry runs aground", want: pipeline.VerdictCorrection},
		{name: "en CORRECTED before another tag", headline: "CORRECTED-UPDATE 2-Ferry runs aground", want: pipeline.VerdictCorrection},
		{name: "en CORRECTED after another tag", headline: "UPDATE 2-CORRECTED-Ferry runs aground", want: pipeline.VerdictCorrection},
		{name: "en bracketed note opening the text", headline: "Ferry runs aground", text: "(Corrects name of the ferry in paragraph 2)\n\nA ferry ran aground.", want: pipeline.VerdictCorrection},
		{name: "en note in the summary", headline: "Ferry runs aground", it: pipeline.RawItem{Summary: "CORRECTS spelling of the captain's name"}, want: pipeline.VerdictCorrection},
		{name: "en slugline", headline: "Ferry runs aground", it: pipeline.RawItem{Slugline: "CORRECTED-SHIPPING-FERRY/"}, want: pipeline.VerdictCorrection},
		{name: "fr RECTIFICATIF", headline: "RECTIFICATIF - Un ferry s'échoue au large", want: pipeline.VerdictCorrection},
		{name: "fr CORRIGÉ", headline: "CORRIGÉ: Un ferry s'échoue", want: pipeline.VerdictCorrection},
		{name: "es CORRECCIÓN", headline: "CORRECCIÓN: Un ferry encalla frente a la costa", want: pipeline.VerdictCorrection},
		{name: "es Corrección in title case", headline: "Corrección: Un ferry encalla", want: pipeline.VerdictCorrection},
		{name: "es FE DE ERRATAS", headline: "FE DE ERRATAS - Un ferry encalla", want: pipeline.VerdictCorrection},
		{name: "de KORREKTUR", headline: "KORREKTUR: Fähre läuft auf Grund", want: pipeline.VerdictCorrection},
		{name: "de Berichtigung note", headline: "Fähre läuft auf Grund", text: "(Berichtigung: Name der Fähre im zweiten Absatz)", want: pipeline.VerdictCorrection},
		{name: "de KORRIGIERTE NEUFASSUNG", headline: "KORRIGIERTE NEUFASSUNG: Fähre läuft auf Grund", want: pipeline.VerdictCorrection},

		// Kills, by language.
		{name: "en KILL", headline: "KILL - Ferry runs aground", want: pipeline.VerdictKill},
		{name: "en KILL KILL KILL", headline: "KILL KILL KILL", want: pipeline.VerdictKill},
		{name: "en MANDATORY KILL", headline: "MANDATORY KILL: Ferry runs aground", want: pipeline.VerdictKill},
		{name: "en WITHDRAWN", headline: "WITHDRAWN - Ferry runs aground", want: pipeline.VerdictKill},
		{name: "en ELIMINATE after URGENT", headline: "URGENT: ELIMINATE - Ferry runs aground", want: pipeline.VerdictKill},
		{name: "en bracketed withdrawal", headline: "Ferry runs aground", text: "(Withdrawn: the story was sent in error)", want: pipeline.VerdictKill},
		{name: "fr RETIRÉ", headline: "RETIRÉ - Un ferry s'échoue au large", want: pipeline.VerdictKill},
		{name: "fr ANNULÉ", headline: "ANNULÉ: Un ferry s'échoue", want: pipeline.VerdictKill},
		{name: "es ANULADO", headline: "ANULADO - Un ferry encalla", want: pipeline.VerdictKill},
		{name: "de ZURÜCKGEZOGEN", headline: "ZURÜCKGEZOGEN: Fähre läuft auf Grund", want: pipeline.VerdictKill},
		{name: "de ACHTUNG then ZURÜCKGEZOGEN", headline: "ACHTUNG - ZURÜCKGEZOGEN - Fähre läuft auf Grund", want: pipeline.VerdictKill},
		{name: "kill marker wins over correction marker", headline: "KILL - CORRECTION: Ferry runs aground", want: pipeline.VerdictKill},

		// News that merely uses the words.
		{name: "kill inside a sentence", headline: "Troops kill three in border raid", want: pipeline.VerdictUpdate},
		{name: "upper-case headline with kill", headline: "POLICE KILL SUSPECT IN RAID", want: pipeline.VerdictUpdate},
		{name: "upper-case headline opening with kill", headline: "KILL SWITCH LAW PASSES SENATE", want: pipeline.VerdictUpdate},
		{name: "upper-case hyphenated word", headline: "KILL-SWITCH LAW PASSES", want: pipeline.VerdictUpdate},
		{name: "killed with a colon in title case", headline: "Kill: the drone strike that went wrong", want: pipeline.VerdictUpdate},
		{name: "market correction", headline: "Stocks slide as market correction deepens", want: pipeline.VerdictUpdate},
		{name: "correction inside the text", headline: "Markets fall", text: "Analysts expect a correction.\n\nIt came.", want: pipeline.VerdictUpdate},
		{name: "word starting with a marker", headline: "KILLINGLY (AP) - Town votes on budget", want: pipeline.VerdictUpdate},
		{name: "dateline in capitals", headline: "Ferry runs aground", it: pipeline.RawItem{Summary: "PARIS (AFP) - A ferry ran aground"}, want: pipeline.VerdictUpdate},
		{name: "withdrawal in a headline", headline: "Troop withdrawal begins", want: pipeline.VerdictUpdate},
		{name: "other signals", headline: "Ferry runs aground", it: pipeline.RawItem{Signals: []string{"sig:update", "wiresig:priority-desk"}}, want: pipeline.VerdictUpdate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			it := tt.it
			it.Title = tt.headline
			text := tt.text
			if text == "" {
				text = "A ferry ran aground."
			}
			got := Decide(prev, it, "fp2", tt.headline, text, "")
			if got.Verdict != tt.want {
				t.Errorf("verdict %q (change %q), want %q", got.Verdict, got.Change, tt.want)
			}
			wantStatus := pipeline.PubStatusUsable
			if tt.want == pipeline.VerdictKill {
				wantStatus = pipeline.PubStatusCanceled
			}
			if got.PubStatus != wantStatus {
				t.Errorf("pubstatus %q, want %q", got.PubStatus, wantStatus)
			}
		})
	}
}

func TestParagraphChange(t *testing.T) {
	p := func(s string) []string { return paragraphs(strings.ReplaceAll(s, "|", "\n\n")) }
	tests := []struct {
		name, old, cur, want string
	}{
		{"identical", "a|b|c", "a|b|c", ""},
		{"one added at the end", "a|b", "a|b|c", "1 paragraph added"},
		{"two added at the start", "c", "a|b|c", "2 paragraphs added"},
		{"one changed", "a|b|c", "a|x|c", "1 paragraph changed"},
		{"one removed", "a|b|c", "a|c", "1 paragraph removed"},
		{"added changed removed", "a|b|c|d", "a|x|c|y|z", "1 paragraph added, 2 changed"},
		{"changed and removed", "a|b|c|d", "x|d", "1 paragraph changed, 2 removed"},
		{"moved", "a|b|c", "b|c|a", "1 paragraph added, 1 removed"},
		{"spacing is no change", "a  b|c", "a b|c\n", ""},
		{"everything new", "a|b", "x|y|z", "1 paragraph added, 2 changed"},
		{"from nothing", "", "a|b", "2 paragraphs added"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := paragraphChange(p(tt.old), p(tt.cur)); got != tt.want {
				t.Errorf("paragraphChange = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParagraphChangeLongStories(t *testing.T) {
	old := make([]string, maxDiffParagraphs+10)
	for i := range old {
		old[i] = strings.Repeat("w", i+1)
	}
	cur := append(append([]string{}, old[1:]...), "new one", "new two")
	if got, want := paragraphChange(old, cur), "2 paragraphs added, 1 removed"; got != want {
		t.Errorf("paragraphChange = %q, want %q", got, want)
	}
}

func FuzzDecide(f *testing.F) {
	f.Add("CORRECTED-UPDATE 2-Ferry runs aground", "(Corrects name)\n\nText.", "KILL", 2, 3)
	f.Add("KILL KILL KILL", "", "canceled", 0, 1)
	f.Add("ACHTUNG - ZURÜCKGEZOGEN - Fähre", "a\n\nb", "", 1, 0)
	f.Fuzz(func(t *testing.T, headline, text, status string, version, prevVersion int) {
		var prev *Previous
		if prevVersion > 0 {
			prev = &Previous{Version: prevVersion, Fingerprint: "fp", Headline: "h", PubStatus: pipeline.PubStatusUsable}
		}
		it := pipeline.RawItem{Title: headline, Summary: headline, Slugline: headline, PubStatus: status, Version: max(version, 0)}
		d := Decide(prev, it, "fp2", headline, text, "x\n\ny")
		switch d.Verdict {
		case pipeline.VerdictNew, pipeline.VerdictUpdate, pipeline.VerdictCorrection:
			if d.PubStatus != pipeline.PubStatusUsable {
				t.Errorf("verdict %s with pubstatus %s", d.Verdict, d.PubStatus)
			}
		case pipeline.VerdictKill:
			if d.PubStatus != pipeline.PubStatusCanceled {
				t.Errorf("kill with pubstatus %s", d.PubStatus)
			}
		default:
			t.Errorf("verdict %q", d.Verdict)
		}
		if d.Version < 1 || d.Change == "" && !d.Repeat {
			t.Errorf("decision %+v: want a version and a change", d)
		}
	})
}
