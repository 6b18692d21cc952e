package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// StoriesConfig configures `wirehose stories`.
type StoriesConfig struct {
	DB    string        `yaml:"db"`
	JSON  bool          `yaml:"json"`  // one Story JSON object per line
	Q     string        `yaml:"q"`     // full-text query over headline, body and entity names
	Since time.Duration `yaml:"since"` // only stories whose versioncreated is within this duration
	Limit int           `yaml:"limit"`
	// Usable hides killed and withheld stories; by default they stay listed, marked, so
	// a desk sees what was withdrawn.
	Usable bool `yaml:"usable"`
}

// DefaultStoriesConfig reads the database `wirehose dev` writes by default.
func DefaultStoriesConfig() StoriesConfig {
	return StoriesConfig{DB: DefaultDevConfig().dbPath(), Limit: 50}
}

// Validate checks every field and names the one that is wrong.
func (c StoriesConfig) Validate() error {
	if c.DB == "" {
		return errors.New("db: a SQLite file path or a postgres:// DSN is required")
	}
	if c.Limit < 1 {
		return fmt.Errorf("limit: must be at least 1, got %d", c.Limit)
	}
	if c.Since < 0 {
		return errors.New("since: must not be negative")
	}
	return nil
}

// openExisting opens a store for reading; a SQLite file must exist already, so a typo
// in --db does not create an empty database.
func openExisting(ctx context.Context, db string) (store.Store, error) {
	if !store.IsPostgres(db) {
		if _, err := os.Stat(db); err != nil {
			return nil, fmt.Errorf("db: no database at %s (start the pipeline first, or pass --db): %w", db, err)
		}
	}
	return store.Open(ctx, db)
}

// ListStories prints stored stories newest first, as a table or as JSON lines (each
// with its appearances, version count and dedupe data).
func ListStories(ctx context.Context, c StoriesConfig, out io.Writer) error {
	st, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	q := store.Query{Text: c.Q, Limit: c.Limit, Usable: c.Usable}
	if c.Since > 0 {
		q.Since = time.Now().Add(-c.Since)
	}
	stories, err := st.List(ctx, q)
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(out)
		for _, s := range stories {
			if err := enc.Encode(s); err != nil {
				return fmt.Errorf("write story: %w", err)
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VERSIONCREATED\tLANG\tPROVIDER\tV\tSTATUS\tCOPIES\tTOPIC\tHEADLINE\tURI")
	for _, s := range stories {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%d\t%s\t%s\t%s\n", s.VersionCreated.UTC().Format(time.RFC3339), dash(s.Language),
			dash(s.Provider), s.Version, status(s), copies(s), dash(clip(mainTopic(s), 24)), clip(s.Headline(), 70), s.URI)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write stories: %w", err)
	}
	return nil
}

// mainTopic is the name of the story's best IPTC Media Topic, as the enricher assigned it.
func mainTopic(s pipeline.Story) string {
	for _, sub := range s.Subjects {
		if sub.Confidence > 0 {
			return sub.Name
		}
	}
	return ""
}

// status marks a story a desk must not use: killed (pubstatus canceled) or withheld.
func status(s pipeline.Story) string {
	switch s.PubStatus {
	case pipeline.PubStatusCanceled:
		return "KILLED"
	case pipeline.PubStatusWithheld:
		return "WITHHELD"
	default:
		return "-"
	}
}

// copies counts the appearances of a story other than its own.
func copies(s pipeline.Story) int {
	n := 0
	for _, src := range s.Sources {
		if src.Relation == pipeline.RelationDuplicate || src.Relation == pipeline.RelationNearDuplicate {
			n++
		}
	}
	return n
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// StoriesCommand is `wirehose stories`.
func StoriesCommand(ctx context.Context, c StoriesConfig, args []string, out io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q", args[0])
	}
	return ListStories(ctx, c, out)
}
