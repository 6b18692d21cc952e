package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCheckAddress(t *testing.T) {
	tests := []struct {
		name   string
		addr   string
		reason string // empty: the address is public and allowed
	}{
		// Public addresses, including the edges of neighbouring blocks.
		{"public v4", "93.184.216.34", ""},
		{"just below CGNAT", "100.63.255.255", ""},
		{"just above CGNAT", "100.128.0.0", ""},
		{"just below 172.16/12", "172.15.255.255", ""},
		{"just above 172.16/12", "172.32.0.0", ""},
		{"just below link-local", "169.253.255.255", ""},
		{"just above 192.168/16", "192.169.0.0", ""},
		{"public v6", "2606:4700:4700::1111", ""},
		{"public v4 mapped into v6", "::ffff:93.184.216.34", ""},
		{"NAT64 of a public v4", "64:ff9b::5db8:d822", ""},
		{"6to4 of a public v4", "2002:5db8:d822::1", ""},

		{"this network", "0.1.2.3", "unspecified"},
		{"unspecified v4", "0.0.0.0", "unspecified"},
		{"RFC 1918 10/8", "10.20.30.40", "private (RFC 1918)"},
		{"RFC 1918 172.16/12 low", "172.16.0.1", "private (RFC 1918)"},
		{"RFC 1918 172.16/12 high", "172.31.255.254", "private (RFC 1918)"},
		{"RFC 1918 192.168/16", "192.168.1.1", "private (RFC 1918)"},
		{"CGNAT low", "100.64.0.1", "carrier-grade NAT"},
		{"CGNAT high", "100.127.255.254", "carrier-grade NAT"},
		{"loopback", "127.0.0.1", "loopback"},
		{"loopback elsewhere in 127/8", "127.45.6.7", "loopback"},
		{"cloud metadata", "169.254.169.254", "link-local"},
		{"IETF protocol assignments", "192.0.0.8", "IETF protocol assignments"},
		{"TEST-NET-1", "192.0.2.10", "documentation"},
		{"6to4 relay anycast", "192.88.99.1", "6to4 relay"},
		{"benchmarking", "198.19.0.1", "benchmarking"},
		{"TEST-NET-2", "198.51.100.7", "documentation"},
		{"TEST-NET-3", "203.0.113.9", "documentation"},
		{"multicast v4", "239.255.255.250", "multicast"},
		{"reserved class E", "240.0.0.1", "reserved"},
		{"broadcast", "255.255.255.255", "reserved"},

		{"unspecified v6", "::", "unspecified"},
		{"loopback v6", "::1", "loopback"},
		{"mapped loopback", "::ffff:127.0.0.1", "loopback, IPv4-mapped"},
		{"mapped private", "::ffff:10.0.0.1", "private (RFC 1918), IPv4-mapped"},
		{"mapped metadata", "::ffff:169.254.169.254", "link-local"},
		{"IPv4-compatible", "::808:808", "IPv4-compatible"},
		{"NAT64 of a private v4", "64:ff9b::a00:1", "private (RFC 1918), behind NAT64"},
		{"NAT64 of loopback", "64:ff9b::7f00:1", "loopback, behind NAT64"},
		{"NAT64 of metadata", "64:ff9b::a9fe:a9fe", "link-local (cloud metadata lives here), behind NAT64"},
		{"local-use NAT64", "64:ff9b:1::1", "local-use NAT64"},
		{"6to4 of a private v4", "2002:c0a8:101::1", "private (RFC 1918), inside 6to4"},
		{"discard-only", "100::1", "discard-only"},
		{"Teredo", "2001::1", "IETF protocol assignments"},
		{"documentation v6", "2001:db8::1", "documentation"},
		{"documentation v6 3fff", "3fff:1::1", "documentation"},
		{"ULA fc", "fc00::1", "unique local"},
		{"ULA fd", "fd12:3456:789a::1", "unique local"},
		{"link-local v6", "fe80::1", "link-local"},
		{"link-local v6 with zone", "fe80::1%eth0", "link-local"},
		{"site-local", "fec0::1", "site-local"},
		{"multicast v6", "ff02::1", "multicast"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckAddress(netip.MustParseAddr(tt.addr))
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("CheckAddress(%s) = %v, want allowed", tt.addr, err)
				}
				return
			}
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("CheckAddress(%s) = %v, want ErrPrivateAddress", tt.addr, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error %q does not give the range %q", err, tt.reason)
			}
			if ip := netip.MustParseAddr(tt.addr).WithZone(""); !strings.Contains(err.Error(), ip.String()) {
				t.Errorf("error %q does not name the address %s", err, ip)
			}
		})
	}
	if err := CheckAddress(netip.Addr{}); !errors.Is(err, ErrPrivateAddress) {
		t.Errorf("the zero Addr = %v, want refused", err)
	}
}

