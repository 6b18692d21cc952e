package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// StoryKey is the story's stable identity, decided once at ingest and used as the
// record key on every topic so all versions of a story stay on one partition.
//
// The first of these that the item has decides:
//
//  1. An agency-assigned uri (NewsML-G2 guid, ninjs uri), used as it is.
//  2. A guid or id that is a stable identifier ("urn:...", "tag:...", "12345"), scoped by
//     the provider when the feed names one (the same agency guid from two feeds of that
//     agency is one story), else by the feed id. A guid that is an http(s) address is a
//     permalink, not an identifier, and counts as a link (RSS guids default to
//     isPermaLink="true", and the flag does not survive parsing).
//  3. The canonical link (see CanonicalURL), scoped by its site: the same article reached
//     through two feeds of one site, or with different tracking parameters, is one story
//     whatever provider each feed names. The scheme and a leading "www." do not matter
//     here, so a site moving to https or dropping "www." keeps its stories' keys. The
//     permalink guid is preferred over the item's link: it is what the publisher declared
//     as the item's identity, while links often carry a headline slug that changes with
//     an update.
//  4. A hash of the feed, the title and the publication time; untitled items fall back
//     to their text. These are scoped by the feed only: without an identifier, copies in
//     other feeds are matched by their content, not by their key.
//
// Keys other than agency uris are "urn:wirehose:" and 32 hex digits.
func StoryKey(it RawItem) string {
	if it.URI != "" {
		return it.URI
	}
	guid := strings.TrimSpace(it.GUID)
	if guid != "" && !isWebAddress(guid) {
		scope := strings.ToLower(strings.TrimSpace(it.Provider))
		if scope == "" {
			scope = "feed:" + it.Feed
		}
		return hashKey(scope, guid)
	}
	link := strings.TrimSpace(it.Link)
	for _, l := range []string{guid, link} {
		if l == "" {
			continue
		}
		if c, err := CanonicalURL(l); err == nil {
			site, id := linkIdentity(c)
			return hashKey("site:"+site, "link:"+id)
		}
	}
	feed := "feed:" + it.Feed
	if guid != "" {
		// A permalink guid that is no usable address: only its feed can vouch for it.
		return hashKey(feed, guid)
	}
	if link != "" {
		return hashKey(feed, link)
	}
	if title := strings.TrimSpace(it.Title); title != "" {
		id := "title:" + title
		if it.Published != nil {
			id += "@" + it.Published.UTC().Format("2006-01-02T15:04:05Z")
		}
		return hashKey(feed, id)
	}
	// Untitled and unidentified: the text itself is all that tells two items apart.
	text := strings.TrimSpace(it.Body)
	if text == "" {
		text = strings.TrimSpace(it.Summary)
	}
	return hashKey(feed, "text:"+text)
}

func hashKey(scope, id string) string {
	sum := sha256.Sum256([]byte(scope + "\x00" + id))
	return "urn:wirehose:" + hex.EncodeToString(sum[:16])
}

// isWebAddress says whether s starts with an http or https scheme.
func isWebAddress(s string) bool {
	scheme, _, ok := strings.Cut(s, "://")
	return ok && (strings.EqualFold(scheme, "http") || strings.EqualFold(scheme, "https"))
}

// linkIdentity splits a canonical URL into its site (host without a leading "www.")
// and the address without its scheme, which identifies the article.
func linkIdentity(canonical string) (site, id string) {
	_, rest, _ := strings.Cut(canonical, "://")
	rest = strings.TrimPrefix(rest, "www.")
	site, _, _ = strings.Cut(rest, "/")
	return site, rest
}

// trackingParams are query parameters that say how a reader arrived, not what they
// read: campaign tags, click ids of ad and social networks, newsletter and share
// markers. Names are compared in lower case; "utm_" and the other prefixes below match
// any parameter they start.
var trackingParams = map[string]bool{
	// Ad networks' click ids.
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "yclid": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"igshid": true, "igsh": true, "rb_clickid": true, "s_kwcid": true,
	// Analytics and newsletter tools.
	"_ga": true, "_gl": true, "mc_cid": true, "mc_eid": true, "_hsenc": true, "_hsmi": true,
	"mkt_tok": true, "vero_id": true, "vero_conv": true, "oly_anon_id": true, "oly_enc_id": true,
	"wt.mc_id": true, "s_cid": true, "xtor": true, "spm": true,
	// Publishers' own campaign, referrer and share markers.
	"ref": true, "ref_src": true, "ref_url": true, "referrer": true, "cmpid": true, "cmp": true,
	"ocid": true, "icid": true, "smid": true, "smtyp": true, "sr_share": true,
	"fb_action_ids": true, "fb_action_types": true, "fb_ref": true, "fb_source": true,
	"__twitter_impression": true, "ito": true, "guccounter": true, "guce_referrer": true,
	"guce_referrer_sig": true,
}

// trackingPrefixes: families of tracking parameters ("utm_source", "ns_campaign", "at_medium", ...).
var trackingPrefixes = []string{"utm_", "ns_", "at_", "pk_", "mtm_", "hsa_"}

