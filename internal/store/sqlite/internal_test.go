package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestPragmasOnEveryConnection(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	want := map[string]string{"journal_mode": "wal", "busy_timeout": "10000", "foreign_keys": "1", "synchronous": "1"}
	check := func(t *testing.T, c *sql.Conn) {
		t.Helper()
		for pragma, w := range want {
			var got string
			if err := c.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
				t.Fatalf("pragma %s: %v", pragma, err)
			}
			if got != w {
				t.Errorf("pragma %s = %s, want %s", pragma, got, w)
			}
		}
	}
	wc, err := db.w.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	check(t, wc)
	wc.Close()
	// Hold several read connections at once so the pool has to open new ones.
	var conns []*sql.Conn
	for range readConns {
		c, err := db.r.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, c)
		check(t, c)
		var readOnly int
		if err := c.QueryRowContext(ctx, "PRAGMA query_only").Scan(&readOnly); err != nil || readOnly != 1 {
			t.Errorf("read connection query_only = %d (%v), want 1", readOnly, err)
		}
	}
	for _, c := range conns {
		c.Close()
	}
}

func TestMigrationsRecordedOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "m.db")
	for range 2 {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Close(); err != nil {
			t.Fatal(err)
		}
	}
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	all, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var n, maxVersion int
	if err := db.r.QueryRowContext(ctx, "SELECT count(*), max(version) FROM schema_migrations").Scan(&n, &maxVersion); err != nil {
		t.Fatal(err)
	}
	if n != len(all) || maxVersion != len(all) {
		t.Errorf("schema_migrations holds %d rows up to version %d, want %d", n, maxVersion, len(all))
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "n.db")
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.w.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', '')"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("open of a newer schema succeeded")
	}
	if !errors.Is(err, migrate.ErrSchemaTooNew) {
		t.Errorf("open of a newer schema = %v, want ErrSchemaTooNew", err)
	}
}

// A database written before version history and appearance relations existed keeps its
// stories: each gets its current version as history, its sources count as original,
// and its fingerprint is claimed.
func TestUpgradeKeepsStories(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	all, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
		all[0].SQL,
		`INSERT INTO schema_migrations VALUES (1, 'stories', '2025-01-01T00:00:00.000000Z')`,
		`INSERT INTO stories (uri, seq, version, pubstatus, versioncreated, headline, fingerprint, doc, stored_at, updated_at)
		VALUES ('urn:old:1', 1, 4, 'usable', '2025-01-01T10:00:00.000000Z', 'Old story', 'fp-old',
			'{"uri":"urn:old:1","version":4,"pubstatus":"usable","versioncreated":"2025-01-01T10:00:00Z","headlines":[{"value":"Old story"}],"bodies":null,"sources":null,"dedupe":{"fingerprint":"fp-old"}}',
			'2025-01-01T10:00:01.000000Z', '2025-01-01T10:00:01.000000Z')`,
		`INSERT INTO story_sources (uri, feed, guid, url, seen) VALUES ('urn:old:1', 'wire', 'o1', '', '2025-01-01T10:00:00.000000Z')`,
	} {
		if _, err := raw.ExecContext(ctx, q); err != nil {
			t.Fatalf("prepare an old database: %v", err)
		}
	}
	if err := raw.Close(); err != nil {
		t.Fatal(err)
	}

	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open the old database: %v", err)
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
	if got.Dedupe == nil || got.Dedupe.Fingerprint != "fp-old" || got.Dedupe.Cluster != "urn:old:1" {
		t.Errorf("dedupe = %+v, want fp-old in its own cluster", got.Dedupe)
	}
	// The old story owns its fingerprint: a new uri with the same text is a copy of it.
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
