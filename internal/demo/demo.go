// Package demo serves synthetic news-wire feeds on loopback, for
// `wirehose dev --demo`, for tests and for load tests. Every story in them is
// invented for wirehose; none is copied from a real article.
package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

//go:embed feeds
var feedFiles embed.FS

// Feed is one demo feed as served.
type Feed struct {
	ID          string // feed id used in FeedsYAML
	Path        string // URL path, from the server root
	Format      string // as declared in FeedsYAML
	Provider    string
	ContentType string
	Items       int // stories in the document
}

// Feeds lists the fixed demo feeds (not the generated bulk feed).
func Feeds() []Feed {
	return []Feed{
		{ID: "meridian-world", Path: "/meridian-world.xml", Format: "auto", Provider: "Meridian Press", ContentType: "application/rss+xml; charset=utf-8", Items: 10},
		{ID: "northwire-business", Path: "/northwire-business.atom", Format: "atom", Provider: "Northwire", ContentType: "application/atom+xml; charset=utf-8", Items: 9},
		{ID: "wire-sport", Path: "/wire-sport.json", Format: "jsonfeed", ContentType: "application/feed+json; charset=utf-8", Items: 10},
	}
}

// BulkPath is where the generated feed of Options.Items stories is served.
const BulkPath = "/bulk.xml"

// Options configures the demo handler.
type Options struct {
	// Items, when positive, also serves BulkPath: an RSS feed of that many
	// generated stories, each with a unique guid and body. At about 800 bytes
	// an item, some 13,000 items reach the fetcher's default 10 MiB cap.
	Items int
}

// doc is one served document with its cache validators.
type doc struct {
	body        []byte
	contentType string
	etag        string
	modified    time.Time
}

func newDoc(body []byte, contentType string, modified time.Time) doc {
	sum := sha256.Sum256(body)
	return doc{body: body, contentType: contentType, etag: `"` + hex.EncodeToString(sum[:12]) + `"`, modified: modified}
}

func (d doc) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", d.contentType)
	w.Header().Set("ETag", d.etag)
	w.Header().Set("Cache-Control", "max-age=60")
	// ServeContent answers If-None-Match and If-Modified-Since with 304.
	http.ServeContent(w, r, "", d.modified, bytes.NewReader(d.body))
}

// modifiedAt is the demo documents' fixed modification time, just after the
// newest story, so Last-Modified is stable across restarts.
func modifiedAt() time.Time { return time.Date(2026, 3, 10, 22, 0, 0, 0, time.UTC) }

// Handler serves the demo feeds, with ETag and Last-Modified so conditional
// GETs get 304.
func Handler(opts Options) http.Handler {
	mux := http.NewServeMux()
	var index strings.Builder
	index.WriteString("wirehose demo feeds (synthetic, invented stories)\n\n")
	for _, f := range Feeds() {
		body, err := feedFiles.ReadFile("feeds" + f.Path)
		if err != nil {
			panic(fmt.Sprintf("demo: embedded feed %s missing: %v", f.Path, err)) // a build defect
		}
		mux.Handle("GET "+f.Path, newDoc(body, f.ContentType, modifiedAt()))
		fmt.Fprintf(&index, "%s\t%s\n", f.Path, f.ID)
	}
	if opts.Items > 0 {
		mux.Handle("GET "+BulkPath, newDoc(Bulk(opts.Items), "application/rss+xml; charset=utf-8", modifiedAt()))
		fmt.Fprintf(&index, "%s\t%d generated items\n", BulkPath, opts.Items)
	}
	indexBody := []byte(index.String())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write(indexBody)
	})
	return mux
}

// FeedsYAML returns a feeds file for the fixed demo feeds served at baseURL. It sets no
// interval, so the poller's default applies.
func FeedsYAML(baseURL string) []byte {
	base := strings.TrimRight(baseURL, "/")
	var b strings.Builder
	b.WriteString("# Synthetic demonstration feeds served by wirehose on loopback.\n")
	b.WriteString("allow_private_networks: true\nfeeds:\n")
	for _, f := range Feeds() {
		fmt.Fprintf(&b, "  - id: %s\n    url: %s%s\n    format: %s\n", f.ID, base, f.Path, f.Format)
		if f.Provider != "" {
			fmt.Fprintf(&b, "    provider: %s\n", f.Provider)
		}
	}
	return []byte(b.String())
}

// Serve serves Handler(opts) on addr, which must be a loopback address
// ("127.0.0.1:0" picks a free port), until ctx is cancelled. It returns the
// base URL once the listener is open.
func Serve(ctx context.Context, addr string, opts Options) (string, error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return "", fmt.Errorf("demo: address %q: %w", addr, err)
	}
	if !isLoopback(host) {
		return "", fmt.Errorf("demo: address %q: only loopback addresses are served", addr)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("demo: listen: %w", err)
	}
	srv := &http.Server{Handler: Handler(opts), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		// ErrServerClosed after Shutdown is the normal end.
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			_ = ln.Close()
		}
	}()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	return "http://" + ln.Addr().String(), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
