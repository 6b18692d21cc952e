package store

import (
	"context"
	"errors"
	"strings"

	"github.com/wirehose/wirehose/internal/store/postgres"
	"github.com/wirehose/wirehose/internal/store/sqlite"
)

// Open opens the store a DSN names and brings its schema up to date. A DSN starting
// with postgres:// or postgresql:// is a PostgreSQL connection URL (its search_path
// parameter picks, and creates, the schema); anything else is a SQLite database file
// path, or ":memory:" for a private in-memory database.
func Open(ctx context.Context, dsn string) (Store, error) {
	switch {
	case strings.TrimSpace(dsn) == "":
		return nil, errors.New("store: open: empty dsn")
	case IsPostgres(dsn):
		db, err := postgres.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return db, nil
	default:
		db, err := sqlite.Open(ctx, dsn)
		if err != nil {
			return nil, err
		}
		return db, nil
	}
}

// IsPostgres reports whether Open would treat dsn as a PostgreSQL URL.
func IsPostgres(dsn string) bool {
	d := strings.ToLower(dsn)
	return strings.HasPrefix(d, "postgres://") || strings.HasPrefix(d, "postgresql://")
}
