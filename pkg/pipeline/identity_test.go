package pipeline

import (
	"strings"
	"testing"
	"time"
)

func TestStoryKey(t *testing.T) {
	pub := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	later := pub.Add(time.Hour)
	base := RawItem{Feed: "afp-world", Provider: "AFP", GUID: "urn:afp:1", Link: "https://x.example/1", Title: "T", Published: &pub}
	key := StoryKey(base)
	if !strings.HasPrefix(key, "urn:wirehose:") || len(key) != len("urn:wirehose:")+32 {
		t.Fatalf("key %q: want urn:wirehose: and 32 hex digits", key)
	}
	tests := []struct {
		name string
		edit func(RawItem) RawItem
		same bool
	}{
		{"same guid, other feed of the same provider", func(it RawItem) RawItem { it.Feed = "afp-sport"; return it }, true},
		{"provider case and spaces do not matter", func(it RawItem) RawItem { it.Provider = " afp "; return it }, true},
		{"changed content keeps the key", func(it RawItem) RawItem { it.Title = "New"; it.Body = "x"; return it }, true},
		{"changed link keeps the key of a stable guid", func(it RawItem) RawItem { it.Link = "https://x.example/1-new-slug"; return it }, true},
		{"other publication time keeps the key of a stable guid", func(it RawItem) RawItem { it.Published = &later; return it }, true},
		{"other guid", func(it RawItem) RawItem { it.GUID = "urn:afp:2"; return it }, false},
		{"same guid, other provider", func(it RawItem) RawItem { it.Provider = "Reuters"; return it }, false},
		{"guid case matters", func(it RawItem) RawItem { it.GUID = "URN:AFP:1"; return it }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StoryKey(tt.edit(base)); (got == key) != tt.same {
				t.Errorf("StoryKey = %q vs %q, want same=%v", got, key, tt.same)
			}
		})
	}
}

