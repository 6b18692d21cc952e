package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/store/sqlite"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var storyT0 = time.Date(2025, 5, 6, 8, 0, 0, 0, time.UTC)

func storyVersion(uri string, v int, verdict, headline, change string, src pipeline.Source) pipeline.Story {
	return pipeline.Story{
		URI: uri, Version: v, PubStatus: pipeline.PubStatusUsable, Language: "en", Provider: "Example Wire",
		FirstCreated: storyT0, VersionCreated: storyT0.Add(time.Duration(v-1) * 30 * time.Minute),
		Headlines: []pipeline.Headline{{Value: headline}},
		Bodies:    []pipeline.Body{{Value: headline + ".", ContentType: "text/plain"}},
		By:        "Desk Reporter", Located: "Rotterdam",
		Sources: []pipeline.Source{src},
		Dedupe:  &pipeline.Dedupe{Fingerprint: "fp-" + uri + "-" + string(rune('0'+v))},
		Verdict: verdict, Change: change,
	}
}

// seedStories writes a small store: a story killed after a correction, with an exact
// and a near copy, and a usable story.
func seedStories(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "wirehose.db")
	ctx := context.Background()
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	const dam = "urn:example:dam"
	wire := func(guid string, at time.Time) pipeline.Source {
		return pipeline.Source{Feed: "wire", GUID: guid, URL: "https://wire.example.org/" + guid, Seen: at}
	}
	v1 := storyVersion(dam, 1, pipeline.VerdictNew, "Dam gates opened", "", wire("dam-1", storyT0))
	v2 := storyVersion(dam, 2, pipeline.VerdictCorrection, "CORRECTION: Dam gates opened upstream", "headline changed", wire("dam-2", storyT0.Add(30*time.Minute)))
	v3 := storyVersion(dam, 3, pipeline.VerdictKill, "KILL: Dam gates opened upstream", "killed", wire("dam-3", storyT0.Add(time.Hour)))
	v3.PubStatus = pipeline.PubStatusCanceled
	other := storyVersion("urn:example:tram", 1, pipeline.VerdictNew, "Tram line extended", "", wire("tram-1", storyT0.Add(2*time.Hour)))
	other.VersionCreated = storyT0.Add(2 * time.Hour)
	copies := []pipeline.Appearance{
		{URI: dam, Source: pipeline.Source{Feed: "partner", GUID: "p-77", URL: "https://partner.example.net/dam", Seen: storyT0.Add(5 * time.Minute), Relation: pipeline.RelationDuplicate}},
		{URI: dam, Source: pipeline.Source{Feed: "blog", URL: "https://blog.example.net/dam-news", Seen: storyT0.Add(9 * time.Minute), Relation: pipeline.RelationNearDuplicate, Similarity: 0.82}},
	}
	if err := db.Write(ctx, []pipeline.Story{v1, v2, v3, other}, copies); err != nil {
		t.Fatal(err)
	}
	return path
}

func runCommand[C interface{ Validate() error }](t *testing.T, spec config.Spec, cfg C, args []string,
	run func(context.Context, C, []string, io.Writer) error) (code int, stdout, stderr string) {
	t.Helper()
	spec.Env = func(string) (string, bool) { return "", false }
	var out, errb bytes.Buffer
	code = Command(spec, cfg, args, &out, &errb, run)
	return code, out.String(), errb.String()
}

