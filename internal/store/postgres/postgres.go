// Package postgres stores stories in PostgreSQL through a pgx v5 pool, with a
// generated tsvector column ('simple' configuration) and a GIN index for search.
//
// The DSN's search_path parameter chooses the schema: Open creates the first schema it
// names if missing and migrates it, so several wirehose deployments (or tests) can
// share one database, each in its own schema.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/wirehose/wirehose/internal/store/migrate"
	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// upsertAttempts bounds retries of a transaction PostgreSQL aborted to break a
// deadlock or a serialization conflict; any other error is returned at once.
const upsertAttempts = 3

// DB is a story store in one PostgreSQL schema.
type DB struct {
	pool   *pgxpool.Pool
	schema string // "" when the DSN leaves search_path to the server
}

// Open connects with a pgx DSN (URL or key=value), creates the search_path schema if
// missing, and applies pending migrations.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// The parser's error quotes the DSN, and redacting a malformed one is guesswork.
		return nil, errors.New("postgres: open: cannot parse the dsn (not shown: it may hold a password)")
	}
	schema, err := firstSchema(cfg.ConnConfig.RuntimeParams["search_path"])
	if err != nil {
		return nil, fmt.Errorf("postgres: open: search_path: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", target(cfg), err)
	}
	d := &DB{pool: pool, schema: schema}
	if err := d.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: open %s: %w", target(cfg), err)
	}
	return d, nil
}

