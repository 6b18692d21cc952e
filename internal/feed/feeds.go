package feed

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"regexp"
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
	// AllowPrivateNetworks turns the fetcher's address guard off, letting feeds
	// resolve to loopback and private addresses (test servers, intranet wires);
	// off by default. The Poller copies it into FetchConfig.AllowPrivateNetworks.
	AllowPrivateNetworks bool   `yaml:"allow_private_networks"`
	Feeds                []Feed `yaml:"feeds"`
}

// Feed is one entry of the feeds file.
type Feed struct {
	ID       string        `yaml:"id"`                 // unique and stable: it scopes item identity and state
	URL      string        `yaml:"url"`                // absolute http or https URL
	Format   string        `yaml:"format"`             // one of Formats(); empty means auto
	Provider string        `yaml:"provider,omitempty"` // default agency for the feed's items; optional
	Interval time.Duration `yaml:"interval,omitempty"` // poll interval; zero means the poller's default
	Auth     FeedAuth      `yaml:"auth,omitempty"`     // credentials from environment variables; zero: none
}

// Credential types of FeedAuth.Type.
const (
	AuthBasic  = "basic"
	AuthBearer = "bearer"
)

// ErrCredentials: a feed's credentials could not be read from its environment
// variables. The error names the variable, never a value.
var ErrCredentials = errors.New("feed credentials unavailable")

// FeedAuth says where a feed's credentials are: the names of environment
// variables, read at every poll so a rotated secret is picked up without a
// restart. The secrets themselves never sit in the feeds file or in a struct
// that could be logged.
type FeedAuth struct {
	Type        string `yaml:"type"`         // basic or bearer; empty: no credentials
	UsernameEnv string `yaml:"username_env"` // basic
	PasswordEnv string `yaml:"password_env"` // basic
	TokenEnv    string `yaml:"token_env"`    // bearer
}

// IsZero reports whether the feed has no credentials configured.
func (a FeedAuth) IsZero() bool { return a == FeedAuth{} }

// EnvNames lists the environment variables the credentials are read from.
func (a FeedAuth) EnvNames() []string {
	switch a.Type {
	case AuthBasic:
		return []string{a.UsernameEnv, a.PasswordEnv}
	case AuthBearer:
		return []string{a.TokenEnv}
	}
	return nil
}

// Validate checks the configuration (not the variables: they may be set only
// where ingest runs); the error names the field.
func (a FeedAuth) Validate() error { return errors.Join(a.problems()...) }

func (a FeedAuth) problems() []error {
	if a.IsZero() {
		return nil
	}
	var errs []error
	need := func(field, name string) {
		if name == "" {
			errs = append(errs, fmt.Errorf("auth.%s: is required for %s auth", field, a.Type))
		} else if !validEnvName(name) {
			errs = append(errs, fmt.Errorf("auth.%s: %q is not an environment variable name (letters, digits and '_', not starting with a digit)", field, name))
		}
	}
	unused := func(field, name string) {
		if name != "" {
			errs = append(errs, fmt.Errorf("auth.%s: not used by %s auth", field, a.Type))
		}
	}
	switch a.Type {
	case AuthBasic:
		need("username_env", a.UsernameEnv)
		need("password_env", a.PasswordEnv)
		unused("token_env", a.TokenEnv)
	case AuthBearer:
		need("token_env", a.TokenEnv)
		unused("username_env", a.UsernameEnv)
		unused("password_env", a.PasswordEnv)
	case "":
		errs = append(errs, fmt.Errorf("auth.type: is required (%s or %s)", AuthBasic, AuthBearer))
	default:
		errs = append(errs, fmt.Errorf("auth.type: %q is not %s or %s", a.Type, AuthBasic, AuthBearer))
	}
	return errs
}

func validEnvName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r == '_' || i > 0 && r >= '0' && r <= '9'
		if !ok {
			return false
		}
	}
	return true
}

// header builds the Authorization header from the environment, as of now.
// Errors name the variable and never carry a value.
func (a FeedAuth) header(lookup func(string) (string, bool)) (string, error) {
	get := func(name string) (string, error) {
		v, ok := lookup(name)
		if !ok || v == "" {
			return "", fmt.Errorf("%w: environment variable %s is not set", ErrCredentials, name)
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
			return "", fmt.Errorf("%w: environment variable %s contains a control character", ErrCredentials, name)
		}
		return v, nil
	}
	switch a.Type {
	case AuthBasic:
		user, err := get(a.UsernameEnv)
		if err != nil {
			return "", err
		}
		if strings.Contains(user, ":") {
			// RFC 7617: the user-id cannot contain a colon.
			return "", fmt.Errorf("%w: environment variable %s contains ':', which basic auth does not allow in a user name", ErrCredentials, a.UsernameEnv)
		}
		pass, err := get(a.PasswordEnv)
		if err != nil {
			return "", err
		}
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+pass)), nil
	case AuthBearer:
		tok, err := get(a.TokenEnv)
		if err != nil {
			return "", err
		}
		return "Bearer " + tok, nil
	}
	return "", fmt.Errorf("%w: auth type %q is not %s or %s", ErrCredentials, a.Type, AuthBasic, AuthBearer)
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

