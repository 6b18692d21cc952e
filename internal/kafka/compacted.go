package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"sort"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// A compacted topic holds the latest record of each key (a table, in effect). Its owner
// reads a partition from the start to rebuild the table, and writes one record per change.
//
// Records of one entity may have several keys ("feed-1" and "feed-1#seen", say) that must
// share a partition, so that whoever owns the partition finds all of them. A routing
// function maps a key to the part that decides its partition; PartitionOf and the Producer
// of NewRoutedProducer place a key by the same rule, with the Java client's murmur2 hash.

// Limits of one restore fetch. A fetch always returns at least one whole record batch,
// however large, so MaxBytes bounds memory without ever stalling progress.
const (
	compactedFetchMaxBytes = 8 << 20
	compactedFetchMaxWait  = 500 * time.Millisecond
	// compactedEmptyFetches is how many empty answers below the high watermark end a
	// read: the records there were compacted away, and nothing else can arrive below it.
	compactedEmptyFetches = 3
)

// PartitionOf returns the partition of a topic with n partitions that a record whose
// routing key is key lands on: kafka-go's Murmur2Balancer, the same as the Producer and
// the Java client use.
func PartitionOf(key []byte, n int) int {
	if n <= 1 {
		return 0
	}
	if key == nil {
		key = []byte{} // a nil key would be placed at random
	}
	return kafka.Murmur2Balancer{}.Balance(kafka.Message{Key: key}, allPartitions(n)...)
}

func allPartitions(n int) []int {
	ps := make([]int, n)
	for i := range ps {
		ps[i] = i
	}
	return ps
}

// routedBalancer places a record by the routing part of its key.
type routedBalancer struct {
	route func(key []byte) []byte
}

func (b routedBalancer) Balance(msg kafka.Message, partitions ...int) int {
	key := b.route(msg.Key)
	if key == nil {
		key = []byte{}
	}
	msg.Key = key
	return kafka.Murmur2Balancer{}.Balance(msg, partitions...)
}

// NewRoutedProducer is a Producer that places each record by route(key) instead of the
// whole key, so that every record of one entity lands on PartitionOf(route(key)). A nil
// route is the identity. A nil Value writes a tombstone.
func NewRoutedProducer(cfg Config, log *zap.Logger, route func(key []byte) []byte) *Producer {
	p := NewProducer(cfg, log)
	if route != nil {
		p.w.Balancer = routedBalancer{route: route}
	}
	return p
}

// PartitionCount returns how many partitions topic has.
func PartitionCount(ctx context.Context, cfg Config, topic string) (int, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return 0, err
	}
	var n int
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
		if err != nil {
			return fmt.Errorf("metadata: %w", err)
		}
		for _, t := range md.Topics {
			if t.Name != topic {
				continue
			}
			if t.Error != nil {
				return t.Error
			}
			n = len(t.Partitions)
		}
		if n == 0 {
			return kafka.UnknownTopicOrPartition
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("kafka partitions of %s: %w", topic, err)
	}
	return n, nil
}

// ReadCompactedTopic reads every partition of a compacted topic; see ReadCompacted.
func ReadCompactedTopic(ctx context.Context, cfg Config, topic string) (map[string][]byte, error) {
	n, err := PartitionCount(ctx, cfg, topic)
	if err != nil {
		return nil, err
	}
	return ReadCompacted(ctx, cfg, topic, allPartitions(n))
}

