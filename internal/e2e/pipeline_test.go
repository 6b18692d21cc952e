package e2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// expectedItems fetches and parses every feed of a feeds file the way a reader of the feeds
// would, independently of the pipeline, and returns the items by story key.
func expectedItems(t *testing.T, feedsYAML []byte) map[string]pipeline.RawItem {
	t.Helper()
	ff, err := feed.ParseFeeds(feedsYAML)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]pipeline.RawItem{}
	for _, f := range ff.Feeds {
		resp, err := http.Get(f.URL)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		items, err := feed.Parse(f, body, resp.Header.Get("Content-Type"), time.Now())
		if err != nil {
			t.Fatalf("parse %s: %v", f.ID, err)
		}
		for _, it := range items {
			want[pipeline.StoryKey(it)] = it
		}
	}
	if len(want) == 0 {
		t.Fatal("the test feeds hold no items")
	}
	return want
}

func TestStoriesFlowThroughRealKafka(t *testing.T) {
	brokers(t)
	for name, db := range stores(t) {
		t.Run(name, func(t *testing.T) {
			base, hits := serveFeeds(t, 0)
			feedsYAML := demo.FeedsYAML(base)
			want := expectedItems(t, feedsYAML)
			e := newEnv(t, db(t), feedsYAML)

			sink := e.start("sink")
			enrich := e.start("enrich")
			// The schedule adapts to the feeds' cadence; keep it fast for the test.
			ingest := e.start("ingest", "WIREHOSE_POLL_INTERVAL=1s",
				"WIREHOSE_POLL_SCHEDULE_MIN_INTERVAL=1s", "WIREHOSE_POLL_SCHEDULE_MAX_INTERVAL=2s")

			// Poison among the good items: enrich dead-letters it and the partition keeps flowing.
			producer := kafka.NewProducer(e.kafkaConfig(), nil)
			defer producer.Close()
			raw := e.kafkaConfig().Topics().Raw
			if err := producer.Write(context.Background(),
				pipeline.Message{Topic: raw, Key: []byte("poison-1"), Value: []byte("<not an envelope>")},
				pipeline.Message{Topic: raw, Key: []byte("poison-2"), Value: []byte(`{"schema":"wirehose.raw/9","data":{}}`)},
			); err != nil {
				t.Fatalf("produce poison: %v", err)
			}

			got := e.waitStored(len(want), 2*time.Minute)
			if len(got) != len(want) {
				t.Fatalf("stored %d stories, want exactly %d", len(got), len(want))
			}
			seen := map[string]bool{}
			for _, s := range got {
				if seen[s.URI] {
					t.Errorf("story %s stored twice", s.URI)
				}
				seen[s.URI] = true
				it, ok := want[s.URI]
				if !ok {
					t.Errorf("stored story %s (%q) is not one of the feed items", s.URI, s.Headline())
					continue
				}
				checkStory(t, s, it)
			}

			// Further polls find nothing new: the raw topic does not grow.
			ctx := context.Background()
			hwm := e.rawHighWatermark(ctx)
			path := "/" + pathOf(t, feedsYAML)
			polled := hits.get(path)
			deadline := time.Now().Add(time.Minute)
			for hits.get(path) < polled+2 && time.Now().Before(deadline) {
				time.Sleep(200 * time.Millisecond)
			}
			if hits.get(path) < polled+2 {
				t.Fatalf("ingest polled %s %d more times in a minute, want at least 2", path, hits.get(path)-polled)
			}
			if after := e.rawHighWatermark(ctx); after != hwm {
				t.Errorf("raw topic grew from %d to %d messages on polls with nothing new", hwm, after)
			}

			ingest.stop(t)
			enrich.stop(t)
			sink.stop(t)
			waitLagZero(t, e, 30*time.Second)
			if n := e.highWatermark(ctx, e.kafkaConfig().Topics().DLQ); n != 2 {
				t.Errorf("dead-letter topic holds %d messages, want the 2 poison messages", n)
			}
		})
	}
}

// pathOf returns the path of the first feed in a feeds file.
func pathOf(t *testing.T, feedsYAML []byte) string {
	ff, err := feed.ParseFeeds(feedsYAML)
	if err != nil {
		t.Fatal(err)
	}
	u := ff.Feeds[0].URL
	for i := len("http://"); i < len(u); i++ {
		if u[i] == '/' {
			return u[i+1:]
		}
	}
	t.Fatalf("no path in %s", u)
	return ""
}

