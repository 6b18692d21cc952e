package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wirehose/wirehose/internal/feed"
)

// runFeeds runs `wirehose feeds ARGS` and returns the exit status and output.
func runFeeds(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = Command(FeedsSpec(), DefaultFeedsConfig(), args, &out, &errOut, FeedsCommand)
	return code, out.String(), errOut.String()
}

func writeTemp(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFeedsCheck(t *testing.T) {
	tests := []struct {
		name   string
		yaml   string
		code   int
		stdout []string // lines wanted, in order, after "FILE: "
		stderr string
	}{
		{"valid", `feeds:
  - id: afp-world
    url: https://wire.example/afp/world.xml
    format: newsmlg2
    auth: {type: bearer, token_env: WH_TEST_CHECK_UNSET_TOKEN}
  - id: ap
    url: https://wire.example/ap.json
`, ExitOK, []string{
			`note: feeds[0] (id "afp-world"): environment variable WH_TEST_CHECK_UNSET_TOKEN is not set here; ingest reads it at every poll`,
			`valid: 2 feeds, 1 with credentials, address guard on`,
		}, ""},
		{"valid with private networks", "allow_private_networks: true\nfeeds:\n  - id: a\n    url: http://127.0.0.1:8080/a.xml\n", ExitOK,
			[]string{"valid: 1 feed, 0 with credentials, allow_private_networks: true, address guard off"}, ""},
		{"credentials over http", "feeds:\n  - id: a\n    url: http://wire.example/a.xml\n    auth: {type: basic, username_env: HOME, password_env: PATH}\n", ExitOK,
			[]string{`warning: feeds[0] (id "a"): credentials will be sent unencrypted over http`, "valid: 1 feed, 1 with credentials, address guard on"}, ""},
		{"duplicate ids", "feeds:\n  - id: a\n    url: https://x.example/1\n  - id: a\n    url: https://x.example/2\n", ExitFailed,
			[]string{`feeds[1] (id "a"): id: duplicate of feeds[0]`}, "1 problem found"},
		{"bad url", "feeds:\n  - id: a\n    url: ftp://x.example/feed\n", ExitFailed,
			[]string{`feeds[0] (id "a"): url: must be http or https`}, "1 problem found"},
		{"unknown format", "feeds:\n  - id: a\n    url: https://x.example/\n    format: xml\n", ExitFailed,
			[]string{`feeds[0] (id "a"): format: "xml" is not one of auto, rss, atom, jsonfeed, newsmlg2, ninjs`}, "1 problem found"},
		{"bad interval", "feeds:\n  - id: a\n    url: https://x.example/\n    interval: 10ms\n", ExitFailed,
			[]string{`feeds[0] (id "a"): interval: 10ms is below the minimum of 1s`}, "1 problem found"},
		{"auth misconfigured", "feeds:\n  - id: a\n    url: https://x.example/\n    auth: {type: basic, username_env: U}\n", ExitFailed,
			[]string{`feeds[0] (id "a"): auth.password_env: is required for basic auth`}, "1 problem found"},
		{"unknown key", "feeds:\n  - id: a\n    url: https://x.example/\n    provder: AFP\n", ExitFailed,
			[]string{`line 4: unknown key "provder" in a feed`}, "1 problem found"},
		{"every problem listed", "feeds:\n  - id: a\n    url: ftp://x.example/\n  - id: a\n    url: https://x.example/\n    format: pdf\n", ExitFailed, []string{
			`feeds[0] (id "a"): url: must be http or https`,
			`feeds[1] (id "a"): format: "pdf" is not one of auto, rss, atom, jsonfeed, newsmlg2, ninjs`,
			`feeds[1] (id "a"): id: duplicate of feeds[0]`,
		}, "3 problems found"},
		{"empty file", "# nothing yet\n", ExitFailed, []string{"feeds: at least one feed is required (the file is empty)"}, "1 problem found"},
		{"not yaml", "feeds: [\n", ExitFailed, []string{"decode yaml: "}, "1 problem found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeTemp(t, "feeds.yaml", tt.yaml)
			code, stdout, stderr := runFeeds(t, "check", path)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, stdout, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			if len(lines) != len(tt.stdout) {
				t.Fatalf("stdout has %d lines, want %d:\n%s", len(lines), len(tt.stdout), stdout)
			}
			for i, want := range tt.stdout {
				if !strings.HasPrefix(lines[i], path+": "+want) {
					t.Errorf("line %d = %q, want %q", i, lines[i], path+": "+want)
				}
			}
			if tt.stderr == "" && stderr != "" || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("stderr = %q, want %q", stderr, tt.stderr)
			}
		})
	}
}

