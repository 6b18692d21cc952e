package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap/zaptest"
)

func newTestFetcher(t *testing.T, cfg FetchConfig) *Fetcher {
	t.Helper()
	f, err := NewFetcher(cfg, zaptest.NewLogger(t))
	if err != nil {
		t.Fatalf("NewFetcher: %v", err)
	}
	t.Cleanup(f.CloseIdleConnections)
	return f
}

func TestFetchConditionalGet(t *testing.T) {
	const etag = `"v1"`
	const lastMod = "Tue, 10 Mar 2026 09:00:00 GMT"
	var bodies atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("If-None-Match") == etag && r.Header.Get("If-Modified-Since") == lastMod {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		bodies.Add(1)
		w.Header().Set("ETag", etag)
		w.Header().Set("Last-Modified", lastMod)
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	f := newTestFetcher(t, FetchConfig{})

	first, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil {
		t.Fatalf("first fetch: %v", err)
	}
	if string(first.Body) != "<rss/>" || first.Status != 200 || first.ContentType != "application/rss+xml" {
		t.Fatalf("first fetch = %+v", first)
	}
	if first.ETag != etag || first.LastModified != lastMod {
		t.Fatalf("validators = %+v", first.Validators)
	}

	second, err := f.Fetch(context.Background(), srv.URL, first.Validators)
	if !errors.Is(err, ErrNotModified) {
		t.Fatalf("second fetch error = %v, want ErrNotModified", err)
	}
	if second.Status != http.StatusNotModified || second.Body != nil || second.Validators != first.Validators {
		t.Errorf("304 response = %+v", second)
	}
	if n := bodies.Load(); n != 1 {
		t.Errorf("server sent %d bodies, want 1", n)
	}
}

func TestFetchSendsUserAgent(t *testing.T) {
	var got atomic.Value
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.UserAgent())
	}))
	defer srv.Close()

	if _, err := newTestFetcher(t, FetchConfig{}).Fetch(context.Background(), srv.URL, Validators{}); err != nil {
		t.Fatal(err)
	}
	if ua, _ := got.Load().(string); !strings.HasPrefix(ua, "wirehose/") || !strings.Contains(ua, "+https://github.com/wirehose/wirehose") {
		t.Errorf("default User-Agent = %q", ua)
	}

	if _, err := newTestFetcher(t, FetchConfig{UserAgent: "desk-monitor/2"}).Fetch(context.Background(), srv.URL, Validators{}); err != nil {
		t.Fatal(err)
	}
	if ua, _ := got.Load().(string); ua != "desk-monitor/2" {
		t.Errorf("configured User-Agent = %q", ua)
	}
}

func TestFetchStatusErrors(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		retryAfter string
		wantRetry  time.Duration
	}{
		{"not found", http.StatusNotFound, "", 0},
		{"server error", http.StatusInternalServerError, "", 0},
		{"rate limited with seconds", http.StatusTooManyRequests, "120", 2 * time.Minute},
		{"unavailable with garbage retry-after", http.StatusServiceUnavailable, "soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				w.WriteHeader(tt.status)
				fmt.Fprint(w, "<html>error page</html>")
			}))
			defer srv.Close()

			resp, err := newTestFetcher(t, FetchConfig{}).Fetch(context.Background(), srv.URL+"/feed?apikey=secret", Validators{})
			var se *StatusError
			if !errors.As(err, &se) {
				t.Fatalf("error = %v, want a *StatusError", err)
			}
			if se.Status != tt.status || se.RetryAfter != tt.wantRetry {
				t.Errorf("StatusError = %+v, want status %d retry %s", se, tt.status, tt.wantRetry)
			}
			if resp.Status != tt.status || resp.Body != nil {
				t.Errorf("response = %+v", resp)
			}
			if !strings.Contains(err.Error(), strconv.Itoa(tt.status)) {
				t.Errorf("error %q does not carry the status", err)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q leaks the query string", err)
			}
		})
	}
}

func TestParseRetryAfterDate(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	if got := parseRetryAfter(now.Add(90*time.Second).Format(http.TimeFormat), now); got != 90*time.Second {
		t.Errorf("http date: got %s, want 1m30s", got)
	}
	if got := parseRetryAfter(now.Add(-time.Hour).Format(http.TimeFormat), now); got != 0 {
		t.Errorf("date in the past: got %s, want 0", got)
	}
}

