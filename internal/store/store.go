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

// Store is where the sink writes stories and their appearances and the CLI reads them.
//
// A story is keyed by uri. Its row holds the latest version; every version, older ones
// arriving late included, is kept in its history. Every appearance of a story (the
// story's own sources and the copies attached to it) is kept once per (feed, guid).
//
// Enrich workers decide duplicates against a shared index, but two workers can both
// decide "new" for two copies of one text at the same instant. The store closes that
// window: a normalised-text fingerprint belongs to the first stored story that has it,
// and a story with a uri not stored yet whose fingerprint already belongs to another
// story is stored as an exact-duplicate appearance of that story, its uri remembered
// as an alias (later appearances and versions under it go to that story, Get follows
// it). A later version of a stored story is never redirected.
type Store interface {
	// Upsert writes stories in one transaction; see Write.
	Upsert(ctx context.Context, stories ...pipeline.Story) error
	// Attach stores appearances in one transaction; see Write.
	Attach(ctx context.Context, appearances ...pipeline.Appearance) error
	// Write stores stories, then appearances, in one transaction, so a batch is durable
	// as a whole or not at all. It is idempotent. A story version replaces the story's
	// row only when its version is equal or higher (a kill, pubstatus canceled, too:
	// the story stays listed, retracted), keeps the earliest firstcreated, and is added
	// to the history. An appearance is keyed by (uri, feed, guid), the first sighting
	// winning; one whose story is not stored yet is kept and shows once the story is.
	// An invalid story or appearance (ErrInvalidStory, ErrInvalidAppearance) rejects
	// the batch; an empty call does nothing.
	Write(ctx context.Context, stories []pipeline.Story, appearances []pipeline.Appearance) error
	// Get returns one story with Versions and its History, oldest first, or an error
	// wrapping ErrNotFound.
	Get(ctx context.Context, uri string) (pipeline.Story, error)
	// List returns stories newest first (versioncreated descending, then uri), with
	// Versions, Sources and Dedupe filled but not History.
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

// ErrInvalidAppearance is returned by Attach and Write for an appearance that cannot be
// stored as it is; nothing of the batch is written.
var ErrInvalidAppearance = record.ErrInvalidAppearance

// ErrNotFound is returned by Get for a uri the store does not hold.
var ErrNotFound = record.ErrNotFound

// ErrSchemaTooNew is returned by Open for a database migrated by a newer wirehose.
var ErrSchemaTooNew = migrate.ErrSchemaTooNew
