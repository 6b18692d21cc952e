package app

import (
	"context"
	"fmt"
	"sync/atomic"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// kafkaStateStore keeps feed states on the compacted feed-state topic: the Poller's
// StateStore in ingest and dev. A feed's records are placed by its id, on the partition
// whose owner polls the feed.
type kafkaStateStore struct {
	kc         kafka.Config
	topic      string
	partitions atomic.Int64
	producer   *kafka.Producer
}

// newKafkaStateStore opens the feed-state topic, which must exist.
func newKafkaStateStore(ctx context.Context, kc kafka.Config, log *zap.Logger) (*kafkaStateStore, error) {
	s := &kafkaStateStore{kc: kc, topic: kc.Topics().FeedState}
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	s.producer = kafka.NewRoutedProducer(kc, log, feed.StateRoutingKey)
	return s, nil
}

// refresh reads the topic's partition count: partitions added to the topic start a new
// generation of the replicas' group, whose restore calls this first.
func (s *kafkaStateStore) refresh(ctx context.Context) error {
	n, err := kafka.PartitionCount(ctx, s.kc, s.topic)
	if err != nil {
		return fmt.Errorf("feed-state topic: %w", err)
	}
	s.partitions.Store(int64(n))
	return nil
}

func (s *kafkaStateStore) Partitions() int { return int(s.partitions.Load()) }

func (s *kafkaStateStore) Partition(feedID string) int {
	return kafka.PartitionOf([]byte(feedID), s.Partitions())
}

// Load reads the partitions from their start and rebuilds their feeds' states.
func (s *kafkaStateStore) Load(ctx context.Context, partitions []int) (map[string]feed.FeedState, error) {
	if err := s.refresh(ctx); err != nil {
		return nil, err
	}
	records, err := kafka.ReadCompacted(ctx, s.kc, s.topic, partitions)
	if err != nil {
		return nil, err
	}
	return feed.DecodeStates(records)
}

// Save writes the feed's records one acknowledged write at a time, seen items first
// (see feed.StateRecords), so no retry can reorder them.
func (s *kafkaStateStore) Save(ctx context.Context, st feed.FeedState, withSeen bool) error {
	recs, err := feed.StateRecords(st, withSeen)
	if err != nil {
		return err
	}
	for _, r := range recs {
		m := pipeline.Message{Topic: s.topic, Key: []byte(r.Key), Value: r.Value}
		if err := s.producer.Write(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *kafkaStateStore) Close() error { return s.producer.Close() }
