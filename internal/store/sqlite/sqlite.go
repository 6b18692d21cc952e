// Package sqlite stores stories in a SQLite database file (modernc.org/sqlite, pure
// Go) with an FTS5 search index. It is wirehose's embedded default.
//
// Writes go through one connection that begins every transaction IMMEDIATE, so writers
// in this process queue in Go and writers in other processes wait on the file lock
// (busy_timeout) instead of failing halfway through a transaction. Reads use their own
// read-only pool, which WAL lets run beside the writer.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Memory is the path of a private in-memory database, gone when the DB is closed.
const Memory = ":memory:"

// timeLayout is fixed-width so that comparing the stored text compares the times.
const timeLayout = "2006-01-02T15:04:05.000000Z07:00"

// readConns bounds the read pool; reads are short and the machine small.
const readConns = 4

// DB is a story store in one SQLite database.
type DB struct {
	path string
	w    *sql.DB // one connection: every write transaction
	r    *sql.DB // read-only pool; the same as w for an in-memory database

	upsertStory *sql.Stmt
	earliest    *sql.Stmt
	addSource   *sql.Stmt

	closeOnce sync.Once
	closeErr  error
}

// Open opens (creating it and its parent directory if missing) the database at path,
// or a private in-memory database for ":memory:", and applies pending migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	name, err := dbName(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %q: %w", path, err)
	}
	d := &DB{path: name}
	d.w, err = sql.Open("sqlite", dsn(name, "_txlock", "immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", name, err)
	}
	d.w.SetMaxOpenConns(1)
	d.w.SetMaxIdleConns(1)
	d.w.SetConnMaxLifetime(0)
	d.w.SetConnMaxIdleTime(0)
	d.r = d.w
	if err := d.migrate(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", name, err), d.w.Close())
	}
	if name != Memory {
		// Opened after the migration so the file is already in WAL mode.
		d.r, err = sql.Open("sqlite", dsn(name, "_query_only", "1"))
		if err != nil {
			return nil, errors.Join(fmt.Errorf("sqlite: open %s for reading: %w", name, err), d.w.Close())
		}
		d.r.SetMaxOpenConns(readConns)
		d.r.SetMaxIdleConns(readConns)
	}
	if err := d.prepare(ctx); err != nil {
		return nil, errors.Join(fmt.Errorf("sqlite: open %s: %w", name, err), d.Close())
	}
	return d, nil
}

// dbName turns the path given to Open into the name handed to SQLite.
func dbName(path string) (string, error) {
	if path == Memory {
		return Memory, nil
	}
	if strings.TrimSpace(path) == "" {
		return "", errors.New("empty path")
	}
	// The driver reads everything after '?' as connection parameters.
	if strings.Contains(path, "?") {
		return "", errors.New("path must not contain '?'")
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve path: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return "", fmt.Errorf("create directory: %w", err)
	}
	return abs, nil
}

// dsn sets the pragmas through the DSN so that every pooled connection gets them,
// including connections the pool opens later.
func dsn(name string, kv ...string) string {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return name + "?" + q.Encode()
}

// migrate applies pending migrations in one IMMEDIATE transaction: a second process
// opening the same file at once waits for the first, then finds nothing to do.
func (d *DB) migrate(ctx context.Context) error {
	all, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER NOT NULL PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at TEXT    NOT NULL
	)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	applied, err := appliedVersions(ctx, tx)
	if err != nil {
		return err
	}
	todo, err := migrate.Pending(all, applied)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range todo {
		if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: apply %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
			m.Version, m.Name, formatTime(time.Now())); err != nil {
			return fmt.Errorf("migrate: record %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

func appliedVersions(ctx context.Context, tx *sql.Tx) ([]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	defer rows.Close()
	var vs []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	return vs, nil
}

const (
	// A row is replaced only by an equal or newer version, and an identical redelivery
	// is not rewritten at all (replays cost reads, not writes); seq is given once, on insert.
	upsertStorySQL = `INSERT INTO stories (uri, seq, version, pubstatus, language, firstcreated,
		versioncreated, headline, body, byline, located, provider, fingerprint, doc, stored_at, updated_at)
	VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM stories), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (uri) DO UPDATE SET
		version = excluded.version,
		pubstatus = excluded.pubstatus,
		language = excluded.language,
		versioncreated = excluded.versioncreated,
		headline = excluded.headline,
		body = excluded.body,
		byline = excluded.byline,
		located = excluded.located,
		provider = excluded.provider,
		fingerprint = excluded.fingerprint,
		doc = excluded.doc,
		updated_at = excluded.updated_at
	WHERE excluded.version > stories.version
		OR (excluded.version = stories.version AND excluded.doc IS NOT stories.doc)`
	// Runs whatever the version, so a late older version still lowers firstcreated.
	earliestSQL = `UPDATE stories SET firstcreated = ?2
	WHERE uri = ?1 AND (firstcreated IS NULL OR firstcreated > ?2)`
	addSourceSQL = `INSERT INTO story_sources (uri, feed, guid, url, seen) VALUES (?, ?, ?, ?, ?)
	ON CONFLICT (uri, feed, guid) DO NOTHING`
)

func (d *DB) prepare(ctx context.Context) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&d.upsertStory, upsertStorySQL},
		{&d.earliest, earliestSQL},
		{&d.addSource, addSourceSQL},
	} {
		st, err := d.w.PrepareContext(ctx, p.query)
		if err != nil {
			return fmt.Errorf("prepare: %w", err)
		}
		*p.dst = st
	}
	return nil
}

