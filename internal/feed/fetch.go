package feed

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/andybalholm/brotli"
	"go.uber.org/zap"
)

// Sentinel errors of Fetch, checked with errors.Is.
var (
	// ErrNotModified: the server answered 304 to a conditional GET; nothing to parse.
	ErrNotModified = errors.New("not modified")
	// ErrBodyTooLarge: the decompressed body exceeds FetchConfig.MaxBodyBytes.
	ErrBodyTooLarge = errors.New("response body too large")
	// ErrTooManyRedirects: the redirect chain is longer than FetchConfig.MaxRedirects.
	ErrTooManyRedirects = errors.New("too many redirects")
)

// Fetch defaults.
const (
	DefaultFetchTimeout   = 30 * time.Second
	DefaultConnectTimeout = 5 * time.Second
	DefaultMaxBodyBytes   = 10 << 20
	DefaultMaxRedirects   = 5
	maxRedirectsLimit     = 20

	// MaxServerDelay caps Response.CacheFor and StatusError.RetryAfter: a
	// server asking for a week's silence (or sending nonsense) must not stop a
	// feed for longer than a day.
	MaxServerDelay = 24 * time.Hour
)

// acceptEncoding is what the Fetcher decodes itself, so the body cap counts
// decompressed bytes whatever the encoding.
const acceptEncoding = "gzip, br"

// discardLimit is how much of an error response is drained so the connection
// can be reused; anything longer is cheaper to drop with the connection.
const discardLimit = 4 << 10

// DialContextFunc opens a network connection, like net.Dialer.DialContext.
type DialContextFunc func(ctx context.Context, network, address string) (net.Conn, error)

// FetchConfig configures the Fetcher. Zero values take the defaults.
type FetchConfig struct {
	UserAgent      string        `yaml:"user_agent"`      // default DefaultUserAgent()
	Timeout        time.Duration `yaml:"timeout"`         // whole request including the body; default 30s
	ConnectTimeout time.Duration `yaml:"connect_timeout"` // TCP connect and TLS handshake; default 5s
	MaxBodyBytes   int64         `yaml:"max_body_bytes"`  // cap on the decompressed body; default 10 MiB
	MaxRedirects   int           `yaml:"max_redirects"`   // default 5; -1 follows none

	// AllowPrivateNetworks turns the address guard off. It is set from the feeds
	// file's allow_private_networks, so that one place decides it; while it is
	// false, connections to loopback, private, link-local and other non-public
	// addresses (see CheckAddress) are refused at dial time, after DNS
	// resolution and on every redirect hop.
	AllowPrivateNetworks bool `yaml:"-"`

	// DialContext opens connections; nil means a net.Dialer, guarded by a
	// control hook that sees the resolved address of every connection attempt.
	// A custom DialContext is guarded too: the host is resolved and checked
	// first, and the function is handed the checked IP address.
	DialContext DialContextFunc `yaml:"-"`

	// addrCheck replaces CheckAddress in tests, which can only reach loopback.
	addrCheck func(netip.Addr) error
}

// DefaultFetchConfig returns the defaults.
func DefaultFetchConfig() FetchConfig {
	return FetchConfig{
		UserAgent:      DefaultUserAgent(),
		Timeout:        DefaultFetchTimeout,
		ConnectTimeout: DefaultConnectTimeout,
		MaxBodyBytes:   DefaultMaxBodyBytes,
		MaxRedirects:   DefaultMaxRedirects,
	}
}

// DefaultUserAgent names wirehose and its version, so feed operators can see
// who polls them and where to complain.
func DefaultUserAgent() string {
	v := "dev"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = strings.TrimPrefix(bi.Main.Version, "v")
	}
	return "wirehose/" + v + " (+https://github.com/wirehose/wirehose)"
}

func (c FetchConfig) withDefaults() FetchConfig {
	d := DefaultFetchConfig()
	if c.UserAgent == "" {
		c.UserAgent = d.UserAgent
	}
	if c.Timeout == 0 {
		c.Timeout = d.Timeout
	}
	if c.ConnectTimeout == 0 {
		c.ConnectTimeout = d.ConnectTimeout
	}
	if c.MaxBodyBytes == 0 {
		c.MaxBodyBytes = d.MaxBodyBytes
	}
	if c.MaxRedirects == 0 {
		c.MaxRedirects = d.MaxRedirects
	}
	return c
}

