package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
)

// LagObserver receives what a LagMonitor measures, for metrics. A nil map means the
// measure failed, so the receiver can drop what it holds instead of reporting it stale.
type LagObserver interface {
	ConsumerLag(group, topic string, perPartition map[int]int64)
	TopicSize(topic string, perPartition map[int]int64)
}

// LagTarget is a consumer group and the topic it consumes.
type LagTarget struct{ Group, Topic string }

// LagMonitorConfig says what a LagMonitor measures and how often.
type LagMonitorConfig struct {
	Groups   []LagTarget
	Sizes    []string      // topics whose retained messages are counted (the dead-letter topic)
	Interval time.Duration // default 15s, about one Prometheus scrape
}

// DefaultLagInterval is how often lag is measured when the config sets no interval.
const DefaultLagInterval = 15 * time.Second

// Validate checks the config.
func (c LagMonitorConfig) Validate() error {
	for _, g := range c.Groups {
		if g.Group == "" || g.Topic == "" {
			return errors.New("lag monitor: every target needs a group and a topic")
		}
	}
	for _, t := range c.Sizes {
		if t == "" {
			return errors.New("lag monitor: a sized topic needs a name")
		}
	}
	if c.Interval < 0 {
		return fmt.Errorf("lag monitor: interval must not be negative, got %s", c.Interval)
	}
	return nil
}

// MonitorLag measures each target's lag and each sized topic's retained messages at
// once, then every Interval, until ctx ends; it returns nil then. Lag is measured from
// the broker (high watermark minus committed offset), not from a consumer's own view,
// so any member of a group — or a process that is none — reports the same numbers.
// A failed measure is logged and reported as nil; it does not stop the monitor.
func MonitorLag(ctx context.Context, cfg Config, mc LagMonitorConfig, o LagObserver, log *zap.Logger) error {
	if err := mc.Validate(); err != nil {
		return err
	}
	if _, err := prepare(cfg); err != nil {
		return err
	}
	if log == nil {
		log = zap.NewNop()
	}
	every := mc.Interval
	if every == 0 {
		every = DefaultLagInterval
	}
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		measureLag(ctx, cfg, mc, every, o, log)
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// measureLag takes one measure of everything; each gets up to within, so one topic the
// broker does not know (retried until then) does not starve the others.
func measureLag(ctx context.Context, cfg Config, mc LagMonitorConfig, within time.Duration, o LagObserver, log *zap.Logger) {
	for _, g := range mc.Groups {
		mctx, cancel := context.WithTimeout(ctx, within)
		_, per, err := GroupLag(mctx, cfg, g.Group, g.Topic)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("consumer lag not measured", zap.String("group", g.Group), zap.String("topic", g.Topic), zap.Error(err))
			per = nil
		}
		o.ConsumerLag(g.Group, g.Topic, per)
	}
	for _, topic := range mc.Sizes {
		mctx, cancel := context.WithTimeout(ctx, within)
		per, err := TopicSize(mctx, cfg, topic)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("topic size not measured", zap.String("topic", topic), zap.Error(err))
			per = nil
		}
		o.TopicSize(topic, per)
	}
}

// TopicSize returns how many messages each partition of topic holds now: its high
// watermark minus its low watermark (the first offset retention kept). On a compacted
// topic it is an upper bound.
func TopicSize(ctx context.Context, cfg Config, topic string) (map[int]int64, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	if topic == "" {
		return nil, errors.New("kafka topic size: a topic is required")
	}
	var size map[int]int64
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		var err error
		size, err = topicSize(ctx, cl, topic)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("kafka size of %s: %w", topic, err)
	}
	return size, nil
}

func topicSize(ctx context.Context, cl *kafka.Client, topic string) (map[int]int64, error) {
	partitions, err := topicPartitions(ctx, cl, topic)
	if err != nil {
		return nil, err
	}
	reqs := make([]kafka.OffsetRequest, 0, 2*len(partitions))
	for _, p := range partitions {
		reqs = append(reqs, kafka.FirstOffsetOf(p), kafka.LastOffsetOf(p))
	}
	res, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	size := make(map[int]int64, len(partitions))
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("list offsets of %s partition %d: %w", topic, p.Partition, p.Error)
		}
		if p.FirstOffset < 0 || p.LastOffset < 0 {
			return nil, fmt.Errorf("list offsets of %s partition %d: incomplete answer", topic, p.Partition)
		}
		size[p.Partition] = max(p.LastOffset-p.FirstOffset, 0)
	}
	for _, p := range partitions {
		if _, ok := size[p]; !ok {
			return nil, fmt.Errorf("list offsets of %s partition %d: no answer", topic, p)
		}
	}
	return size, nil
}
