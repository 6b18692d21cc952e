package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"sync/atomic"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Processor is the stage's side of a consumer. Stages implement it without importing
// this package.
type Processor[T any] interface {
	// Process turns one message into zero or more outputs. A returned error is a
	// per-message failure: retried up to MaxAttempts, then the message goes to the DLQ.
	// An error marked pipeline.Permanent goes to the DLQ at once.
	Process(ctx context.Context, m pipeline.Message) ([]T, error)
	// Flush makes the outputs of a batch durable (produce acked / DB commit). An error is
	// an outage, not poison: the consumer retries with backoff, never commits, never DLQs.
	// An error marked pipeline.Permanent (outputs no retry can write) makes the consumer
	// flush message by message and dead-letter the message whose outputs fail so.
	Flush(ctx context.Context, out []T) error
}

// Consumer is one member of a consumer group over one topic. It fetches a batch, processes
// each message, flushes the batch's outputs, and only then commits, so every committed
// offset stands for durable effects (at-least-once; effects must be idempotent).
type Consumer[T any] struct {
	cfg  Config
	cc   ConsumerConfig
	proc Processor[T]
	dlq  *DLQ
	log  *zap.Logger

	obs     atomic.Pointer[observerRef]
	reader  atomic.Pointer[kafka.Reader]
	joined  atomic.Bool
	running atomic.Bool

	processRetry, flushRetry, dlqRetry, fetchRetry backoff
}

type observerRef struct{ Observer }

// Waits inside kafka-go's reader: a short fetch long-poll keeps Close prompt, a short
// join backoff keeps a restart after "coordinator not available" quick.
const (
	readerMaxWait          = time.Second
	readerJoinGroupBackoff = time.Second
)

// NewConsumer returns a consumer for cc.Topic in group cc.Group. Zero fields take their
// defaults; Run reports an invalid configuration.
func NewConsumer[T any](cfg Config, cc ConsumerConfig, p Processor[T], dlq *DLQ, log *zap.Logger) *Consumer[T] {
	if log == nil {
		log = zap.NewNop()
	}
	c := &Consumer[T]{
		cfg:  cfg.withDefaults(),
		cc:   cc.withDefaults(),
		proc: p,
		dlq:  dlq,
		log: log.With(zap.String("component", "kafka_consumer"), zap.String("stage", cc.Stage),
			zap.String("topic", cc.Topic), zap.String("group", cc.Group)),
		processRetry: backoff{min: 50 * time.Millisecond, max: time.Second},
		flushRetry:   backoff{min: 100 * time.Millisecond, max: 5 * time.Second},
		dlqRetry:     backoff{min: 100 * time.Millisecond, max: 5 * time.Second},
		fetchRetry:   backoff{min: 100 * time.Millisecond, max: 5 * time.Second},
	}
	c.obs.Store(&observerRef{nopObserver{}})
	return c
}

// SetObserver sets the metrics hook; nil restores the no-op default.
func (c *Consumer[T]) SetObserver(o Observer) {
	if o == nil {
		o = nopObserver{}
	}
	c.obs.Store(&observerRef{o})
}

func (c *Consumer[T]) observer() Observer { return c.obs.Load().Observer }

// Ready reports whether Run's reader has joined a group generation, i.e. it is connected
// and has its assignment (possibly no partitions, when the group has more members than
// the topic has partitions).
//
// kafka-go does not expose its generation. Its reader increments the Rebalances counter
// right after ConsumerGroup.Next hands it a generation and before it subscribes to the
// assigned partitions (and otherwise only in partition readers, which exist only after
// that). Stats() resets counters on every call, so the first non-zero value is latched.
func (c *Consumer[T]) Ready() bool {
	if c.joined.Load() {
		return true
	}
	r := c.reader.Load()
	if r == nil {
		return false
	}
	if r.Stats().Rebalances > 0 {
		c.joined.Store(true)
		return true
	}
	return false
}

