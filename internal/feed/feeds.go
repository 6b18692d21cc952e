package feed

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Feed formats. FormatAuto sniffs the document; the others are checked against it.
const (
	FormatAuto     = "auto"
	FormatRSS      = "rss"
	FormatAtom     = "atom"
	FormatJSONFeed = "jsonfeed"
	FormatNewsMLG2 = "newsmlg2"
	FormatNinjs    = "ninjs"
)

// Formats lists every value accepted in a feed's format field.
func Formats() []string {
	return []string{FormatAuto, FormatRSS, FormatAtom, FormatJSONFeed, FormatNewsMLG2, FormatNinjs}
}

// minInterval keeps a typo like "1ms" from turning ingest into a load generator.
const minInterval = time.Second

// maxIDLen bounds feed ids: they travel in every RawItem and in log lines.
const maxIDLen = 128

// FeedsFile is the list of feeds ingest polls.
type FeedsFile struct {
	// AllowPrivateNetworks lets feeds resolve to loopback and private addresses.
	// It is stored for the fetcher's address guard; off by default.
	AllowPrivateNetworks bool   `yaml:"allow_private_networks"`
	Feeds                []Feed `yaml:"feeds"`
}

// Feed is one entry of the feeds file.
type Feed struct {
	ID       string        `yaml:"id"`       // unique and stable: it scopes item identity and state
	URL      string        `yaml:"url"`      // absolute http or https URL
	Format   string        `yaml:"format"`   // one of Formats(); empty means auto
	Provider string        `yaml:"provider"` // default agency for the feed's items; optional
	Interval time.Duration `yaml:"interval"` // poll interval; zero means the poller's default
}

// LoadFeeds reads and validates a feeds file.
func LoadFeeds(path string) (FeedsFile, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return FeedsFile{}, fmt.Errorf("feeds file: %w", err)
	}
	ff, err := ParseFeeds(b)
	if err != nil {
		return FeedsFile{}, fmt.Errorf("feeds file %s: %w", path, err)
	}
	return ff, nil
}

// ParseFeeds decodes and validates a feeds file. Unknown keys are an error, so a
// misspelt option fails loudly instead of being ignored.
func ParseFeeds(b []byte) (FeedsFile, error) {
	var ff FeedsFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&ff); err != nil {
		if errors.Is(err, io.EOF) {
			return FeedsFile{}, errors.New("feeds: at least one feed is required (the file is empty)")
		}
		return FeedsFile{}, fmt.Errorf("decode yaml: %w", err)
	}
	for i := range ff.Feeds {
		f := &ff.Feeds[i]
		f.ID = strings.TrimSpace(f.ID)
		f.URL = strings.TrimSpace(f.URL)
		f.Provider = strings.TrimSpace(f.Provider)
		f.Format = strings.TrimSpace(f.Format)
		if f.Format == "" {
			f.Format = FormatAuto
		}
	}
	if err := ff.Validate(); err != nil {
		return FeedsFile{}, err
	}
	return ff, nil
}

// Validate checks every feed and reports all problems at once, each naming the
// feed and the field.
func (ff FeedsFile) Validate() error {
	if len(ff.Feeds) == 0 {
		return errors.New("feeds: at least one feed is required")
	}
	var errs []error
	seen := make(map[string]int, len(ff.Feeds))
	for i, f := range ff.Feeds {
		where := fmt.Sprintf("feeds[%d] (id %q)", i, f.ID)
		if err := f.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
		if f.ID == "" {
			continue
		}
		if j, dup := seen[f.ID]; dup {
			errs = append(errs, fmt.Errorf("%s: id: duplicate of feeds[%d]", where, j))
			continue
		}
		seen[f.ID] = i
	}
	return errors.Join(errs...)
}

// Validate checks one feed; the error names the field.
func (f Feed) Validate() error {
	if err := validateID(f.ID); err != nil {
		return fmt.Errorf("id: %w", err)
	}
	if err := validateFeedURL(f.URL); err != nil {
		return fmt.Errorf("url: %w", err)
	}
	if !validFormat(f.Format) {
		return fmt.Errorf("format: %q is not one of %s", f.Format, strings.Join(Formats(), ", "))
	}
	if f.Interval < 0 {
		return errors.New("interval: must not be negative")
	}
	if f.Interval != 0 && f.Interval < minInterval {
		return fmt.Errorf("interval: %s is below the minimum of %s", f.Interval, minInterval)
	}
	return nil
}

func validateID(id string) error {
	if id == "" {
		return errors.New("is required")
	}
	if len(id) > maxIDLen {
		return fmt.Errorf("is longer than %d characters", maxIDLen)
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return fmt.Errorf("may contain only letters, digits, '.', '_' and '-' (found %q)", r)
		}
	}
	return nil
}

func validateFeedURL(raw string) error {
	if raw == "" {
		return errors.New("is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return fmt.Errorf("not a valid URL: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return errors.New("must be http or https")
	}
	if u.Host == "" || u.Hostname() == "" {
		return errors.New("must be absolute, with a host")
	}
	if u.User != nil {
		// Credentials in the URL would end up in logs and in every RawItem.
		return errors.New("must not contain credentials")
	}
	return nil
}

func validFormat(f string) bool {
	if f == "" {
		return true // auto
	}
	for _, ok := range Formats() {
		if f == ok {
			return true
		}
	}
	return false
}
