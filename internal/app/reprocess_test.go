package app

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// rawBroker starts kfake with the pipeline's topics and n raw items on them, the first
// half written before the returned instant and the second half after it.
func rawBroker(t *testing.T, n int) (kafka.Config, time.Time) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	kc := kafka.DefaultConfig()
	kc.Brokers = c.ListenAddrs()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kafka.EnsureTopics(ctx, kc, kafka.DefaultTopicSpecs(kc.Topics(), 3, 1)...); err != nil {
		t.Fatal(err)
	}
	p := kafka.NewProducer(kc, nil)
	defer p.Close()
	write := func(from, to int) {
		var msgs []pipeline.Message
		for i := from; i < to; i++ {
			it := pipeline.RawItem{Feed: "wire", Format: "rss", GUID: fmt.Sprintf("item-%d", i),
				Title: fmt.Sprintf("Harbour report %d", i), Body: "<p>" + distinctText(i) + "</p>",
				Fetched: time.Now().UTC()}
			v, err := pipeline.EncodeRaw(it)
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, pipeline.Message{Topic: kc.Topics().Raw, Key: []byte(pipeline.StoryKey(it)), Value: v})
		}
		if err := p.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
	}
	write(0, n/2)
	time.Sleep(20 * time.Millisecond) // record times have millisecond resolution
	mid := time.Now()
	time.Sleep(20 * time.Millisecond)
	write(n/2, n)
	return kc, mid
}

// distinctText is a body no other i shares many word runs with, so that no two items are
// taken for near-duplicates.
func distinctText(i int) string {
	words := strings.Fields("council harbour bridge school hospital farmers railway tunnel airport market wages union strike vote mayor court police fire flood storm harvest coffee copper steel tanker solar turbine grid battery factory museum library festival stadium league coach season marathon valley island village border customs exports bank bonds shares profit housing rents students nurses vaccine clinic telescope comet satellite drone cable ferry buses trams parking waste reservoir forest wildlife hotels chefs boats rescue charity archive statue gallery senate audit pension protest treaty summit")
	r := rand.New(rand.NewPCG(uint64(i), 7))
	out := make([]string, 60)
	for k := range out {
		out[k] = words[r.IntN(len(words))]
	}
	return strings.Join(out, " ") + "."
}

func TestReprocess(t *testing.T) {
	const n = 40
	kc, mid := rawBroker(t, n)
	tests := []struct {
		name        string
		since       string
		until       string
		wantStories int
		wantSkipped int64
	}{
		{"everything", "1970-01-01T00:00:00Z", "", n, 0},
		{"since the middle", mid.Format(time.RFC3339Nano), "", n / 2, 0},
		{"until the middle", "1970-01-01T00:00:00Z", mid.Format(time.RFC3339Nano), n / 2, n / 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultReprocessConfig()
			c.Kafka = kc
			c.Since, c.Until = tt.since, tt.until
			c.DB = filepath.Join(t.TempDir(), "new.db")
			c.ProgressInterval = 10 * time.Millisecond
			if err := c.Validate(); err != nil {
				t.Fatal(err)
			}
			var out bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			res, err := Reprocess(ctx, c, &out, nil)
			if err != nil {
				t.Fatalf("Reprocess: %v\n%s", err, out.String())
			}
			if res.Stories != int64(tt.wantStories) || res.Skipped != tt.wantSkipped || res.Failed != 0 {
				t.Errorf("result %+v, want %d stories, %d skipped", res, tt.wantStories, tt.wantSkipped)
			}
			st, err := store.Open(ctx, c.DB)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			got, err := st.List(ctx, store.Query{Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != tt.wantStories {
				t.Errorf("new store holds %d stories, want %d", len(got), tt.wantStories)
			}
			if !strings.Contains(out.String(), "reprocess: done:") || !strings.Contains(out.String(), "/s, eta ") {
				t.Errorf("output lacks progress and summary lines:\n%s", out.String())
			}
			// Nothing reached the live topics.
			infos, err := kafka.DescribeTopics(ctx, kc, kc.Topics().Stories, kc.Topics().Dedupe, kc.Topics().DLQ)
			if err != nil {
				t.Fatal(err)
			}
			for _, info := range infos {
				for _, p := range info.Partitions {
					if p.HighWatermark != 0 {
						t.Errorf("%s partition %d holds %d records, want none written by a reprocess", info.Name, p.ID, p.HighWatermark)
					}
				}
			}
			// A second run into the same store is refused.
			if _, err := Reprocess(ctx, c, &out, nil); tt.wantStories > 0 && (err == nil || !strings.Contains(err.Error(), "new store")) {
				t.Errorf("reprocess into a store holding stories = %v, want a refusal", err)
			}
		})
	}
}

func TestReprocessConfigValidate(t *testing.T) {
	tests := []struct {
		name, since, until, db, want string
	}{
		{"valid time", "2024-01-01T00:00:00Z", "", "x.db", ""},
		{"valid duration", "72h", "1h", "x.db", ""},
		{"no since", "", "", "x.db", "since"},
		{"bad since", "yesterday", "", "x.db", "since"},
		{"until before since", "1h", "2h", "x.db", "not after"},
		{"no db", "1h", "", "", "db"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := DefaultReprocessConfig()
			c.Since, c.Until, c.DB = tt.since, tt.until, tt.db
			err := c.Validate()
			if (tt.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate = %v, want %q", err, tt.want)
			}
		})
	}
}
