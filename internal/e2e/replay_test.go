package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/internal/app"
	enrichpkg "github.com/wirehose/wirehose/internal/enrich"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// storedState is every stored story with its versions and sources, as JSON by uri.
func storedState(t *testing.T, db string) map[string]string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.List(ctx, store.Query{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	out := make(map[string]string, len(list))
	for _, s := range list {
		full, err := st.Get(ctx, s.URI)
		if err != nil {
			t.Fatal(err)
		}
		sortSources(&full)
		b, _ := json.Marshal(full)
		out[s.URI] = string(b)
	}
	return out
}

// storySet is each stored story's uri with its version and pubstatus.
// storiesIn returns every story stored in db.
func storiesIn(t *testing.T, db string) []pipeline.Story {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	st, err := store.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.List(ctx, store.Query{Limit: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func storySet(t *testing.T, db string) []string {
	t.Helper()
	list := storiesIn(t, db)
	out := make([]string, 0, len(list))
	for _, s := range list {
		out = append(out, fmt.Sprintf("%s v%d %s", s.URI, s.Version, s.PubStatus))
	}
	sort.Strings(out)
	return out
}

func (e *env) replay(t *testing.T, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args = append([]string{"--brokers", strings.Join(e.brokers, ","), "--execute"}, args...)
	if code := app.Command(app.ReplaySpec(), app.DefaultReplayConfig(), args, &stdout, &stderr, app.ReplayCommand); code != app.ExitOK {
		t.Fatalf("replay %v: exit %d: %s", args, code, stderr.String())
	}
	return stdout.String()
}

func (e *env) reprocess(t *testing.T, db string, since time.Time) string {
	t.Helper()
	c := app.DefaultReprocessConfig()
	c.Kafka = e.kafkaConfig()
	c.Since = since.UTC().Format(time.RFC3339Nano)
	c.DB = db
	c.ProgressInterval = time.Second
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	if _, err := app.Reprocess(ctx, c, &out, nil); err != nil {
		t.Fatalf("reprocess: %v\n%s", err, out.String())
	}
	return out.String()
}

// lateText is a body that shares almost no word runs with any other i's.
func lateText(i int) string {
	words := strings.Fields("ferry pier tide survey crews harbour lighthouse dredging cargo quay pilots gulls storm beacon ropes winch tugboat anchor shoal buoy estuary mooring keel hull sonar chart")
	r := rand.New(rand.NewPCG(uint64(i), 99))
	out := make([]string, 50)
	for k := range out {
		out[k] = words[r.IntN(len(words))]
	}
	return strings.Join(out, " ") + "."
}

// writeRaw writes raw items to the raw topic as ingest would.
func (e *env) writeRaw(t *testing.T, from, n int) (uris []string) {
	t.Helper()
	p := kafka.NewProducer(e.kafkaConfig(), nil)
	defer p.Close()
	var msgs []pipeline.Message
	for i := from; i < from+n; i++ {
		it := pipeline.RawItem{Feed: "late", Format: "rss", GUID: fmt.Sprintf("urn:late:%d", i), Link: fmt.Sprintf("https://late.example/%d", i),
			Title: fmt.Sprintf("Late report %d", i), Body: "<p>" + lateText(i) + "</p>",
			Fetched: time.Now().UTC(), Provider: "Late Wire"}
		v, err := pipeline.EncodeRaw(it)
		if err != nil {
			t.Fatal(err)
		}
		msgs = append(msgs, pipeline.Message{Topic: e.kafkaConfig().Topics().Raw, Key: []byte(pipeline.StoryKey(it)), Value: v})
		uris = append(uris, pipeline.StoryKey(it))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatal(err)
	}
	return uris
}

func TestReplayAndReprocess(t *testing.T) {
	brokers(t)
	const items = 300
	base, _ := serveFeeds(t, items)
	e := newEnv(t, filepath.Join(t.TempDir(), "live.db"), bulkFeeds(base))
	sink := e.start("sink")
	// The live workers run an older, shorter chain; reprocessing runs the current one.
	const olderChain = "WIREHOSE_ENRICH_ENRICHERS=language"
	enrich := e.start("enrich", olderChain)
	e.start("ingest", "WIREHOSE_ONCE=true").wait(t, 2*time.Minute)
	e.waitStored(items, 2*time.Minute)
	waitLagZero(t, e, time.Minute)

	// A second batch, a moment after the first.
	time.Sleep(50 * time.Millisecond)
	mid := time.Now()
	time.Sleep(50 * time.Millisecond)
	const late = 5
	lateURIs := e.writeRaw(t, 0, late)
	e.waitStored(items+late, time.Minute)
	waitLagZero(t, e, time.Minute)
	topics := e.kafkaConfig().Topics()
	ctx := context.Background()
	live := storedState(t, e.db)
	storiesBefore := e.highWatermark(ctx, topics.Stories)

	t.Run("sink reset to earliest leaves storage unchanged", func(t *testing.T) {
		sink.stop(t)
		out := e.replay(t, "--group", e.prefix+"sink", "--topic", topics.Stories, "--to-earliest")
		t.Logf("\n%s", out)
		sink = e.start("sink")
		waitLagZero(t, e, time.Minute)
		after := storedState(t, e.db)
		if len(after) != len(live) {
			t.Fatalf("stored %d stories after the replay, %d before", len(after), len(live))
		}
		for uri, s := range live {
			if after[uri] != s {
				t.Errorf("story %s changed by the replay:\nbefore %s\nafter  %s", uri, s, after[uri])
			}
		}
	})

	t.Run("enrich reset by datetime re-emits exactly the later stories", func(t *testing.T) {
		// The live index made each late story's entry from the very raw record re-read: its
		// outputs are made again, the same version. An older record of a story (one before
		// the entry's position) would be dropped as a redelivery: re-deciding history
		// through the live index is what reprocess, with an index of its own, is for.
		enrich.stop(t)
		out := e.replay(t, "--group", e.prefix+"enrich", "--topic", topics.Raw, "--to-datetime", mid.UTC().Format(time.RFC3339Nano))
		if !strings.Contains(out, "applied") {
			t.Errorf("replay output:\n%s", out)
		}
		enrich = e.start("enrich", olderChain)
		waitLagZero(t, e, time.Minute)
		if n := e.highWatermark(ctx, topics.Stories); n != storiesBefore+late {
			t.Errorf("stories topic grew from %d to %d records on a replay of the last %d raw items, want %d more", storiesBefore, n, late, late)
		}
		waitLagZero(t, e, time.Minute)
		after := storedState(t, e.db)
		for uri, s := range live {
			if after[uri] != s {
				t.Errorf("story %s changed by the re-enrichment:\nbefore %s\nafter  %s", uri, s, after[uri])
			}
		}
	})

	t.Run("reprocess since a time re-enriches exactly the later stories", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "since.db")
		out := e.reprocess(t, db, mid)
		t.Logf("\n%s", out)
		got := storySet(t, db)
		if len(got) != late {
			t.Fatalf("reprocess since %s stored %d stories, want the %d written after it: %v", mid, len(got), late, got)
		}
		var want []string
		for _, u := range lateURIs {
			want = append(want, u+" v1 usable")
		}
		sort.Strings(want)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("reprocess since the second batch stored %v, want %v", got, want)
		}
	})

	t.Run("reprocess of everything gives the live story set", func(t *testing.T) {
		db := filepath.Join(t.TempDir(), "all.db")
		storiesBefore := e.highWatermark(ctx, topics.Stories)
		out := e.reprocess(t, db, time.Unix(0, 0))
		t.Logf("\n%s", out)
		want, got := storySet(t, e.db), storySet(t, db)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("reprocessed story set (%d) differs from the live one (%d)", len(got), len(want))
		}
		if n := e.highWatermark(ctx, topics.Stories); n != storiesBefore {
			t.Errorf("stories topic grew from %d to %d records during a reprocess", storiesBefore, n)
		}
		chain, err := enrichpkg.BuildChain(enrichpkg.DefaultConfig(), nil)
		if err != nil {
			t.Fatal(err)
		}
		current, older := chain.Enrichers(), []pipeline.EnricherRun{{Name: "language", Version: enrichpkg.NewLanguage().Version()}}
		if len(current) <= 1 {
			t.Fatalf("current chain %v: want more than the live workers' one enricher", current)
		}
		for name, c := range map[string]struct {
			db   string
			want []pipeline.EnricherRun
		}{"reprocessed": {db, current}, "live": {e.db, older}} {
			for _, s := range storiesIn(t, c.db) {
				if s.Enrichment == nil || !slices.Equal(s.Enrichment.Enrichers, c.want) {
					t.Fatalf("%s story %s made by %+v, want %v", name, s.URI, s.Enrichment, c.want)
				}
			}
		}
	})
	enrich.stop(t)
	sink.stop(t)
}
