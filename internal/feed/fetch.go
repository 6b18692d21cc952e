package feed

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

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
)

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

	// DialContext opens connections; nil means a plain net.Dialer. It is the seam
	// for the private-address guard (FeedsFile.AllowPrivateNetworks): checking the
	// resolved address at dial time also covers redirects and DNS rebinding, which
	// a check of the URL alone would miss.
	DialContext DialContextFunc `yaml:"-"`
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
}

// NewFetcher builds a Fetcher; zero config fields take the defaults.
func NewFetcher(cfg FetchConfig, log *zap.Logger) (*Fetcher, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if log == nil {
		log = zap.NewNop()
	}
	dial := cfg.DialContext
	if dial == nil {
		dial = (&net.Dialer{KeepAlive: 30 * time.Second}).DialContext
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
		// Compression stays on: net/http asks for gzip and decompresses
		// transparently, and the body cap counts the decompressed bytes.
	}
	f := &Fetcher{cfg: cfg, tr: tr, log: log}
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
	f.log.Debug("feed redirected", zap.String("from", safeURL(via[len(via)-1].URL)), zap.String("to", safeURL(req.URL)))
	return nil
}

// Fetch GETs rawURL. With validators from the previous fetch it is a
// conditional GET, and a 304 answer returns ErrNotModified (with the response
// status and validators) without reading a body. A non-2xx answer returns a
// *StatusError; a body over the cap returns ErrBodyTooLarge.
func (f *Fetcher) Fetch(ctx context.Context, rawURL string, v Validators) (Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Response{}, fmt.Errorf("fetch: invalid url: %w", err)
	}
	where := safeURL(u)
	if u.Scheme != "http" && u.Scheme != "https" {
		return Response{}, fmt.Errorf("fetch %s: scheme must be http or https", where)
	}

	ctx, cancel := context.WithTimeout(ctx, f.cfg.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Response{}, fmt.Errorf("fetch %s: %w", where, err)
	}
	req.Header.Set("User-Agent", f.cfg.UserAgent)
	req.Header.Set("Accept", "application/rss+xml, application/atom+xml, application/feed+json, "+
		"application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.9, */*;q=0.8")
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
	switch {
	case resp.StatusCode == http.StatusNotModified:
		out.Validators = v
		if etag := resp.Header.Get("ETag"); etag != "" {
			out.ETag = etag
		}
		if lm := resp.Header.Get("Last-Modified"); lm != "" {
			out.LastModified = lm
		}
		return out, fmt.Errorf("fetch %s: %w", where, ErrNotModified)
	case resp.StatusCode < 200 || resp.StatusCode > 299:
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, discardLimit))
		se := &StatusError{Status: resp.StatusCode, RetryAfter: parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())}
		return out, fmt.Errorf("fetch %s: %w", where, se)
	}

	limit := f.cfg.MaxBodyBytes
	if !resp.Uncompressed && resp.ContentLength > limit {
		return out, fmt.Errorf("fetch %s: content-length %d exceeds %d bytes: %w", where, resp.ContentLength, limit, ErrBodyTooLarge)
	}
	// Read one byte past the cap to tell "exactly at the cap" from "over it".
	body, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return out, fmt.Errorf("fetch %s: read body: %w", where, err)
	}
	if int64(len(body)) > limit {
		return out, fmt.Errorf("fetch %s: body exceeds %d bytes: %w", where, limit, ErrBodyTooLarge)
	}
	out.Body = body
	out.Validators = Validators{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}
	return out, nil
}

// parseRetryAfter reads a Retry-After header: delay-seconds or an HTTP date.
func parseRetryAfter(h string, now time.Time) time.Duration {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs <= 0 || secs > int64(365*24*time.Hour/time.Second) {
			return 0
		}
		return time.Duration(secs) * time.Second
	}
	if t, err := http.ParseTime(h); err == nil && t.After(now) {
		return t.Sub(now)
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