// Upsert writes stories in one transaction; see store.Store.
func (d *DB) Upsert(ctx context.Context, stories ...pipeline.Story) error {
	if len(stories) == 0 {
		return nil
	}
	rows, err := record.Rows(stories)
	if err != nil {
		return fmt.Errorf("sqlite: upsert: %w", err)
	}
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: upsert: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	upsert := tx.StmtContext(ctx, d.upsertStory)
	earliest := tx.StmtContext(ctx, d.earliest)
	addSource := tx.StmtContext(ctx, d.addSource)
	now := formatTime(time.Now())
	for _, r := range rows {
		if _, err := upsert.ExecContext(ctx, r.URI, r.Version, r.PubStatus, r.Language,
			nullTime(r.FirstCreated), formatTime(r.VersionCreated), r.Headline, r.Body, r.Byline,
			r.Located, r.Provider, r.Fingerprint, string(r.Doc), now, now); err != nil {
			return fmt.Errorf("sqlite: upsert story %s: %w", r.URI, err)
		}
		if !r.FirstCreated.IsZero() {
			if _, err := earliest.ExecContext(ctx, r.URI, formatTime(r.FirstCreated)); err != nil {
				return fmt.Errorf("sqlite: upsert story %s: firstcreated: %w", r.URI, err)
			}
		}
		for _, s := range r.Sources {
			if _, err := addSource.ExecContext(ctx, r.URI, s.Feed, s.GUID, s.URL, formatTime(s.Seen)); err != nil {
				return fmt.Errorf("sqlite: upsert story %s: source %s/%s: %w", r.URI, s.Feed, s.GUID, err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: upsert %d stories: commit: %w", len(rows), err)
	}
	return nil
}

// List returns stories newest first; see store.Store. Stories and their sources are
// read in one transaction, so they agree.
func (d *DB) List(ctx context.Context, q record.Query) ([]pipeline.Story, error) {
	var (
		where []string
		args  []any
	)
	if terms := q.Terms(); len(terms) > 0 {
		// Each word quoted: user text never reaches the FTS5 query syntax.
		quoted := make([]string, len(terms))
		for i, t := range terms {
			quoted[i] = `"` + strings.ReplaceAll(t, `"`, `""`) + `"`
		}
		where = append(where, `seq IN (SELECT rowid FROM stories_fts WHERE stories_fts MATCH ?)`)
		args = append(args, strings.Join(quoted, " "))
	}
	if !q.Since.IsZero() {
		where = append(where, `versioncreated >= ?`)
		args = append(args, formatTime(record.Time(q.Since)))
	}
	query := `SELECT uri, firstcreated, doc FROM stories`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY versioncreated DESC, uri LIMIT ?`
	args = append(args, q.EffectiveLimit())

	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("sqlite: list: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep

	type found struct {
		uri   string
		first sql.NullString
		doc   string
	}
	var hits []found
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list: %w", err)
	}
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.uri, &f.first, &f.doc); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: list: scan: %w", err)
		}
		hits = append(hits, f)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, fmt.Errorf("sqlite: list: %w", err)
	}
	if len(hits) == 0 {
		return []pipeline.Story{}, nil
	}

	uris := make([]string, len(hits))
	for i, h := range hits {
		uris[i] = h.uri
	}
	sources, err := d.sources(ctx, tx, uris)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.Story, 0, len(hits))
	for _, h := range hits {
		var first time.Time
		if h.first.Valid {
			if first, err = parseTime(h.first.String); err != nil {
				return nil, fmt.Errorf("sqlite: list: story %s: firstcreated: %w", h.uri, err)
			}
		}
		s, err := record.Restore([]byte(h.doc), first, sources[h.uri])
		if err != nil {
			return nil, fmt.Errorf("sqlite: list: story %s: %w", h.uri, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *DB) sources(ctx context.Context, tx *sql.Tx, uris []string) (map[string][]pipeline.Source, error) {
	list, err := json.Marshal(uris)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list: sources: %w", err)
	}
	// One JSON parameter instead of one placeholder per uri: no SQLite variable limit.
	rows, err := tx.QueryContext(ctx, `SELECT uri, feed, guid, url, seen FROM story_sources
		WHERE uri IN (SELECT value FROM json_each(?))`, string(list))
	if err != nil {
		return nil, fmt.Errorf("sqlite: list: sources: %w", err)
	}
	defer rows.Close()
	out := make(map[string][]pipeline.Source, len(uris))
	for rows.Next() {
		var (
			uri, seen string
			s         pipeline.Source
		)
		if err := rows.Scan(&uri, &s.Feed, &s.GUID, &s.URL, &seen); err != nil {
			return nil, fmt.Errorf("sqlite: list: sources: scan: %w", err)
		}
		if s.Seen, err = parseTime(seen); err != nil {
			return nil, fmt.Errorf("sqlite: list: story %s: source seen: %w", uri, err)
		}
		out[uri] = append(out[uri], s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list: sources: %w", err)
	}
	return out, nil
}

// Close closes the database. It is safe to call more than once.
func (d *DB) Close() error {
	d.closeOnce.Do(func() {
		var errs []error
		for _, st := range []*sql.Stmt{d.upsertStory, d.earliest, d.addSource} {
			if st != nil {
				errs = append(errs, st.Close())
			}
		}
		if d.r != d.w {
			errs = append(errs, d.r.Close())
		}
		errs = append(errs, d.w.Close())
		if err := errors.Join(errs...); err != nil {
			d.closeErr = fmt.Errorf("sqlite: close %s: %w", d.path, err)
		}
	})
	return d.closeErr
}

func formatTime(t time.Time) string { return record.Time(t).Format(timeLayout) }

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}
