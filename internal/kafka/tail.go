package kafka

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// A table kept in a compacted topic and shared by every member of a group (a global table:
// each member holds all of it) is read in two steps: ReadTopicUntil rebuilds it from the
// topic's first offsets up to the high watermarks at the start, then Tail keeps applying
// what the members write from there on. No consumer group is involved and nothing is
// committed.

// tailMaxWait is how long the broker holds a tail fetch that finds nothing new; a record
// written meanwhile is returned at once.
const tailMaxWait = 500 * time.Millisecond

var tailRetry = backoff{min: 100 * time.Millisecond, max: 5 * time.Second}

// ReadTopicUntil calls fn with every record of every partition of topic below the high
// watermark each partition has when the read starts, partition by partition in offset
// order, and returns those high watermarks: the offsets to Tail from. It stops at fn's first
// error.
func ReadTopicUntil(ctx context.Context, cfg Config, topic string, fn func(pipeline.Message) error) (next map[int]int64, err error) {
	cfg, err = prepare(cfg)
	if err != nil {
		return nil, err
	}
	n, err := PartitionCount(ctx, cfg, topic)
	if err != nil {
		return nil, err
	}
	var hwm map[int]int64
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		reqs := make([]kafka.OffsetRequest, n)
		for p := range n {
			reqs[p] = kafka.LastOffsetOf(p)
		}
		m, err := highWatermarks(ctx, cl, map[string][]kafka.OffsetRequest{topic: reqs})
		if err != nil {
			return err
		}
		hwm = m[topic]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kafka read %s: %w", topic, err)
	}
	tr := newTransport(cfg)
	defer tr.CloseIdleConnections()
	cl := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: tr, Timeout: adminRequestTimeout}
	for p := range n {
		// A restart after records were deleted under the read needs no reset: applying a
		// table's records again, in order, gives the same table.
		if err := readPartition(ctx, cl, topic, p, hwm[p], func() {}, fn); err != nil {
			return nil, fmt.Errorf("kafka read %s partition %d: %w", topic, p, err)
		}
	}
	return hwm, nil
}

// Tail calls fn with every record of topic from the offsets in from (one per partition; a
// partition missing from it starts at its first offset), as records arrive, until ctx ends;
// then it returns nil. Each partition is read by a goroutine of its own, so a record reaches
// fn a fetch round-trip after it was written; fn is never called by two of them at once.
// Broker errors are retried; Tail returns an error only for one that cannot heal or for
// fn's first error. Partitions added to the topic after the start are not read.
func Tail(ctx context.Context, cfg Config, topic string, from map[int]int64, fn func(pipeline.Message) error) error {
	cfg, err := prepare(cfg)
	if err != nil {
		return err
	}
	n, err := PartitionCount(ctx, cfg, topic)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	tr := newTransport(cfg)
	defer tr.CloseIdleConnections()
	cl := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: tr, Timeout: adminRequestTimeout}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var mu sync.Mutex
	serial := func(m pipeline.Message) error {
		mu.Lock()
		defer mu.Unlock()
		return fn(m)
	}
	var wg sync.WaitGroup
	for p := range n {
		offset, ok := from[p]
		if !ok {
			offset = kafka.FirstOffset
		}
		wg.Go(func() {
			if err := tailPartition(ctx, cl, topic, p, offset, serial); err != nil {
				cancel(fmt.Errorf("kafka tail %s partition %d: %w", topic, p, err))
			}
		})
	}
	wg.Wait()
	if err := context.Cause(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

// tailPartition reads partition p from offset on until ctx ends.
func tailPartition(ctx context.Context, cl *kafka.Client, topic string, p int, offset int64, fn func(pipeline.Message) error) error {
	failures := 0
	for ctx.Err() == nil {
		res, err := cl.Fetch(ctx, &kafka.FetchRequest{
			Topic: topic, Partition: p, Offset: offset,
			MinBytes: 1, MaxBytes: compactedFetchMaxBytes, MaxWait: tailMaxWait,
		})
		if err == nil && res.Error != nil {
			err = res.Error
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, kafka.OffsetOutOfRange) && offset != kafka.FirstOffset {
				// Deleted by retention while we were away: what is left starts later.
				offset = kafka.FirstOffset
				continue
			}
			failures++
			if !retriable(err) {
				return fmt.Errorf("fetch at offset %d: %w", offset, err)
			}
			if !sleep(ctx, tailRetry.delay(failures)) {
				return nil
			}
			continue
		}
		failures = 0
		if offset == kafka.FirstOffset {
			offset = max(res.LogStartOffset, 0)
		}
		next, _, err := applyRecords(res.Records, topic, p, offset, math.MaxInt64, fn)
		closeRecords(res.Records)
		if err != nil {
			return err
		}
		offset = next
	}
	return nil
}
