package feed

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"
	"go.uber.org/zap/zaptest/observer"
)

// newTestFetcher builds a Fetcher for loopback test servers: the address guard
// is off, as allow_private_networks: true turns it off.
func newTestFetcher(t *testing.T, cfg FetchConfig) *Fetcher {
	t.Helper()
	cfg.AllowPrivateNetworks = true
	return newGuardedTestFetcher(t, cfg)
}

// newGuardedTestFetcher builds a Fetcher with cfg as given, guard and all.
func newGuardedTestFetcher(t *testing.T, cfg FetchConfig) *Fetcher {
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

// countingTransport counts the body bytes the Fetcher reads off the wire
// (after HTTP framing, before any decoding).
type countingTransport struct {
	rt   http.RoundTripper
	read *atomic.Int64
}

func (c countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: c.read}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// noise is incompressible, so compressed and decompressed sizes stay close and
// bytes read off the wire bound the bytes decompressed.
type noise struct{ rng *rand.ChaCha8 }

func newNoise() *noise { return &noise{rng: rand.NewChaCha8([32]byte{1})} }

func (n *noise) Read(p []byte) (int, error) { return n.rng.Read(p) }

// writeStream writes total bytes of noise through enc ("", "gzip" or "br"),
// flushing every chunk so nothing waits in the compressor, and adds what it
// wrote, uncompressed, to *wrote. It stops at the first write error: the
// reader hung up.
func writeStream(w io.Writer, enc string, total int64, wrote *atomic.Int64) {
	var (
		dst   io.Writer = w
		flush           = func() error { return nil }
	)
	switch enc {
	case "gzip":
		zw, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		dst, flush = zw, zw.Flush
		defer zw.Close()
	case "br":
		bw := brotli.NewWriterLevel(w, brotli.BestSpeed)
		dst, flush = bw, bw.Flush
		defer bw.Close()
	}
	if f, ok := w.(http.Flusher); ok {
		inner := flush
		flush = func() error { err := inner(); f.Flush(); return err }
	}
	src := newNoise()
	chunk := make([]byte, 32<<10)
	for written := int64(0); written < total; {
		n := int(min(int64(len(chunk)), total-written))
		_, _ = src.Read(chunk[:n])
		if _, err := dst.Write(chunk[:n]); err != nil {
			return
		}
		if err := flush(); err != nil {
			return
		}
		written += int64(n)
		if wrote != nil {
			wrote.Add(int64(n))
		}
	}
}

func TestFetchRefusesFortyMegabytes(t *testing.T) {
	const (
		limit = 1 << 20
		huge  = 40 << 20
		slack = 64 << 10 // a decoder's read-ahead
	)
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		maxRead  int64 // body bytes the Fetcher may read off the wire
		declared bool
	}{
		{"declared by content-length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(huge))
			writeStream(w, "", huge, nil)
		}, 0, true},
		{"streamed without content-length", func(w http.ResponseWriter, r *http.Request) {
			writeStream(w, "", huge, nil)
		}, limit + 1, false},
		{"gzip streamed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "gzip")
			writeStream(w, "gzip", huge, nil)
		}, limit + slack, false},
		{"brotli streamed", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Encoding", "br")
			writeStream(w, "br", huge, nil)
		}, limit + slack, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(tt.handler)
			defer srv.Close()
			f := newTestFetcher(t, FetchConfig{MaxBodyBytes: limit})
			var read atomic.Int64
			f.client.Transport = countingTransport{rt: f.tr, read: &read}

			resp, err := f.Fetch(context.Background(), srv.URL, Validators{})
			if !errors.Is(err, ErrBodyTooLarge) {
				t.Fatalf("error = %v, want ErrBodyTooLarge", err)
			}
			if resp.Body != nil {
				t.Errorf("a refused body was returned (%d bytes)", len(resp.Body))
			}
			if n := read.Load(); n > tt.maxRead {
				t.Errorf("read %d body bytes off the wire, want at most %d", n, tt.maxRead)
			}
			if tt.declared && !strings.Contains(err.Error(), "content-length") {
				t.Errorf("error %q should say the declared length was refused", err)
			}
		})
	}
}

