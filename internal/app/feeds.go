package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
)

// FeedsConfig configures `wirehose feeds`. The import-opml fields are read
// only by that action.
type FeedsConfig struct {
	Kafka    kafka.Config  `yaml:"kafka"`    // status: where the feed-state topic is
	Out      string        `yaml:"out"`      // import-opml: the feeds file to write; empty: standard output
	Force    bool          `yaml:"force"`    // import-opml: overwrite Out if it exists
	Provider string        `yaml:"provider"` // import-opml: default agency of every imported feed
	Interval time.Duration `yaml:"interval"` // import-opml: poll interval of every imported feed; zero: the poller's default
}

// DefaultFeedsConfig returns the defaults.
func DefaultFeedsConfig() FeedsConfig { return FeedsConfig{Kafka: kafka.DefaultConfig()} }

// Validate checks every field and names the one that is wrong.
func (c FeedsConfig) Validate() error {
	if err := c.Kafka.Validate(); err != nil {
		return err
	}
	return c.importOptions().Validate()
}

func (c FeedsConfig) importOptions() feed.ImportOptions {
	return feed.ImportOptions{Provider: strings.TrimSpace(c.Provider), Interval: c.Interval}
}

// FeedsSpec is the command line of `wirehose feeds`.
func FeedsSpec() config.Spec {
	help := map[string]string{
		"out":      "import-opml: write the feeds file here instead of standard output",
		"force":    "import-opml: overwrite --out if it exists",
		"provider": "import-opml: default agency (provider) of every imported feed",
		"interval": "import-opml: poll interval of every imported feed, e.g. 5m (default: the poller's)",
	}
	for k, v := range commonHelp {
		if strings.HasPrefix(k, "kafka.") {
			help[k] = "status: " + v
		}
	}
	return config.Spec{Name: "wirehose feeds", Args: "check FILE | import-opml FILE | status [FILE]", Help: help,
		Aliases: brokersAlias, Summary: `check FILE: validates a feeds file and lists every problem found (duplicate ids, bad URLs,
unknown formats or keys, bad intervals, credentials misconfigured); exit 0 when valid, 1 when not.
import-opml FILE: writes a feeds file from an OPML 1.0/2.0 subscription list; ids come from the
outline titles. It never overwrites an existing --out without --force.
status [FILE]: prints every feed's health from the feed-state topic (last status, last success,
next poll, interval, error streak, silent); with the feeds file it also lists feeds never polled.`}
}

// FeedsCommand is `wirehose feeds ACTION ...`.
func FeedsCommand(ctx context.Context, c FeedsConfig, args []string, out io.Writer) error {
	if len(args) == 0 {
		return usageErrorf("want an action: check FILE, import-opml FILE or status [FILE]")
	}
	action, rest := args[0], args[1:]
	switch action {
	case "check":
		return CheckFeedsFile(ctx, rest, out)
	case "import-opml":
		return ImportOPMLFile(ctx, c, rest, out)
	case "status":
		return FeedsStatus(ctx, c.Kafka, rest, out)
	}
	return usageErrorf("unknown action %q: want check, import-opml or status", action)
}

// CheckFeedsFile prints every problem of a feeds file, one a line, and fails
// when there is any; a valid file gets notes on what ingest will need, and a
// one-line summary.
func CheckFeedsFile(_ context.Context, args []string, out io.Writer) error {
	if len(args) != 1 {
		return usageErrorf("check wants one feeds file, got %d arguments", len(args))
	}
	path := args[0]
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("feeds file: %w", err)
	}
	ff, problems := feed.CheckFeeds(b)
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintf(out, "%s: %v\n", path, p)
		}
		return fmt.Errorf("%s: %s found", path, plural(len(problems), "problem"))
	}
	withAuth := 0
	for i, f := range ff.Feeds {
		if f.Auth.IsZero() {
			continue
		}
		withAuth++
		where := fmt.Sprintf("feeds[%d] (id %q)", i, f.ID)
		if strings.HasPrefix(f.URL, "http://") {
			fmt.Fprintf(out, "%s: warning: %s: credentials will be sent unencrypted over http\n", path, where)
		}
		for _, name := range f.Auth.EnvNames() {
			if v, ok := os.LookupEnv(name); !ok || v == "" {
				fmt.Fprintf(out, "%s: note: %s: environment variable %s is not set here; ingest reads it at every poll\n", path, where, name)
			}
		}
	}
	guard := "address guard on"
	if ff.AllowPrivateNetworks {
		guard = "allow_private_networks: true, address guard off"
	}
	fmt.Fprintf(out, "%s: valid: %s, %d with credentials, %s\n", path, plural(len(ff.Feeds), "feed"), withAuth, guard)
	return nil
}