func TestStoriesCommand(t *testing.T) {
	db := seedStories(t)
	t.Run("json carries sources, versions and dedupe", func(t *testing.T) {
		code, out, errOut := runCommand(t, StoriesSpec(), DefaultStoriesConfig(), []string{"--db", db, "--json"}, StoriesCommand)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var got []map[string]any
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil {
				t.Fatalf("line %q: %v", line, err)
			}
			got = append(got, m)
		}
		if len(got) != 2 || got[0]["uri"] != "urn:example:tram" || got[1]["uri"] != "urn:example:dam" {
			t.Fatalf("stories = %v, want tram then dam", got)
		}
		dam := got[1]
		if dam["pubstatus"] != "canceled" || dam["versions"] != 3.0 || dam["verdict"] != "kill" {
			t.Errorf("dam = pubstatus %v, versions %v, verdict %v; want canceled, 3, kill", dam["pubstatus"], dam["versions"], dam["verdict"])
		}
		if d, _ := dam["dedupe"].(map[string]any); d["cluster"] != "urn:example:dam" || d["fingerprint"] != "fp-urn:example:dam-3" {
			t.Errorf("dedupe = %v, want the story's own cluster and latest fingerprint", dam["dedupe"])
		}
		var relations []string
		for _, s := range dam["sources"].([]any) {
			src := s.(map[string]any)
			relations = append(relations, src["feed"].(string)+":"+src["relation"].(string))
		}
		want := "wire:original partner:duplicate blog:near_duplicate wire:original wire:original"
		if strings.Join(relations, " ") != want {
			t.Errorf("sources = %s, want %s", strings.Join(relations, " "), want)
		}
	})
	t.Run("table marks killed stories", func(t *testing.T) {
		code, out, errOut := runCommand(t, StoriesSpec(), DefaultStoriesConfig(), []string{"--db", db}, StoriesCommand)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3 || !regexp.MustCompile(`^VERSIONCREATED\s+LANG\s+PROVIDER\s+V\s+STATUS\s+COPIES\s+TOPIC\s+HEADLINE\s+URI$`).MatchString(lines[0]) {
			t.Fatalf("table = %q, want a header and two rows", out)
		}
		if !regexp.MustCompile(`\s3\s+KILLED\s+2\s+-\s+KILL: Dam gates opened upstream\s+urn:example:dam$`).MatchString(lines[2]) {
			t.Errorf("dam row = %q, want version 3, KILLED, 2 copies", lines[2])
		}
		if !regexp.MustCompile(`\s1\s+-\s+0\s+-\s+Tram line extended`).MatchString(lines[1]) {
			t.Errorf("tram row = %q, want version 1, no mark, no copies", lines[1])
		}
	})
	t.Run("usable hides killed stories", func(t *testing.T) {
		code, out, errOut := runCommand(t, StoriesSpec(), DefaultStoriesConfig(), []string{"--db", db, "--usable", "--json"}, StoriesCommand)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if strings.Count(out, "\n") != 1 || !strings.Contains(out, `"uri":"urn:example:tram"`) {
			t.Errorf("stories --usable = %s, want only the tram story", out)
		}
	})
}

