package pipeline

import (
	"strings"
	"testing"
	"time"
)

func TestStoryKey(t *testing.T) {
	pub := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	base := RawItem{Feed: "afp-world", Provider: "AFP", GUID: "urn:afp:1", Link: "https://x/1", Title: "T", Published: &pub}
	key := StoryKey(base)
	if !strings.HasPrefix(key, "urn:wirehose:") {
		t.Fatalf("key %q: want a urn:wirehose: prefix", key)
	}
	tests := []struct {
		name string
		edit func(RawItem) RawItem
		same bool
	}{
		{"same guid, other feed of the same provider", func(it RawItem) RawItem { it.Feed = "afp-sport"; return it }, true},
		{"provider case and spaces do not matter", func(it RawItem) RawItem { it.Provider = " afp "; return it }, true},
		{"changed content keeps the key", func(it RawItem) RawItem { it.Title = "New"; it.Body = "x"; return it }, true},
		{"other guid", func(it RawItem) RawItem { it.GUID = "urn:afp:2"; return it }, false},
		{"same guid, other provider", func(it RawItem) RawItem { it.Provider = "Reuters"; return it }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StoryKey(tt.edit(base)); (got == key) != tt.same {
				t.Errorf("StoryKey = %q vs %q, want same=%v", got, key, tt.same)
			}
		})
	}

	if got := StoryKey(RawItem{URI: "urn:newsml:afp.com:20260616:123"}); got != "urn:newsml:afp.com:20260616:123" {
		t.Errorf("agency uri not kept: %q", got)
	}
	noProvider := RawItem{Feed: "a", GUID: "g"}
	otherFeed := RawItem{Feed: "b", GUID: "g"}
	if StoryKey(noProvider) == StoryKey(otherFeed) {
		t.Error("without a provider the guid is scoped by feed")
	}
	noGUID := RawItem{Feed: "a", Link: "https://x/1"}
	if StoryKey(noGUID) == StoryKey(RawItem{Feed: "a", Link: "https://x/2"}) {
		t.Error("without a guid the link decides")
	}
	if StoryKey(RawItem{Feed: "a", Title: "T", Published: &pub}) == StoryKey(RawItem{Feed: "a", Title: "T"}) {
		t.Error("without guid or link, title and publication time decide")
	}
	if StoryKey(RawItem{Feed: "a", Body: "one"}) == StoryKey(RawItem{Feed: "a", Body: "two"}) {
		t.Error("without guid, link or title, the text decides")
	}
	if StoryKey(RawItem{Feed: "a", Summary: "one"}) != StoryKey(RawItem{Feed: "a", Summary: "one"}) {
		t.Error("the same untitled text must keep its key")
	}
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
