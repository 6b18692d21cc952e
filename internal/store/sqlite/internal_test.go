package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

	"github.com/wirehose/wirehose/internal/store/migrate"
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
