package kafka

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// routeBeforeHash routes "x#y" by "x", as the feed-state records are.
func routeBeforeHash(key []byte) []byte {
	if i := bytes.IndexByte(key, '#'); i >= 0 {
		return key[:i]
	}
	return key
}

func writeRecords(t *testing.T, b backend, topic string, kv ...string) {
	t.Helper()
	p := NewRoutedProducer(b.cfg, testLogger(t), routeBeforeHash)
	defer p.Close()
	var msgs []pipeline.Message
	for i := 0; i < len(kv); i += 2 {
		m := pipeline.Message{Topic: topic, Key: []byte(kv[i])}
		if kv[i+1] != "" {
			m.Value = []byte(kv[i+1])
		}
		msgs = append(msgs, m)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// One record a call keeps their order across partitions obvious.
	for _, m := range msgs {
		if err := p.Write(ctx, m); err != nil {
			t.Fatalf("write %s: %v", m.Key, err)
		}
	}
}

func compactedTopic(t *testing.T, b backend, partitions int) string {
	t.Helper()
	topic := uniqueName(t, "state")
	createTopic(t, b, topic, partitions, FeedStateTopicSpec(topic, partitions, 1).Configs)
	return topic
}

func TestReadCompactedKeepsTheLatestValuePerKey(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := compactedTopic(t, b, 3)
		writeRecords(t, b, topic,
			"feed-a", "a1",
			"feed-b", "b1",
			"feed-a#seen", "a-seen-1",
			"feed-a", "a2",
			"feed-b", "", // tombstone
			"feed-c", "c1",
			"feed-c", "",
			"feed-c", "c2", // written again after being forgotten
			"feed-d#seen", "d-seen",
		)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		got, err := ReadCompactedTopic(ctx, b.cfg, topic)
		if err != nil {
			t.Fatalf("ReadCompactedTopic: %v", err)
		}
		want := map[string]string{"feed-a": "a2", "feed-a#seen": "a-seen-1", "feed-c": "c2", "feed-d#seen": "d-seen"}
		if len(got) != len(want) {
			t.Errorf("read %d keys %v, want %v", len(got), keysOfTable(got), want)
		}
		for k, v := range want {
			if string(got[k]) != v {
				t.Errorf("key %s = %q, want %q", k, got[k], v)
			}
		}

		// Each partition holds exactly the keys PartitionOf puts there, a feed's
		// records together.
		for p := range 3 {
			part, err := ReadCompacted(ctx, b.cfg, topic, []int{p})
			if err != nil {
				t.Fatalf("ReadCompacted(%d): %v", p, err)
			}
			for k := range part {
				if want := PartitionOf(routeBeforeHash([]byte(k)), 3); want != p {
					t.Errorf("key %s read from partition %d, PartitionOf says %d", k, p, want)
				}
			}
		}
		if none, err := ReadCompacted(ctx, b.cfg, topic, nil); err != nil || len(none) != 0 {
			t.Errorf("ReadCompacted of no partitions = %v, %v; want empty", none, err)
		}
	})
}

func keysOfTable(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

func TestPartitionOfMatchesTheProducer(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const partitions = 6
		topic := compactedTopic(t, b, partitions)
		var kv []string
		for i := range 30 {
			kv = append(kv, fmt.Sprintf("feed-%d", i), "v")
		}
		// The plain Producer, as every other record of the pipeline is written.
		p := NewProducer(b.cfg, testLogger(t))
		var msgs []pipeline.Message
		for i := 0; i < len(kv); i += 2 {
			msgs = append(msgs, pipeline.Message{Topic: topic, Key: []byte(kv[i]), Value: []byte(kv[i+1])})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		if err := p.Write(ctx, msgs...); err != nil {
			t.Fatal(err)
		}
		_ = p.Close()
		seen := 0
		for part := range partitions {
			got, err := ReadCompacted(ctx, b.cfg, topic, []int{part})
			if err != nil {
				t.Fatal(err)
			}
			for k := range got {
				seen++
				if want := PartitionOf([]byte(k), partitions); want != part {
					t.Errorf("%s is on partition %d, PartitionOf says %d", k, part, want)
				}
			}
		}
		if seen != 30 {
			t.Errorf("read %d keys, want 30", seen)
		}
	})
}

func TestReadCompactedSpansManyFetches(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := compactedTopic(t, b, 1)
		// More than one fetch's worth of bytes, rewriting a few keys over and over.
		value := func(round, k int) string { return fmt.Sprintf("%03d-%d-%s", round, k, strings.Repeat("x", 100<<10)) }
		p := NewRoutedProducer(b.cfg, testLogger(t), nil)
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		const rounds, keys = 30, 4
		for round := range rounds {
			var msgs []pipeline.Message
			for k := range keys {
				msgs = append(msgs, pipeline.Message{Topic: topic, Key: []byte(fmt.Sprintf("k%d", k)), Value: []byte(value(round, k))})
			}
			if err := p.Write(ctx, msgs...); err != nil {
				t.Fatal(err)
			}
		}
		_ = p.Close()
		got, err := ReadCompacted(ctx, b.cfg, topic, []int{0})
		if err != nil {
			t.Fatalf("ReadCompacted: %v", err)
		}
		if len(got) != keys {
			t.Fatalf("read %d keys, want %d", len(got), keys)
		}
		for k := range keys {
			if want := value(rounds-1, k); string(got[fmt.Sprintf("k%d", k)]) != want {
				t.Errorf("k%d = %.12q…, want the last round's %.12q…", k, got[fmt.Sprintf("k%d", k)], want)
			}
		}
	})
}

