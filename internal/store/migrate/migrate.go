// Package migrate reads a backend's embedded schema migrations and decides which of
// them a database still needs. Each backend applies them itself, under its own lock,
// and records them in its schema_migrations table.
package migrate

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
)

// Migration is one schema step, read from a file named NNNN_name.sql.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// ErrSchemaTooNew is returned when a database records a migration this build does not
// know: it was migrated by a newer wirehose, and writing to it could lose data.
var ErrSchemaTooNew = errors.New("database schema is newer than this build")

// Load reads every *.sql file in dir of fsys. Versions must run 1, 2, 3... without
// gaps or repeats, so a missing or misnamed file fails at open, not in production data.
func Load(fsys fs.FS, dir string) ([]Migration, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	var ms []Migration
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 || name == "" {
			return nil, fmt.Errorf("migration %s: name must look like 0001_name.sql", e.Name())
		}
		b, err := fs.ReadFile(fsys, path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("migration %s: %w", e.Name(), err)
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(b)})
	}
	slices.SortFunc(ms, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %04d_%s: want version %d (versions must run 1, 2, 3... without gaps or repeats)", m.Version, m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("read migrations: no .sql files in %s", dir)
	}
	return ms, nil
}

// Pending returns the migrations of all whose version is not in applied, in order.
// It fails with ErrSchemaTooNew when applied holds a version all does not have.
func Pending(all []Migration, applied []int) ([]Migration, error) {
	known := make(map[int]bool, len(all))
	for _, m := range all {
		known[m.Version] = true
	}
	done := make(map[int]bool, len(applied))
	for _, v := range applied {
		if !known[v] {
			return nil, fmt.Errorf("%w: it has migration %d, this build knows 1-%d", ErrSchemaTooNew, v, len(all))
		}
		done[v] = true
	}
	var todo []Migration
	for _, m := range all {
		if !done[m.Version] {
			todo = append(todo, m)
		}
	}
	return todo, nil
}
