// Package store keeps enriched stories: one Store interface with a SQLite backend
// (the embedded default) and a PostgreSQL backend (at scale), chosen by Open from the
// DSN. Both backends pass the same conformance suite in storetest.
//
// Package layout, kept free of import cycles: store (this package: the interface and
// Open) imports store/sqlite and store/postgres; the backends import only
// store/record (Query, validation, row shape) and store/migrate, never store. Query is
// declared once in record and aliased here, so a backend's List method satisfies
// Store without importing it.
package store

import (
	"context"

	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Store is where the sink writes stories and the CLI reads them.
type Store interface {
	// Upsert writes stories in one transaction. It is idempotent: a story is keyed by
	// uri, replaced only by an equal or higher version, keeps the earliest
	// firstcreated, and gains the sources it did not have. An empty call does nothing.
	Upsert(ctx context.Context, stories ...pipeline.Story) error
	// List returns stories newest first (versioncreated descending, then uri).
	List(ctx context.Context, q Query) ([]pipeline.Story, error)
	Close() error
}

// Query selects stories for List; see record.Query.
type Query = record.Query

// DefaultLimit is the number of stories List returns when Query.Limit is not set.
const DefaultLimit = record.DefaultLimit

// ErrInvalidStory is returned by Upsert for a story that cannot be stored as it is;
// nothing of the batch is written.
var ErrInvalidStory = record.ErrInvalidStory

// ErrSchemaTooNew is returned by Open for a database migrated by a newer wirehose.
var ErrSchemaTooNew = migrate.ErrSchemaTooNew
