package feed

import (
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
		{"unknown top-level key", "feedz: []\n", "field feedz not found"},
		{"unknown feed key", "feeds:\n  - id: a\n    url: https://x.example/\n    intervall: 1m\n", "field intervall not found"},
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
	if len(ff.Feeds) != 3 {
		t.Errorf("got %d feeds, want 3", len(ff.Feeds))
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