// ReadCompacted reads the given partitions of a compacted topic from their first offset up
// to the high watermark each has when the read starts, and returns the latest value of
// every key: a later record replaces an earlier one, and a tombstone (a record without a
// value) removes its key. Records acknowledged before the call are all seen; records
// written during it may or may not be. No consumer group is involved and nothing is
// committed.
func ReadCompacted(ctx context.Context, cfg Config, topic string, partitions []int) (map[string][]byte, error) {
	tables := map[int]map[string][]byte{}
	err := scan(ctx, cfg, topic, partitions,
		func(p int) { tables[p] = map[string][]byte{} },
		func(m pipeline.Message) error {
			if len(m.Value) == 0 {
				delete(tables[m.Partition], string(m.Key))
			} else {
				tables[m.Partition][string(m.Key)] = m.Value
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, t := range tables {
		// A key lives on one partition only, so partitions never overwrite each other.
		maps.Copy(out, t)
	}
	return out, nil
}

// ReadTopic calls fn with every record of every partition of topic, from the first offset
// up to the high watermark each partition has when the read starts, partition by
// partition in offset order. It stops at fn's first error.
func ReadTopic(ctx context.Context, cfg Config, topic string, fn func(pipeline.Message) error) error {
	n, err := PartitionCount(ctx, cfg, topic)
	if err != nil {
		return err
	}
	return scan(ctx, cfg, topic, allPartitions(n), func(int) {}, fn)
}

// scan reads partitions up to their high watermarks as of the start. start(p) is called
// before partition p is read, and again if the partition's first offset moved past the
// read position meanwhile (records deleted): its reading then starts over.
func scan(ctx context.Context, cfg Config, topic string, partitions []int, start func(p int), fn func(pipeline.Message) error) error {
	cfg, err := prepare(cfg)
	if err != nil {
		return err
	}
	if len(partitions) == 0 {
		return nil
	}
	ps := append([]int(nil), partitions...)
	sort.Ints(ps)
	tr := newTransport(cfg)
	defer tr.CloseIdleConnections()
	cl := &kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: tr, Timeout: adminRequestTimeout}

	var hwm map[int]int64
	err = retryAdmin(ctx, cfg, func(hc *kafka.Client) error {
		reqs := make([]kafka.OffsetRequest, len(ps))
		for i, p := range ps {
			reqs[i] = kafka.LastOffsetOf(p)
		}
		m, err := highWatermarks(ctx, hc, map[string][]kafka.OffsetRequest{topic: reqs})
		if err != nil {
			return err
		}
		hwm = m[topic]
		return nil
	})
	if err != nil {
		return fmt.Errorf("kafka read %s: %w", topic, err)
	}
	for _, p := range ps {
		start(p)
		if err := readPartition(ctx, cl, topic, p, hwm[p], func() { start(p) }, fn); err != nil {
			return fmt.Errorf("kafka read %s partition %d: %w", topic, p, err)
		}
	}
	return nil
}

// readPartition calls fn with partition p's records below hwm, in offset order.
func readPartition(ctx context.Context, cl *kafka.Client, topic string, p int, hwm int64, restart func(), fn func(pipeline.Message) error) error {
	if hwm <= 0 {
		return nil
	}
	offset := kafka.FirstOffset
	empty, failures := 0, 0
	for offset == kafka.FirstOffset || offset < hwm {
		res, err := cl.Fetch(ctx, &kafka.FetchRequest{
			Topic: topic, Partition: p, Offset: offset,
			MinBytes: 1, MaxBytes: compactedFetchMaxBytes, MaxWait: compactedFetchMaxWait,
		})
		if err == nil && res.Error != nil {
			err = res.Error
		}
		if err != nil {
			if errors.Is(err, kafka.OffsetOutOfRange) && offset != kafka.FirstOffset {
				// The log start moved past offset (retention or deleted records):
				// what was below it is gone, start again from the new first offset.
				offset = kafka.FirstOffset
				restart()
				continue
			}
			failures++
			if !retriable(err) || failures >= adminAttempts || ctx.Err() != nil {
				return fmt.Errorf("fetch at offset %d: %w", offset, err)
			}
			if !sleep(ctx, adminRetry.delay(failures)) {
				return fmt.Errorf("fetch at offset %d: %w (last error: %w)", offset, ctx.Err(), err)
			}
			continue
		}
		failures = 0
		if offset == kafka.FirstOffset {
			offset = max(res.LogStartOffset, 0)
		}
		next, n, err := applyRecords(res.Records, topic, p, offset, hwm, fn)
		closeRecords(res.Records)
		if err != nil {
			return err
		}
		if n == 0 && next == offset {
			empty++
			if empty >= compactedEmptyFetches {
				return nil
			}
			continue
		}
		empty = 0
		offset = next
	}
	return nil
}

func closeRecords(rr kafka.RecordReader) {
	if c, ok := rr.(io.Closer); ok {
		_ = c.Close()
	}
}

// applyRecords passes on the records at or above from and below hwm, and returns the
// offset after the last one seen and how many were passed on.
func applyRecords(rr kafka.RecordReader, topic string, p int, from, hwm int64, fn func(pipeline.Message) error) (next int64, n int, err error) {
	next = from
	for {
		r, err := rr.ReadRecord()
		if errors.Is(err, io.EOF) {
			return next, n, nil
		}
		if err != nil {
			return next, n, fmt.Errorf("read record: %w", err)
		}
		if r.Offset < from {
			continue // a batch may start before the offset asked for
		}
		if r.Offset >= hwm {
			return hwm, n, nil
		}
		m := pipeline.Message{Topic: topic, Partition: p, Offset: r.Offset, Time: r.Time}
		if m.Key, err = protocol.ReadAll(r.Key); err != nil {
			return next, n, fmt.Errorf("read key at offset %d: %w", r.Offset, err)
		}
		if m.Value, err = protocol.ReadAll(r.Value); err != nil {
			return next, n, fmt.Errorf("read value at offset %d: %w", r.Offset, err)
		}
		for _, h := range r.Headers {
			m.Headers = append(m.Headers, pipeline.Header{Key: h.Key, Value: h.Value})
		}
		if err := fn(m); err != nil {
			return next, n, err
		}
		next = r.Offset + 1
		n++
	}
}
