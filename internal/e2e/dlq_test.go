package e2e

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/app"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// TestDeadLetters sends poison among good items on one partition: each poison message ends
// in the dead-letter topic with where it came from, the items after it are stored, and a
// redriven message that fails again comes back to the dead-letter topic with its redrive
// count, while the one it replaced is marked redriven and never sent twice.
func TestDeadLetters(t *testing.T) {
	brokers(t)
	e := newEnv(t, filepath.Join(t.TempDir(), "wirehose.db"), []byte("feeds: []\n"))
	sink := e.start("sink")
	enrich := e.start("enrich")
	defer sink.stop(t)
	defer enrich.stop(t)

	kc := e.kafkaConfig()
	topics := kc.Topics()
	fetched := time.Now().UTC().Truncate(time.Second)
	good := pipeline.RawItem{Feed: "dlq-test", Format: "rss", FeedURL: "http://127.0.0.1/feed.xml", GUID: "good-1",
		Title: "Harbour reopens after storm", Body: "The harbour reopened on Monday after a week of repairs.", Fetched: fetched}
	empty := pipeline.RawItem{Feed: "dlq-test", Format: "rss", FeedURL: "http://127.0.0.1/feed.xml", GUID: "empty-1", Fetched: fetched}
	key := []byte(pipeline.StoryKey(good)) // one key: one partition, in this order
	encode := func(it pipeline.RawItem) []byte {
		b, err := pipeline.EncodeRaw(it)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	trace := []pipeline.Header{{Key: "trace-id", Value: []byte("dlq-e2e")}}
	poison := []struct {
		name, cause string
		value       []byte
	}{
		{"undecodable envelope", "invalid character", []byte("<not an envelope>")},
		{"unknown schema", "wirehose.raw/9", []byte(`{"schema":"wirehose.raw/9","data":{}}`)},
		{"item enrich always refuses", "empty item", encode(empty)},
	}
	var msgs []pipeline.Message
	for _, p := range poison {
		msgs = append(msgs, pipeline.Message{Topic: topics.Raw, Key: key, Value: p.value, Headers: trace})
	}
	msgs = append(msgs, pipeline.Message{Topic: topics.Raw, Key: key, Value: encode(good), Headers: trace})
	producer := kafka.NewProducer(kc, nil)
	defer producer.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	// One write per message keeps their order on the partition.
	for _, m := range msgs {
		if err := producer.Write(ctx, m); err != nil {
			t.Fatalf("produce: %v", err)
		}
	}

	// The partition keeps flowing: the good item after the poison is stored.
	stored := e.waitStored(1, 2*time.Minute)
	if len(stored) != 1 || stored[0].URI != string(key) {
		t.Fatalf("stored %d stories (%v), want the good item %s", len(stored), stored, key)
	}

	letters := waitDeadLetters(t, ctx, kc, len(poison))
	partition := kafka.PartitionOf(key, 3)
	for i, p := range poison {
		d := letters[i]
		if d.Stage != "enrich" || d.Topic != topics.Raw || d.SourcePartition != partition || d.SourceOffset != int64(i) ||
			string(d.Key) != string(key) || !bytes.Equal(d.Value, p.value) || d.Attempts != 1 || d.FailedAt.IsZero() ||
			!strings.Contains(d.Error, p.cause) || d.Redrives != 0 {
			t.Errorf("%s: dead letter %+v; want stage enrich, origin %s/%d/%d, its key and value, 1 attempt, an error naming %q",
				p.name, d, topics.Raw, partition, i, p.cause)
		}
		if h := headerValue(d.Headers, "trace-id"); h != "dlq-e2e" {
			t.Errorf("%s: trace-id header %q, want the original header kept", p.name, h)
		}
	}

	// Redrive the item enrich refuses: it fails again and comes back with its count.
	dc := app.DefaultDLQConfig()
	dc.Kafka = kc
	dc.Execute = true
	refused := letters[2].ID()
	var out bytes.Buffer
	if err := app.DLQCommand(ctx, dc, []string{"redrive", refused}, &out); err != nil {
		t.Fatalf("dlq redrive %s: %v\n%s", refused, err, out.String())
	}
	if !strings.Contains(out.String(), "re-produced 1 dead letter") {
		t.Errorf("dlq redrive %s printed:\n%s", refused, out.String())
	}
	letters = waitDeadLetters(t, ctx, kc, len(poison)+1)
	again := letters[len(letters)-1]
	if again.Redrives != 1 || string(again.Key) != string(key) || !bytes.Equal(again.Value, poison[2].value) ||
		again.SourceOffset != int64(len(msgs)) || !strings.Contains(again.Error, "empty item") ||
		headerValue(again.Headers, "trace-id") != "dlq-e2e" {
		t.Errorf("redriven item failed again as %+v; want redrives 1, the same key, value and headers, from %s offset %d",
			again, topics.Raw, len(msgs))
	}
	for _, d := range letters {
		if (d.ID() == refused) != (d.Redriven != nil) {
			t.Errorf("dead letter %s: redriven mark %+v, want one on %s only", d.ID(), d.Redriven, refused)
		}
	}

	out.Reset()
	list := dc
	list.Execute = false
	if err := app.DLQCommand(ctx, list, []string{"list"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "4 dead letters: 1 redriven, 1 failed again after a redrive") {
		t.Errorf("dlq list:\n%s", out.String())
	}

	// Redriving it again sends nothing twice: only the new failure is eligible.
	out.Reset()
	list.Stage = "enrich"
	list.Match = "empty item"
	if err := app.DLQCommand(ctx, list, []string{"redrive"}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "2 dead letters selected: 1 to re-produce, 1 redriven before") {
		t.Errorf("dlq redrive dry run:\n%s", out.String())
	}
	if n := e.highWatermark(ctx, topics.Raw); n != int64(len(msgs))+1 {
		t.Errorf("raw topic holds %d messages, want %d: the poison, the good item and one redrive", n, len(msgs)+1)
	}
	if got, err := e.stored(ctx); err != nil || len(got) != 1 {
		t.Errorf("stored %d stories (err %v), want still only the good item", len(got), err)
	}
}

// waitDeadLetters waits until the dead-letter topic holds n records and returns them.
func waitDeadLetters(t *testing.T, ctx context.Context, kc kafka.Config, n int) []kafka.DeadLetter {
	t.Helper()
	for {
		letters, err := kafka.ReadDeadLetters(ctx, kc, kc.Topics().DLQ)
		if err == nil && len(letters) >= n {
			if len(letters) > n {
				t.Fatalf("dead-letter topic holds %d records, want %d", len(letters), n)
			}
			return letters
		}
		select {
		case <-ctx.Done():
			t.Fatalf("dead-letter topic holds %d records (last error %v), want %d", len(letters), err, n)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

func headerValue(hs []pipeline.Header, key string) string {
	for _, h := range hs {
		if h.Key == key {
			return string(h.Value)
		}
	}
	return ""
}

// TestRedriveAfterFix dead-letters a story the enrich worker is configured to refuse —
// its text is over enrich.max_text_bytes and an enricher is required — while the stories
// around it are stored; once the limit is raised and the worker restarted, a redrive
// stores it, fully enriched, and nothing else changes.
func TestRedriveAfterFix(t *testing.T) {
	brokers(t)
	e := newEnv(t, filepath.Join(t.TempDir(), "wirehose.db"), []byte("feeds: []\n"))
	sink := e.start("sink")
	defer sink.stop(t)
	strict := []string{"WIREHOSE_ENRICH_REQUIRED=language", "WIREHOSE_ENRICH_MAX_TEXT_BYTES=4096"}
	enrich := e.start("enrich", strict...)

	kc := e.kafkaConfig()
	topics := kc.Topics()
	fetched := time.Now().UTC().Truncate(time.Second)
	item := func(guid, title, body string) pipeline.Message {
		it := pipeline.RawItem{Feed: "redrive-test", Format: "rss", FeedURL: "http://127.0.0.1/feed.xml", GUID: guid,
			Title: title, Body: body, Fetched: fetched}
		b, err := pipeline.EncodeRaw(it)
		if err != nil {
			t.Fatal(err)
		}
		return pipeline.Message{Topic: topics.Raw, Key: []byte(pipeline.StoryKey(it)), Value: b}
	}
	long := strings.Repeat("The council published the full text of the budget, line by line, for every district. ", 120)
	large := item("large-1", "Budget published in full", long)
	msgs := []pipeline.Message{
		item("small-1", "Ferry timetable changes", "Ferries will run every hour from Monday, the operator said."),
		large,
		item("small-2", "Library extends opening hours", "The central library will open until ten in the evening."),
	}
	producer := kafka.NewProducer(kc, nil)
	defer producer.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if err := producer.Write(ctx, msgs...); err != nil {
		t.Fatalf("produce: %v", err)
	}

	e.waitStored(2, 2*time.Minute)
	letters := waitDeadLetters(t, ctx, kc, 1)
	if d := letters[0]; string(d.Key) != string(large.Key) || !strings.Contains(d.Error, "max_text_bytes") ||
		!strings.Contains(d.Error, "required enricher language") || d.Stage != "enrich" || d.Attempts != 1 {
		t.Fatalf("dead letter %+v; want the large story, refused at once by the required enricher over the limit", d)
	}

	// The fix: a higher limit. Then redrive what failed under the old one.
	enrich.stop(t)
	enrich = e.start("enrich", "WIREHOSE_ENRICH_REQUIRED=language", "WIREHOSE_ENRICH_MAX_TEXT_BYTES=65536")
	defer enrich.stop(t)
	dc := app.DefaultDLQConfig()
	dc.Kafka = kc
	dc.Execute = true
	dc.Stage = "enrich"
	dc.Match = "max_text_bytes"
	var out bytes.Buffer
	if err := app.DLQCommand(ctx, dc, []string{"redrive"}, &out); err != nil {
		t.Fatalf("dlq redrive: %v\n%s", err, out.String())
	}

	stored := e.waitStored(3, 2*time.Minute)
	var got *pipeline.Story
	for i := range stored {
		if stored[i].URI == string(large.Key) {
			got = &stored[i]
		}
	}
	if got == nil {
		t.Fatalf("stored %d stories, none is the redriven %s", len(stored), large.Key)
	}
	if got.Text() != strings.TrimSpace(long) || got.Language != "en" || got.Enrichment == nil || got.Enrichment.Partial ||
		len(got.Enrichment.Enrichers) == 0 {
		t.Errorf("redriven story stored as %q… language %q enrichment %+v; want its whole text, enriched",
			got.Headline(), got.Language, got.Enrichment)
	}
	time.Sleep(2 * time.Second) // a second dead letter would have been written by now
	if letters := waitDeadLetters(t, ctx, kc, 1); letters[0].Redriven == nil {
		t.Errorf("the dead letter is not marked redriven: %+v", letters[0])
	}
}