// target names the database in errors without the credentials.
func target(cfg *pgxpool.Config) string {
	return fmt.Sprintf("%s:%d/%s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database)
}

// firstSchema returns the schema new tables go to: the first entry of a search_path,
// unquoted, or lowercased as PostgreSQL folds an unquoted name. "$user" and an unset
// search_path give "": the server decides, and nothing is created.
func firstSchema(searchPath string) (string, error) {
	p := strings.TrimSpace(searchPath)
	var name string
	if strings.HasPrefix(p, `"`) {
		// A quoted name may hold commas; "" inside it is one quote.
		var b strings.Builder
		i := 1
		for ; i < len(p); i++ {
			if p[i] != '"' {
				b.WriteByte(p[i])
				continue
			}
			if i+1 < len(p) && p[i+1] == '"' {
				b.WriteByte('"')
				i++
				continue
			}
			break
		}
		if i >= len(p) || b.Len() == 0 {
			return "", fmt.Errorf("malformed quoted schema name in %q", searchPath)
		}
		name = b.String()
	} else {
		first, _, _ := strings.Cut(p, ",")
		name = strings.ToLower(strings.TrimSpace(first))
	}
	if name == "$user" {
		return "", nil
	}
	return name, nil
}

// Schema is the schema the store was opened in, or "" when the server's search_path
// decides.
func (d *DB) Schema() string { return d.schema }

// migrate applies pending migrations in one transaction under an advisory lock keyed
// by the schema, so processes opening the same schema at once take turns.
func (d *DB) migrate(ctx context.Context) error {
	all, err := migrate.Load(migrationFiles, "migrations")
	if err != nil {
		return err
	}
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("migrate: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey(d.schema)); err != nil {
		return fmt.Errorf("migrate: advisory lock: %w", err)
	}
	if d.schema != "" {
		if _, err := tx.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+pgx.Identifier{d.schema}.Sanitize()); err != nil {
			return fmt.Errorf("migrate: create schema %s: %w", d.schema, err)
		}
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    integer     NOT NULL PRIMARY KEY,
		name       text        NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now()
	)`); err != nil {
		return fmt.Errorf("migrate: create schema_migrations: %w", err)
	}
	rows, err := tx.Query(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return fmt.Errorf("migrate: read schema_migrations: %w", err)
	}
	todo, err := migrate.Pending(all, applied)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	for _, m := range todo {
		// Without arguments pgx uses the simple protocol, which runs a multi-statement file.
		if _, err := tx.Exec(ctx, m.SQL); err != nil {
			return fmt.Errorf("migrate: apply %04d_%s: %w", m.Version, m.Name, err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
			return fmt.Errorf("migrate: record %04d_%s: %w", m.Version, m.Name, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("migrate: commit: %w", err)
	}
	return nil
}

func lockKey(schema string) int64 {
	h := fnv.New64a()
	h.Write([]byte("wirehose store migrate\x00" + schema))
	return int64(h.Sum64())
}

const (
	// A row is replaced only by an equal or newer version, and an identical redelivery
	// is not rewritten at all (replays cost reads, not writes).
	upsertStorySQL = `INSERT INTO stories AS s (uri, version, pubstatus, language, firstcreated,
		versioncreated, headline, body, byline, located, provider, fingerprint, doc, stored_at, updated_at, entities)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15)
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
	WHERE excluded.version > s.version
		OR (excluded.version = s.version AND excluded.doc IS DISTINCT FROM s.doc)`
	// Runs whatever the version, so a late older version still lowers firstcreated.
	earliestSQL = `UPDATE stories SET firstcreated = $2
	WHERE uri = $1 AND (firstcreated IS NULL OR firstcreated > $2)`
	// The first sighting of an appearance wins; a redelivery changes nothing.
	addSourceSQL = `INSERT INTO story_sources (uri, feed, guid, url, seen, relation, similarity)
	VALUES ($1, $2, $3, $4, $5, $6, $7)
	ON CONFLICT (uri, feed, guid) DO NOTHING`
	// Every version is kept; a redelivery of one rewrites it only when it differs, as
	// the stories row does for an equal version.
	addVersionSQL = `INSERT INTO story_versions AS v (uri, version, verdict, versioncreated, headline, change, stored_at)
	VALUES ($1, $2, $3, $4, $5, $6, $7)
	ON CONFLICT (uri, version) DO UPDATE SET
		verdict = excluded.verdict,
		versioncreated = excluded.versioncreated,
		headline = excluded.headline,
		change = excluded.change
	WHERE (excluded.verdict, excluded.versioncreated, excluded.headline, excluded.change)
		IS DISTINCT FROM (v.verdict, v.versioncreated, v.headline, v.change)`
	storyExistsSQL = `SELECT EXISTS (SELECT 1 FROM stories WHERE uri = $1)`
	aliasSQL       = `SELECT canonical FROM story_aliases WHERE uri = $1`
	// ON CONFLICT waits for a concurrent transaction inserting the same fingerprint to
	// finish; the owner is then read in a new snapshot (READ COMMITTED), so the later
	// transaction sees the earlier one's claim.
	claimFingerprintSQL = `INSERT INTO fingerprints (fingerprint, uri) VALUES ($1, $2) ON CONFLICT (fingerprint) DO NOTHING`
	fingerprintOwnerSQL = `SELECT uri FROM fingerprints WHERE fingerprint = $1`
	addAliasSQL         = `INSERT INTO story_aliases (uri, canonical) VALUES ($1, $2) ON CONFLICT (uri) DO NOTHING`
	// Appearances that arrived for a uri before it became an alias follow it.
	moveSourcesSQL = `WITH moved AS (DELETE FROM story_sources WHERE uri = $1 RETURNING *)
	INSERT INTO story_sources (uri, feed, guid, url, seen, relation, similarity)
	SELECT $2, feed, guid, url, seen, CASE relation WHEN 'original' THEN 'duplicate' ELSE relation END, similarity
	FROM moved
	ON CONFLICT (uri, feed, guid) DO NOTHING`
)

// Upsert writes stories in one transaction; see store.Store.
func (d *DB) Upsert(ctx context.Context, stories ...pipeline.Story) error {
	return d.Write(ctx, stories, nil)
}

// Attach stores appearances in one transaction; see store.Store.
func (d *DB) Attach(ctx context.Context, appearances ...pipeline.Appearance) error {
	return d.Write(ctx, nil, appearances)
}

// Write stores stories, then appearances, in one transaction; see store.Store. Stories
// are written in uri order (record.Rows), so concurrent batches lock rows in the same
// order; a deadlock that still happens (fingerprints are locked in another order) is
// retried.
func (d *DB) Write(ctx context.Context, stories []pipeline.Story, appearances []pipeline.Appearance) error {
	if len(stories) == 0 && len(appearances) == 0 {
		return nil
	}
	rows, apps, err := record.Batch(stories, appearances)
	if err != nil {
		return fmt.Errorf("postgres: write: %w", err)
	}
	for attempt := 1; ; attempt++ {
		err = d.write(ctx, rows, apps)
		if err == nil || attempt == upsertAttempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
	}
}

func (d *DB) write(ctx context.Context, rows []record.Row, apps []pipeline.Appearance) error {
	tx, err := d.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("postgres: write: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // a no-op after Commit
	w := writer{ctx: ctx, tx: tx, now: time.Now().UTC().Truncate(time.Microsecond)}
	for _, r := range rows {
		if err := w.story(r); err != nil {
			return fmt.Errorf("postgres: write story %s: %w", r.URI, err)
		}
	}
	for _, a := range apps {
		if err := w.appearance(a); err != nil {
			return fmt.Errorf("postgres: attach %s/%s to %s: %w", a.Source.Feed, a.Source.GUID, a.URI, err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("postgres: write %d stories, %d appearances: commit: %w", len(rows), len(apps), err)
	}
	return nil
}

// writer runs one write transaction.
type writer struct {
	ctx context.Context
	tx  pgx.Tx
	now time.Time
}

// story stores one version. A uri not stored yet whose fingerprint already belongs to
// another story (two enrich workers decided "new" for two copies at once), or that was
// turned into such an appearance before, becomes an appearance of that story.
func (w *writer) story(r record.Row) error {
	var exists bool
	if err := w.tx.QueryRow(w.ctx, storyExistsSQL, r.URI).Scan(&exists); err != nil {
		return fmt.Errorf("look up: %w", err)
	}
	if !exists {
		canonical, err := w.canonical(r.URI, r.Fingerprint)
		if err != nil {
			return err
		}
		if canonical != r.URI {
			return w.redirect(r, canonical)
		}
	} else if r.Fingerprint != "" {
		// A later version's text: same uri, so it never conflicts with itself.
		if _, err := w.tx.Exec(w.ctx, claimFingerprintSQL, r.Fingerprint, r.URI); err != nil {
			return fmt.Errorf("fingerprint: %w", err)
		}
	}
	b := &pgx.Batch{}
	b.Queue(upsertStorySQL, r.URI, r.Version, r.PubStatus, r.Language, nullTime(r.FirstCreated),
		r.VersionCreated, r.Headline, r.Body, r.Byline, r.Located, r.Provider, r.Fingerprint, r.Doc, w.now, r.Entities)
	what := []string{"upsert"}
	if !r.FirstCreated.IsZero() {
		b.Queue(earliestSQL, r.URI, r.FirstCreated)
		what = append(what, "firstcreated")
	}
	b.Queue(addVersionSQL, r.URI, r.Version, r.Verdict, r.VersionCreated, r.Headline, r.Change, w.now)
	what = append(what, fmt.Sprintf("version %d", r.Version))
	for _, s := range r.Sources {
		b.Queue(addSourceSQL, r.URI, s.Feed, s.GUID, s.URL, s.Seen, s.Relation, s.Similarity)
		what = append(what, "source "+s.Feed+"/"+s.GUID)
	}
	return w.run(b, what)
}

// run sends a batch and reports the first statement that failed.
func (w *writer) run(b *pgx.Batch, what []string) error {
	br := w.tx.SendBatch(w.ctx, b)
	for _, x := range what {
		if _, err := br.Exec(); err != nil {
			_ = br.Close() // the batch already failed; its first error is err
			return fmt.Errorf("%s: %w", x, err)
		}
	}
	return br.Close()
}

// canonical returns the uri a new story's version belongs to: an alias's story, the
// owner of its fingerprint, or uri itself (claiming the fingerprint).
func (w *writer) canonical(uri, fingerprint string) (string, error) {
	var to string
	switch err := w.tx.QueryRow(w.ctx, aliasSQL, uri).Scan(&to); {
	case err == nil:
		return to, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return "", fmt.Errorf("alias: %w", err)
	}
	if fingerprint == "" {
		return uri, nil
	}
	if _, err := w.tx.Exec(w.ctx, claimFingerprintSQL, fingerprint, uri); err != nil {
		return "", fmt.Errorf("fingerprint: %w", err)
	}
	if err := w.tx.QueryRow(w.ctx, fingerprintOwnerSQL, fingerprint).Scan(&to); err != nil {
		return "", fmt.Errorf("fingerprint owner: %w", err)
	}
	return to, nil
}

// redirect stores a story's sources as exact-duplicate appearances of canonical and
// remembers the uri as its alias.
func (w *writer) redirect(r record.Row, canonical string) error {
	b := &pgx.Batch{}
	b.Queue(addAliasSQL, r.URI, canonical)
	b.Queue(moveSourcesSQL, r.URI, canonical)
	what := []string{"alias of " + canonical, "move early appearances to " + canonical}
	for _, s := range r.Sources {
		if s.Relation == pipeline.RelationOriginal {
			s.Relation, s.Similarity = pipeline.RelationDuplicate, 0
		}
		b.Queue(addSourceSQL, canonical, s.Feed, s.GUID, s.URL, s.Seen, s.Relation, s.Similarity)
		what = append(what, "source "+s.Feed+"/"+s.GUID+" of "+canonical)
	}
	return w.run(b, what)
}

// appearance attaches a copy to its story, or to the story its uri was redirected to.
// A copy whose story is not stored yet is kept under that uri and shows once it is.
func (w *writer) appearance(a pipeline.Appearance) error {
	uri := a.URI
	var to string
	switch err := w.tx.QueryRow(w.ctx, aliasSQL, uri).Scan(&to); {
	case err == nil:
		uri = to
	case !errors.Is(err, pgx.ErrNoRows):
		return fmt.Errorf("alias: %w", err)
	}
	b := &pgx.Batch{}
	var what []string
	if a.Fingerprint != "" {
		b.Queue(claimFingerprintSQL, a.Fingerprint, uri)
		what = append(what, "fingerprint")
	}
	b.Queue(addSourceSQL, uri, a.Source.Feed, a.Source.GUID, a.Source.URL, a.Source.Seen, a.Source.Relation, a.Source.Similarity)
	what = append(what, "source")
	return w.run(b, what)
}

// retryable reports a deadlock or serialization failure: the transaction was rolled
// back and running it again can succeed.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// List returns stories newest first; see store.Store. Stories, their sources and their
// version counts are read in one snapshot, so they agree.
func (d *DB) List(ctx context.Context, q record.Query) ([]pipeline.Story, error) {
	var (
		where []string
		args  []any
	)
	if terms := q.Terms(); len(terms) > 0 {
		args = append(args, strings.Join(terms, " "))
		where = append(where, fmt.Sprintf(`search @@ plainto_tsquery('simple', $%d)`, len(args)))
	}
	if !q.Since.IsZero() {
		args = append(args, record.Time(q.Since))
		where = append(where, fmt.Sprintf(`versioncreated >= $%d`, len(args)))
	}
	if q.Usable {
		where = append(where, `pubstatus IN ('usable', '')`)
	}
	query := `SELECT uri, firstcreated, fingerprint, doc FROM stories`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	args = append(args, q.EffectiveLimit())
	query += fmt.Sprintf(` ORDER BY versioncreated DESC, uri LIMIT $%d`, len(args))

	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("postgres: list: begin: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // read-only: nothing to keep
	out, err := d.read(ctx, tx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list: %w", err)
	}
	return out, nil
}

// Get returns one story with its version history, oldest first; see store.Store. A uri
// that was turned into an appearance of another story gives that story.
func (d *DB) Get(ctx context.Context, uri string) (pipeline.Story, error) {
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("postgres: get %s: begin: %w", uri, err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // read-only: nothing to keep
	const query = `SELECT uri, firstcreated, fingerprint, doc FROM stories
		WHERE uri = $1 OR uri = (SELECT canonical FROM story_aliases WHERE uri = $1)
		ORDER BY uri = $1 DESC LIMIT 1`
	found, err := d.read(ctx, tx, query, uri)
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("postgres: get %s: %w", uri, err)
	}
	if len(found) == 0 {
		return pipeline.Story{}, fmt.Errorf("postgres: get %s: %w", uri, record.ErrNotFound)
	}
	s := found[0]
	rows, err := tx.Query(ctx, `SELECT version, verdict, versioncreated, headline, change
		FROM story_versions WHERE uri = $1 ORDER BY version`, s.URI)
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("postgres: get %s: history: %w", uri, err)
	}
	var v pipeline.VersionInfo
	_, err = pgx.ForEachRow(rows, []any{&v.Version, &v.Verdict, &v.VersionCreated, &v.Headline, &v.Change}, func() error {
		v.VersionCreated = v.VersionCreated.UTC()
		s.History = append(s.History, v)
		return nil
	})
	if err != nil {
		return pipeline.Story{}, fmt.Errorf("postgres: get %s: history: %w", uri, err)
	}
	return s, nil
}

// read runs a query selecting uri, firstcreated, fingerprint and doc, and restores its
// stories with their sources and version counts.
func (d *DB) read(ctx context.Context, tx pgx.Tx, query string, args ...any) ([]pipeline.Story, error) {
	type found struct {
		uri, fingerprint string
		first            *time.Time
		doc              []byte
	}
	rows, err := tx.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	hits, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (found, error) {
		var f found
		err := row.Scan(&f.uri, &f.first, &f.fingerprint, &f.doc)
		return f, err
	})
	if err != nil {
		return nil, err
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
	versions, err := d.versionCounts(ctx, tx, uris)
	if err != nil {
		return nil, err
	}
	out := make([]pipeline.Story, 0, len(hits))
	for _, h := range hits {
		var first time.Time
		if h.first != nil {
			first = *h.first
		}
		s, err := record.Restore(h.doc, record.Stored{FirstCreated: first, Fingerprint: h.fingerprint,
			Versions: versions[h.uri], Sources: sources[h.uri]})
		if err != nil {
			return nil, fmt.Errorf("story %s: %w", h.uri, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func (d *DB) sources(ctx context.Context, tx pgx.Tx, uris []string) (map[string][]pipeline.Source, error) {
	rows, err := tx.Query(ctx, `SELECT uri, feed, guid, url, seen, relation, similarity FROM story_sources WHERE uri = ANY($1)`, uris)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	out := make(map[string][]pipeline.Source, len(uris))
	var (
		uri string
		s   pipeline.Source
	)
	_, err = pgx.ForEachRow(rows, []any{&uri, &s.Feed, &s.GUID, &s.URL, &s.Seen, &s.Relation, &s.Similarity}, func() error {
		s.Seen = s.Seen.UTC()
		out[uri] = append(out[uri], s)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sources: %w", err)
	}
	return out, nil
}

func (d *DB) versionCounts(ctx context.Context, tx pgx.Tx, uris []string) (map[string]int, error) {
	rows, err := tx.Query(ctx, `SELECT uri, count(*) FROM story_versions WHERE uri = ANY($1) GROUP BY uri`, uris)
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	out := make(map[string]int, len(uris))
	var (
		uri string
		n   int
	)
	_, err = pgx.ForEachRow(rows, []any{&uri, &n}, func() error {
		out[uri] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("versions: %w", err)
	}
	return out, nil
}

// Close closes the pool. It is safe to call more than once.
func (d *DB) Close() error {
	d.pool.Close()
	return nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