func TestReadBodyStopsAtTheCap(t *testing.T) {
	const (
		limit = 256 << 10
		huge  = 40 << 20
		slack = 64 << 10
	)
	for _, enc := range []string{"", "gzip", "br"} {
		t.Run("encoding "+cmp.Or(enc, "identity"), func(t *testing.T) {
			pr, pw := io.Pipe()
			var wrote atomic.Int64
			done := make(chan struct{})
			go func() {
				defer close(done)
				writeStream(pw, enc, huge, &wrote)
				_ = pw.Close()
			}()
			body, err := readBody(pr, enc, limit, 0)
			_ = pr.CloseWithError(errors.New("reader done"))
			<-done
			if !errors.Is(err, ErrBodyTooLarge) || body != nil {
				t.Fatalf("readBody = %d bytes, %v; want ErrBodyTooLarge", len(body), err)
			}
			// The writer can only get ahead of the reader by what sits in a pipe
			// write and a decoder's buffer: the 40 MB were never produced.
			if n := wrote.Load(); n > limit+slack {
				t.Errorf("the source produced %d bytes before the reader stopped, want at most %d", n, limit+slack)
			}
		})
	}
}

func TestFetchDecodesContentEncodings(t *testing.T) {
	const doc = "<rss><channel><title>Wire</title></channel></rss>"
	var gz, br bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(doc))
	_ = zw.Close()
	bw := brotli.NewWriter(&br)
	_, _ = bw.Write([]byte(doc))
	_ = bw.Close()

	tests := []struct {
		name     string
		encoding string
		body     []byte
		wantErr  string
	}{
		{"identity", "", []byte(doc), ""},
		{"gzip", "gzip", gz.Bytes(), ""},
		{"x-gzip", "x-gzip", gz.Bytes(), ""},
		{"brotli", "br", br.Bytes(), ""},
		{"encoding in upper case", "GZIP", gz.Bytes(), ""},
		{"unsupported encoding", "deflate", []byte(doc), `unsupported content-encoding "deflate"`},
		{"corrupt gzip", "gzip", []byte("not gzip at all"), "gzip"},
		{"corrupt brotli", "br", []byte("not brotli at all, not at all"), "read body"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var accept atomic.Value
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				accept.Store(r.Header.Get("Accept-Encoding"))
				if tt.encoding != "" {
					w.Header().Set("Content-Encoding", tt.encoding)
				}
				_, _ = w.Write(tt.body)
			}))
			defer srv.Close()
			resp, err := newTestFetcher(t, FetchConfig{}).Fetch(context.Background(), srv.URL, Validators{})
			if got, _ := accept.Load().(string); got != "gzip, br" {
				t.Errorf("Accept-Encoding = %q, want \"gzip, br\"", got)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Fetch: %v", err)
			}
			if string(resp.Body) != doc {
				t.Errorf("body = %q, want the decoded document", resp.Body)
			}
		})
	}
}

func TestFetchBrotliBomb(t *testing.T) {
	const limit = 64 << 10
	var bomb bytes.Buffer
	bw := brotli.NewWriter(&bomb)
	_, _ = bw.Write(bytes.Repeat([]byte{' '}, 8<<20))
	_ = bw.Close()
	if bomb.Len() >= limit {
		t.Fatalf("fixture: compressed size %d should be under the cap", bomb.Len())
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "br")
		_, _ = w.Write(bomb.Bytes())
	}))
	defer srv.Close()
	_, err := newTestFetcher(t, FetchConfig{MaxBodyBytes: limit}).Fetch(context.Background(), srv.URL, Validators{})
	if !errors.Is(err, ErrBodyTooLarge) {
		t.Fatalf("error = %v, want ErrBodyTooLarge", err)
	}
}