func isTrackingParam(name string) bool {
	name = strings.ToLower(name)
	if trackingParams[name] {
		return true
	}
	for _, p := range trackingPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// CanonicalURL returns the canonical form of an http or https address, so that the
// links two feeds give for one article compare equal:
//
//   - scheme and host in lower case, a trailing dot of the host and any user info dropped;
//   - the scheme's default port (80, 443) dropped, other ports without leading zeros;
//   - percent escapes with upper-case hex digits, and unreserved characters
//     (letters, digits, "-", ".", "_", "~") never escaped;
//   - "." and ".." path segments resolved; an empty path becomes "/", and a trailing
//     slash is dropped from any other path ("/world/" and "/world" are one page on
//     news sites);
//   - the fragment dropped;
//   - tracking parameters (utm_*, fbclid, gclid, ... see trackingParams) and empty
//     parameters removed; the others sorted by name, then value.
//
// A leading "www." is kept: the result stays an address that can be fetched. StoryKey
// ignores it, and the scheme, when it compares links.
//
// CanonicalURL(CanonicalURL(x)) == CanonicalURL(x). It fails when raw is not an
// absolute http(s) address with a host.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("canonical url: %w", err)
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("canonical url %q: scheme %q is not http or https", raw, u.Scheme)
	}
	if u.Opaque != "" {
		return "", fmt.Errorf("canonical url %q: no host", raw)
	}
	host, err := canonicalHost(u, scheme)
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, err)
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(host)
	b.WriteString(canonicalPath(u.EscapedPath()))
	if q := canonicalQuery(u.RawQuery); q != "" {
		b.WriteByte('?')
		b.WriteString(q)
	}
	return b.String(), nil
}

func canonicalHost(u *url.URL, scheme string) (string, error) {
	name := strings.TrimRight(strings.ToLower(u.Hostname()), ".")
	if name == "" {
		return "", errors.New("no host")
	}
	ipv6 := strings.Contains(name, ":")
	for _, r := range name {
		ok := r == '.' || r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' ||
			r > 0x7f && r != 0xFFFD || ipv6 && r == ':'
		if !ok {
			return "", fmt.Errorf("character %q in host", r)
		}
	}
	if ipv6 {
		name = "[" + name + "]"
	}
	port := strings.TrimLeft(u.Port(), "0")
	if u.Port() != "" && port == "" {
		port = "0"
	}
	if port == "" || scheme == "http" && port == "80" || scheme == "https" && port == "443" {
		return name, nil
	}
	return name + ":" + port, nil
}

// canonicalPath normalises an escaped path: escapes, dot segments, trailing slash.
func canonicalPath(p string) string {
	p = normaliseEscapes(p, isPathByte)
	if p == "" || p[0] != '/' {
		p = "/" + p
	}
	segs := strings.Split(p[1:], "/")
	out := make([]string, 0, len(segs))
	for i, s := range segs {
		last := i == len(segs)-1
		switch s {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, s)
		}
	}
	p = "/" + strings.Join(out, "/")
	for len(p) > 1 && strings.HasSuffix(p, "/") {
		p = p[:len(p)-1]
	}
	return p
}

// canonicalQuery drops tracking and empty parameters and sorts the rest.
func canonicalQuery(q string) string {
	if q == "" {
		return ""
	}
	type param struct{ name, pair string }
	var kept []param
	for _, pair := range strings.Split(q, "&") {
		pair = normaliseEscapes(pair, isQueryByte)
		rawName, _, _ := strings.Cut(pair, "=")
		if rawName == "" {
			continue
		}
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			name = rawName
		}
		if isTrackingParam(name) {
			continue
		}
		kept = append(kept, param{name: rawName, pair: pair})
	}
	slices.SortFunc(kept, func(a, b param) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return strings.Compare(a.pair, b.pair)
	})
	pairs := make([]string, len(kept))
	for i, p := range kept {
		pairs[i] = p.pair
	}
	return strings.Join(pairs, "&")
}

// normaliseEscapes rewrites s so that equal addresses are equal strings: valid
// escapes of unreserved characters are decoded, other escapes get upper-case hex,
// and bytes that may not appear unescaped (by allowed) are escaped, a stray "%" too.
func normaliseEscapes(s string, allowed func(byte) bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			v := unhex(s[i+1])<<4 | unhex(s[i+2])
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(hexDigits[v>>4])
				b.WriteByte(hexDigits[v&15])
			}
			i += 2
			continue
		}
		if c != '%' && allowed(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// isPathByte: unreserved characters, sub-delimiters, ":", "@" and "/" (RFC 3986 path).
func isPathByte(c byte) bool {
	return isUnreserved(c) || strings.IndexByte("!$&'()*+,;=:@/", c) >= 0
}

// isQueryByte is a query parameter's characters: a path's and "?", but not "&",
// which separates parameters. "=" stays: only the first one separates name and value.
func isQueryByte(c byte) bool {
	return isUnreserved(c) || strings.IndexByte("!$'()*+,;=:@/?", c) >= 0
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
