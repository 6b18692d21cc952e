package feed

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const validFeedsYAML = `allow_private_networks: true
feeds:
  - id: afp-world              # unique, stable
    url: http://127.0.0.1:8080/afp-world.xml
    format: auto               # auto|rss|atom|jsonfeed|newsmlg2|ninjs (auto = sniff)
    provider: AFP              # optional default agency for the feed's items
    interval: 1m               # optional
  - id: wire.sport_2
    url: https://wire.example/sport.json
    format: jsonfeed
    interval: 90s
  - id: minimal
    url: https://wire.example/min.xml
  - id: afp-fr
    url: https://wire.example/afp-fr.xml
    auth:
      type: Basic
      username_env: AFP_USER
      password_env: AFP_PASS
  - id: ap
    url: https://wire.example/ap.json
    auth: {type: bearer, token_env: AP_TOKEN}
`

func TestParseFeedsValid(t *testing.T) {
	ff, err := ParseFeeds([]byte(validFeedsYAML))
	if err != nil {
		t.Fatalf("ParseFeeds: %v", err)
	}
	if !ff.AllowPrivateNetworks {
		t.Error("allow_private_networks not stored")
	}
	want := []Feed{
		{ID: "afp-world", URL: "http://127.0.0.1:8080/afp-world.xml", Format: FormatAuto, Provider: "AFP", Interval: time.Minute},
		{ID: "wire.sport_2", URL: "https://wire.example/sport.json", Format: FormatJSONFeed, Interval: 90 * time.Second},
		{ID: "minimal", URL: "https://wire.example/min.xml", Format: FormatAuto},
		{ID: "afp-fr", URL: "https://wire.example/afp-fr.xml", Format: FormatAuto,
			Auth: FeedAuth{Type: AuthBasic, UsernameEnv: "AFP_USER", PasswordEnv: "AFP_PASS"}},
		{ID: "ap", URL: "https://wire.example/ap.json", Format: FormatAuto, Auth: FeedAuth{Type: AuthBearer, TokenEnv: "AP_TOKEN"}},
	}
	if len(ff.Feeds) != len(want) {
		t.Fatalf("got %d feeds, want %d", len(ff.Feeds), len(want))
	}
	for i := range want {
		if ff.Feeds[i] != want[i] {
			t.Errorf("feeds[%d] = %+v, want %+v", i, ff.Feeds[i], want[i])
		}
	}
}

func TestParseFeedsInvalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		want string // substring of the error
	}{
		{"empty file", "", "at least one feed"},
		{"no feeds", "feeds: []\n", "at least one feed"},
		{"unknown top-level key", "feedz: []\n", `line 1: unknown key "feedz" in the feeds file`},
		{"unknown feed key", "feeds:\n  - id: a\n    url: https://x.example/\n    intervall: 1m\n", `line 4: unknown key "intervall" in a feed`},
		{"unknown auth key", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: bearer\n      token: abc\n", `line 6: unknown key "token" in a feed's auth`},
		{"auth without type", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      token_env: T\n", `feeds[0] (id "a"): auth.type: is required (basic or bearer)`},
		{"auth of unknown type", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: digest\n", `auth.type: "digest" is not basic or bearer`},
		{"basic without password", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: basic\n      username_env: U\n", `auth.password_env: is required for basic auth`},
		{"basic without user", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: basic\n      password_env: P\n", `auth.username_env: is required for basic auth`},
		{"bearer without token", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: bearer\n", `auth.token_env: is required for bearer auth`},
		{"bearer with a password", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: bearer\n      token_env: T\n      password_env: P\n", `auth.password_env: not used by bearer auth`},
		{"env name with a dash", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: bearer\n      token_env: AFP-TOKEN\n", `auth.token_env: "AFP-TOKEN" is not an environment variable name`},
		{"env name starting with a digit", "feeds:\n  - id: a\n    url: https://x.example/\n    auth:\n      type: bearer\n      token_env: 1TOKEN\n", `"1TOKEN" is not an environment variable name`},
		{"missing id", "feeds:\n  - url: https://x.example/\n", `feeds[0] (id ""): id: is required`},
		{"id with a space", "feeds:\n  - id: a b\n    url: https://x.example/\n", `feeds[0] (id "a b"): id: may contain only`},
		{"id with a slash", "feeds:\n  - id: a/b\n    url: https://x.example/\n", `feeds[0] (id "a/b"): id: may contain only`},
		{"duplicate id", "feeds:\n  - id: a\n    url: https://x.example/1\n  - id: a\n    url: https://x.example/2\n", `feeds[1] (id "a"): id: duplicate of feeds[0]`},
		{"missing url", "feeds:\n  - id: a\n", `feeds[0] (id "a"): url: is required`},
		{"ftp url", "feeds:\n  - id: a\n  - id: x\n    url: ftp://x.example/f.xml\n", `feeds[1] (id "x"): url: must be http or https`},
		{"relative url", "feeds:\n  - id: a\n    url: /feed.xml\n", `feeds[0] (id "a"): url: must be http or https`},
		{"url without host", "feeds:\n  - id: a\n    url: 'http:///feed.xml'\n", `feeds[0] (id "a"): url: must be absolute`},
		{"url with credentials", "feeds:\n  - id: a\n    url: https://u:p@x.example/\n", `url: must not contain credentials`},
		{"unknown format", "feeds:\n  - id: a\n    url: https://x.example/\n    format: xml\n", `feeds[0] (id "a"): format: "xml" is not one of`},
		{"interval too short", "feeds:\n  - id: a\n    url: https://x.example/\n    interval: 500ms\n", `feeds[0] (id "a"): interval: 500ms is below the minimum of 1s`},
		{"negative interval", "feeds:\n  - id: a\n    url: https://x.example/\n    interval: -1m\n", `interval: must not be negative`},
		{"interval without unit", "feeds:\n  - id: a\n    url: https://x.example/\n    interval: 60\n", "time.Duration"},
		{"interval not a duration", "feeds:\n  - id: a\n    url: https://x.example/\n    interval: soon\n", "time.Duration"},
		{"feeds not a list", "feeds: {id: a}\n", "cannot unmarshal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseFeeds([]byte(tt.yaml))
			if err == nil {
				t.Fatalf("ParseFeeds succeeded, want an error containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}

func TestParseFeedsReportsEveryProblem(t *testing.T) {
	_, err := ParseFeeds([]byte("feeds:\n  - id: a\n    url: ftp://x.example/\n  - id: b\n    url: https://x.example/\n    format: pdf\n"))
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{`feeds[0] (id "a"): url`, `feeds[1] (id "b"): format`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}

func TestLoadFeeds(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "feeds.yaml")
	if err := os.WriteFile(path, []byte(validFeedsYAML), 0o600); err != nil {
		t.Fatal(err)
	}
	ff, err := LoadFeeds(path)
	if err != nil {
		t.Fatalf("LoadFeeds: %v", err)
	}
	if len(ff.Feeds) != 5 {
		t.Errorf("got %d feeds, want 5", len(ff.Feeds))
	}

	if _, err := LoadFeeds(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "missing.yaml") {
		t.Errorf("missing file: error %v should name the file", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte("feeds:\n  - id: a\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFeeds(bad); err == nil || !strings.Contains(err.Error(), "bad.yaml") || !strings.Contains(err.Error(), "url: is required") {
		t.Errorf("invalid file: error %v should name the file and the field", err)
	}
}

func TestCheckFeedsListsEveryProblem(t *testing.T) {
	const doc = `allow_private_networks: false
timeout: 5s
feeds:
  - id: a
    url: ftp://x.example/
    intervall: 1m
  - id: a
    url: https://x.example/2
    format: pdf
    interval: 10ms
  - id: "b c"
    auth:
      type: basic
      token_env: T
`
	_, problems := CheckFeeds([]byte(doc))
	want := []string{
		`line 2: unknown key "timeout" in the feeds file`,
		`line 6: unknown key "intervall" in a feed`,
		`feeds[0] (id "a"): url: must be http or https`,
		`feeds[1] (id "a"): format: "pdf" is not one of auto, rss, atom, jsonfeed, newsmlg2, ninjs`,
		`feeds[1] (id "a"): interval: 10ms is below the minimum of 1s`,
		`feeds[1] (id "a"): id: duplicate of feeds[0]`,
		`feeds[2] (id "b c"): id: may contain only letters, digits, '.', '_' and '-' (found ' ')`,
		`feeds[2] (id "b c"): url: is required`,
		`feeds[2] (id "b c"): auth.username_env: is required for basic auth`,
		`feeds[2] (id "b c"): auth.password_env: is required for basic auth`,
		`feeds[2] (id "b c"): auth.token_env: not used by basic auth`,
	}
	var got []string
	for _, p := range problems {
		got = append(got, p.Error())
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Validate and ParseFeeds report the same list, joined.
	_, err := ParseFeeds([]byte(doc))
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("ParseFeeds error:\n%v\nwant the same list", err)
	}
}

func TestCheckFeedsValid(t *testing.T) {
	ff, problems := CheckFeeds([]byte(validFeedsYAML))
	if len(problems) != 0 || len(ff.Feeds) != 5 {
		t.Fatalf("CheckFeeds = %d feeds, problems %v", len(ff.Feeds), problems)
	}
}

func TestFeedAuthHeader(t *testing.T) {
	env := map[string]string{"U": "desk", "P": "pw:with:colons", "T": "tok", "EMPTY": "", "COLON": "a:b", "CTRL": "to\x00k"}
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	tests := []struct {
		name    string
		auth    FeedAuth
		want    string
		wantErr string
	}{
		{"basic", FeedAuth{Type: AuthBasic, UsernameEnv: "U", PasswordEnv: "P"}, "Basic ZGVzazpwdzp3aXRoOmNvbG9ucw==", ""},
		{"bearer", FeedAuth{Type: AuthBearer, TokenEnv: "T"}, "Bearer tok", ""},
		{"unset user", FeedAuth{Type: AuthBasic, UsernameEnv: "NOPE", PasswordEnv: "P"}, "", "environment variable NOPE is not set"},
		{"empty token", FeedAuth{Type: AuthBearer, TokenEnv: "EMPTY"}, "", "environment variable EMPTY is not set"},
		{"colon in user", FeedAuth{Type: AuthBasic, UsernameEnv: "COLON", PasswordEnv: "P"}, "", "environment variable COLON contains ':'"},
		{"control character", FeedAuth{Type: AuthBearer, TokenEnv: "CTRL"}, "", "environment variable CTRL contains a control character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.auth.header(lookup)
			if tt.wantErr != "" {
				if !errors.Is(err, ErrCredentials) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want ErrCredentials saying %q", err, tt.wantErr)
				}
				for _, v := range env {
					if len(v) > 2 && strings.Contains(err.Error(), v) {
						t.Errorf("error %q carries the value of a variable", err)
					}
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("header = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}
