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
	addVersion  *sql.Stmt

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
		versioncreated, headline, body, byline, located, provider, fingerprint, doc, stored_at, updated_at, entities)
	VALUES (?, (SELECT coalesce(max(seq), 0) + 1 FROM stories), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
		entities = excluded.entities,
		fingerprint = excluded.fingerprint,
		doc = excluded.doc,
		updated_at = excluded.updated_at
	WHERE excluded.version > stories.version
		OR (excluded.version = stories.version AND excluded.doc IS NOT stories.doc)`
	// Runs whatever the version, so a late older version still lowers firstcreated.
	earliestSQL = `UPDATE stories SET firstcreated = ?2
	WHERE uri = ?1 AND (firstcreated IS NULL OR firstcreated > ?2)`
	// The first sighting of an appearance wins; a redelivery changes nothing.
	addSourceSQL = `INSERT INTO story_sources (uri, feed, guid, url, seen, relation, similarity)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (uri, feed, guid) DO NOTHING`
	// Every version is kept; a redelivery of one rewrites it only when it differs, as
	// the stories row does for an equal version.
	addVersionSQL = `INSERT INTO story_versions (uri, version, verdict, versioncreated, headline, change, stored_at)
	VALUES (?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (uri, version) DO UPDATE SET
		verdict = excluded.verdict,
		versioncreated = excluded.versioncreated,
		headline = excluded.headline,
		change = excluded.change
	WHERE excluded.verdict IS NOT story_versions.verdict
		OR excluded.versioncreated IS NOT story_versions.versioncreated
		OR excluded.headline IS NOT story_versions.headline
		OR excluded.change IS NOT story_versions.change`
	storyExistsSQL      = `SELECT count(*) FROM stories WHERE uri = ?`
	aliasSQL            = `SELECT canonical FROM story_aliases WHERE uri = ?`
	claimFingerprintSQL = `INSERT INTO fingerprints (fingerprint, uri) VALUES (?, ?) ON CONFLICT (fingerprint) DO NOTHING`
	fingerprintOwnerSQL = `SELECT uri FROM fingerprints WHERE fingerprint = ?`
	addAliasSQL         = `INSERT INTO story_aliases (uri, canonical) VALUES (?, ?) ON CONFLICT (uri) DO NOTHING`
	// Appearances that arrived for a uri before it became an alias follow it.
	moveSourcesSQL = `INSERT INTO story_sources (uri, feed, guid, url, seen, relation, similarity)
	SELECT ?2, feed, guid, url, seen, CASE relation WHEN 'original' THEN 'duplicate' ELSE relation END, similarity
	FROM story_sources WHERE uri = ?1
	ON CONFLICT (uri, feed, guid) DO NOTHING`
	dropSourcesSQL = `DELETE FROM story_sources WHERE uri = ?`
)

func (d *DB) prepare(ctx context.Context) error {
	for _, p := range []struct {
		dst   **sql.Stmt
		query string
	}{
		{&d.upsertStory, upsertStorySQL},
		{&d.earliest, earliestSQL},
		{&d.addSource, addSourceSQL},
		{&d.addVersion, addVersionSQL},
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
	return d.Write(ctx, stories, nil)
}

// Attach stores appearances in one transaction; see store.Store.
func (d *DB) Attach(ctx context.Context, appearances ...pipeline.Appearance) error {
	return d.Write(ctx, nil, appearances)
}

// Write stores stories, then appearances, in one transaction; see store.Store.
func (d *DB) Write(ctx context.Context, stories []pipeline.Story, appearances []pipeline.Appearance) error {
	if len(stories) == 0 && len(appearances) == 0 {
		return nil
	}
	rows, apps, err := record.Batch(stories, appearances)
	if err != nil {
		return fmt.Errorf("sqlite: write: %w", err)
	}
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: write: begin: %w", err)
	}
	defer func() { _ = tx.Rollback() }() // a no-op after Commit
	w := writer{
		ctx:        ctx,
		tx:         tx,
		upsert:     tx.StmtContext(ctx, d.upsertStory),
		earliest:   tx.StmtContext(ctx, d.earliest),
		addSource:  tx.StmtContext(ctx, d.addSource),
		addVersion: tx.StmtContext(ctx, d.addVersion),
		now:        formatTime(time.Now()),
	}
	for _, r := range rows {
		if err := w.story(r); err != nil {
			return fmt.Errorf("sqlite: write story %s: %w", r.URI, err)
		}
	}
	for _, a := range apps {
		if err := w.appearance(a); err != nil {
			return fmt.Errorf("sqlite: attach %s/%s to %s: %w", a.Source.Feed, a.Source.GUID, a.URI, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: write %d stories, %d appearances: commit: %w", len(rows), len(apps), err)
	}
	return nil
}

// writer runs one write transaction. The single write connection serialises
// transactions, so the checks it makes still hold when it acts on them.
type writer struct {
	ctx                                     context.Context
	tx                                      *sql.Tx
	upsert, earliest, addSource, addVersion *sql.Stmt
	now                                     string
}

// story stores one version. A uri not stored yet whose fingerprint already belongs to
// another story (two enrich workers decided "new" for two copies at once), or that was
// turned into such an appearance before, becomes an appearance of that story.
func (w *writer) story(r record.Row) error {
	var n int
	if err := w.tx.QueryRowContext(w.ctx, storyExistsSQL, r.URI).Scan(&n); err != nil {
		return fmt.Errorf("look up: %w", err)
	}
	if n == 0 {
		canonical, err := w.canonical(r.URI, r.Fingerprint)
		if err != nil {
			return err
		}
		if canonical != r.URI {
			return w.redirect(r, canonical)
		}
	} else if r.Fingerprint != "" {
		// A later version's text: same uri, so it never conflicts with itself.
		if _, err := w.tx.ExecContext(w.ctx, claimFingerprintSQL, r.Fingerprint, r.URI); err != nil {
			return fmt.Errorf("fingerprint: %w", err)
		}
	}
	if _, err := w.upsert.ExecContext(w.ctx, r.URI, r.Version, r.PubStatus, r.Language,
		nullTime(r.FirstCreated), formatTime(r.VersionCreated), r.Headline, r.Body, r.Byline,
		r.Located, r.Provider, r.Fingerprint, string(r.Doc), w.now, w.now, r.Entities); err != nil {
		return err
	}
	if !r.FirstCreated.IsZero() {
		if _, err := w.earliest.ExecContext(w.ctx, r.URI, formatTime(r.FirstCreated)); err != nil {
			return fmt.Errorf("firstcreated: %w", err)
		}
	}
	if _, err := w.addVersion.ExecContext(w.ctx, r.URI, r.Version, r.Verdict, formatTime(r.VersionCreated),
		r.Headline, r.Change, w.now); err != nil {
		return fmt.Errorf("version %d: %w", r.Version, err)
	}
	for _, s := range r.Sources {
		if err := w.source(r.URI, s); err != nil {
			return err
		}
	}
	return nil
}

// canonical returns the uri a new story's version belongs to: an alias's story, the
// owner of its fingerprint, or uri itself (claiming the fingerprint).
func (w *writer) canonical(uri, fingerprint string) (string, error) {
	var to string
	switch err := w.tx.QueryRowContext(w.ctx, aliasSQL, uri).Scan(&to); {
	case err == nil:
		return to, nil
	case !errors.Is(err, sql.ErrNoRows):
		return "", fmt.Errorf("alias: %w", err)
	}
	if fingerprint == "" {
		return uri, nil
	}
	if _, err := w.tx.ExecContext(w.ctx, claimFingerprintSQL, fingerprint, uri); err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	if err := w.tx.QueryRowContext(w.ctx, fingerprintOwnerSQL, fingerprint).Scan(&to); err != nil {
		return "", fmt.Errorf("fingerprint owner: %w", err)
	}
	return to, nil
}

// redirect stores a story's sources as exact-duplicate appearances of canonical and
// remembers the uri as its alias.
func (w *writer) redirect(r record.Row, canonical string) error {
	if _, err := w.tx.ExecContext(w.ctx, addAliasSQL, r.URI, canonical); err != nil {
		return fmt.Errorf("alias of %s: %w", canonical, err)
	}
	if _, err := w.tx.ExecContext(w.ctx, moveSourcesSQL, r.URI, canonical); err != nil {
		return fmt.Errorf("move early appearances to %s: %w", canonical, err)
	}
	if _, err := w.tx.ExecContext(w.ctx, dropSourcesSQL, r.URI); err != nil {
		return fmt.Errorf("move early appearances to %s: %w", canonical, err)
	}
	for _, s := range r.Sources {
		if s.Relation == pipeline.RelationOriginal {
			s.Relation, s.Similarity = pipeline.RelationDuplicate, 0
		}
		if err := w.source(canonical, s); err != nil {
			return err
		}
	}
	return nil
}

// appearance attaches a copy to its story, or to the story its uri was redirected to.
// A copy whose story is not stored yet is kept under that uri and shows once it is.
func (w *writer) appearance(a pipeline.Appearance) error {
	uri := a.URI
	var to string
	switch err := w.tx.QueryRowContext(w.ctx, aliasSQL, uri).Scan(&to); {
	case err == nil:
		uri = to
	case !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("alias: %w", err)
	}
	if a.Fingerprint != "" {
		if _, err := w.tx.ExecContext(w.ctx, claimFingerprintSQL, a.Fingerprint, uri); err != nil {
			return fmt.Errorf("fingerprint: %w", err)
		}
	}
	return w.source(uri, a.Source)
}

func (w *writer) source(uri string, s pipeline.Source) error {
	if _, err := w.addSource.ExecContext(w.ctx, uri, s.Feed, s.GUID, s.URL, formatTime(s.Seen), s.Relation, s.Similarity); err != nil {
		return fmt.Errorf("source %s/%s: %w", s.Feed, s.GUID, err)
	}
	return nil
}

// List returns stories newest first; see store.Store. Stories, their sources and their
// version counts are read in one transaction, so they agree.
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
	if q.Usable {
		where = append(where, `pubstatus IN ('usable', '')`)
	}
	query := `SELECT uri, firstcreated, fingerprint, doc FROM stories`
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
	out, err := d.read(ctx, tx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list: %w", err)
	}
	return out, nil
}

// Get returns one story with its version history, oldest first; see store.Store. A uri
// that was turned into an appearance of another story gives that story.
func (d *DB) Get(ctx context.Context, uri string) (pipeline.Story, error) {
	tx, err := d.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("sqlite: get %s: begin: %w", uri, err)
	}
	defer func() { _ = tx.Rollback() }() // read-only: nothing to keep
	const query = `SELECT uri, firstcreated, fingerprint, doc FROM stories
		WHERE uri = ?1 OR uri = (SELECT canonical FROM story_aliases WHERE uri = ?1)
		ORDER BY uri = ?1 DESC LIMIT 1`
	found, err := d.read(ctx, tx, query, uri)
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("sqlite: get %s: %w", uri, err)
	}
	if len(found) == 0 {
		return pipeline.Story{}, fmt.Errorf("sqlite: get %s: %w", uri, record.ErrNotFound)
	}
	s := found[0]
	rows, err := tx.QueryContext(ctx, `SELECT version, verdict, versioncreated, headline, change
		FROM story_versions WHERE uri = ? ORDER BY version`, s.URI)
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("sqlite: get %s: history: %w", uri, err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			v       pipeline.VersionInfo
			created string
		)
		if err := rows.Scan(&v.Version, &v.Verdict, &created, &v.Headline, &v.Change); err != nil {
			return pipeline.Story{}, fmt.Errorf("sqlite: get %s: history: %w", uri, err)
		}
		if v.VersionCreated, err = parseTime(created); err != nil {
			return pipeline.Story{}, fmt.Errorf("sqlite: get %s: history: version %d: %w", uri, v.Version, err)
		}
		s.History = append(s.History, v)
	}
	if err := rows.Err(); err != nil {
		return pipeline.Story{}, fmt.Errorf("sqlite: get %s: history: %w", uri, err)
	}
	return s, nil
}

// read runs a query selecting uri, firstcreated, fingerprint and doc, and restores its
// stories with their sources and version counts.
func (d *DB) read(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]pipeline.Story, error) {
	type found struct {
		uri, fingerprint string
		first            sql.NullString
		doc              string
	}
	var hits []found
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var f found
		if err := rows.Scan(&f.uri, &f.first, &f.fingerprint, &f.doc); err != nil {
			rows.Close()
			return nil, fmt.Errorf("scan: %w", err)
		}
		hits = append(hits, f)
	}
	if err := errors.Join(rows.Err(), rows.Close()); err != nil {
		return nil, err
	}
	if len(hits) == 0 {
		return []pipeline.Story{}, nil
	}

	uris := make([]string, len(hits))
	for i, h := range hits {
		uris[i] = h.uri
	}
	// One JSON parameter instead of one placeholder per uri: no SQLite variable limit.
	list, err := json.Marshal(uris)
	if err != nil {
		return nil, err
	}
	sources, err := d.sources(ctx, tx, string(list))
	if err != nil {
		return nil, err
	}
	versions, err := d.versionCounts(ctx, tx, string(list))
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.Story, 0, len(hits))
	for _, h := range hits {
		var first time.Time
		if h.first.Valid {
			if first, err = parseTime(h.first.String); err != nil {
				return nil, fmt.Errorf("story %s: firstcreated: %w", h.uri, err)
			}
		}
		s, err := record.Restore([]byte(h.doc), record.Stored{FirstCreated: first, Fingerprint: h.fingerprint,
			Versions: versions[h.uri], Sources: sources[h.uri]})
		if err != nil {
			return nil, fmt.Errorf("story %s: %w", h.uri, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *DB) sources(ctx context.Context, tx *sql.Tx, uris string) (map[string][]pipeline.Source, error) {
	rows, err := tx.QueryContext(ctx, `SELECT uri, feed, guid, url, seen, relation, similarity FROM story_sources
		WHERE uri IN (SELECT value FROM json_each(?))`, uris)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	defer rows.Close()
	out := make(map[string][]pipeline.Source)
	for rows.Next() {
		var (
			uri, seen string
			s         pipeline.Source
		)
		if err := rows.Scan(&uri, &s.Feed, &s.GUID, &s.URL, &seen, &s.Relation, &s.Similarity); err != nil {
			return nil, fmt.Errorf("sources: scan: %w", err)
		}
		if s.Seen, err = parseTime(seen); err != nil {
			return nil, fmt.Errorf("story %s: source seen: %w", uri, err)
		}
		out[uri] = append(out[uri], s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
}

func (d *DB) versionCounts(ctx context.Context, tx *sql.Tx, uris string) (map[string]int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT uri, count(*) FROM story_versions
		WHERE uri IN (SELECT value FROM json_each(?)) GROUP BY uri`, uris)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	defer rows.Close()
	out := make(map[string]int)
	for rows.Next() {
		var (
			uri string
			n   int
		)
		if err := rows.Scan(&uri, &n); err != nil {
			return nil, fmt.Errorf("versions: scan: %w", err)
		}
		out[uri] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	return out, nil
}

// Close closes the database. It is safe to call more than once.
func (d *DB) Close() error {
	d.closeOnce.Do(func() {
		var errs []error
		for _, st := range []*sql.Stmt{d.upsertStory, d.earliest, d.addSource, d.addVersion} {
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
