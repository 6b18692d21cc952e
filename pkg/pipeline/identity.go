package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// StoryKey is the story's stable identity, decided once at ingest and used as the
// record key on every topic so all versions of a story stay on one partition.
//
// An agency-assigned uri (NewsML-G2 guid, ninjs uri) is used as it is. Otherwise the
// item's guid, or else its link, or else its title (with its publication time), or else its
// text, is hashed with its scope: the
// provider when the feed names one (the same agency guid from two feeds of that agency is
// one story), else the feed id.
func StoryKey(it RawItem) string {
	if it.URI != "" {
		return it.URI
	}
	scope := strings.ToLower(strings.TrimSpace(it.Provider))
	if scope == "" {
		scope = "feed:" + it.Feed
	}
	id := strings.TrimSpace(it.GUID)
	if id == "" {
		id = strings.TrimSpace(it.Link)
	}
	if id == "" && strings.TrimSpace(it.Title) == "" {
		// Untitled and unidentified: the text itself is all that tells two items apart.
		text := strings.TrimSpace(it.Body)
		if text == "" {
			text = strings.TrimSpace(it.Summary)
		}
		id = "text:" + text
	}
	if id == "" {
		id = "title:" + strings.TrimSpace(it.Title)
		if it.Published != nil {
			id += "@" + it.Published.UTC().Format("2006-01-02T15:04:05Z")
		}
	}
	sum := sha256.Sum256([]byte(scope + "\x00" + id))
	return "urn:wirehose:" + hex.EncodeToString(sum[:16])
}