// Validate checks the configuration; zero values are valid (they mean the default).
func (c FetchConfig) Validate() error {
	switch {
	case strings.ContainsAny(c.UserAgent, "\r\n"):
		return errors.New("fetch.user_agent: must be a single line")
	case c.Timeout < 0:
		return errors.New("fetch.timeout: must not be negative")
	case c.ConnectTimeout < 0:
		return errors.New("fetch.connect_timeout: must not be negative")
	case c.Timeout > 0 && c.ConnectTimeout > c.Timeout:
		return fmt.Errorf("fetch.connect_timeout: %s exceeds fetch.timeout %s", c.ConnectTimeout, c.Timeout)
	case c.MaxBodyBytes < 0:
		return errors.New("fetch.max_body_bytes: must not be negative")
	case c.MaxRedirects < -1 || c.MaxRedirects > maxRedirectsLimit:
		return fmt.Errorf("fetch.max_redirects: must be between -1 and %d", maxRedirectsLimit)
	}
	return nil
}

// Validators are the cache validators of the last successful fetch, sent back as
// If-None-Match and If-Modified-Since.
type Validators struct {
	ETag         string `json:"etag,omitempty"`
	LastModified string `json:"last_modified,omitempty"`
}

// Response is a successful fetch.
type Response struct {
	Body []byte
	Validators
	Status      int
	ContentType string
	URL         string // after redirects
	// CacheFor is how long the server asks clients not to refetch (Cache-Control max-age,
	// else Expires minus Date); zero when it says nothing. A lower bound for the schedule.
	CacheFor time.Duration
}

// StatusError is a non-2xx answer other than 304.
type StatusError struct {
	Status     int
	RetryAfter time.Duration // from the Retry-After header; zero when absent
}

func (e *StatusError) Error() string {
	s := "http status " + strconv.Itoa(e.Status)
	if t := http.StatusText(e.Status); t != "" {
		s += " " + t
	}
	if e.RetryAfter > 0 {
		s += " (retry after " + e.RetryAfter.String() + ")"
	}
	return s
}

// Fetcher is wirehose's HTTP client for feeds: conditional GET, bounded bodies,
// bounded redirects, its own User-Agent. Safe for concurrent use.
type Fetcher struct {
	cfg    FetchConfig
	client *http.Client
	tr     *http.Transport
	log    *zap.Logger
	// lookupEnv reads credentials at every request, so rotation needs no restart.
	lookupEnv func(string) (string, bool)
}

// FetchOptions are the per-request inputs of FetchWith.
type FetchOptions struct {
	// Validators from the previous fetch make the request a conditional GET.
	Validators Validators
	// Auth names the environment variables holding the feed's credentials;
	// zero sends none. They are sent only to the feed URL's own host (an
	// http → https upgrade included), never across a redirect to another.
	Auth FeedAuth
}

// authHeaderKey carries the Authorization value to checkRedirect, which decides
// per hop whether it may be sent.
type authHeaderKey struct{}

// NewFetcher builds a Fetcher; zero config fields take the defaults.
func NewFetcher(cfg FetchConfig, log *zap.Logger) (*Fetcher, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	guard := newAddrGuard(cfg.addrCheck)
	dial := cfg.DialContext
	switch {
	case dial == nil:
		d := &net.Dialer{KeepAlive: 30 * time.Second}
		if !cfg.AllowPrivateNetworks {
			d.ControlContext = guard.control
		}
		dial = d.DialContext
	case !cfg.AllowPrivateNetworks:
		dial = guard.wrap(dial, nil)
	}
	connectTimeout := cfg.ConnectTimeout
	tr := &http.Transport{
		// No proxy from the environment: the address guard must see the real destination.
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			ctx, cancel := context.WithTimeout(ctx, connectTimeout)
			defer cancel()
			return dial(ctx, network, addr)
		},
		ForceAttemptHTTP2:     true,
		TLSHandshakeTimeout:   cfg.ConnectTimeout,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: time.Second,
		// The Fetcher asks for gzip and brotli and decodes them itself, so one
		// body cap counts decompressed bytes for every encoding.
		DisableCompression: true,
	}
	f := &Fetcher{cfg: cfg, tr: tr, log: log, lookupEnv: os.LookupEnv}
	f.client = &http.Client{Transport: tr, CheckRedirect: f.checkRedirect}
	return f, nil
}

// Config returns the configuration in effect, defaults applied.
func (f *Fetcher) Config() FetchConfig { return f.cfg }

