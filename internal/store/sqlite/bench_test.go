package sqlite_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store/sqlite"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

const benchBatch = 1000

// benchStories builds a batch of plausible stories (2 kB body, one source), unique to
// round so that every round inserts new rows.
func benchStories(round int) []pipeline.Story {
	words := strings.Fields("the council said on tuesday that the harbour would reopen after repairs to the sea wall were finished ahead of schedule")
	var body strings.Builder
	for i := 0; body.Len() < 2000; i++ {
		body.WriteString(words[i%len(words)])
		body.WriteByte(' ')
	}
	t := time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)
	out := make([]pipeline.Story, benchBatch)
	for i := range out {
		uri := fmt.Sprintf("urn:bench:%d:%d", round, i)
		out[i] = pipeline.Story{
			URI: uri, Version: 1, PubStatus: pipeline.PubStatusUsable, Language: "en",
			FirstCreated: t, VersionCreated: t.Add(time.Duration(i) * time.Second),
			Headlines: []pipeline.Headline{{Value: fmt.Sprintf("Harbour to reopen after repairs, item %d", i)}},
			Bodies:    []pipeline.Body{{Value: body.String(), ContentType: "text/plain"}},
			Provider:  "Example Wire",
			Sources:   []pipeline.Source{{Feed: "bench", GUID: uri, URL: "https://news.example.org/" + uri, Seen: t}},
			Dedupe:    &pipeline.Dedupe{Fingerprint: fmt.Sprintf("fp%08d", i)},
		}
	}
	return out
}

// bareStore is the baseline: the same rows through plain INSERTs in one transaction,
// into tables without upsert logic, search index or triggers.
type bareStore struct {
	db            *sql.DB
	story, source *sql.Stmt
}

func openBare(b *testing.B, path string) *bareStore {
	b.Helper()
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)")
	if err != nil {
		b.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	b.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE stories (uri TEXT PRIMARY KEY, version INTEGER, pubstatus TEXT, language TEXT,
		firstcreated TEXT, versioncreated TEXT, headline TEXT, body TEXT, byline TEXT, located TEXT, provider TEXT,
		fingerprint TEXT, doc TEXT, stored_at TEXT, updated_at TEXT);
		CREATE TABLE story_sources (uri TEXT, feed TEXT, guid TEXT, url TEXT, seen TEXT, PRIMARY KEY (uri, feed, guid))`); err != nil {
		b.Fatal(err)
	}
	s := &bareStore{db: db}
	if s.story, err = db.Prepare(`INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`); err != nil {
		b.Fatal(err)
	}
	if s.source, err = db.Prepare(`INSERT INTO story_sources VALUES (?, ?, ?, ?, ?)`); err != nil {
		b.Fatal(err)
	}
	return s
}

// bareRow holds one story's values already encoded, so the baseline times SQLite only.
type bareRow struct {
	story  []any
	source []any
}

func bareRows(b *testing.B, stories []pipeline.Story) []bareRow {
	const layout = "2006-01-02T15:04:05.000000Z07:00"
	rows := make([]bareRow, len(stories))
	for i, s := range stories {
		doc, err := json.Marshal(s)
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now().UTC().Format(layout)
		src := s.Sources[0]
		rows[i] = bareRow{
			story: []any{s.URI, s.Version, s.PubStatus, s.Language, s.FirstCreated.Format(layout),
				s.VersionCreated.Format(layout), s.Headline(), s.Text(), s.By, s.Located, s.Provider,
				s.Dedupe.Fingerprint, string(doc), now, now},
			source: []any{s.URI, src.Feed, src.GUID, src.URL, src.Seen.Format(layout)},
		}
	}
	return rows
}

func (s *bareStore) insert(b *testing.B, rows []bareRow) {
	tx, err := s.db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	story, source := tx.Stmt(s.story), tx.Stmt(s.source)
	for _, r := range rows {
		if _, err := story.Exec(r.story...); err != nil {
			b.Fatal(err)
		}
		if _, err := source.Exec(r.source...); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkUpsert measures Upsert of 1000 stories against bare INSERTs of the same
// rows in the same run, and reports the ratio (x_bare); it asserts nothing about speed.
// "new" upserts stories not stored yet; "redelivered" upserts a batch already stored,
// as after a consumer restart.
func BenchmarkUpsert(b *testing.B) {
	for _, redeliver := range []bool{false, true} {
		name := "new"
		if redeliver {
			name = "redelivered"
		}
		b.Run(name, func(b *testing.B) {
			ctx := context.Background()
			dir := b.TempDir()
			db, err := sqlite.Open(ctx, filepath.Join(dir, "store.db"))
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { db.Close() })
			bare := openBare(b, filepath.Join(dir, "bare.db"))

			var ours, baseline time.Duration
			for round := 0; round < b.N; round++ {
				b.StopTimer()
				stories := benchStories(round)
				rows := bareRows(b, stories)
				if redeliver {
					if err := db.Upsert(ctx, stories...); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()

				start := time.Now()
				if err := db.Upsert(ctx, stories...); err != nil {
					b.Fatal(err)
				}
				ours += time.Since(start)

				start = time.Now()
				bare.insert(b, rows)
				baseline += time.Since(start)
			}
			b.ReportMetric(float64(ours)/float64(baseline), "x_bare")
			b.ReportMetric(ours.Seconds()*1000/float64(b.N), "upsert_ms/batch")
			b.ReportMetric(baseline.Seconds()*1000/float64(b.N), "bare_ms/batch")
		})
	}
}
