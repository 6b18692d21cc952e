package demo_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"

	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

var fetched = time.Date(2026, 3, 11, 8, 0, 0, 0, time.UTC)

func get(t *testing.T, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func TestDemoFeedsParse(t *testing.T) {
	srv := httptest.NewServer(demo.Handler(demo.Options{}))
	defer srv.Close()

	guids := map[string]string{}
	languages := map[string]int{}
	for _, df := range demo.Feeds() {
		t.Run(df.ID, func(t *testing.T) {
			resp, body := get(t, srv.URL+df.Path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d", resp.StatusCode)
			}
			f := feed.Feed{ID: df.ID, URL: srv.URL + df.Path, Format: df.Format, Provider: df.Provider}
			items, err := feed.Parse(f, body, resp.Header.Get("Content-Type"), fetched)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(items) != df.Items || len(items) < 8 || len(items) > 12 {
				t.Fatalf("got %d items, want %d (between 8 and 12)", len(items), df.Items)
			}
			hashes := map[string]bool{}
			for _, it := range items {
				if it.GUID == "" || it.Title == "" || it.Summary == "" || it.Body == "" || it.Link == "" || it.Published == nil || len(it.Authors) == 0 || it.Language == "" {
					t.Errorf("incomplete demo item %+v", it)
				}
				if prev, dup := guids[it.GUID]; dup {
					t.Errorf("guid %s in both %s and %s", it.GUID, prev, df.ID)
				}
				guids[it.GUID] = df.ID
				if hashes[it.ContentHash] {
					t.Errorf("two items of %s share content", df.ID)
				}
				hashes[it.ContentHash] = true
				if !strings.Contains(it.Link, ".example/") {
					t.Errorf("link %q is not on a reserved .example host", it.Link)
				}
				languages[strings.SplitN(it.Language, "-", 2)[0]]++
			}
			if df.ID == "meridian-world" {
				for _, it := range items {
					if !strings.HasSuffix(it.Body, "<p>MPA</p>") {
						t.Errorf("%s: the agency credit is not alone on the last line: %q", it.GUID, it.Body)
					}
					if !strings.Contains(it.Body, "<p>"+it.Summary+"</p>") {
						t.Errorf("%s: the body does not open with the standfirst", it.GUID)
					}
				}
			}
		})
	}
	for _, lang := range []string{"en", "fr", "es", "de"} {
		if languages[lang] == 0 {
			t.Errorf("no demo story in %s (languages: %v)", lang, languages)
		}
	}
}

func TestDemoConditionalGet(t *testing.T) {
	srv := httptest.NewServer(demo.Handler(demo.Options{}))
	defer srv.Close()
	for _, df := range demo.Feeds() {
		t.Run(df.ID, func(t *testing.T) {
			resp, _ := get(t, srv.URL+df.Path, nil)
			etag, lastMod := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
			if etag == "" || lastMod == "" {
				t.Fatalf("ETag %q, Last-Modified %q: both are needed", etag, lastMod)
			}
			for name, h := range map[string]http.Header{
				"If-None-Match":     {"If-None-Match": {etag}},
				"If-Modified-Since": {"If-Modified-Since": {lastMod}},
			} {
				resp, body := get(t, srv.URL+df.Path, h)
				if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
					t.Errorf("%s: status %d with %d bytes, want 304", name, resp.StatusCode, len(body))
				}
			}
			resp, _ = get(t, srv.URL+df.Path, http.Header{"If-None-Match": {`"stale"`}})
			if resp.StatusCode != http.StatusOK {
				t.Errorf("stale ETag: status %d, want 200", resp.StatusCode)
			}
		})
	}
}