// TestStoryKeyUnchangedForStableGUIDs pins the key of a stable guid: stories stored
// before links were canonicalised keep their identity.
func TestStoryKeyUnchangedForStableGUIDs(t *testing.T) {
	tests := []struct {
		name string
		item RawItem
		want string
	}{
		{"provider scope", RawItem{Feed: "afp-world", Provider: "AFP", GUID: "urn:afp:1"}, "urn:wirehose:0d6b439c22f7b143b8f45df57acc399f"},
		{"feed scope", RawItem{Feed: "blog", GUID: "tag:blog.example,2026:42"}, "urn:wirehose:a277a4e2e7174c9855363ea221ee1b34"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StoryKey(tt.item); got != tt.want {
				t.Errorf("StoryKey = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestStoryKeyPairs(t *testing.T) {
	pub := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	later := pub.Add(time.Minute)
	tests := []struct {
		name string
		a, b RawItem
		same bool
	}{
		{
			"agency uri is the key whatever the feed",
			RawItem{Feed: "a", URI: "urn:newsml:afp.com:20260616:123", GUID: "urn:newsml:afp.com:20260616:123"},
			RawItem{Feed: "b", Provider: "Other", URI: "urn:newsml:afp.com:20260616:123"},
			true,
		},
		{
			"stable guid without provider is scoped by feed",
			RawItem{Feed: "a", GUID: "g"}, RawItem{Feed: "b", GUID: "g"}, false,
		},
		{
			"stable guid with the same provider in two feeds",
			RawItem{Feed: "a", Provider: "dpa", GUID: "g"}, RawItem{Feed: "b", Provider: "DPA", GUID: "g"}, true,
		},
		{
			"atom tag id is a stable identifier, not a link",
			RawItem{Feed: "a", GUID: "tag:site.example,2026:1", Link: "https://site.example/1"},
			RawItem{Feed: "b", Link: "https://site.example/1"}, false,
		},
		{
			"permalink guid is the link",
			RawItem{Feed: "a", Provider: "Site", GUID: "https://site.example/news/1"},
			RawItem{Feed: "b", Link: "https://site.example/news/1"}, true,
		},
		{
			"permalink guid wins over a slugged link",
			RawItem{Feed: "a", GUID: "https://site.example/?p=123", Link: "https://site.example/2026/01/old-headline"},
			RawItem{Feed: "a", GUID: "https://site.example/?p=123", Link: "https://site.example/2026/01/new-headline"}, true,
		},
		{
			"upper-case scheme marks a permalink guid",
			RawItem{Feed: "a", GUID: "HTTPS://Site.Example/news/1"},
			RawItem{Feed: "b", Link: "https://site.example/news/1"}, true,
		},
		{
			"link is scoped by site, not by provider",
			RawItem{Feed: "site-world", Provider: "Site", Link: "https://site.example/a"},
			RawItem{Feed: "site-sport", Provider: "Other name", Link: "https://site.example/a"}, true,
		},
		{
			"same path on two sites",
			RawItem{Feed: "a", Link: "https://one.example/a"}, RawItem{Feed: "a", Link: "https://two.example/a"}, false,
		},
		{
			"tracking parameters do not matter",
			RawItem{Feed: "a", Link: "https://site.example/a?id=7&utm_source=rss&utm_medium=feed"},
			RawItem{Feed: "b", Link: "https://site.example/a?fbclid=xyz&id=7#comments"}, true,
		},
		{
			"meaningful parameters matter",
			RawItem{Feed: "a", Link: "https://site.example/article?id=7"},
			RawItem{Feed: "a", Link: "https://site.example/article?id=8"}, false,
		},
		{
			"http and https are one page",
			RawItem{Feed: "a", Link: "http://site.example/a"}, RawItem{Feed: "a", Link: "https://site.example/a"}, true,
		},
		{
			"www and bare host are one site",
			RawItem{Feed: "a", Link: "https://www.site.example/a"}, RawItem{Feed: "a", Link: "https://site.example/a/"}, true,
		},
		{
			"other subdomain is another site",
			RawItem{Feed: "a", Link: "https://news.site.example/a"}, RawItem{Feed: "a", Link: "https://site.example/a"}, false,
		},
		{
			"link that is no web address is scoped by feed",
			RawItem{Feed: "a", Link: "ftp://site.example/a"}, RawItem{Feed: "b", Link: "ftp://site.example/a"}, false,
		},
		{
			"link that is no web address keeps its key",
			RawItem{Feed: "a", Link: "ftp://site.example/a", Title: "x"}, RawItem{Feed: "a", Link: "ftp://site.example/a", Title: "y"}, true,
		},
		{
			"title and publication time decide without guid or link",
			RawItem{Feed: "a", Title: "T", Published: &pub}, RawItem{Feed: "a", Title: "T", Published: &pub}, true,
		},
		{
			"other publication time without guid or link",
			RawItem{Feed: "a", Title: "T", Published: &pub}, RawItem{Feed: "a", Title: "T", Published: &later}, false,
		},
		{
			"publication time missing on one side",
			RawItem{Feed: "a", Title: "T", Published: &pub}, RawItem{Feed: "a", Title: "T"}, false,
		},
		{
			"title fallback is scoped by feed even with one provider",
			RawItem{Feed: "a", Provider: "P", Title: "T", Published: &pub}, RawItem{Feed: "b", Provider: "P", Title: "T", Published: &pub}, false,
		},
		{
			"untitled items differ by text",
			RawItem{Feed: "a", Body: "one"}, RawItem{Feed: "a", Body: "two"}, false,
		},
		{
			"the same untitled summary keeps its key",
			RawItem{Feed: "a", Summary: "one"}, RawItem{Feed: "a", Summary: "one"}, true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := StoryKey(tt.a), StoryKey(tt.b)
			if (a == b) != tt.same {
				t.Errorf("StoryKey = %q and %q, want same=%v", a, b, tt.same)
			}
			if tt.a.URI == "" && !strings.HasPrefix(a, "urn:wirehose:") {
				t.Errorf("StoryKey = %q, want a urn:wirehose: key", a)
			}
		})
	}
}

func TestCanonicalURL(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"already canonical", "https://site.example/news/a", "https://site.example/news/a"},
		{"scheme and host case", "HTTPS://Site.EXAMPLE/News/A", "https://site.example/News/A"},
		{"surrounding spaces", "  https://site.example/a \n", "https://site.example/a"},
		{"default http port", "http://site.example:80/a", "http://site.example/a"},
		{"default https port", "https://site.example:443/a", "https://site.example/a"},
		{"https port on http is kept", "http://site.example:443/a", "http://site.example:443/a"},
		{"other port kept", "https://site.example:8443/a", "https://site.example:8443/a"},
		{"port leading zeros", "https://site.example:0443/a", "https://site.example/a"},
		{"empty port", "https://site.example:/a", "https://site.example/a"},
		{"host trailing dot", "https://site.example./a", "https://site.example/a"},
		{"user info dropped", "https://user:pw@site.example/a", "https://site.example/a"},
		{"www kept", "https://www.site.example/a", "https://www.site.example/a"},
		{"fragment dropped", "https://site.example/a#section-2", "https://site.example/a"},
		{"empty path", "https://site.example", "https://site.example/"},
		{"root path", "https://site.example/", "https://site.example/"},
		{"trailing slash", "https://site.example/world/", "https://site.example/world"},
		{"trailing slashes", "https://site.example/world//", "https://site.example/world"},
		{"dot segments", "https://site.example/a/./b/../c", "https://site.example/a/c"},
		{"dot segments past the root", "https://site.example/../../a", "https://site.example/a"},
		{"escaped unreserved decoded", "https://site.example/%7Euser/%61", "https://site.example/~user/a"},
		{"escape hex upper-cased", "https://site.example/a%2fb?q=%c3%a9", "https://site.example/a%2Fb?q=%C3%A9"},
		{"unicode path escaped", "https://site.example/café", "https://site.example/caf%C3%A9"},
		{"utm parameters", "https://site.example/a?utm_source=rss&utm_medium=feed&utm_campaign=x&UTM_Content=y", "https://site.example/a"},
		{"click ids", "https://site.example/a?fbclid=1&gclid=2&dclid=3&msclkid=4&yclid=5&igshid=6", "https://site.example/a"},
		{"newsletter and analytics", "https://site.example/a?mc_cid=1&mc_eid=2&_ga=3&_hsenc=4", "https://site.example/a"},
		{"publisher markers", "https://site.example/a?ref=home&cmpid=rss&ocid=msn&CMP=share_btn&xtor=RSS-1", "https://site.example/a"},
		{"prefix families", "https://site.example/a?ns_campaign=x&at_medium=y&pk_source=z", "https://site.example/a"},
		{"tracking mixed with real parameters", "https://site.example/a?utm_source=rss&id=42&fbclid=x", "https://site.example/a?id=42"},
		{"stable parameter order", "https://site.example/a?b=2&a=1&c=3", "https://site.example/a?a=1&b=2&c=3"},
		{"repeated parameter order", "https://site.example/a?tag=z&tag=a", "https://site.example/a?tag=a&tag=z"},
		{"empty parameters dropped", "https://site.example/a?&id=1&&=x", "https://site.example/a?id=1"},
		{"only empty query", "https://site.example/a?", "https://site.example/a"},
		{"parameter without value kept", "https://site.example/a?print", "https://site.example/a?print"},
		{"escaped tracking name", "https://site.example/a?utm%5Fsource=x&id=1", "https://site.example/a?id=1"},
		{"name that only contains a tracker", "https://site.example/a?preference=1", "https://site.example/a?preference=1"},
		{"space in query escaped", "https://site.example/a?q=a b", "https://site.example/a?q=a%20b"},
		{"stray percent escaped", "https://site.example/a?q=100%", "https://site.example/a?q=100%25"},
		{"ipv6 host", "http://[2001:DB8::1]:80/a", "http://[2001:db8::1]/a"},
		{"ipv6 host with port", "http://[2001:db8::1]:8080/a", "http://[2001:db8::1]:8080/a"},
		{"unicode host lower-cased", "https://BÜCHER.example/a", "https://bücher.example/a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.in)
			if err != nil {
				t.Fatalf("CanonicalURL(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Errorf("CanonicalURL(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again, err := CanonicalURL(got); err != nil || again != got {
				t.Errorf("CanonicalURL(%q) = %q, %v: not idempotent", got, again, err)
			}
		})
	}
}

func TestCanonicalURLRejects(t *testing.T) {
	tests := []struct{ name, in string }{
		{"empty", ""},
		{"relative path", "/news/a"},
		{"no scheme", "site.example/a"},
		{"other scheme", "ftp://site.example/a"},
		{"mailto", "mailto:desk@site.example"},
		{"urn", "urn:newsml:afp.com:1"},
		{"no host", "https:///a"},
		{"opaque", "http:site.example/a"},
		{"bad escape in host", "https://si%zzte.example/a"},
		{"space in host", "https://si te.example/a"},
		{"control character", "https://site.example/a\x00b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, err := CanonicalURL(tt.in); err == nil {
				t.Errorf("CanonicalURL(%q) = %q, want an error", tt.in, got)
			}
		})
	}
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{
		"https://site.example/a?utm_source=x&b=2&a=1#f",
		"HTTP://WWW.Site.Example:80/a/./b/../c/",
		"https://site.example/%7e%2f%zz?q=%c3%a9&&=x",
		"http://[2001:db8::1]:0080/",
		"https://bücher.example/café?x=a b",
		"https://u:p@site.example.:443",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := CanonicalURL(raw)
		if err != nil {
			return
		}
		again, err := CanonicalURL(c)
		if err != nil {
			t.Fatalf("CanonicalURL(%q) = %q, which fails: %v", raw, c, err)
		}
		if again != c {
			t.Fatalf("CanonicalURL(%q) = %q, then %q: not idempotent", raw, c, again)
		}
	})
}

func TestTopics(t *testing.T) {
	if got := TopicsWithPrefix(""); got.Raw != "wire.raw" || got.Stories != "wire.stories" || got.DLQ != "wire.dlq" || got.FeedState != "wire.feedstate" {
		t.Errorf("default topics = %+v", got)
	}
	if got := TopicsWithPrefix("test-1."); got.Raw != "test-1.raw" || got.FeedState != "test-1.feedstate" || len(got.All()) != 5 || got.Dedupe != "test-1.dedupe" {
		t.Errorf("prefixed topics = %+v", got)
	}
	for prefix, ok := range map[string]bool{"wire.": true, "a_b-c.": true, "bad prefix": false, "wire/": false} {
		if err := ValidatePrefix(prefix); (err == nil) != ok {
			t.Errorf("ValidatePrefix(%q) = %v, want ok=%v", prefix, err, ok)
		}
	}
}