// CloseIdleConnections closes kept-alive connections, so no transport
// goroutine outlives the Fetcher's user.
func (f *Fetcher) CloseIdleConnections() { f.tr.CloseIdleConnections() }

func (f *Fetcher) checkRedirect(req *http.Request, via []*http.Request) error {
	if f.cfg.MaxRedirects < 0 || len(via) > f.cfg.MaxRedirects {
		return fmt.Errorf("%w: more than %d", ErrTooManyRedirects, max(f.cfg.MaxRedirects, 0))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("redirect to %s: scheme must be http or https", safeURL(req.URL))
	}
	// The previous URL may carry an API key in its query string.
	req.Header.Del("Referer")
	if auth, _ := req.Context().Value(authHeaderKey{}).(string); auth != "" {
		if sameCredentialScope(via[0].URL, req.URL) {
			req.Header.Set("Authorization", auth)
		} else {
			req.Header.Del("Authorization")
			f.log.Debug("feed credentials withheld from redirect", zap.String("from", safeURL(via[0].URL)), zap.String("to", safeURL(req.URL)))
		}
	}
	f.log.Debug("feed redirected", zap.String("from", safeURL(via[len(via)-1].URL)), zap.String("to", safeURL(req.URL)))
	return nil
}

// sameCredentialScope reports whether credentials meant for orig may be sent
// to dst: same host and port, or the same host upgraded from http to https on
// the default ports. Never to another host, and never downgraded to http.
func sameCredentialScope(orig, dst *url.URL) bool {
	if !strings.EqualFold(orig.Hostname(), dst.Hostname()) {
		return false
	}
	if orig.Scheme == dst.Scheme {
		return effectivePort(orig) == effectivePort(dst)
	}
	return orig.Scheme == "http" && dst.Scheme == "https" && effectivePort(orig) == "80" && effectivePort(dst) == "443"
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if u.Scheme == "https" {
		return "443"
	}
	return "80"
}

// Fetch GETs rawURL: FetchWith with validators only.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (Response, error) {
	return f.FetchWith(ctx, rawURL, FetchOptions{Validators: v})
}

// FetchWith GETs rawURL. With validators from the previous fetch it is a
// conditional GET, and a 304 answer returns ErrNotModified (with the response
// status and validators) without reading a body. A non-2xx answer returns a
// *StatusError; a body over the cap, compressed or not, returns
// ErrBodyTooLarge; a refused destination returns ErrPrivateAddress; missing
// credentials return ErrCredentials. Errors never carry the URL's query
// string or a credential.
func (f *Fetcher) FetchWith(ctx context.Context, rawURL string, o FetchOptions) (Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Response{}, fmt.Errorf("fetch: invalid url: %w", err)
	}
	where := safeURL(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return Response{}, fmt.Errorf("fetch %s: scheme must be http or https", where)
	}
	var auth string
	if !o.Auth.IsZero() {
		if auth, err = o.Auth.header(f.lookupEnv); err != nil {
			return Response{}, fmt.Errorf("fetch %s: %w", where, err)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	if auth != "" {
		ctx = context.WithValue(ctx, authHeaderKey{}, auth)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, fmt.Errorf("fetch %s: %w", where, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, "+
		"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8")
	req.Header.Set("Accept-Encoding", acceptEncoding)
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	v := o.Validators
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}

	resp, err := f.client.Do(req)
	if err != nil {
		// url.Error repeats the full URL, query string and all; report the redacted one.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return Response{}, fmt.Errorf("fetch %s: %w", where, err)
	}
	defer resp.Body.Close()

	out := Response{
		Status:      resp.StatusCode,
		ContentType: resp.Header.Get("Content-Type"),
		URL:         resp.Request.URL.String(),
	}
	now := time.Now()
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.Validators = v
		if etag := resp.Header.Get("ETag"); etag != "" {
			out.ETag = etag
		}
		if lm := resp.Header.Get("Last-Modified"); lm != "" {
			out.LastModified = lm
		}
		out.CacheFor = parseCacheFor(resp.Header, now)
		return out, fmt.Errorf("fetch %s: %w", where, ErrNotModified)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, discardLimit))
		se := &StatusError{Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), serverNow(resp.Header, now))}
		return out, fmt.Errorf("fetch %s: %w", where, se)
	}

	limit := f.cfg.MaxBodyBytes
	enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding")))
	identity := enc == "" || enc == "identity"
	if identity && resp.ContentLength > limit {
		return out, fmt.Errorf("fetch %s: content-length %d exceeds %d bytes: %w", where, resp.ContentLength, limit, ErrBodyTooLarge)
	}
	sizeHint := int64(0)
	if identity {
		sizeHint = resp.ContentLength
	}
	body, err := readBody(resp.Body, enc, limit, sizeHint)
	if err != nil {
		return out, fmt.Errorf("fetch %s: %w", where, err)
	}
	out.Body = body
	out.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	out.CacheFor = parseCacheFor(resp.Header, now)
	return out, nil
}