func TestDemoBulk(t *testing.T) {
	const n = 3000
	srv := httptest.NewServer(demo.Handler(demo.Options{Items: n}))
	defer srv.Close()

	resp, body := get(t, srv.URL+demo.BulkPath, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if string(demo.Bulk(n)) != string(body) {
		t.Error("the bulk feed is not deterministic")
	}
	items, err := feed.Parse(feed.Feed{ID: "bulk", URL: srv.URL + demo.BulkPath, Format: feed.FormatRSS}, body, resp.Header.Get("Content-Type"), fetched)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if len(items) != n {
		t.Fatalf("got %d items, want %d", len(items), n)
	}
	guids, hashes, bodies := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, it := range items {
		guids[it.GUID], hashes[it.ContentHash], bodies[it.Body] = true, true, true
	}
	if len(guids) != n || len(hashes) != n || len(bodies) != n {
		t.Errorf("distinct guids %d, hashes %d, bodies %d; want %d of each", len(guids), len(hashes), len(bodies), n)
	}

	plain := httptest.NewServer(demo.Handler(demo.Options{}))
	defer plain.Close()
	if resp, _ := get(t, plain.URL+demo.BulkPath, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("bulk feed without Options.Items: status %d, want 404", resp.StatusCode)
	}
}

func TestFeedsYAML(t *testing.T) {
	ff, err := feed.ParseFeeds(demo.FeedsYAML("http://127.0.0.1:8080/"))
	if err != nil {
		t.Fatalf("ParseFeeds: %v\n%s", err, demo.FeedsYAML("http://127.0.0.1:8080/"))
	}
	if !ff.AllowPrivateNetworks {
		t.Error("the demo feeds file must allow private networks: it points at loopback")
	}
	if len(ff.Feeds) != len(demo.Feeds()) {
		t.Fatalf("got %d feeds, want %d", len(ff.Feeds), len(demo.Feeds()))
	}
	if got := ff.Feeds[0].URL; got != "http://127.0.0.1:8080/meridian-world.xml" {
		t.Errorf("url = %q", got)
	}
	if ff.Feeds[0].Provider != "Meridian Press" || ff.Feeds[0].Interval != 0 {
		t.Errorf("feeds[0] = %+v", ff.Feeds[0])
	}
}

type memWriter struct {
	mu   sync.Mutex
	msgs []pipeline.Message
}

func (w *memWriter) Write(ctx context.Context, msgs ...pipeline.Message) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.msgs = append(w.msgs, msgs...)
	return nil
}

func TestPollAllAgainstServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base, err := demo.Serve(ctx, "127.0.0.1:0", demo.Options{})
	if err != nil {
		t.Fatalf("Serve: %v", err)
	}
	ff, err := feed.ParseFeeds(demo.FeedsYAML(base))
	if err != nil {
		t.Fatal(err)
	}
	w := &memWriter{}
	p, err := feed.NewPoller(feed.PollerConfig{}, ff, w, "wire.raw", zaptest.NewLogger(t))
	if err != nil {
		t.Fatal(err)
	}

	res, err := p.PollAll(ctx)
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	want := 0
	for _, df := range demo.Feeds() {
		want += df.Items
	}
	if tot := res.Totals(); tot.Failed != 0 || tot.New != want || len(w.msgs) != want {
		t.Fatalf("first pass: totals %+v, %d messages; want %d new", tot, len(w.msgs), want)
	}
	keys := map[string]bool{}
	for _, m := range w.msgs {
		keys[string(m.Key)] = true
	}
	if len(keys) != want {
		t.Errorf("%d distinct story keys, want %d", len(keys), want)
	}

	res, err = p.PollAll(ctx)
	if err != nil {
		t.Fatalf("PollAll: %v", err)
	}
	if tot := res.Totals(); tot.NotModified != len(demo.Feeds()) || tot.New != 0 || len(w.msgs) != want {
		t.Errorf("second pass: totals %+v, %d messages; want every feed not modified and nothing new", tot, len(w.msgs))
	}
}

func TestServe(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", "192.0.2.1:0", "wire.example:80"} {
		if _, err := demo.Serve(context.Background(), addr, demo.Options{}); err == nil || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("Serve(%q) = %v, want a loopback error", addr, err)
		}
	}

	ctx, cancel := context.WithCancel(context.Background())
	base, err := demo.Serve(ctx, "127.0.0.1:0", demo.Options{})
	if err != nil {
		t.Fatal(err)
	}
	resp, body := get(t, base+"/", nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "/meridian-world.xml") {
		t.Errorf("index: %d %q", resp.StatusCode, body)
	}
	cancel()
	// Shutdown is asynchronous; wait (bounded) for the listener to close.
	var lastErr error
	for range 100 {
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get(base + "/")
		if err != nil {
			lastErr = err
			break
		}
		resp.Body.Close()
		time.Sleep(20 * time.Millisecond)
	}
	if lastErr == nil {
		t.Errorf("server still answering after ctx was cancelled (last error %v)", lastErr)
	}
}