func TestFeedsUsage(t *testing.T) {
	valid := writeTemp(t, "feeds.yaml", "feeds:\n  - id: a\n    url: https://x.example/\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no action", nil, ExitUsage, "want an action"},
		{"unknown action", []string{"lint", valid}, ExitUsage, `unknown action "lint"`},
		{"check without a file", []string{"check"}, ExitUsage, "check wants one feeds file"},
		{"check with two files", []string{"check", valid, valid}, ExitUsage, "check wants one feeds file"},
		{"import without a file", []string{"import-opml"}, ExitUsage, "import-opml wants one OPML file"},
		{"import with a bad interval", []string{"import-opml", valid, "--interval", "10ms"}, ExitUsage, "interval: 10ms is below the minimum"},
		{"missing file", []string{"check", filepath.Join(t.TempDir(), "nope.yaml")}, ExitFailed, "nope.yaml"},
		{"help", []string{"--help"}, ExitOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runFeeds(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d containing %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}

const nestedOPML = "../feed/testdata/opml2-nested.opml"

func TestFeedsImportOPMLToStdout(t *testing.T) {
	code, stdout, stderr := runFeeds(t, "import-opml", nestedOPML, "--provider", "Desk", "--interval", "5m")
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	ff, err := feed.ParseFeeds([]byte(stdout))
	if err != nil {
		t.Fatalf("output is not a valid feeds file: %v\n%s", err, stdout)
	}
	if len(ff.Feeds) != 6 || ff.Feeds[0].ID != "wire-agency-world" || ff.Feeds[0].Provider != "Desk" || ff.Feeds[0].Interval.String() != "5m0s" {
		t.Fatalf("imported feeds = %+v", ff.Feeds)
	}
	if !strings.Contains(stdout, "# skipped: line ") {
		t.Errorf("skipped outlines are not listed in the header:\n%s", stdout)
	}
}

func TestFeedsImportOPMLRefusesToOverwrite(t *testing.T) {
	out := filepath.Join(t.TempDir(), "feeds.yaml")
	code, stdout, stderr := runFeeds(t, "import-opml", nestedOPML, "--out", out)
	if code != ExitOK {
		t.Fatalf("first import: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "wrote 6 feeds to "+out+" (2 outlines skipped)") || !strings.Contains(stdout, "skipped: line ") {
		t.Errorf("summary = %q", stdout)
	}
	first, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := feed.ParseFeeds(first); err != nil {
		t.Fatalf("written file does not validate: %v", err)
	}

	code, _, stderr = runFeeds(t, "import-opml", nestedOPML, "--out", out, "--provider", "Other")
	if code != ExitFailed || !strings.Contains(stderr, "exists; pass --force to overwrite it") {
		t.Fatalf("second import without --force: exit %d, stderr %q", code, stderr)
	}
	if again, _ := os.ReadFile(out); !bytes.Equal(again, first) {
		t.Fatal("the existing file was changed without --force")
	}

	code, _, stderr = runFeeds(t, "import-opml", nestedOPML, "--out", out, "--provider", "Other", "--force")
	if code != ExitOK {
		t.Fatalf("import with --force: exit %d: %s", code, stderr)
	}
	ff, err := feed.LoadFeeds(out)
	if err != nil || ff.Feeds[0].Provider != "Other" {
		t.Fatalf("after --force: %+v, %v", ff.Feeds, err)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".feeds.yaml.*")); len(leftovers) != 0 {
		t.Errorf("temporary files left behind: %v", leftovers)
	}
}

func TestFeedsImportOPMLErrors(t *testing.T) {
	notOPML := writeTemp(t, "feed.xml", `<?xml version="1.0"?><rss version="2.0"><channel/></rss>`)
	noFeeds := writeTemp(t, "empty.opml", `<opml version="2.0"><body><outline text="Folder"><outline text="Mail" xmlUrl="mailto:a@b.example"/></outline></body></opml>`)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"not OPML", []string{"import-opml", notOPML}, ExitFailed, "not an OPML document: the root element is <rss>"},
		{"no usable feed", []string{"import-opml", noFeeds}, ExitFailed, "no outline with a usable http or https xmlUrl (1 skipped)"},
		{"missing file", []string{"import-opml", filepath.Join(t.TempDir(), "nope.opml")}, ExitFailed, "nope.opml"},
		{"out is the input", []string{"import-opml", noFeeds, "--out", noFeeds, "--force"}, ExitUsage, "is the OPML file being read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runFeeds(t, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Fatalf("exit %d, stderr %q; want exit %d containing %q", code, stderr, tt.code, tt.want)
			}
		})
	}
}