// countingServer is a loopback feed server that counts connections and
// requests: while the guard is on, both must stay at zero.
type countingServer struct {
	*httptest.Server
	conns, requests atomic.Int32
}

func startCountingServer(t *testing.T, ip string, h http.HandlerFunc) *countingServer {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Skipf("cannot listen on %s (needed to tell two loopback hosts apart): %v", ip, err)
	}
	cs := &countingServer{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.requests.Add(1)
		h(w, r)
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			cs.conns.Add(1)
		}
	}
	srv.Start()
	cs.Server = srv
	t.Cleanup(srv.Close)
	return cs
}

func (cs *countingServer) port() string {
	_, port, _ := net.SplitHostPort(cs.Listener.Addr().String())
	return port
}

func serveFeed(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "<rss/>") }

func TestFetchGuardRefusesBeforeConnecting(t *testing.T) {
	srv := startCountingServer(t, "127.0.0.1", serveFeed)
	tests := []struct {
		name string
		url  string
	}{
		{"loopback IP", "http://127.0.0.1:" + srv.port() + "/feed.xml"},
		{"name resolving to loopback", "http://localhost:" + srv.port() + "/feed.xml"},
		{"IPv4-mapped loopback", "http://[::ffff:127.0.0.1]:" + srv.port() + "/feed.xml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newGuardedTestFetcher(t, FetchConfig{})
			_, err := f.Fetch(context.Background(), tt.url, Validators{})
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("error = %v, want ErrPrivateAddress", err)
			}
			if !strings.Contains(err.Error(), "127.0.0.1") {
				t.Errorf("error %q does not name the refused address", err)
			}
		})
	}
	if c, r := srv.conns.Load(), srv.requests.Load(); c != 0 || r != 0 {
		t.Fatalf("server saw %d connections and %d requests while the guard was on, want none", c, r)
	}
}

func TestFetchGuardOffWhenPrivateNetworksAllowed(t *testing.T) {
	srv := startCountingServer(t, "127.0.0.1", serveFeed)
	f := newGuardedTestFetcher(t, FetchConfig{AllowPrivateNetworks: true})
	resp, err := f.Fetch(context.Background(), "http://localhost:"+srv.port()+"/feed.xml", Validators{})
	if err != nil {
		t.Fatalf("Fetch with allow_private_networks: %v", err)
	}
	if string(resp.Body) != "<rss/>" || srv.requests.Load() != 1 {
		t.Fatalf("body %q after %d requests, want the feed after one", resp.Body, srv.requests.Load())
	}
}

// onlyAddr stands in for a public host in tests: it lets one loopback address
// through and judges every other one as the guard does.
func onlyAddr(ip string) func(netip.Addr) error {
	allowed := netip.MustParseAddr(ip)
	return func(a netip.Addr) error {
		if a == allowed {
			return nil
		}
		return CheckAddress(a)
	}
}