// Run consumes until ctx is cancelled. Then it stops fetching, finishes the batch in
// flight (process, flush, commit) within DrainTimeout, leaves the group and returns nil.
// It returns an error for an invalid configuration, a closed reader, or a drain that
// could not finish (whose batch will be re-delivered).
func (c *Consumer[T]) Run(ctx context.Context) error {
	if err := c.cfg.Validate(); err != nil {
		return fmt.Errorf("consumer %s: %w", c.cc.Stage, err)
	}
	if err := c.cc.Validate(); err != nil {
		return fmt.Errorf("consumer %s: %w", c.cc.Stage, err)
	}
	if c.proc == nil || c.dlq == nil {
		return fmt.Errorf("consumer %s: a processor and a dead-letter queue are required", c.cc.Stage)
	}
	if !c.running.CompareAndSwap(false, true) {
		return fmt.Errorf("consumer %s: already running", c.cc.Stage)
	}
	defer c.running.Store(false)

	r := kafka.NewReader(c.readerConfig())
	c.reader.Store(r)
	c.log.Info("consumer started", zap.Strings("brokers", c.cfg.Brokers))

	err := c.loop(ctx, r)

	// Close leaves the group, so the partitions move to other members at once instead
	// of after the session timeout. Commits are synchronous, so none is pending here.
	closeErr := r.Close()
	c.reader.Store(nil)
	c.joined.Store(false)
	if closeErr != nil {
		c.log.Warn("reader close failed", zap.Error(closeErr))
	}
	if err != nil {
		c.log.Error("consumer stopped", zap.Error(err))
		return err
	}
	c.log.Info("consumer stopped")
	return nil
}

func (c *Consumer[T]) readerConfig() kafka.ReaderConfig {
	return kafka.ReaderConfig{
		Brokers: c.cfg.Brokers,
		GroupID: c.cc.Group,
		Topic:   c.cc.Topic,
		Dialer: &kafka.Dialer{
			ClientID:  c.cfg.ClientID,
			Timeout:   c.cfg.DialTimeout,
			DualStack: true,
		},
		QueueCapacity: c.cc.BatchSize,
		MaxWait:       readerMaxWait,
		// Zero makes CommitMessages synchronous: it returns once the broker accepted
		// the commit (a positive interval commits in the background and can lose the
		// last commit on close).
		CommitInterval:        0,
		StartOffset:           kafka.FirstOffset,
		SessionTimeout:        c.cc.SessionTimeout,
		RebalanceTimeout:      c.cc.RebalanceTimeout,
		HeartbeatInterval:     c.cc.HeartbeatInterval,
		JoinGroupBackoff:      readerJoinGroupBackoff,
		WatchPartitionChanges: true,
		Logger:                kafkaLogger(c.log, zapcore.DebugLevel),
		ErrorLogger:           kafkaLogger(c.log, zapcore.WarnLevel),
	}
}

func (c *Consumer[T]) loop(ctx context.Context, r *kafka.Reader) error {
	tracker := newOffsetTracker()
	failures := 0
	for ctx.Err() == nil {
		batch, err := c.fetchBatch(ctx, r)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("consumer %s: fetch from %s: reader closed: %w", c.cc.Stage, c.cc.Topic, err)
			}
			// Group join and fetch errors heal by themselves (kafka-go keeps
			// rejoining); keep asking, a little slower each time.
			failures++
			c.log.Warn("fetch failed", zap.Int("attempt", failures), zap.Error(err))
			sleep(ctx, c.fetchRetry.delay(failures))
			continue
		}
		failures = 0
		if err := c.handle(ctx, r, tracker, batch); err != nil {
			return err
		}
	}
	return nil
}

// fetchBatch blocks for a first message, then gathers more for at most BatchLinger.
// FetchMessage returning on an expired context takes nothing off the reader's queue, so
// the linger deadline loses no message.
func (c *Consumer[T]) fetchBatch(ctx context.Context, r *kafka.Reader) ([]kafka.Message, error) {
	m, err := r.FetchMessage(ctx)
	if err != nil {
		return nil, err
	}
	batch := make([]kafka.Message, 1, c.cc.BatchSize)
	batch[0] = m
	lctx, cancel := context.WithTimeout(ctx, c.cc.BatchLinger)
	defer cancel()
	for len(batch) < c.cc.BatchSize {
		m, err := r.FetchMessage(lctx)
		if err != nil {
			if lctx.Err() == nil {
				c.log.Warn("fetch failed while filling a batch", zap.Int("batch", len(batch)), zap.Error(err))
			}
			break
		}
		batch = append(batch, m)
	}
	return batch, nil
}