func TestReadCompactedErrors(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		missing := uniqueName(t, "missing")
		if _, err := ReadCompactedTopic(ctx, b.cfg, missing); err == nil || !strings.Contains(err.Error(), missing) {
			t.Errorf("ReadCompactedTopic(missing) = %v, want an error naming the topic", err)
		}
		empty := compactedTopic(t, b, 2)
		got, err := ReadCompactedTopic(ctx, b.cfg, empty)
		if err != nil || len(got) != 0 {
			t.Errorf("ReadCompactedTopic(empty) = %v, %v; want nothing", got, err)
		}
		if n, err := PartitionCount(ctx, b.cfg, empty); err != nil || n != 2 {
			t.Errorf("PartitionCount = %d, %v; want 2", n, err)
		}
	})
}

func TestPartitionOfIsTheJavaClients(t *testing.T) {
	// Placement must never change, or every feed's state would move to another partition.
	// The hashes are the murmur2 test vectors of Apache Kafka's UtilsTest; the partition
	// is (hash & 0x7fffffff) mod n, as the Java client computes it.
	tests := []struct {
		key  string
		hash int32
		n    int
		want int
	}{
		{"21", -973932308, 12, 0},
		{"foobar", -790332482, 12, 6},
		{"a-little-bit-long-string", -985981536, 12, 8},
		{"abc", 479470107, 12, 3},
		{"abc", 479470107, 7, 4},
		{"anything", 0, 1, 0},
	}
	for _, tt := range tests {
		if got := PartitionOf([]byte(tt.key), tt.n); got != tt.want {
			t.Errorf("PartitionOf(%q, %d) = %d, want %d (murmur2 %d)", tt.key, tt.n, got, tt.want, tt.hash)
		}
	}
	if PartitionOf(nil, 12) != PartitionOf([]byte{}, 12) {
		t.Error("a nil key is placed differently from an empty one")
	}
}

func TestReadCompactedAfterCompaction(t *testing.T) {
	// Only the embedded broker can be told to compact now; it leaves holes in the offsets
	// and drops expired tombstones, which the reader must step over.
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	b := backend{name: "kfake", cfg: testConfig(c.ListenAddrs())}
	topic := uniqueName(t, "state")
	configs := FeedStateTopicSpec(topic, 1, 1).Configs
	configs["delete.retention.ms"] = "0"
	createTopic(t, b, topic, 1, configs)
	writeRecords(t, b, topic,
		"b", "kept",
		"a", "old",
		"gone", "x",
		"c", "kept too",
		"a", "new",
		"gone", "", // tombstone, expired at once
		"a", "newest",
		"last", "active segment",
	)
	c.Compact()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	held := offsetsHeld(ctx, t, b, topic)
	if len(held) == 0 || len(held) == 8 || int(held[len(held)-1]-held[0])+1 == len(held) {
		t.Fatalf("offsets %v after compaction, want holes between them for the test to mean anything", held)
	}
	got, err := ReadCompacted(ctx, b.cfg, topic, []int{0})
	if err != nil {
		t.Fatalf("ReadCompacted: %v", err)
	}
	want := map[string]string{"a": "newest", "b": "kept", "c": "kept too", "last": "active segment"}
	if len(got) != len(want) {
		t.Errorf("read %v, want %v", keysOfTable(got), want)
	}
	for k, v := range want {
		if string(got[k]) != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

// offsetsHeld lists the offsets of partition 0's records, from its first offset.
func offsetsHeld(ctx context.Context, t *testing.T, b backend, topic string) []int64 {
	t.Helper()
	var offsets []int64
	err := withClient(b.cfg, func(cl *kafka.Client) error {
		res, err := cl.Fetch(ctx, &kafka.FetchRequest{Topic: topic, Partition: 0, Offset: kafka.FirstOffset, MinBytes: 1, MaxBytes: 1 << 20, MaxWait: time.Second})
		if err != nil {
			return err
		}
		if res.Error != nil {
			return res.Error
		}
		for {
			r, err := res.Records.ReadRecord()
			if err != nil {
				return nil
			}
			offsets = append(offsets, r.Offset)
		}
	})
	if err != nil {
		t.Fatalf("fetch %s: %v", topic, err)
	}
	return offsets
}

func TestReadTopicDeliversEveryRecord(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic := uniqueName(t, "raw")
		createTopic(t, b, topic, 3, nil)
		produceKeyed(t, b, topic, 0, 40)
		produceKeyed(t, b, topic, 0, 10) // the first ten keys twice
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		count := map[string]int{}
		last := map[int]int64{}
		err := ReadTopic(ctx, b.cfg, topic, func(m pipeline.Message) error {
			count[string(m.Key)]++
			if prev, ok := last[m.Partition]; ok && m.Offset <= prev {
				t.Errorf("partition %d: offset %d after %d", m.Partition, m.Offset, prev)
			}
			last[m.Partition] = m.Offset
			if string(m.Header("trace-id")) != "trace-"+string(m.Key) {
				t.Errorf("record %s: trace header %q", m.Key, m.Header("trace-id"))
			}
			return nil
		})
		if err != nil {
			t.Fatalf("ReadTopic: %v", err)
		}
		for i := range 40 {
			want := 1
			if i < 10 {
				want = 2
			}
			if count[keyOf(i)] != want {
				t.Errorf("%s read %d times, want %d", keyOf(i), count[keyOf(i)], want)
			}
		}
	})
}