func TestFetchGuardChecksEveryRedirectHop(t *testing.T) {
	internal := startCountingServer(t, "127.0.0.1", serveFeed)
	public := startCountingServer(t, "127.0.0.2", func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/feed.xml":
			serveFeed(w, r)
		case "/to-ip":
			http.Redirect(w, r, "http://127.0.0.1:"+internal.port()+"/admin", http.StatusFound)
		case "/to-name":
			http.Redirect(w, r, "http://localhost:"+internal.port()+"/admin", http.StatusMovedPermanently)
		case "/to-metadata":
			http.Redirect(w, r, "http://169.254.169.254/latest/meta-data/", http.StatusTemporaryRedirect)
		}
	})
	base := "http://127.0.0.2:" + public.port()
	f := newGuardedTestFetcher(t, FetchConfig{addrCheck: onlyAddr("127.0.0.2")})

	// The stand-in public host itself is reachable: the guard is not refusing everything.
	if resp, err := f.Fetch(context.Background(), base+"/feed.xml", Validators{}); err != nil || string(resp.Body) != "<rss/>" {
		t.Fatalf("fetch from the allowed host = %q, %v", resp.Body, err)
	}
	for _, path := range []string{"/to-ip", "/to-name", "/to-metadata"} {
		t.Run(path, func(t *testing.T) {
			_, err := f.Fetch(context.Background(), base+path, Validators{})
			if !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("error = %v, want ErrPrivateAddress", err)
			}
		})
	}
	if c, r := internal.conns.Load(), internal.requests.Load(); c != 0 || r != 0 {
		t.Fatalf("internal server saw %d connections and %d requests through redirects, want none", c, r)
	}
	if n := public.requests.Load(); n != 4 {
		t.Errorf("allowed host saw %d requests, want 4", n)
	}
}

func TestFetchGuardWrapsCustomDial(t *testing.T) {
	srv := startCountingServer(t, "127.0.0.1", serveFeed)
	url := "http://localhost:" + srv.port() + "/feed.xml"
	var dialed []string
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		dialed = append(dialed, addr)
		return (&net.Dialer{}).DialContext(ctx, network, addr)
	}

	// Guard on: the name resolves to loopback, so the custom dial is never called.
	f := newGuardedTestFetcher(t, FetchConfig{DialContext: dial})
	if _, err := f.Fetch(context.Background(), url, Validators{}); !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("error = %v, want ErrPrivateAddress", err)
	}
	if len(dialed) != 0 || srv.conns.Load() != 0 {
		t.Fatalf("dial called with %v (%d connections) while the guard refused", dialed, srv.conns.Load())
	}

	// Address allowed: the dial gets the checked IP, never the name to resolve again.
	f = newGuardedTestFetcher(t, FetchConfig{DialContext: dial, addrCheck: onlyAddr("127.0.0.1")})
	if _, err := f.Fetch(context.Background(), url, Validators{}); err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if len(dialed) != 1 || dialed[0] != "127.0.0.1:"+srv.port() {
		t.Fatalf("dial called with %v, want the resolved and checked 127.0.0.1:%s", dialed, srv.port())
	}
}

func TestGuardControlFailsClosed(t *testing.T) {
	g := newAddrGuard(nil)
	tests := []struct {
		name, addr string
		refused    bool
	}{
		{"public", "93.184.216.34:443", false},
		{"public v6", "[2606:4700:4700::1111]:443", false},
		{"private", "10.0.0.1:80", true},
		{"unreadable", "not-an-address", true},
		{"name instead of IP", "localhost:80", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := g.control(context.Background(), "tcp", tt.addr, nil)
			if got := err != nil; got != tt.refused {
				t.Fatalf("control(%s) = %v, want refused=%v", tt.addr, err, tt.refused)
			}
			if tt.refused && !errors.Is(err, ErrPrivateAddress) {
				t.Errorf("error %v does not wrap ErrPrivateAddress", err)
			}
		})
	}
}
