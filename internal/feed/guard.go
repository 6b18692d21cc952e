package feed

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"syscall"
)

// ErrPrivateAddress: the fetch guard refused a destination that is not a public
// unicast address (loopback, private, link-local, CGNAT, multicast, reserved...).
var ErrPrivateAddress = errors.New("destination is not a public address")

// nonPublicRange is one block of addresses a feed must not resolve to.
type nonPublicRange struct {
	prefix netip.Prefix
	name   string
}

func mustRanges(pairs ...string) []nonPublicRange {
	out := make([]nonPublicRange, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, nonPublicRange{prefix: netip.MustParsePrefix(pairs[i]), name: pairs[i+1]})
	}
	return out
}

// Blocks from the IANA special-purpose registries that no news wire is served
// from. Ranges that embed an IPv4 address (mapped, NAT64, 6to4) are not listed:
// they are judged by the address they embed.
var (
	nonPublicV4 = mustRanges(
		"0.0.0.0/8", "unspecified (\"this network\")",
		"10.0.0.0/8", "private (RFC 1918)",
		"100.64.0.0/10", "carrier-grade NAT (RFC 6598)",
		"127.0.0.0/8", "loopback",
		"169.254.0.0/16", "link-local (cloud metadata lives here)",
		"172.16.0.0/12", "private (RFC 1918)",
		"192.0.0.0/24", "IETF protocol assignments",
		"192.0.2.0/24", "documentation (TEST-NET-1)",
		"192.88.99.0/24", "6to4 relay anycast",
		"192.168.0.0/16", "private (RFC 1918)",
		"198.18.0.0/15", "benchmarking",
		"198.51.100.0/24", "documentation (TEST-NET-2)",
		"203.0.113.0/24", "documentation (TEST-NET-3)",
		"224.0.0.0/4", "multicast",
		"240.0.0.0/4", "reserved (includes broadcast)",
	)
	nonPublicV6 = mustRanges(
		"::/128", "unspecified",
		"::1/128", "loopback",
		"::/96", "IPv4-compatible (deprecated)",
		"64:ff9b:1::/48", "local-use NAT64",
		"100::/64", "discard-only",
		"2001::/23", "IETF protocol assignments (Teredo, benchmarking, ORCHID)",
		"2001:db8::/32", "documentation",
		"3fff::/20", "documentation",
		"fc00::/7", "unique local (ULA)",
		"fe80::/10", "link-local",
		"fec0::/10", "site-local (deprecated)",
		"ff00::/8", "multicast",
	)
	nat64Prefix = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour   = netip.MustParsePrefix("2002::/16")
)

// CheckAddress returns nil when a may be connected to for a feed, and otherwise
// an error wrapping ErrPrivateAddress that names the address and its range.
// IPv4 addresses embedded in IPv6 (IPv4-mapped, NAT64 64:ff9b::/96, 6to4) are
// judged by the IPv4 address: NAT64 to a public address is fine.
func CheckAddress(a netip.Addr) error {
	if reason := nonPublicReason(a); reason != "" {
		return fmt.Errorf("%w: %s is %s", ErrPrivateAddress, a.WithZone(""), reason)
	}
	return nil
}

func nonPublicReason(a netip.Addr) string {
	if !a.IsValid() {
		return "not a valid address"
	}
	a = a.WithZone("")
	if a.Is4In6() {
		if r := nonPublicReason(a.Unmap()); r != "" {
			return r + ", IPv4-mapped"
		}
		return ""
	}
	if a.Is6() {
		if nat64Prefix.Contains(a) {
			b := a.As16()
			if r := nonPublicReason(netip.AddrFrom4([4]byte(b[12:16]))); r != "" {
				return r + ", behind NAT64"
			}
			return ""
		}
		if sixToFour.Contains(a) {
			b := a.As16()
			if r := nonPublicReason(netip.AddrFrom4([4]byte(b[2:6]))); r != "" {
				return r + ", inside 6to4"
			}
			return ""
		}
		for _, r := range nonPublicV6 {
			if r.prefix.Contains(a) {
				return r.name
			}
		}
		return ""
	}
	for _, r := range nonPublicV4 {
		if r.prefix.Contains(a) {
			return r.name
		}
	}
	return ""
}

// addrGuard refuses connections to addresses its check rejects. It runs where
// the address is final — after DNS resolution, on every connection attempt,
// redirects included — so neither a DNS answer that changes between lookups
// nor a redirect to an internal host can get past it.
type addrGuard struct {
	check func(netip.Addr) error
}

func newAddrGuard(check func(netip.Addr) error) addrGuard {
	if check == nil {
		check = CheckAddress
	}
	return addrGuard{check: check}
}

// control is a net.Dialer ControlContext hook: address is the resolved
// ip:port about to be connected to.
func (g addrGuard) control(_ context.Context, network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		// Fail closed: a dial the guard cannot read is a dial it cannot vouch for.
		return fmt.Errorf("%w: cannot read %s address %q", ErrPrivateAddress, network, address)
	}
	return g.check(ap.Addr())
}

// wrap guards a custom dial function, which does not offer a control hook: the
// host is resolved here, every address checked, and dial is handed the checked
// IP address only, so it never resolves the name again.
func (g addrGuard) wrap(dial DialContextFunc, resolver *net.Resolver) DialContextFunc {
	if resolver == nil {
		resolver = net.DefaultResolver
	}
	return func(ctx context.Context, network, address string) (net.Conn, error) {
		host, portStr, err := net.SplitHostPort(address)
		if err != nil {
			return nil, fmt.Errorf("dial %s: %w", address, err)
		}
		port, err := strconv.ParseUint(portStr, 10, 16)
		if err != nil {
			return nil, fmt.Errorf("dial %s: invalid port: %w", address, err)
		}
		var addrs []netip.Addr
		if ip, err := netip.ParseAddr(host); err == nil {
			addrs = []netip.Addr{ip}
		} else {
			ipNet := "ip"
			switch network {
			case "tcp4", "udp4":
				ipNet = "ip4"
			case "tcp6", "udp6":
				ipNet = "ip6"
			}
			if addrs, err = resolver.LookupNetIP(ctx, ipNet, host); err != nil {
				return nil, fmt.Errorf("dial %s: %w", address, err)
			}
		}
		var firstErr error
		for _, ip := range addrs {
			ip = ip.Unmap() // LookupNetIP answers IPv4 as IPv4-mapped IPv6
			if err := g.check(ip); err != nil {
				firstErr = keepFirst(firstErr, fmt.Errorf("dial %s: %w", address, err))
				continue
			}
			conn, err := dial(ctx, network, netip.AddrPortFrom(ip.WithZone(""), uint16(port)).String())
			if err == nil {
				return conn, nil
			}
			firstErr = keepFirst(firstErr, err)
			if ctx.Err() != nil {
				break
			}
		}
		if firstErr == nil {
			firstErr = fmt.Errorf("dial %s: no address found", address)
		}
		return nil, firstErr
	}
}

// keepFirst keeps the first error.
func keepFirst(first, next error) error {
	if first != nil {
		return first
	}
	return next
}
