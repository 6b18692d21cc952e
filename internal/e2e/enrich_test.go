package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/app"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// TestEnrichedStories runs three wire stories (English, French, German) through the
// three workers over real Kafka into each store, and checks that the stored stories
// carry what the enrichers found — people, organisations, places with coordinates,
// the dateline's agency and place, quotes with their speakers, topics, key phrases,
// tone — and that search finds a story by an entity name its text does not use.
func TestEnrichedStories(t *testing.T) {
	brokers(t)
	fixture, err := os.ReadFile(filepath.Join("testdata", "enrich", "wire.xml"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(fixture)
	}))
	defer srv.Close()
	feeds := fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - id: test-wire\n    url: %s/wire.xml\n    format: rss\n", srv.URL)

	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, db(t), []byte(feeds))
			sink := e.start("sink")
			enrich := e.start("enrich")
			e.start("ingest", "WIREHOSE_ONCE=true").wait(t, 2*time.Minute)
			stored := e.waitStored(3, 2*time.Minute)
			enrich.stop(t)
			sink.stop(t)

			byGUID := map[string]pipeline.Story{}
			for _, s := range stored {
				byGUID[s.Sources[0].GUID] = s
			}
			chain := []string{"clean", "language", "dateline", "entities", "quotes", "subjects", "keywords", "tone"}
			for guid, want := range map[string]struct {
				language, provider, located, country, by string
				people, orgs, places, speakers           []string
			}{
				"urn:test:enrich:kharkiv": {language: "en", provider: "AFP", located: "Kyiv", country: "UA", by: "Olena Petrenko",
					people: []string{"Volodymyr Zelensky", "Mark Rutte"}, orgs: []string{"North Atlantic Treaty Organization"},
					places: []string{"Kyiv UA", "Kharkiv UA", "Brussels BE"}, speakers: []string{"Volodymyr Zelensky"}},
				"urn:test:enrich:macron-starmer": {language: "fr", provider: "AFP", located: "Paris", country: "FR",
					people: []string{"Emmanuel Macron", "Keir Starmer"}, places: []string{"Paris FR", "London GB", "Brussels BE"},
					speakers: []string{"Emmanuel Macron"}},
				"urn:test:enrich:merz": {language: "de", provider: "dpa", located: "Berlin", country: "DE",
					people: []string{"Friedrich Merz"}, orgs: []string{"Europäische Zentralbank"},
					places: []string{"Berlin DE", "Germany DE"}, speakers: []string{"Friedrich Merz"}},
			} {
				s, ok := byGUID[guid]
				if !ok {
					t.Fatalf("story %s not stored; stored %d", guid, len(stored))
				}
				if s.Enrichment == nil || s.Enrichment.Partial || len(s.Enrichment.Enrichers) != len(chain) {
					t.Errorf("%s: enrichment %+v, want the whole chain without failure", guid, s.Enrichment)
				} else {
					for i, r := range s.Enrichment.Enrichers {
						if r.Name != chain[i] || r.Version == "" {
							t.Errorf("%s: enricher %d is %+v, want %s with a version", guid, i, r, chain[i])
						}
					}
				}
				if s.Language != want.language || s.Provider != want.provider || s.Located != want.located || s.By != want.by {
					t.Errorf("%s: language %q provider %q located %q by %q, want %q %q %q %q", guid,
						s.Language, s.Provider, s.Located, s.By, want.language, want.provider, want.located, want.by)
				}
				if s.Location == nil || s.Location.Country != want.country || s.Location.Lat == 0 || s.Location.Lon == 0 {
					t.Errorf("%s: location %+v, want a place in %s with coordinates", guid, s.Location, want.country)
				}
				for _, p := range want.people {
					if !hasEntity(s.People, p) {
						t.Errorf("%s: people %+v lack %s", guid, s.People, p)
					}
				}
				for _, o := range want.orgs {
					if !hasEntity(s.Organisations, o) {
						t.Errorf("%s: organisations %+v lack %s", guid, s.Organisations, o)
					}
				}
				for _, p := range want.places {
					if !slices.ContainsFunc(s.Places, func(pl pipeline.Place) bool {
						return pl.Name+" "+pl.Country == p && (pl.Lat != 0 || pl.Lon != 0)
					}) {
						t.Errorf("%s: places %+v lack %s with coordinates", guid, s.Places, p)
					}
				}
				for _, sp := range want.speakers {
					if !slices.ContainsFunc(s.Quotes, func(q pipeline.Quote) bool { return q.Speaker == sp && q.Text != "" }) {
						t.Errorf("%s: quotes %+v lack one by %s", guid, s.Quotes, sp)
					}
				}
				if !slices.ContainsFunc(s.Subjects, func(sub pipeline.Subject) bool {
					return strings.HasPrefix(sub.Code, "medtop:") && sub.Name != "" && sub.URI != "" && sub.Confidence > 0
				}) {
					t.Errorf("%s: subjects %+v lack an IPTC media topic with name, uri and confidence", guid, s.Subjects)
				}
				if len(s.Keywords) == 0 || s.Tone == nil || s.Tone.Score < -1 || s.Tone.Score > 1 || s.WordCount == 0 {
					t.Errorf("%s: keywords %v tone %+v wordcount %d", guid, s.Keywords, s.Tone, s.WordCount)
				}
				if strings.Contains(s.Text(), "Read more") {
					t.Errorf("%s: boilerplate kept in the body: %q", guid, s.Text())
				}
			}

			// The French story writes "Londres"; the place it names is London.
			for q, want := range map[string]string{"London": "urn:test:enrich:macron-starmer", "Rutte": "urn:test:enrich:kharkiv"} {
				c := app.DefaultStoriesConfig()
				c.DB, c.Q, c.JSON = e.db, q, true
				var out bytes.Buffer
				if err := app.StoriesCommand(context.Background(), c, nil, &out); err != nil {
					t.Fatal(err)
				}
				var guids []string
				for _, line := range strings.Split(strings.TrimSpace(out.String()), "\n") {
					var s pipeline.Story
					if err := json.Unmarshal([]byte(line), &s); err != nil {
						t.Fatalf("stories --q %s --json: %v in %q", q, err, line)
					}
					guids = append(guids, s.Sources[0].GUID)
				}
				if len(guids) != 1 || guids[0] != want {
					t.Errorf("stories --q %s found %v, want only %s", q, guids, want)
				}
			}
		})
	}
}

// hasEntity reports whether list holds an entity with name as its name or one of its aliases.
func hasEntity(list []pipeline.Entity, name string) bool {
	return slices.ContainsFunc(list, func(e pipeline.Entity) bool { return e.Name == name || slices.Contains(e.Aliases, name) })
}