// ParseFeeds decodes and validates a feeds file; the error lists every problem
// (see CheckFeeds). Unknown keys are an error, so a misspelt option fails
// loudly instead of being ignored.
func ParseFeeds(b []byte) (FeedsFile, error) {
	ff, problems := CheckFeeds(b)
	if len(problems) > 0 {
		return FeedsFile{}, errors.Join(problems...)
	}
	return ff, nil
}

// CheckFeeds decodes and validates a feeds file and returns every problem it
// finds, one error each, naming the line or the feed and field; none means the
// file is valid. Decoding goes on past unknown keys and wrongly typed values,
// so one run reports them together with the validation problems.
func CheckFeeds(b []byte) (FeedsFile, []error) {
	var ff FeedsFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var problems []error
	if err := dec.Decode(&ff); err != nil {
		var te *yaml.TypeError
		switch {
		case errors.Is(err, io.EOF):
			return FeedsFile{}, []error{errors.New("feeds: at least one feed is required (the file is empty)")}
		case errors.As(err, &te):
			for _, msg := range te.Errors {
				problems = append(problems, errors.New(friendlyYAMLError(msg)))
			}
		default:
			return FeedsFile{}, []error{fmt.Errorf("decode yaml: %w", err)}
		}
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
		f.Auth.Type = strings.ToLower(strings.TrimSpace(f.Auth.Type))
		f.Auth.UsernameEnv = strings.TrimSpace(f.Auth.UsernameEnv)
		f.Auth.PasswordEnv = strings.TrimSpace(f.Auth.PasswordEnv)
		f.Auth.TokenEnv = strings.TrimSpace(f.Auth.TokenEnv)
	}
	problems = append(problems, ff.problems()...)
	if len(problems) > 0 {
		return FeedsFile{}, problems
	}
	return ff, nil
}

var unknownFieldRE = regexp.MustCompile(`^(line \d+): field (\S+) not found in type feed\.(\w+)$`)

// friendlyYAMLError rewords the decoder's "field x not found in type feed.Feed".
func friendlyYAMLError(msg string) string {
	m := unknownFieldRE.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	where := "a feed"
	switch m[3] {
	case "FeedsFile":
		where = "the feeds file"
	case "FeedAuth":
		where = "a feed's auth"
	}
	return fmt.Sprintf("%s: unknown key %q in %s", m[1], m[2], where)
}

// Validate checks every feed and reports all problems at once (an
// errors.Join), each naming the feed and the field.
func (ff FeedsFile) Validate() error { return errors.Join(ff.problems()...) }

func (ff FeedsFile) problems() []error {
	if len(ff.Feeds) == 0 {
		return []error{errors.New("feeds: at least one feed is required")}
	}
	var errs []error
	seen := make(map[string]int, len(ff.Feeds))
	for i, f := range ff.Feeds {
		where := fmt.Sprintf("feeds[%d] (id %q)", i, f.ID)
		for _, err := range f.problems() {
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
	return errs
}

// Validate checks one feed and reports all its problems, each naming the field.
func (f Feed) Validate() error { return errors.Join(f.problems()...) }

func (f Feed) problems() []error {
	var errs []error
	if err := validateID(f.ID); err != nil {
		errs = append(errs, fmt.Errorf("id: %w", err))
	}
	if err := validateFeedURL(f.URL); err != nil {
		errs = append(errs, fmt.Errorf("url: %w", err))
	}
	if !validFormat(f.Format) {
		errs = append(errs, fmt.Errorf("format: %q is not one of %s", f.Format, strings.Join(Formats(), ", ")))
	}
	if f.Interval < 0 {
		errs = append(errs, errors.New("interval: must not be negative"))
	} else if f.Interval != 0 && f.Interval < minInterval {
		errs = append(errs, fmt.Errorf("interval: %s is below the minimum of %s", f.Interval, minInterval))
	}
	return append(errs, f.Auth.problems()...)
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