func checkStory(t *testing.T, s pipeline.Story, it pipeline.RawItem) {
	t.Helper()
	if s.Headline() == "" || s.Text() == "" {
		t.Errorf("%s: empty headline or body: %+v", s.URI, s)
	}
	if s.Version < 1 || s.PubStatus != pipeline.PubStatusUsable {
		t.Errorf("%s: version %d pubstatus %q, want ≥1 and usable", s.URI, s.Version, s.PubStatus)
	}
	if s.Language == "" {
		t.Errorf("%s: no language", s.URI)
	}
	if s.FirstCreated.IsZero() || s.VersionCreated.IsZero() {
		t.Errorf("%s: missing firstcreated/versioncreated", s.URI)
	}
	if len(s.Bodies) != 1 || s.Bodies[0].ContentType != "text/plain" {
		t.Errorf("%s: bodies %+v, want one text/plain body", s.URI, s.Bodies)
	}
	if len(s.Sources) != 1 {
		t.Fatalf("%s: %d sources, want 1", s.URI, len(s.Sources))
	}
	src := s.Sources[0]
	if src.Feed != it.Feed || src.GUID != it.GUID || src.URL != it.Link || src.Seen.IsZero() {
		t.Errorf("%s: source %+v, want feed %q guid %q url %q", s.URI, src, it.Feed, it.GUID, it.Link)
	}
	if s.Provider != it.Provider {
		t.Errorf("%s: provider %q, want %q", s.URI, s.Provider, it.Provider)
	}
}

func waitLagZero(t *testing.T, e *env, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	kc := e.kafkaConfig()
	for _, g := range []struct{ group, topic string }{
		{e.prefix + "enrich", kc.Topics().Raw},
		{e.prefix + "sink", kc.Topics().Stories},
	} {
		for {
			lag, _, err := kafka.GroupLag(ctx, kc, g.group, g.topic)
			if err == nil && lag == 0 {
				break
			}
			if ctx.Err() != nil {
				t.Fatalf("group %s on %s: lag %d, err %v after %s; want everything committed", g.group, g.topic, lag, err, d)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
}

func bulkFeeds(base string) []byte {
	return []byte(fmt.Sprintf("allow_private_networks: true\nfeeds:\n  - id: bulk\n    url: %s/bulk.xml\n    format: rss\n    provider: Wirehose Test Agency\n", base))
}

// TestKillMidStream kills one worker with SIGKILL in the middle of a stream of thousands of
// items, restarts it, and checks that every item is stored exactly once.
func TestKillMidStream(t *testing.T) {
	brokers(t)
	const items = 4000
	for name, db := range stores(t) {
		for _, victim := range []string{"enrich", "sink"} {
			t.Run(name+"/kill "+victim, func(t *testing.T) {
				base, _ := serveFeeds(t, items)
				feedsYAML := bulkFeeds(base)
				want := expectedItems(t, feedsYAML)
				if len(want) != items {
					t.Fatalf("bulk feed has %d distinct items, want %d", len(want), items)
				}
				e := newEnv(t, db(t), feedsYAML)
				small := "WIREHOSE_CONSUMER_BATCH_SIZE=10"
				session := "WIREHOSE_CONSUMER_SESSION_TIMEOUT=6s" // the killed member's partitions move sooner
				procs := map[string]*proc{"enrich": e.start("enrich", small, session), "sink": e.start("sink", small, session)}
				ingest := e.start("ingest", "WIREHOSE_ONCE=true")
				ingest.wait(t, 2*time.Minute)

				// Kill once the stream is well under way but not finished.
				got := e.waitStored(items/10, 2*time.Minute)
				if len(got) >= items {
					t.Fatalf("all %d items were stored before the kill: the stream was too short to test a mid-stream kill", items)
				}
				procs[victim].kill(t)
				t.Logf("killed %s with %d of %d stories stored", victim, len(got), items)
				procs[victim] = e.start(victim, small, session)

				got = e.waitStored(items, 3*time.Minute)
				waitLagZero(t, e, time.Minute)
				got, err := e.stored(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				if len(got) != items {
					t.Fatalf("stored %d stories, want exactly %d", len(got), items)
				}
				for _, s := range got {
					if _, ok := want[s.URI]; !ok {
						t.Errorf("stored story %s is not a feed item", s.URI)
					}
					if len(s.Sources) != 1 {
						t.Errorf("story %s has %d sources, want 1 (stored twice?)", s.URI, len(s.Sources))
					}
				}
				for _, p := range procs {
					p.stop(t)
				}
			})
		}
	}
}
