package dedupe_test

import (
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/feed"
)

// The generated load-test feed must not look like one story copied a thousand times:
// end-to-end tests count on every bulk item becoming its own story.
func TestBulkFeedItemsAreNotNearDuplicates(t *testing.T) {
	items, err := feed.Parse(feed.Feed{ID: "bulk", URL: "http://127.0.0.1/bulk.xml", Format: feed.FormatRSS}, demo.Bulk(300), "application/rss+xml", time.Now())
	if err != nil {
		t.Fatal(err)
	}
	x := dedupe.NewNearIndex()
	for _, it := range items {
		sig := dedupe.Sign(it.Body)
		if id, sim, ok := x.Nearest(sig, it.GUID); ok {
			t.Fatalf("bulk item %s is a near duplicate of %s (similarity %.2f)", it.GUID, id, sim)
		}
		x.Add(it.GUID, sig)
	}
}