// ImportOPMLFile writes a feeds file from an OPML subscription list, to c.Out or
// to out. Outlines that cannot become feeds are listed in the file's header
// comment and, when writing to a file, on out.
func ImportOPMLFile(_ context.Context, c FeedsConfig, args []string, out io.Writer) error {
	if len(args) != 1 {
		return usageErrorf("import-opml wants one OPML file, got %d arguments", len(args))
	}
	src := args[0]
	if c.Out != "" && samePath(src, c.Out) {
		return usageErrorf("--out %s is the OPML file being read", c.Out)
	}
	f, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("opml file: %w", err)
	}
	outlines, err := feed.ParseOPML(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	imp := feed.ImportOPML(outlines, c.importOptions())
	if len(imp.Feeds.Feeds) == 0 {
		for _, s := range imp.Skipped {
			fmt.Fprintf(out, "%s: skipped: %s\n", src, s)
		}
		return fmt.Errorf("%s: no outline with a usable http or https xmlUrl (%d skipped)", src, len(imp.Skipped))
	}
	header := fmt.Sprintf("Feeds imported from %s (%s, %d skipped). Check with: wirehose feeds check FILE",
		filepath.Base(src), plural(len(imp.Feeds.Feeds), "feed"), len(imp.Skipped))
	b, err := imp.YAML(header)
	if err != nil {
		return err
	}
	// What is written must load: the same parser ingest uses is the judge.
	if _, err := feed.ParseFeeds(b); err != nil {
		return fmt.Errorf("%s: the feeds file made from it does not validate: %w", src, err)
	}
	if c.Out == "" {
		if _, err := out.Write(b); err != nil {
			return fmt.Errorf("write feeds file: %w", err)
		}
		return nil
	}
	if err := writeFeedsFile(c.Out, b, c.Force); err != nil {
		return err
	}
	for _, s := range imp.Skipped {
		fmt.Fprintf(out, "%s: skipped: %s\n", src, s)
	}
	fmt.Fprintf(out, "wrote %s to %s (%d outlines skipped)\n", plural(len(imp.Feeds.Feeds), "feed"), c.Out, len(imp.Skipped))
	return nil
}

// writeFeedsFile writes b to path: only if path does not exist, unless force,
// and then through a temporary file renamed over it, so a reader never sees
// half a feeds file.
func writeFeedsFile(path string, b []byte, force bool) error {
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s exists; pass --force to overwrite it", path)
		}
		if err != nil {
			return fmt.Errorf("write feeds file: %w", err)
		}
		if _, err := f.Write(b); err != nil {
			f.Close()
			return fmt.Errorf("write feeds file %s: %w", path, err)
		}
		if err := f.Close(); err != nil {
			return fmt.Errorf("write feeds file %s: %w", path, err)
		}
		return nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write feeds file: %w", err)
	}
	defer os.Remove(tmp.Name()) // after a successful rename there is nothing left to remove
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return fmt.Errorf("write feeds file %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("write feeds file %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write feeds file %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write feeds file %s: %w", path, err)
	}
	return nil
}

func samePath(a, b string) bool {
	aa, err1 := filepath.Abs(a)
	bb, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && aa == bb
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
