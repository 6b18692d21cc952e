package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/internal/store/sqlite"
	"github.com/wirehose/wirehose/internal/store/storetest"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestStore(t *testing.T) {
	// One database file per test, in a directory that does not exist yet: Open creates it.
	var (
		mu    sync.Mutex
		paths = map[*testing.T]string{}
	)
	storetest.Run(t, func(t *testing.T) store.Store {
		mu.Lock()
		path, ok := paths[t]
		if !ok {
			path = filepath.Join(t.TempDir(), "data", "wirehose.db")
			paths[t] = path
		}
		mu.Unlock()
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatalf("open %s: %v", path, err)
		}
		return db
	})
}

func testStory(uri string, version int, feed string) pipeline.Story {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	return pipeline.Story{
		URI: uri, Version: version, PubStatus: pipeline.PubStatusUsable,
		FirstCreated: now, VersionCreated: now,
		Headlines: []pipeline.Headline{{Value: "Test headline " + uri}},
		Bodies:    []pipeline.Body{{Value: "Test body.", ContentType: "text/plain"}},
		Sources:   []pipeline.Source{{Feed: feed, GUID: uri, Seen: now}},
	}
}

func TestMemory(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	if err := db.Upsert(ctx, testStory("urn:m:1", 1, "wire"), testStory("urn:m:2", 1, "wire")); err != nil {
		t.Fatalf("upsert: %v", err)
	}
	got, err := db.List(ctx, store.Query{})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(got) != 2 {
		t.Fatalf("in-memory store holds %d stories, want 2", len(got))
	}
	// A second in-memory store is a different database.
	other, err := sqlite.Open(ctx, sqlite.Memory)
	if err != nil {
		t.Fatalf("open second: %v", err)
	}
	defer other.Close()
	if got, err := other.List(ctx, store.Query{}); err != nil || len(got) != 0 {
		t.Errorf("second in-memory store: %d stories, err %v; want 0, nil", len(got), err)
	}
}

// Two handles on one file stand in for two processes: opening and writing at once
// must wait on the file lock, not fail with SQLITE_BUSY.
func TestTwoHandlesOpenAndWriteAtOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	const handles = 3
	dbs := make([]*sqlite.DB, handles)
	errs := make([]error, handles)
	var wg sync.WaitGroup
	for i := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dbs[i], errs[i] = sqlite.Open(context.Background(), path)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer dbs[i].Close()
	}
	for i := range handles {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := range 10 {
				batch := []pipeline.Story{
					testStory(fmt.Sprintf("urn:h:%d", n), 1, fmt.Sprintf("feed-%d", i)),
					testStory(fmt.Sprintf("urn:h:%d", 9-n), 1, fmt.Sprintf("feed-%d", i)),
				}
				if err := dbs[i].Upsert(context.Background(), batch...); err != nil {
					errs[i] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("handle %d: upsert: %v", i, err)
		}
	}
	got, err := dbs[0].List(context.Background(), store.Query{Limit: 100})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	if len(got) != 10 {
		t.Fatalf("store holds %d stories, want 10", len(got))
	}
	for _, s := range got {
		if len(s.Sources) != handles {
			t.Errorf("story %s has %d sources, want %d", s.URI, len(s.Sources), handles)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	blocker := filepath.Join(dir, "file")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		path string
	}{
		{"empty path", ""},
		{"question mark in the path", filepath.Join(dir, "what?.db")},
		{"parent is a file", filepath.Join(blocker, "wirehose.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, err := sqlite.Open(context.Background(), tt.path)
			if err == nil {
				db.Close()
				t.Fatalf("open %q succeeded, want an error", tt.path)
			}
		})
	}
}

func TestCloseTwice(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Close(); err != nil {
		t.Fatalf("first close: %v", err)
	}
	if err := db.Close(); err != nil {
		t.Errorf("second close: %v", err)
	}
	if err := db.Upsert(context.Background(), testStory("urn:closed", 1, "f")); err == nil {
		t.Error("upsert after close succeeded, want an error")
	}
}

func TestUpsertHonoursContext(t *testing.T) {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = db.Upsert(ctx, testStory("urn:ctx", 1, "f"))
	if !errors.Is(err, context.Canceled) {
		t.Errorf("upsert with a cancelled context = %v, want context.Canceled", err)
	}
}