func TestStoryCommand(t *testing.T) {
	db := seedStories(t)
	t.Run("text", func(t *testing.T) {
		code, out, errOut := runCommand(t, StorySpec(), DefaultStoryConfig(), []string{"urn:example:dam", "--db", db}, StoryCommand)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`(?m)^headline\s+KILL: Dam gates opened upstream$`),
			regexp.MustCompile(`(?m)^status\s+canceled \(killed`),
			regexp.MustCompile(`(?m)^version\s+3 of 3$`),
			regexp.MustCompile(`(?m)^language\s+en$`),
			regexp.MustCompile(`(?m)^provider\s+Example Wire$`),
			regexp.MustCompile(`(?m)^firstcreated\s+2025-05-06T08:00:00Z$`),
			regexp.MustCompile(`(?m)^by\s+Desk Reporter$`),
			regexp.MustCompile(`(?m)^located\s+Rotterdam$`),
			regexp.MustCompile(`(?s)Versions \(3\)\n.*\n1\s+new\s+2025-05-06T08:00:00Z\s+Dam gates opened\s+-\n2\s+correction\s+2025-05-06T08:30:00Z\s+CORRECTION: Dam gates opened upstream\s+headline changed\n3\s+kill\s+2025-05-06T09:00:00Z\s+KILL: Dam gates opened upstream\s+killed\n`),
			regexp.MustCompile(`(?m)^2025-05-06T08:05:00Z\s+partner\s+duplicate\s+-\s+p-77\s+https://partner.example.net/dam$`),
			regexp.MustCompile(`(?m)^2025-05-06T08:09:00Z\s+blog\s+near_duplicate\s+0.82\s+-\s+https://blog.example.net/dam-news$`),
			regexp.MustCompile(`Appearances \(5\)`),
		} {
			if !want.MatchString(out) {
				t.Errorf("output does not match %s:\n%s", want, out)
			}
		}
	})
	t.Run("json", func(t *testing.T) {
		code, out, errOut := runCommand(t, StorySpec(), DefaultStoryConfig(), []string{"--db", db, "--json", "urn:example:dam"}, StoryCommand)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var s pipeline.Story
		if err := json.Unmarshal([]byte(out), &s); err != nil {
			t.Fatalf("decode %s: %v", out, err)
		}
		if len(s.History) != 3 || s.History[0].Verdict != "new" || s.History[2].Verdict != "kill" || s.Versions != 3 || len(s.Sources) != 5 {
			t.Errorf("story = %d history entries, %d versions, %d sources; want 3, 3, 5", len(s.History), s.Versions, len(s.Sources))
		}
	})
	t.Run("unknown uri", func(t *testing.T) {
		code, _, errOut := runCommand(t, StorySpec(), DefaultStoryConfig(), []string{"--db", db, "urn:example:nothing"}, StoryCommand)
		if code != ExitFailed || !strings.Contains(errOut, `no story with uri "urn:example:nothing"`) {
			t.Errorf("exit %d, stderr %q; want 1 and a clear message", code, errOut)
		}
	})
	t.Run("missing uri", func(t *testing.T) {
		code, _, errOut := runCommand(t, StorySpec(), DefaultStoryConfig(), []string{"--db", db}, StoryCommand)
		if code != ExitUsage || !strings.Contains(errOut, "a story uri is required") {
			t.Errorf("exit %d, stderr %q; want 2 and the usage hint", code, errOut)
		}
	})
	t.Run("missing database", func(t *testing.T) {
		code, _, errOut := runCommand(t, StorySpec(), DefaultStoryConfig(), []string{"--db", filepath.Join(t.TempDir(), "none.db"), "urn:x"}, StoryCommand)
		if code != ExitFailed || !strings.Contains(errOut, "no database at") {
			t.Errorf("exit %d, stderr %q; want 1 and no database", code, errOut)
		}
	})
}

func TestPrintStoryShowsEnrichment(t *testing.T) {
	s := storyVersion("urn:e", 1, "new", "Port strike spreads", "first version", pipeline.Source{Feed: "f", Seen: storyT0})
	s.Location = &pipeline.Place{Name: "Rotterdam", Country: "NL", Lat: 51.9225, Lon: 4.4792}
	s.People = []pipeline.Entity{{Name: "Anna de Vries", Aliases: []string{"De Vries"}}}
	s.Organisations = []pipeline.Entity{{Name: "International Transport Workers' Federation", Aliases: []string{"ITF"}}}
	s.Places = []pipeline.Place{{Name: "Rotterdam", Country: "NL"}}
	s.Subjects = []pipeline.Subject{{Code: "medtop:09000000", Name: "labour", Confidence: 0.81}}
	s.Quotes = []pipeline.Quote{{Text: "We have waited long enough", Speaker: "Anna de Vries"}}
	s.Tone, s.WordCount = &pipeline.Tone{Score: -0.25}, 212
	s.Enrichment = &pipeline.Enrichment{Partial: true, Enrichers: []pipeline.EnricherRun{
		{Name: "entities", Version: "1"}, {Name: "tone", Version: "1", Error: "panic: boom"}}}
	var out bytes.Buffer
	if err := printStory(&out, s); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"Rotterdam (Rotterdam, NL 51.9225 4.4792)", "Anna de Vries (De Vries)", "ITF", "Rotterdam NL",
		"medtop:09000000 labour 0.81", "-0.25 (212 words)", "tone@1 FAILED: panic: boom", "(partly enriched)",
		"Quotes (1)", "Anna de Vries  We have waited long enough",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("story printout lacks %q:\n%s", want, out.String())
		}
	}
}
