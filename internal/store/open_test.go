package store_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/postgres"
	"github.com/wirehose/wirehose/internal/store/sqlite"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestIsPostgres(t *testing.T) {
	tests := []struct {
		dsn  string
		want bool
	}{
		{"postgres://u@h/db", true},
		{"postgresql://u@h/db", true},
		{"PostgreSQL://u@h/db", true},
		{"/var/lib/wirehose/stories.db", false},
		{"data/stories.db", false},
		{":memory:", false},
		{"postgres.db", false},
	}
	for _, tt := range tests {
		if got := store.IsPostgres(tt.dsn); got != tt.want {
			t.Errorf("IsPostgres(%q) = %v, want %v", tt.dsn, got, tt.want)
		}
	}
}

func roundTrip(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2025, 5, 5, 5, 5, 5, 0, time.UTC)
	if err := s.Upsert(ctx, pipeline.Story{URI: "urn:open:1", Version: 1, VersionCreated: now}); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	got, err := s.List(ctx, store.Query{})
	if err != nil || len(got) != 1 || got[0].URI != "urn:open:1" {
		t.Fatalf("list = %v, %v; want the stored story", got, err)
	}
}

func TestOpenSQLite(t *testing.T) {
	for _, dsn := range []string{":memory:", filepath.Join(t.TempDir(), "new", "dir", "stories.db")} {
		s, err := store.Open(context.Background(), dsn)
		if err != nil {
			t.Fatalf("open %q: %v", dsn, err)
		}
		if _, ok := s.(*sqlite.DB); !ok {
			t.Errorf("open %q gave %T, want *sqlite.DB", dsn, s)
		}
		roundTrip(t, s)
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}
}

func TestOpenPostgres(t *testing.T) {
	dsn := os.Getenv("WIREHOSE_TEST_POSTGRES_DSN")
	if dsn == "" {
		t.Skipf("WIREHOSE_TEST_POSTGRES_DSN is not set: opening a PostgreSQL store needs a server")
	}
	// A schema of its own, created by Open from search_path, dropped afterwards.
	schema := fmt.Sprintf("wirehose_open_test_%d", time.Now().UnixNano())
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("WIREHOSE_TEST_POSTGRES_DSN must be a URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	t.Cleanup(func() {
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			t.Errorf("drop schema: %v", err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE"); err != nil {
			t.Errorf("drop schema: %v", err)
		}
	})
	s, err := store.Open(context.Background(), u.String())
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer s.Close()
	db, ok := s.(*postgres.DB)
	if !ok {
		t.Fatalf("open gave %T, want *postgres.DB", s)
	}
	if db.Schema() != schema {
		t.Errorf("schema = %q, want %s", db.Schema(), schema)
	}
	roundTrip(t, s)
}

func TestOpenEmpty(t *testing.T) {
	if s, err := store.Open(context.Background(), " "); err == nil {
		s.Close()
		t.Error("open of an empty dsn succeeded")
	}
}