func TestParseCacheFor(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	date := now.Format(http.TimeFormat)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"nothing said", nil, 0},
		{"max-age", map[string]string{"Cache-Control": "public, max-age=300"}, 5 * time.Minute},
		{"max-age quoted", map[string]string{"Cache-Control": `max-age="120"`}, 2 * time.Minute},
		{"max-age less age", map[string]string{"Cache-Control": "max-age=300", "Age": "100"}, 200 * time.Second},
		{"age beyond max-age", map[string]string{"Cache-Control": "max-age=60", "Age": "600"}, 0},
		{"max-age wins over expires", map[string]string{"Cache-Control": "max-age=60", "Date": date, "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, time.Minute},
		{"no-cache", map[string]string{"Cache-Control": "no-cache, max-age=600"}, 0},
		{"no-store", map[string]string{"Cache-Control": "max-age=600, no-store"}, 0},
		{"invalid max-age is stale", map[string]string{"Cache-Control": "max-age=soon", "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, 0},
		{"absurd max-age capped", map[string]string{"Cache-Control": "max-age=999999999999"}, MaxServerDelay},
		{"expires minus date", map[string]string{"Date": date, "Expires": now.Add(10 * time.Minute).Format(http.TimeFormat)}, 10 * time.Minute},
		{"expires against the server's clock", map[string]string{"Date": now.Add(-time.Hour).Format(http.TimeFormat), "Expires": now.Format(http.TimeFormat)}, time.Hour},
		{"expires without date", map[string]string{"Expires": now.Add(3 * time.Minute).Format(http.TimeFormat)}, 3 * time.Minute},
		{"expires in the past", map[string]string{"Date": date, "Expires": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{"expires zero", map[string]string{"Expires": "0"}, 0},
		{"expires far away capped", map[string]string{"Date": date, "Expires": now.AddDate(1, 0, 0).Format(http.TimeFormat)}, MaxServerDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for k, v := range tt.header {
				h.Set(k, v)
			}
			if got := parseCacheFor(h, now); got != tt.want {
				t.Errorf("parseCacheFor = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFetchFillsCacheFor(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=900")
		w.Header().Set("ETag", `"a"`)
		if r.Header.Get("If-None-Match") == `"a"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		fmt.Fprint(w, "<rss/>")
	}))
	defer srv.Close()
	f := newTestFetcher(t, FetchConfig{})
	resp, err := f.Fetch(context.Background(), srv.URL, Validators{})
	if err != nil || resp.CacheFor != 15*time.Minute {
		t.Fatalf("200: CacheFor = %s, err %v; want 15m", resp.CacheFor, err)
	}
	resp, err = f.Fetch(context.Background(), srv.URL, resp.Validators)
	if !errors.Is(err, ErrNotModified) || resp.CacheFor != 15*time.Minute {
		t.Fatalf("304: CacheFor = %s, err %v; want 15m with ErrNotModified", resp.CacheFor, err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		h    string
		want time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "120", 2 * time.Minute},
		{"zero", "0", 0},
		{"negative", "-5", 0},
		{"garbage", "soon", 0},
		{"absurd seconds capped", "99999999999", MaxServerDelay},
		{"http date", now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"date in the past", now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{"date far away capped", now.AddDate(0, 1, 0).Format(http.TimeFormat), MaxServerDelay},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.h, now); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %s, want %s", tt.h, got, tt.want)
			}
		})
	}
}

func TestFetchRetryAfterDateUsesServerClock(t *testing.T) {
	// The server's clock runs a day behind ours: its Retry-After date is read
	// against its own Date, not against our clock.
	serverNow := time.Now().Add(-24 * time.Hour).UTC()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Date", serverNow.Format(http.TimeFormat))
		w.Header().Set("Retry-After", serverNow.Add(10*time.Minute).Format(http.TimeFormat))
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	_, err := newTestFetcher(t, FetchConfig{}).Fetch(context.Background(), srv.URL, Validators{})
	var se *StatusError
	if !errors.As(err, &se) {
		t.Fatalf("error = %v, want a *StatusError", err)
	}
	if se.RetryAfter < 9*time.Minute || se.RetryAfter > 10*time.Minute {
		t.Errorf("RetryAfter = %s, want about 10m", se.RetryAfter)
	}
}

// Credentials used by the tests below; distinctive, so a leak is easy to find.
const (
	testUser   = "desk-user"
	testPass   = "pa55-Sekrit-value"
	testToken1 = "tok-Sekrit-first"
	testToken2 = "tok-Sekrit-second"
)

var (
	basicAuth  = FeedAuth{Type: AuthBasic, UsernameEnv: "WH_TEST_FEED_USER", PasswordEnv: "WH_TEST_FEED_PASS"}
	bearerAuth = FeedAuth{Type: AuthBearer, TokenEnv: "WH_TEST_FEED_TOKEN"}
)

func setTestCredentials(t *testing.T) {
	t.Setenv("WH_TEST_FEED_USER", testUser)
	t.Setenv("WH_TEST_FEED_PASS", testPass)
	t.Setenv("WH_TEST_FEED_TOKEN", testToken1)
}

// authRecorder is a feed server that records the Authorization header of
// every request.
func authRecorder(t *testing.T) (*httptest.Server, func() []string) {
	t.Helper()
	var (
		mu  sync.Mutex
		got []string
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		got = append(got, r.Header.Get("Authorization"))
		mu.Unlock()
		fmt.Fprint(w, "<rss/>")
	}))
	t.Cleanup(srv.Close)
	return srv, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), got...)
	}
}

func TestFetchSendsCredentials(t *testing.T) {
	setTestCredentials(t)
	srv, got := authRecorder(t)
	f := newTestFetcher(t, FetchConfig{})
	ctx := context.Background()

	if _, err := f.FetchWith(ctx, srv.URL, FetchOptions{Auth: basicAuth}); err != nil {
		t.Fatalf("basic: %v", err)
	}
	if _, err := f.FetchWith(ctx, srv.URL, FetchOptions{Auth: bearerAuth}); err != nil {
		t.Fatalf("bearer: %v", err)
	}
	// Rotation: the variable is read at every request, no restart needed.
	t.Setenv("WH_TEST_FEED_TOKEN", testToken2)
	if _, err := f.FetchWith(ctx, srv.URL, FetchOptions{Auth: bearerAuth}); err != nil {
		t.Fatalf("bearer after rotation: %v", err)
	}
	if _, err := f.Fetch(ctx, srv.URL, Validators{}); err != nil {
		t.Fatalf("no auth: %v", err)
	}
	want := []string{
		"Basic " + base64.StdEncoding.EncodeToString([]byte(testUser+":"+testPass)),
		"Bearer " + testToken1,
		"Bearer " + testToken2,
		"",
	}
	if g := got(); !slices.Equal(g, want) {
		t.Fatalf("Authorization headers = %q, want %q", g, want)
	}
}

func TestFetchCredentialsUnavailable(t *testing.T) {
	setTestCredentials(t)
	t.Setenv("WH_TEST_FEED_EMPTY", "")
	t.Setenv("WH_TEST_FEED_COLON_USER", "desk:"+testPass)
	t.Setenv("WH_TEST_FEED_NEWLINE_TOKEN", testToken1+"\r\nX-Injected: 1")
	tests := []struct {
		name     string
		auth     FeedAuth
		variable string
	}{
		{"password variable unset", FeedAuth{Type: AuthBasic, UsernameEnv: "WH_TEST_FEED_USER", PasswordEnv: "WH_TEST_FEED_UNSET_PASS"}, "WH_TEST_FEED_UNSET_PASS"},
		{"token variable unset", FeedAuth{Type: AuthBearer, TokenEnv: "WH_TEST_FEED_UNSET_TOKEN"}, "WH_TEST_FEED_UNSET_TOKEN"},
		{"token variable empty", FeedAuth{Type: AuthBearer, TokenEnv: "WH_TEST_FEED_EMPTY"}, "WH_TEST_FEED_EMPTY"},
		{"user name with a colon", FeedAuth{Type: AuthBasic, UsernameEnv: "WH_TEST_FEED_COLON_USER", PasswordEnv: "WH_TEST_FEED_PASS"}, "WH_TEST_FEED_COLON_USER"},
		{"token with a line break", FeedAuth{Type: AuthBearer, TokenEnv: "WH_TEST_FEED_NEWLINE_TOKEN"}, "WH_TEST_FEED_NEWLINE_TOKEN"},
	}
	srv, got := authRecorder(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := newTestFetcher(t, FetchConfig{}).FetchWith(context.Background(), srv.URL, FetchOptions{Auth: tt.auth})
			if !errors.Is(err, ErrCredentials) {
				t.Fatalf("error = %v, want ErrCredentials", err)
			}
			if !strings.Contains(err.Error(), tt.variable) {
				t.Errorf("error %q does not name the variable %s", err, tt.variable)
			}
			for _, secret := range []string{testPass, testToken1} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q carries a secret", err)
				}
			}
		})
	}
	if n := len(got()); n != 0 {
		t.Fatalf("server saw %d requests, want none: a feed without its credentials is not fetched", n)
	}
}

func TestFetchCredentialsStayOnTheirHost(t *testing.T) {
	setTestCredentials(t)
	type seen struct{ auth, referer string }
	var (
		mu   sync.Mutex
		hits = map[string][]seen{}
	)
	record := func(name string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			hits[name] = append(hits[name], seen{r.Header.Get("Authorization"), r.Header.Get("Referer")})
			mu.Unlock()
			fmt.Fprint(w, "<rss/>")
		}
	}
	var originPort atomic.Value // set once the origin listens; read only by requests after that
	other := startCountingServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/back" {
			mu.Lock()
			hits["other host"] = append(hits["other host"], seen{r.Header.Get("Authorization"), r.Header.Get("Referer")})
			mu.Unlock()
			http.Redirect(w, r, "http://127.0.0.1:"+originPort.Load().(string)+"/final", http.StatusFound)
			return
		}
		record("other host")(w, r)
	})
	otherPort := startCountingServer(t, "127.0.0.1", record("other port"))
	origin := startCountingServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/same":
			http.Redirect(w, r, "/final", http.StatusFound)
		case "/other-host":
			http.Redirect(w, r, "http://127.0.0.2:"+other.port()+"/final", http.StatusFound)
		case "/other-port":
			http.Redirect(w, r, "http://127.0.0.1:"+otherPort.port()+"/final", http.StatusFound)
		case "/bounce":
			// Away and back: the origin may see them again, the host between may not.
			http.Redirect(w, r, "http://127.0.0.2:"+other.port()+"/back", http.StatusFound)
		default:
			record("origin")(w, r)
		}
	})
	originPort.Store(origin.port())
	f := newTestFetcher(t, FetchConfig{})
	base := "http://127.0.0.1:" + origin.port()
	for _, path := range []string{"/same", "/other-host", "/other-port", "/bounce"} {
		if _, err := f.FetchWith(context.Background(), base+path+"?apikey=k3y", FetchOptions{Auth: bearerAuth}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if got := hits["origin"]; len(got) != 2 || got[0].auth != "Bearer "+testToken1 || got[1].auth != "Bearer "+testToken1 {
		t.Errorf("origin saw %q, want the token twice (same-host redirect, and back from the other host)", got)
	}
	for _, name := range []string{"other host", "other port"} {
		if len(hits[name]) == 0 {
			t.Errorf("%s was never reached", name)
		}
		for _, s := range hits[name] {
			if s.auth != "" {
				t.Errorf("%s received credentials %q", name, s.auth)
			}
		}
	}
	for name, ss := range hits {
		for _, s := range ss {
			if s.referer != "" {
				t.Errorf("%s received Referer %q: it would carry the feed URL's query", name, s.referer)
			}
		}
	}
}

func TestSameCredentialScope(t *testing.T) {
	tests := []struct {
		from, to string
		want     bool
	}{
		{"https://wire.example/a", "https://wire.example/b", true},
		{"https://wire.example/a", "https://WIRE.example:443/b", true},
		{"http://wire.example/a", "https://wire.example/a", true},
		{"http://wire.example:8080/a", "http://wire.example:8080/b", true},
		{"https://wire.example/a", "http://wire.example/a", false},
		{"https://wire.example/a", "https://cdn.wire.example/a", false},
		{"https://wire.example/a", "https://wire.example.evil/a", false},
		{"https://wire.example/a", "https://wire.example:8443/a", false},
		{"http://wire.example:8080/a", "https://wire.example/a", false},
	}
	for _, tt := range tests {
		from, _ := url.Parse(tt.from)
		to, _ := url.Parse(tt.to)
		if got := sameCredentialScope(from, to); got != tt.want {
			t.Errorf("sameCredentialScope(%s → %s) = %v, want %v", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestCredentialsNeverLogged(t *testing.T) {
	setTestCredentials(t)
	core, logs := observer.New(zap.DebugLevel)
	f, err := NewFetcher(FetchConfig{AllowPrivateNetworks: true}, zap.New(core))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.CloseIdleConnections)

	other := startCountingServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
	})
	origin := startCountingServer(t, "127.0.0.1", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/away":
			http.Redirect(w, r, "http://127.0.0.2:"+other.port()+"/login", http.StatusFound)
		case "/denied":
			w.WriteHeader(http.StatusForbidden)
		default:
			fmt.Fprint(w, "<rss/>")
		}
	})
	base := "http://127.0.0.1:" + origin.port()
	var errs []string
	for _, auth := range []FeedAuth{basicAuth, bearerAuth} {
		for _, path := range []string{"/feed", "/away", "/denied"} {
			if _, err := f.FetchWith(context.Background(), base+path, FetchOptions{Auth: auth}); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	if len(errs) != 4 || logs.Len() == 0 {
		t.Fatalf("fixture: want 4 errors and some log lines, got %d errors %q and %d log lines", len(errs), errs, logs.Len())
	}
	var text []string
	text = append(text, errs...)
	for _, e := range logs.All() {
		text = append(text, e.Message, fmt.Sprint(e.ContextMap()))
	}
	secrets := []string{testPass, testToken1, base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPass))}
	for _, s := range text {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("secret found in %q", s)
			}
		}
	}
}
