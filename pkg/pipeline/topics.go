package pipeline

import (
	"errors"
	"strings"
)

// DefaultTopicPrefix is prepended to every topic name.
const DefaultTopicPrefix = "wire."

// Topics names the pipeline's topics under one prefix.
type Topics struct {
	Raw     string // items from ingest, keyed by story key
	Stories string // enriched stories, keyed by story uri
	DLQ     string // poison messages from every stage
	// FeedState is the compacted topic of ingest's per-feed state, keyed by feed id. Its
	// partitions also decide which ingest replica polls which feed.
	FeedState string
	// Dedupe is the compacted topic of the dedupe index, materialised by every enrich worker
	// (story uri → latest version and fingerprint; fingerprint → canonical uri).
	Dedupe string
}

// TopicsWithPrefix returns the topic names under prefix ("" means the default).
func TopicsWithPrefix(prefix string) Topics {
	if prefix == "" {
		prefix = DefaultTopicPrefix
	}
	return Topics{Raw: prefix + "raw", Stories: prefix + "stories", DLQ: prefix + "dlq", FeedState: prefix + "feedstate", Dedupe: prefix + "dedupe"}
}

// ValidatePrefix checks a topic prefix: Kafka topic names allow [a-zA-Z0-9._-].
func ValidatePrefix(prefix string) error {
	if strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != "" {
		return errors.New("may contain only letters, digits, '.', '_' and '-'")
	}
	if len(prefix) > 200 {
		return errors.New("is longer than 200 characters")
	}
	return nil
}

// All returns every topic name.
func (t Topics) All() []string { return []string{t.Raw, t.Stories, t.DLQ, t.FeedState, t.Dedupe} }