// readBody decodes a body of the given Content-Encoding and reads at most
// limit+1 decompressed bytes of it — one past the cap, to tell "exactly at the
// cap" from "over it" — so neither a large body nor a compression bomb is ever
// held in memory beyond the cap. sizeHint (a trusted Content-Length, or 0)
// sizes the buffer up front.
func readBody(r io.Reader, encoding string, limit, sizeHint int64) ([]byte, error) {
	var src io.Reader
	switch encoding {
	case "", "identity":
		src = r
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("read gzip body: %w", err)
		}
		defer zr.Close()
		src = zr
	case "br":
		src = brotli.NewReader(r)
	default:
		return nil, fmt.Errorf("read body: unsupported content-encoding %q (asked for %s)", encoding, acceptEncoding)
	}
	lr := &io.LimitedReader{R: src, N: limit + 1}
	var buf bytes.Buffer
	if sizeHint > 0 && sizeHint <= limit {
		buf.Grow(int(sizeHint) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(lr); err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(buf.Len()) > limit {
		return nil, fmt.Errorf("body exceeds %d bytes after decompression: %w", limit, ErrBodyTooLarge)
	}
	return buf.Bytes(), nil
}

// serverNow is the server's clock (its Date header) when it sent one, so a
// Retry-After or Expires date is read against the clock that wrote it.
func serverNow(h http.Header, now time.Time) time.Time {
	if t, err := http.ParseTime(h.Get("Date")); err == nil {
		return t
	}
	return now
}

// parseCacheFor reads how long the server asks clients not to refetch:
// Cache-Control max-age less the Age already spent in caches, else Expires
// minus Date. no-store and no-cache mean zero: the server wants to be asked
// every time, and a conditional GET is what the schedule does anyway. An
// invalid max-age or Expires means already stale (RFC 9111). Capped at
// MaxServerDelay.
func parseCacheFor(h http.Header, now time.Time) time.Duration {
	var (
		maxAge    = -1
		maxAgeBad bool
	)
	for _, line := range h.Values("Cache-Control") {
		for _, dir := range strings.Split(line, ",") {
			name, val, _ := strings.Cut(strings.TrimSpace(dir), "=")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "no-store", "no-cache":
				return 0
			case "max-age":
				n, err := strconv.Atoi(strings.Trim(strings.TrimSpace(val), `"`))
				if err != nil || n < 0 {
					maxAgeBad = true
					continue
				}
				maxAge = n
			}
		}
	}
	var d time.Duration
	switch {
	case maxAgeBad && maxAge < 0:
		return 0
	case maxAge >= 0:
		d = time.Duration(min(int64(maxAge), int64(MaxServerDelay/time.Second))) * time.Second
		if age, err := strconv.ParseInt(strings.TrimSpace(h.Get("Age")), 10, 64); err == nil && age > 0 {
			d -= time.Duration(min(age, int64(MaxServerDelay/time.Second))) * time.Second
		}
	case h.Get("Expires") != "":
		t, err := http.ParseTime(h.Get("Expires"))
		if err != nil {
			return 0
		}
		d = t.Sub(serverNow(h, now))
	}
	return min(max(d, 0), MaxServerDelay)
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date
// (read against now, the server's clock when it sent a Date). Values beyond
// MaxServerDelay are capped; garbage and dates in the past mean zero.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(min(secs, int64(MaxServerDelay/time.Second))) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return min(t.Sub(now), MaxServerDelay)
	}
	return 0
}

// safeURL is a URL for errors and logs: feed URLs often carry API keys in the
// query or credentials in the user info, so both are left out.
func safeURL(u *url.URL) string {
	c := *u
	c.User = nil
	q := c.RawQuery != ""
	c.RawQuery = ""
	c.ForceQuery = false
	c.Fragment = ""
	s := c.String()
	if q {
		s += "?…"
	}
	return s
}
