package kafka

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestEnsureTopicsIsIdempotent(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topics := pipeline.TopicsWithPrefix(uniqueName(t, ""))
		specs := DefaultTopicSpecs(topics, 3, 1)
		cleanupTopics(t, b, topics.All()...)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()

		created, err := EnsureTopics(ctx, b.cfg, specs...)
		if err != nil {
			t.Fatalf("first EnsureTopics: %v", err)
		}
		if !slices.Equal(created, topics.All()) {
			t.Errorf("first EnsureTopics created %v, want %v", created, topics.All())
		}
		created, err = EnsureTopics(ctx, b.cfg, specs...)
		if err != nil {
			t.Fatalf("second EnsureTopics: %v", err)
		}
		if len(created) != 0 {
			t.Errorf("second EnsureTopics created %v, want nothing", created)
		}

		infos, err := DescribeTopics(ctx, b.cfg, topics.All()...)
		if err != nil {
			t.Fatalf("DescribeTopics: %v", err)
		}
		wantConfigs := map[string]map[string]string{
			topics.Raw:       {"cleanup.policy": "delete", "retention.ms": "604800000"},
			topics.Stories:   {"cleanup.policy": "delete", "retention.ms": "604800000"},
			topics.DLQ:       {"cleanup.policy": "delete", "retention.ms": "2592000000"},
			topics.FeedState: {"cleanup.policy": "compact", "segment.ms": "3600000"},
			topics.Dedupe:    {"cleanup.policy": "compact,delete", "retention.ms": "1209600000"},
		}
		wantPartitions := map[string]int{topics.Raw: 3, topics.Stories: 3, topics.DLQ: 3, topics.FeedState: DefaultFeedStatePartitions, topics.Dedupe: 3}
		for i, info := range infos {
			if info.Name != topics.All()[i] {
				t.Fatalf("DescribeTopics returned %s at %d, want %s", info.Name, i, topics.All()[i])
			}
			for k, v := range wantConfigs[info.Name] {
				if info.Configs[k] != v {
					t.Errorf("%s config %s = %q, want %q (configs %v)", info.Name, k, info.Configs[k], v, info.Configs)
				}
			}
			if len(info.Partitions) != wantPartitions[info.Name] {
				t.Fatalf("%s has %d partitions, want %d", info.Name, len(info.Partitions), wantPartitions[info.Name])
			}
			for j, p := range info.Partitions {
				if p.ID != j || p.Leader < 0 || len(p.Replicas) != 1 || !slices.Equal(p.ISR, p.Replicas) || p.Replicas[0] != p.Leader || p.HighWatermark != 0 {
					t.Errorf("%s partition %+v, want id %d led by its only in-sync replica, empty", info.Name, p, j)
				}
			}
		}
	})
}

func TestDescribeTopicsUnknownTopic(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		name := uniqueName(t, "missing")
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_, err := DescribeTopics(ctx, b.cfg, name)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("DescribeTopics(missing) = %v, want an error naming the topic", err)
		}
	})
}

func TestGroupLag(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 3, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, 1)

		// Never committed: an empty partition lags 0, the one with a record lags 1.
		total, per := lagOf(t, b, group, topic)
		info := describeTopic(t, b, topic)
		want := map[int]int64{}
		for _, p := range info.Partitions {
			want[p.ID] = p.HighWatermark
		}
		if total != 1 || !maps.Equal(per, want) {
			t.Errorf("lag of a group that never committed = %d %v, want 1 %v", total, per, want)
		}

		// A commit made while the group has no members, as an offset reset does.
		var full int
		for id, hwm := range want {
			if hwm == 1 {
				full = id
			}
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err := withClient(b.cfg, func(cl *kafka.Client) error {
			res, err := cl.OffsetCommit(ctx, &kafka.OffsetCommitRequest{
				GroupID: group, GenerationID: -1,
				Topics: map[string][]kafka.OffsetCommit{topic: {{Partition: full, Offset: 1}}},
			})
			if err != nil {
				return err
			}
			for _, p := range res.Topics[topic] {
				if p.Error != nil {
					return p.Error
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("commit offset: %v", err)
		}
		if total, per := lagOf(t, b, group, topic); total != 0 || per[full] != 0 || len(per) != 3 {
			t.Errorf("lag after committing everything = %d %v, want 0 on all 3 partitions", total, per)
		}
	})
}

func TestWaitReady(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := WaitReady(ctx, b.cfg); err != nil {
			t.Errorf("WaitReady = %v, want nil", err)
		}
	})
	t.Run("nothing listening", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		defer cancel()
		err := WaitReady(ctx, testConfig([]string{"127.0.0.1:1"}))
		if err == nil || !strings.Contains(err.Error(), "not ready") {
			t.Errorf("WaitReady = %v, want a not ready error", err)
		}
	})
}

