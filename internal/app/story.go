package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// StoryConfig configures `wirehose story URI`.
type StoryConfig struct {
	DB   string `yaml:"db"`
	JSON bool   `yaml:"json"` // the Story JSON object with its history
}

// DefaultStoryConfig reads the database `wirehose dev` writes by default.
func DefaultStoryConfig() StoryConfig {
	return StoryConfig{DB: DefaultDevConfig().dbPath()}
}

// Validate checks every field and names the one that is wrong.
func (c StoryConfig) Validate() error {
	if c.DB == "" {
		return errors.New("db: a SQLite file path or a postgres:// DSN is required")
	}
	return nil
}

// StorySpec is the command line of `wirehose story`.
func StorySpec() config.Spec {
	return config.Spec{Name: "wirehose story", Args: "URI", Help: map[string]string{
		"db":   "SQLite file path or postgres:// DSN",
		"json": "print the Story JSON object (IPTC ninjs field names) with its version history",
	}, Summary: "Prints one story with its version history and every appearance of it in the feeds."}
}

// StoryCommand is `wirehose story URI`.
func StoryCommand(ctx context.Context, c StoryConfig, args []string, out io.Writer) error {
	switch {
	case len(args) == 0:
		return usageErrorf("a story uri is required")
	case len(args) > 1:
		return usageErrorf("unexpected argument %q", args[1])
	}
	return ShowStory(ctx, c, args[0], out)
}

// ShowStory prints one stored story: its fields, its versions oldest first and its
// appearances, or the Story JSON object with --json.
func ShowStory(ctx context.Context, c StoryConfig, uri string, out io.Writer) error {
	st, err := openExisting(ctx, c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := st.Get(ctx, uri)
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no story with uri %q in %s", uri, c.DB)
	}
	if err != nil {
		return err
	}
	if c.JSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if err := enc.Encode(s); err != nil {
			return fmt.Errorf("write story: %w", err)
		}
		return nil
	}
	if err := printStory(out, s); err != nil {
		return fmt.Errorf("write story: %w", err)
	}
	return nil
}

// located is the dateline place with the country and coordinates it resolved to.
func located(s pipeline.Story) string {
	if s.Location == nil {
		return s.Located
	}
	return fmt.Sprintf("%s (%s, %s %.4f %.4f)", s.Located, s.Location.Name, s.Location.Country, s.Location.Lat, s.Location.Lon)
}

// entityNames lists entities with their other forms: "Olaf Scholz (Scholz); ...".
func entityNames(list []pipeline.Entity) string {
	out := make([]string, 0, len(list))
	for _, e := range list {
		if len(e.Aliases) > 0 {
			out = append(out, e.Name+" ("+strings.Join(e.Aliases, ", ")+")")
		} else {
			out = append(out, e.Name)
		}
	}
	return strings.Join(out, "; ")
}

func placeNames(list []pipeline.Place) string {
	out := make([]string, 0, len(list))
	for _, p := range list {
		out = append(out, p.Name+" "+dash(p.Country))
	}
	return strings.Join(out, "; ")
}

// subjectNames lists subjects with their codes and, for assigned ones, the confidence.
func subjectNames(list []pipeline.Subject) string {
	out := make([]string, 0, len(list))
	for _, sub := range list {
		name := sub.Code
		if sub.Name != "" {
			name += " " + sub.Name
		}
		if sub.Confidence > 0 {
			name += fmt.Sprintf(" %.2f", sub.Confidence)
		}
		out = append(out, name)
	}
	return strings.Join(out, "; ")
}

// enrichers lists the chain that made the story, "name@version", marking failures.
func enrichers(e *pipeline.Enrichment) string {
	if e == nil {
		return ""
	}
	out := make([]string, 0, len(e.Enrichers))
	for _, r := range e.Enrichers {
		item := r.Name + "@" + r.Version
		if r.Error != "" {
			item += " FAILED: " + clip(r.Error, 80)
		}
		out = append(out, item)
	}
	if e.Partial {
		return strings.Join(out, ", ") + " (partly enriched)"
	}
	return strings.Join(out, ", ")
}

func printStory(out io.Writer, s pipeline.Story) error {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	field := func(name, value string) {
		if value != "" {
			fmt.Fprintf(tw, "%s\t%s\n", name, value)
		}
	}
	field("uri", s.URI)
	if s.Dedupe != nil && s.Dedupe.Cluster != "" && s.Dedupe.Cluster != s.URI {
		field("cluster", s.Dedupe.Cluster)
	}
	field("headline", s.Headline())
	st := dash(s.PubStatus)
	if s.PubStatus == pipeline.PubStatusCanceled {
		st += " (killed: retracted by its provider)"
	}
	field("status", st)
	field("version", fmt.Sprintf("%d of %d", s.Version, s.Versions))
	field("language", s.Language)
	field("provider", s.Provider)
	field("firstcreated", timeText(s.FirstCreated))
	field("versioncreated", timeText(s.VersionCreated))
	field("by", s.By)
	field("located", located(s))
	field("people", entityNames(s.People))
	field("organisations", entityNames(s.Organisations))
	field("places", placeNames(s.Places))
	field("subjects", subjectNames(s.Subjects))
	field("keywords", strings.Join(s.Keywords, "; "))
	if s.Tone != nil {
		field("tone", fmt.Sprintf("%+.2f (%d words)", s.Tone.Score, s.WordCount))
	}
	field("enrichers", enrichers(s.Enrichment))
	if s.Dedupe != nil {
		field("fingerprint", s.Dedupe.Fingerprint)
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	if len(s.Quotes) > 0 {
		fmt.Fprintf(out, "\nQuotes (%d)\n", len(s.Quotes))
		tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "SPEAKER\tQUOTE")
		for _, q := range s.Quotes {
			fmt.Fprintf(tw, "%s\t%s\n", dash(q.Speaker), clip(q.Text, 100))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}

	fmt.Fprintf(out, "\nVersions (%d)\n", len(s.History))
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "V\tVERDICT\tVERSIONCREATED\tHEADLINE\tCHANGE")
	for _, v := range s.History {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", v.Version, dash(v.Verdict), timeText(v.VersionCreated),
			clip(v.Headline, 60), dash(clip(v.Change, 60)))
	}
	if err := tw.Flush(); err != nil {
		return err
	}

	fmt.Fprintf(out, "\nAppearances (%d)\n", len(s.Sources))
	tw = tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SEEN\tFEED\tRELATION\tSIMILARITY\tGUID\tURL")
	for _, src := range s.Sources {
		sim := "-"
		if src.Relation == pipeline.RelationNearDuplicate {
			sim = strconv.FormatFloat(src.Similarity, 'f', 2, 64)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", timeText(src.Seen), src.Feed, dash(src.Relation), sim,
			dash(clip(src.GUID, 40)), dash(strings.TrimSpace(src.URL)))
	}
	return tw.Flush()
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