// handle processes, flushes and commits one batch. Its work runs under a drain context,
// so a shutdown arriving mid-batch still lets the batch finish within DrainTimeout. It
// returns an error only when that deadline cut the batch short.
func (c *Consumer[T]) handle(ctx context.Context, r *kafka.Reader, tracker *offsetTracker, batch []kafka.Message) error {
	work, cancel := drainContext(ctx, c.cc.DrainTimeout)
	defer cancel()
	c.observer().Consumed(c.cc.Stage, len(batch))
	for _, m := range batch {
		tracker.fetched(m.Partition, m.Offset)
	}

	var out []T
	perMessage := make([][]T, len(batch))
	for i, km := range batch {
		res, err := c.process(work, fromKafka(km))
		if err != nil {
			return c.abandon(batch, err)
		}
		perMessage[i] = res
		out = append(out, res...)
	}
	err := c.flush(work, out)
	if pipeline.IsPermanent(err) {
		// One message's outputs can never be written (too large, say): find it by
		// flushing message by message, and dead-letter it instead of blocking the partition.
		err = c.flushEach(work, batch, perMessage)
	}
	if err != nil {
		return c.abandon(batch, err)
	}
	for _, m := range batch {
		tracker.done(m.Partition, m.Offset)
	}
	err = c.commit(work, r, tracker)
	if err != nil && ctx.Err() != nil {
		// The last commit before leaving failed: report an unclean drain.
		return fmt.Errorf("consumer %s: final commit: %w", c.cc.Stage, err)
	}
	return nil
}

// process runs Process up to MaxAttempts times (once for a permanent error) and
// dead-letters a message that never succeeded. It returns an error only when the work
// context ended, which is no fault of the message.
func (c *Consumer[T]) process(work context.Context, m pipeline.Message) ([]T, error) {
	obs := c.observer()
	start := time.Now()
	var lastErr error
	attempts := 0
	for attempts < c.cc.MaxAttempts {
		if attempts > 0 && !sleep(work, c.processRetry.delay(attempts)) {
			return nil, fmt.Errorf("process %s: %w (last error: %w)", offsetOf(m), context.Cause(work), lastErr)
		}
		attempts++
		out, err := c.proc.Process(work, m)
		if err == nil {
			obs.Processing(c.cc.Stage, time.Since(start))
			return out, nil
		}
		lastErr = err
		obs.Failed(c.cc.Stage, FailProcess)
		if work.Err() != nil {
			return nil, fmt.Errorf("process %s: %w (last error: %w)", offsetOf(m), context.Cause(work), err)
		}
		if pipeline.IsPermanent(err) {
			break
		}
		c.log.Debug("process failed",
			zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset),
			zap.Int("attempt", attempts), zap.Error(err))
	}
	obs.Processing(c.cc.Stage, time.Since(start))
	return nil, c.deadLetter(work, m, attempts, lastErr)
}

// deadLetter sends m to the DLQ, retrying until the write is acknowledged: a message is
// never skipped. It returns an error only when the work context ended.
func (c *Consumer[T]) deadLetter(work context.Context, m pipeline.Message, attempts int, cause error) error {
	for try := 0; ; try++ {
		if try > 0 && !sleep(work, c.dlqRetry.delay(try)) {
			return fmt.Errorf("dead-letter %s: %w", offsetOf(m), context.Cause(work))
		}
		err := c.dlq.Send(work, c.cc.Stage, m, attempts, cause)
		if err == nil {
			c.observer().DeadLettered(c.cc.Stage)
			c.log.Warn("message dead-lettered",
				zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset),
				zap.Int("attempts", attempts), zap.Bool("permanent", pipeline.IsPermanent(cause)),
				zap.NamedError("cause", cause))
			return nil
		}
		c.observer().Failed(c.cc.Stage, FailDLQ)
		c.log.Error("dead-letter write failed; retrying",
			zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset),
			zap.Int("attempt", try+1), zap.Error(err))
		if work.Err() != nil {
			return fmt.Errorf("dead-letter %s: %w (last error: %w)", offsetOf(m), context.Cause(work), err)
		}
	}
}

