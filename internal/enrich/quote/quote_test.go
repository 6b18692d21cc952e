package quote

import (
	"strings"
	"testing"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func ents(names ...string) []pipeline.Entity {
	var out []pipeline.Entity
	for _, n := range names {
		parts := strings.Split(n, "|")
		out = append(out, pipeline.Entity{Name: parts[0], Aliases: parts[1:]})
	}
	return out
}

func TestExtract(t *testing.T) {
	people := ents("Anna de Vries|De Vries", "Olaf Brandt", "Xi Jinping|Xi", "Vladimir Putin", "Marie Laurent", "Ana García", "Jens Weber",
		"Ministry of Defence", "Acme Corp|Acme")
	type q struct{ text, speaker string }
	tests := []struct {
		name, lang, body string
		want             []q
	}{
		{"speaker after, curly", "en",
			"“We have waited long enough for a fair deal,” Anna de Vries said on Monday.",
			[]q{{"We have waited long enough for a fair deal,", "Anna de Vries"}}},
		{"inverted said, straight marks", "en",
			`"The port will stay closed until further notice," said Olaf Brandt, the harbour master.`,
			[]q{{"The port will stay closed until further notice,", "Olaf Brandt"}}},
		{"speaker before with colon", "en",
			`Brandt told reporters: "Nobody will be paid until the audit ends."`,
			[]q{{"Nobody will be paid until the audit ends.", "Olaf Brandt"}}},
		{"titled surname", "en",
			"“China will never accept such terms from anyone,” Mr Xi said.",
			[]q{{"China will never accept such terms from anyone,", "Xi Jinping"}}},
		{"role title and surname", "en",
			"“The operation is going according to plan,” President Putin told a meeting.",
			[]q{{"The operation is going according to plan,", "Vladimir Putin"}}},
		{"pronoun continues last person", "en",
			"Anna de Vries leads the union. “We will strike on every day of the week,” she said.",
			[]q{{"We will strike on every day of the week,", "Anna de Vries"}}},
		{"apposition before verb", "en",
			"“Our engines passed every test we could think of,” Jens Weber, the company's chief engineer, said.",
			[]q{{"Our engines passed every test we could think of,", "Jens Weber"}}},
		{"role then name", "en",
			"“Our engines passed every test we could think of,” the chief engineer, Jens Weber, said.",
			[]q{{"Our engines passed every test we could think of,", "Jens Weber"}}},
		{"according to", "en",
			"According to Marie Laurent, “the figures do not add up at all”.",
			[]q{{"the figures do not add up at all", "Marie Laurent"}}},
		{"organisation in a statement", "en",
			"The Ministry of Defence said in a statement: “Forty drones were shot down overnight.”",
			[]q{{"Forty drones were shot down overnight.", "Ministry of Defence"}}},
		{"role noun resolves to organisation", "en",
			"Acme Corp shares fell. “We expect a much better second half of the year,” the company said.",
			[]q{{"We expect a much better second half of the year,", "Acme Corp"}}},
		{"quote over two paragraphs", "en",
			"“We will not give up on the harbour workers.\n\n“They deserve a contract that lasts for years,” de Vries said.",
			[]q{{"We will not give up on the harbour workers. They deserve a contract that lasts for years,", "Anna de Vries"}}},
		{"split quote keeps speaker", "en",
			"“We will fight for every single job,” Brandt said. “And we will win this fight in the end.”",
			[]q{{"We will fight for every single job,", "Olaf Brandt"}, {"And we will win this fight in the end.", "Olaf Brandt"}}},
		{"scare quotes are not quotations", "en",
			`Officials called the group "terrorists" and the raid a "success".`,
			nil},
		{"unknown speaker as written", "en",
			"“The bridge was never safe for heavy lorries,” said engineer Paul Okafor.",
			[]q{{"The bridge was never safe for heavy lorries,", "Paul Okafor"}}},
		{"unattributed", "en",
			"The sign read “no entry for anyone after dark tonight” in red letters.",
			[]q{{"no entry for anyone after dark tonight", ""}}},
		{"french a déclaré", "fr",
			"« Nous ne céderons rien sur les salaires », a déclaré Marie Laurent.",
			[]q{{"Nous ne céderons rien sur les salaires", "Marie Laurent"}}},
		{"french a-t-elle ajouté", "fr",
			"Marie Laurent a quitté la salle. « Le dialogue est rompu pour longtemps », a-t-elle ajouté.",
			[]q{{"Le dialogue est rompu pour longtemps", "Marie Laurent"}}},
		{"french selon", "fr",
			"Selon Marie Laurent, « la réforme arrive beaucoup trop tard ».",
			[]q{{"la réforme arrive beaucoup trop tard", "Marie Laurent"}}},
		{"french speaker before", "fr",
			"Le ministre Olaf Brandt a affirmé : « Il n'y aura pas de nouvel impôt. »",
			[]q{{"Il n'y aura pas de nouvel impôt.", "Olaf Brandt"}}},
		{"spanish dijo", "es",
			"«La vivienda es un derecho y no un negocio», dijo Ana García.",
			[]q{{"La vivienda es un derecho y no un negocio", "Ana García"}}},
		{"spanish null subject", "es",
			"Ana García presentó el plan. «Es la ley más ambiciosa en décadas», afirmó.",
			[]q{{"Es la ley más ambiciosa en décadas", "Ana García"}}},
		{"spanish según", "es",
			"Según García, «el mercado necesita reglas claras ya».",
			[]q{{"el mercado necesita reglas claras ya", "Ana García"}}},
		{"spanish role then name", "es",
			"«Habrá más controles en todas las fronteras», señaló la ministra de Defensa, Ana García.",
			[]q{{"Habrá más controles en todas las fronteras", "Ana García"}}},
		{"german sagte", "de",
			"„Wir werden den Haushalt pünktlich vorlegen“, sagte Jens Weber.",
			[]q{{"Wir werden den Haushalt pünktlich vorlegen", "Jens Weber"}}},
		{"german so", "de",
			"„Die Lage ist ernst, aber beherrschbar“, so Weber.",
			[]q{{"Die Lage ist ernst, aber beherrschbar", "Jens Weber"}}},
		{"german pronoun", "de",
			"Jens Weber trat vor die Presse. »Wir haben keine Zeit mehr zu verlieren«, erklärte er.",
			[]q{{"Wir haben keine Zeit mehr zu verlieren", "Jens Weber"}}},
		{"german laut", "de",
			"Laut Weber „reicht das Geld nicht bis zum Jahresende“.",
			[]q{{"reicht das Geld nicht bis zum Jahresende", "Jens Weber"}}},
		{"german nested single low quote", "de",
			"„Das Wort ‚Krise‘ fällt hier viel zu oft“, sagte Weber.",
			[]q{{"Das Wort ‚Krise‘ fällt hier viel zu oft", "Jens Weber"}}},
		{"single quotes as primary", "en",
			"‘We’ll be back next year with a stronger team,’ Brandt said.",
			[]q{{"We’ll be back next year with a stronger team,", "Olaf Brandt"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extract(tt.body, tt.lang, people)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d quotes %+v, want %d %+v", len(got), got, len(tt.want), tt.want)
			}
			for i, w := range tt.want {
				if got[i].Text != w.text || got[i].Speaker != w.speaker {
					t.Errorf("quote %d = %q by %q, want %q by %q", i, got[i].Text, got[i].Speaker, w.text, w.speaker)
				}
			}
		})
	}
}

func TestExtractNoSpeakers(t *testing.T) {
	got := Extract("“We have waited long enough for a fair deal,” said Mrs Anna de Vries.", "en", nil)
	if len(got) != 1 || got[0].Speaker != "Anna de Vries" {
		t.Fatalf("got %+v, want one quote by Anna de Vries", got)
	}
}

// benchStory is an invented English wire story of about 3 KB.
var benchStory = func() string {
	paras := []string{
		"ROTTERDAM, Netherlands, March 3 (AFP) - Dock workers at Europe's largest port walked out on Monday after pay talks with terminal operators collapsed, halting container traffic and leaving dozens of ships waiting at anchor in the North Sea.",
		"“We have waited long enough for a fair deal,” Anna de Vries, who leads the dockers' section of the FNV union, told reporters at the gates of the Maasvlakte terminal. “Our members have lost a fifth of their buying power in three years.”",
		"The employers' association said it had offered a rise of 4.5 percent over two years and called the strike “irresponsible and damaging for the whole country”.",
		"Port authority chief Olaf Brandt said about 40 vessels were delayed. \"If this goes on past Wednesday, we will have to divert ships to Antwerp and Hamburg,\" he said.",
		"Economists warned that a long stoppage could hit Dutch exports. \"The port handles a tenth of the country's trade, so a week of disruption shows up in the quarterly figures,\" said Marie Laurent, an analyst at ING in Amsterdam.",
		"De Vries said the union was ready to return to the table at any time. “But not to hear the same offer again, dressed up in new words,” she added.",
		"The Ministry of Economic Affairs said in a statement that it was following the situation closely and urged both sides to resume talks, but ruled out stepping in for now.",
		"“It is not for the government to set wages in a private sector,” the ministry said.",
		"Dock workers last held a national strike in 2019, when a four-day walkout ended with a deal that raised pay by 3 percent and limited night shifts.",
		"Shipping lines including Maersk and MSC told customers to expect delays of up to a week for cargo bound for Rotterdam, and some began rerouting vessels to Belgian ports.",
		"Terminal operators said the latest offer was the best the sector could afford after a year of falling volumes, higher energy bills and a slowdown in trade with Asia, and that talks could resume as soon as the union called off the walkout.",
		"Farmers and food exporters warned that perishable goods stuck on board could spoil within days. \"Every hour counts for fresh produce, and nobody is paying for what rots on the quay,\" said Marie Laurent, who also follows the agricultural sector.",
		"Analysts said the dispute came at a difficult time for the port, which is spending billions on new quays, a hydrogen terminal and rail links to the German hinterland, and which has been losing market share to Antwerp-Bruges over the past two years as shipping lines reorganised their alliances and cut calls in northern Europe.",
		"Rotterdam handled about 440 million tonnes of cargo last year, slightly less than the year before, as volumes from Russia fell away under sanctions and container traffic with China slowed.",
		"Brandt said the port would publish a daily update on waiting times. “We owe it to our customers to be open about what is happening,” he said.",
	}
	return strings.Join(paras, "\n\n")
}()

var benchSpeakers = ents("Anna de Vries|De Vries", "Olaf Brandt|Brandt", "Marie Laurent", "FNV", "ING",
	"Ministry of Economic Affairs", "Maersk", "MSC")

func BenchmarkExtract(b *testing.B) {
	b.SetBytes(int64(len(benchStory)))
	b.ReportAllocs()
	for b.Loop() {
		Extract(benchStory, "en", benchSpeakers)
	}
}

func TestBenchStorySize(t *testing.T) {
	if n := len(benchStory); n < 2800 || n > 3400 {
		t.Errorf("benchmark story is %d bytes, want about 3 KB", n)
	}
}

func TestExtractOverlappingSpeakers(t *testing.T) {
	body := "“We will not give up on the harbour workers,” said Anna Maria Lopez."
	got := Extract(body, "en", ents("Anna Maria", "Maria Lopez"))
	if len(got) != 1 || got[0].Speaker != "Anna Maria" && got[0].Speaker != "Maria Lopez" {
		t.Fatalf("got %+v, want one quote by one of the overlapping names", got)
	}
}
