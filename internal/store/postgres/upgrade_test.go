package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// A schema written before version history and appearance relations existed keeps its
// stories: each gets its current version as history, its sources count as original,
// and its fingerprint is claimed.
func TestUpgradeKeepsStories(t *testing.T) {
	server := os.Getenv("WIREHOSE_TEST_POSTGRES_DSN")
	if server == "" {
		t.Skipf("WIREHOSE_TEST_POSTGRES_DSN is not set: PostgreSQL store tests need a server")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema := "wirehose_upgrade_" + hex.EncodeToString(b)
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	ident := pgx.Identifier{schema}.Sanitize()
	defer func() { // before the connection closes
		if _, err := conn.Exec(context.Background(), "DROP SCHEMA IF EXISTS "+ident+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	}()
	all, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"CREATE SCHEMA " + ident,
		"SET LOCAL search_path TO " + ident,
		`CREATE TABLE schema_migrations (version integer NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
		all[0].SQL,
		`INSERT INTO schema_migrations (version, name) VALUES (1, 'stories')`,
		`INSERT INTO stories (uri, version, pubstatus, versioncreated, headline, fingerprint, doc, stored_at, updated_at)
		VALUES ('urn:old:1', 4, 'usable', '2025-01-01T10:00:00Z', 'Old story', 'fp-old',
			'{"uri":"urn:old:1","version":4,"pubstatus":"usable","versioncreated":"2025-01-01T10:00:00Z","headlines":[{"value":"Old story"}],"bodies":null,"sources":null,"dedupe":{"fingerprint":"fp-old"}}',
			now(), now())`,
		`INSERT INTO story_sources (uri, feed, guid, url, seen) VALUES ('urn:old:1', 'wire', 'o1', '', '2025-01-01T10:00:00Z')`,
	} {
		if _, err := tx.Exec(ctx, q); err != nil {
			t.Fatalf("prepare an old schema: %v", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}

	u, err := url.Parse(server)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	db, err := Open(ctx, u.String())
	if err != nil {
		t.Fatalf("open the old schema: %v", err)
	}
	defer db.Close()
	got, err := db.Get(ctx, "urn:old:1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Versions != 1 || len(got.History) != 1 || got.History[0].Version != 4 || got.History[0].Headline != "Old story" {
		t.Errorf("history = %+v (%d versions), want version 4 \"Old story\" only", got.History, got.Versions)
	}
	if len(got.Sources) != 1 || got.Sources[0].Relation != pipeline.RelationOriginal {
		t.Errorf("sources = %+v, want one original", got.Sources)
	}
	now := time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC)
	dup := pipeline.Story{URI: "urn:new:1", Version: 1, VersionCreated: now, Dedupe: &pipeline.Dedupe{Fingerprint: "fp-old"},
		Sources: []pipeline.Source{{Feed: "partner", GUID: "n1", Seen: now}}}
	if err := db.Upsert(ctx, dup); err != nil {
		t.Fatal(err)
	}
	if got, err := db.Get(ctx, "urn:old:1"); err != nil || len(got.Sources) != 2 || got.Sources[1].Relation != pipeline.RelationDuplicate {
		t.Errorf("old story after a copy arrived: %+v, %v; want the copy as a duplicate appearance", got.Sources, err)
	}
}