// flushEach flushes each message's outputs on their own; a message whose outputs fail
// with a permanent error goes to the DLQ. It returns an error only when the work context
// ended.
func (c *Consumer[T]) flushEach(work context.Context, batch []kafka.Message, perMessage [][]T) error {
	for i, out := range perMessage {
		err := c.flush(work, out)
		if pipeline.IsPermanent(err) {
			err = c.deadLetter(work, fromKafka(batch[i]), 1, fmt.Errorf("write outputs: %w", err))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// flush retries Flush until it succeeds: an outage blocks the consumer, it never skips.
// It returns an error when the work context ended, or at once for a permanent error
// (outputs that no retry can write), which the caller resolves message by message.
func (c *Consumer[T]) flush(work context.Context, out []T) error {
	if len(out) == 0 {
		return nil
	}
	for try := 0; ; try++ {
		if try > 0 && !sleep(work, c.flushRetry.delay(try)) {
			return fmt.Errorf("flush %d outputs: %w", len(out), context.Cause(work))
		}
		err := c.proc.Flush(work, out)
		if err == nil {
			c.observer().Produced(c.cc.Stage, len(out))
			return nil
		}
		c.observer().Failed(c.cc.Stage, FailFlush)
		if pipeline.IsPermanent(err) {
			return err
		}
		c.log.Error("flush failed; retrying without committing",
			zap.Int("outputs", len(out)), zap.Int("attempt", try+1), zap.Error(err))
		if work.Err() != nil {
			return fmt.Errorf("flush %d outputs: %w (last error: %w)", len(out), context.Cause(work), err)
		}
	}
}

// commit commits, per partition, up to the highest contiguous done offset. A failed
// commit (most often a partition lost to a rebalance) is logged and forgotten: those
// records will be re-delivered, and effects are idempotent.
func (c *Consumer[T]) commit(work context.Context, r *kafka.Reader, tracker *offsetTracker) error {
	next := tracker.commits()
	if len(next) == 0 {
		return nil
	}
	partitions := make([]int, 0, len(next))
	for p := range next {
		partitions = append(partitions, p)
	}
	sort.Ints(partitions)
	msgs := make([]kafka.Message, 0, len(next))
	for _, p := range partitions {
		// CommitMessages commits a message's offset + 1.
		msgs = append(msgs, kafka.Message{Topic: c.cc.Topic, Partition: p, Offset: next[p] - 1})
	}
	if err := r.CommitMessages(work, msgs...); err != nil {
		c.observer().Failed(c.cc.Stage, FailCommit)
		c.log.Warn("commit failed; uncommitted records will be re-delivered",
			zap.Ints("partitions", partitions), zap.Error(err))
		for _, p := range partitions {
			tracker.forget(p)
		}
		return fmt.Errorf("commit partitions %v of %s: %w", partitions, c.cc.Topic, err)
	}
	for _, p := range partitions {
		tracker.committed(p, next[p])
		c.log.Debug("committed", zap.Int("partition", p), zap.Int64("offset", next[p]))
	}
	return nil
}

// abandon gives up a batch cut short by the drain deadline. Nothing of it is committed,
// so all of it will be re-delivered.
func (c *Consumer[T]) abandon(batch []kafka.Message, err error) error {
	c.log.Warn("batch left uncommitted; it will be re-delivered", zap.Int("messages", len(batch)), zap.Error(err))
	return fmt.Errorf("consumer %s: %d messages left uncommitted: %w", c.cc.Stage, len(batch), err)
}

func offsetOf(m pipeline.Message) string {
	return fmt.Sprintf("%s/%d/%d", m.Topic, m.Partition, m.Offset)
}