func TestFetchBodyCap(t *testing.T) {
	const limit = 64 << 10
	// Compresses to about a hundred bytes and inflates to 1 MiB: the cap must
	// count what comes out of the decompressor, not what crosses the wire.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	_, _ = zw.Write(bytes.Repeat([]byte{' '}, 1<<20))
	_ = zw.Close()
	if bomb.Len() >= limit {
		t.Fatalf("fixture: compressed size %d should be under the cap", bomb.Len())
	}

	tests := []struct {
		name    string
		handler http.HandlerFunc
		wantErr error
		wantLen int
	}{
		{"gzip bomb", func(w http.ResponseWriter, r *http.Request) {
			if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
				t.Error("request did not accept gzip")
			}
			w.Header().Set("Content-Encoding", "gzip")
			_, _ = w.Write(bomb.Bytes())
		}, ErrBodyTooLarge, 0},
		{"plain body over the cap", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte{'x'}, limit+1))
		}, ErrBodyTooLarge, 0},
		{"chunked body over the cap", func(w http.ResponseWriter, r *http.Request) {
			for range 4 {
				_, _ = w.Write(bytes.Repeat([]byte{'x'}, limit/2))
				w.(http.Flusher).Flush()
			}
		}, ErrBodyTooLarge, 0},
		{"body exactly at the cap", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write(bytes.Repeat([]byte{'x'}, limit))
		}, nil, limit},
		{"small gzip body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			zw := gzip.NewWriter(w)
			_, _ = zw.Write([]byte("<rss>compressed</rss>"))
			_ = zw.Close()
		}, nil, len("<rss>compressed</rss>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			resp, err := newTestFetcher(t, FetchConfig{MaxBodyBytes: limit}).Fetch(context.Background(), srv.URL, Validators{})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("error = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if len(resp.Body) != tt.wantLen {
				t.Errorf("body length %d, want %d", len(resp.Body), tt.wantLen)
			}
		})
	}
}

func TestFetchRedirects(t *testing.T) {
	// /hop/N redirects to /hop/N-1; /hop/0 serves the feed.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, err := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/hop/"))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if n > 0 {
			http.Redirect(w, r, "/hop/"+strconv.Itoa(n-1), http.StatusFound)
			return
		}
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()

	tests := []struct {
		name         string
		maxRedirects int
		hops         int
		wantErr      bool
	}{
		{"no redirect", 0, 0, false},
		{"within the default of five", 0, 5, false},
		{"one over the default", 0, 6, true},
		{"configured limit reached", 2, 2, false},
		{"configured limit exceeded", 2, 3, true},
		{"redirects disabled", -1, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newTestFetcher(t, FetchConfig{MaxRedirects: tt.maxRedirects})
			resp, err := f.Fetch(context.Background(), srv.URL+"/hop/"+strconv.Itoa(tt.hops), Validators{})
			if tt.wantErr {
				if !errors.Is(err, ErrTooManyRedirects) {
					t.Fatalf("error = %v, want ErrTooManyRedirects", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if !strings.HasSuffix(resp.URL, "/hop/0") {
				t.Errorf("final URL %q, want .../hop/0", resp.URL)
			}
		})
	}
}

func TestFetchRedirectToOtherScheme(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
	}))
	defer srv.Close()
	_, err := newTestFetcher(t, FetchConfig{}).Fetch(context.Background(), srv.URL, Validators{})
	if err == nil || !strings.Contains(err.Error(), "scheme must be http or https") {
		t.Fatalf("error = %v, want a scheme error", err)
	}
}

func TestFetchUsesDialHook(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	refused := errors.New("refused by policy")
	var dialed atomic.Int32
	f := newTestFetcher(t, FetchConfig{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed.Add(1)
		return nil, refused
	}})
	_, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if !errors.Is(err, refused) || dialed.Load() == 0 {
		t.Fatalf("error = %v after %d dials, want the hook's error", err, dialed.Load())
	}
}

func TestFetchTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	_, err := newTestFetcher(t, FetchConfig{Timeout: 50 * time.Millisecond, ConnectTimeout: 50 * time.Millisecond}).
		Fetch(context.Background(), srv.URL, Validators{})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("error = %v, want a deadline error", err)
	}
}

func TestFetchConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  FetchConfig
		want string
	}{
		{"zero value is valid", FetchConfig{}, ""},
		{"defaults are valid", DefaultFetchConfig(), ""},
		{"negative timeout", FetchConfig{Timeout: -1}, "fetch.timeout"},
		{"negative connect timeout", FetchConfig{ConnectTimeout: -1}, "fetch.connect_timeout"},
		{"connect longer than overall", FetchConfig{Timeout: time.Second, ConnectTimeout: time.Minute}, "fetch.connect_timeout"},
		{"negative body cap", FetchConfig{MaxBodyBytes: -1}, "fetch.max_body_bytes"},
		{"too many redirects", FetchConfig{MaxRedirects: 100}, "fetch.max_redirects"},
		{"multi-line user agent", FetchConfig{UserAgent: "a\r\nX-Evil: 1"}, "fetch.user_agent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate error = %v, want one naming %s", err, tt.want)
			}
			if _, err := NewFetcher(tt.cfg, nil); err == nil {
				t.Error("NewFetcher accepted an invalid config")
			}
		})
	}
}
