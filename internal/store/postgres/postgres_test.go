package postgres_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/internal/store/postgres"
	"github.com/wirehose/wirehose/internal/store/storetest"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// serverDSN returns the test server's DSN or skips the test.
func serverDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("WIREHOSE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skipf("WIREHOSE_TEST_POSTGRES_DSN is not set: PostgreSQL store tests need a server, e.g. postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable")
	}
	return dsn
}

// schemaDSN returns a DSN whose search_path is a schema no one uses yet; the schema is
// dropped when the test ends.
func schemaDSN(t *testing.T, server, prefix string) (dsn, schema string) {
	t.Helper()
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	schema = prefix + hex.EncodeToString(b)
	u, err := url.Parse(server)
	if err != nil {
		t.Fatalf("WIREHOSE_TEST_POSTGRES_DSN must be a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", `"`+schema+`"`)
	// libpq URL rules, which pgx follows: '+' is a plus sign, a space is %20.
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, server)
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return u.String(), schema
}

func TestStore(t *testing.T) {
	server := serverDSN(t)
	var (
		mu   sync.Mutex
		dsns = map[*testing.T]string{}
	)
	storetest.Run(t, func(t *testing.T) store.Store {
		mu.Lock()
		dsn, ok := dsns[t]
		if !ok {
			dsn, _ = schemaDSN(t, server, "wirehose_test_")
			dsns[t] = dsn
		}
		mu.Unlock()
		db, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("open: %v", err)
		}
		return db
	})
}

func TestSchemaCreatedFromSearchPath(t *testing.T) {
	server := serverDSN(t)
	ctx := context.Background()
	// Mixed case and a space: the name must be quoted everywhere it is used.
	dsn, schema := schemaDSN(t, server, "Wirehose Test ")
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	if db.Schema() != schema {
		t.Errorf("Schema() = %q, want %q", db.Schema(), schema)
	}
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, schema)
	if err != nil {
		t.Fatal(err)
	}
	tables, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"fingerprints", "schema_migrations", "stories", "story_aliases", "story_sources", "story_versions"}
	if strings.Join(tables, " ") != strings.Join(want, " ") {
		t.Errorf("tables in schema %q = %q, want %q", schema, tables, want)
	}
}

// Several processes starting at once on a schema that does not exist yet: the
// advisory lock makes them take turns creating and migrating it.
func TestConcurrentOpen(t *testing.T) {
	dsn, _ := schemaDSN(t, serverDSN(t), "wirehose_test_")
	const n = 4
	dbs := make([]*postgres.DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = postgres.Open(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("open %d: %v", i, err)
			continue
		}
		defer dbs[i].Close()
	}
	if t.Failed() {
		return
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	s := pipeline.Story{URI: "urn:c:1", Version: 1, VersionCreated: now, Sources: []pipeline.Source{{Feed: "f", Seen: now}}}
	if err := dbs[0].Upsert(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	got, err := dbs[n-1].List(context.Background(), store.Query{})
	if err != nil || len(got) != 1 {
		t.Errorf("list through another handle: %d stories, err %v; want 1, nil", len(got), err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	server := serverDSN(t)
	dsn, schema := schemaDSN(t, server, "wirehose_test_")
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	conn, err := pgx.Connect(ctx, server)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "INSERT INTO "+pgx.Identifier{schema, "schema_migrations"}.Sanitize()+" (version, name) VALUES (999, 'future')"); err != nil {
		t.Fatal(err)
	}
	db, err = postgres.Open(ctx, dsn)
	if err == nil {
		db.Close()
		t.Fatal("open of a newer schema succeeded")
	}
	if !errors.Is(err, migrate.ErrSchemaTooNew) {
		t.Errorf("open of a newer schema = %v, want ErrSchemaTooNew", err)
	}
}

func TestOpenErrors(t *testing.T) {
	tests := []struct {
		name string
		dsn  string
	}{
		{"unparsable dsn", "postgres://user:secret@host:notaport/db"},
		{"malformed quoted search_path", `postgres://127.0.0.1:1/db?search_path="open`},
		{"nothing listening", "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable&connect_timeout=2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := postgres.Open(context.Background(), tt.dsn)
			if err == nil {
				db.Close()
				t.Fatal("open succeeded, want an error")
			}
			if got := err.Error(); strings.Contains(got, "secret") {
				t.Errorf("error %q shows the password", got)
			}
		})
	}
}