func TestDefaultTopicSpecs(t *testing.T) {
	topics := pipeline.TopicsWithPrefix("")
	tests := []struct {
		name       string
		rf         int
		wantMinISR string
	}{
		{"single broker keeps the broker's min.insync.replicas", 1, ""},
		{"three replicas survive one broker down", 3, "2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			specs := DefaultTopicSpecs(topics, 6, tt.rf)
			if len(specs) != 5 {
				t.Fatalf("got %d specs, want 5", len(specs))
			}
			wantRetention := []string{"604800000", "604800000", "2592000000"}
			for i, s := range specs {
				if s.Name != topics.All()[i] || s.ReplicationFactor != tt.rf {
					t.Errorf("spec %d = %+v, want %s with %d replicas", i, s, topics.All()[i], tt.rf)
				}
				if s.Configs["min.insync.replicas"] != tt.wantMinISR {
					t.Errorf("spec %s configs %v, want min.insync.replicas %q", s.Name, s.Configs, tt.wantMinISR)
				}
				if err := s.Validate(); err != nil {
					t.Errorf("spec %s: Validate = %v", s.Name, err)
				}
				if s.Name == topics.FeedState || s.Name == topics.Dedupe {
					continue
				}
				wantConfigs := 2
				if tt.wantMinISR != "" {
					wantConfigs = 3
				}
				if s.Partitions != 6 || s.Configs["retention.ms"] != wantRetention[i] || s.Configs["cleanup.policy"] != "delete" || len(s.Configs) != wantConfigs {
					t.Errorf("spec %s = %+v, want 6 partitions, delete with retention %s", s.Name, s, wantRetention[i])
				}
			}
			fs := specs[3]
			if fs.Partitions != DefaultFeedStatePartitions || fs.Configs["cleanup.policy"] != "compact" || fs.Configs["retention.ms"] != "" {
				t.Errorf("feed-state spec = %+v, want %d partitions, compacted, no retention", fs, DefaultFeedStatePartitions)
			}
			if dd := specs[4]; dd.Partitions != 6 || dd.Configs["cleanup.policy"] != "compact,delete" || dd.Configs["retention.ms"] == "" {
				t.Errorf("dedupe spec = %+v, want 6 partitions, compacted and deleted after a retention", dd)
			}
		})
	}
}

func TestTopicSpecValidate(t *testing.T) {
	tests := []struct {
		name string
		spec TopicSpec
		want string // substring of the error, "" for valid
	}{
		{"valid", TopicSpec{Name: "wire.raw", Partitions: 1, ReplicationFactor: 1}, ""},
		{"no name", TopicSpec{Partitions: 1, ReplicationFactor: 1}, "name is required"},
		{"bad character", TopicSpec{Name: "wire/raw", Partitions: 1, ReplicationFactor: 1}, "wire/raw"},
		{"no partitions", TopicSpec{Name: "wire.raw", ReplicationFactor: 1}, "partitions"},
		{"no replicas", TopicSpec{Name: "wire.raw", Partitions: 1}, "replication factor"},
		{"name too long", TopicSpec{Name: strings.Repeat("a", 250), Partitions: 1, ReplicationFactor: 1}, "longer than 249"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.spec.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}
