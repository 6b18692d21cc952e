package kafka

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// The benchmarks run on the embedded kfake broker, which shares the machine with the
// client: their absolute times say little, the ratio to bare kafka-go in the same run
// (x_bare) is what to read. They assert nothing about speed.
const (
	benchMessages   = 1000 // per round
	benchBatch      = 100  // messages per Write / per commit
	benchPartitions = 3    // as configs/dev.yaml
)

// benchBroker starts a kfake cluster that lives as long as the benchmark.
func benchBroker(b *testing.B) (*kfake.Cluster, Config) {
	b.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		b.Fatalf("start kfake: %v", err)
	}
	b.Cleanup(c.Close)
	return c, testConfig(c.ListenAddrs())
}

func benchTopic(b *testing.B, cfg Config, name string) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := EnsureTopics(ctx, cfg, TopicSpec{Name: name, Partitions: benchPartitions, ReplicationFactor: 1}); err != nil {
		b.Fatalf("create topic %s: %v", name, err)
	}
}

// benchPayload is benchMessages small keyed messages with a trace header, in both
// libraries' types.
func benchPayload(topic string) ([]pipeline.Message, []kafka.Message) {
	msgs := make([]pipeline.Message, benchMessages)
	kmsgs := make([]kafka.Message, benchMessages)
	for i := range msgs {
		msgs[i] = pipeline.Message{
			Topic:   topic,
			Key:     []byte(keyOf(i)),
			Value:   []byte("value of " + keyOf(i)),
			Headers: []pipeline.Header{{Key: "trace-id", Value: []byte("trace-" + keyOf(i))}},
		}
		kmsgs[i] = toKafka(msgs[i])
	}
	return msgs, kmsgs
}

// newBareWriter is the produce baseline: kafka-go's Writer set like the Producer's on
// the durability axis (acks from all in-sync replicas, synchronous WriteMessages) and on
// placement and latency (Murmur2 partitioning, the same batch timeout).
func newBareWriter(b *testing.B, cfg Config) *kafka.Writer {
	tr := &kafka.Transport{DialTimeout: cfg.DialTimeout, ClientID: cfg.ClientID}
	w := &kafka.Writer{
		Addr:         kafka.TCP(cfg.Brokers...),
		Transport:    tr,
		Balancer:     &kafka.Murmur2Balancer{},
		RequiredAcks: kafka.RequireAll,
		BatchTimeout: cfg.BatchTimeout,
	}
	b.Cleanup(func() {
		if err := w.Close(); err != nil {
			b.Errorf("close bare writer: %v", err)
		}
		tr.CloseIdleConnections()
	})
	return w
}

func newBenchProducer(b *testing.B, cfg Config) *Producer {
	p := NewProducer(cfg, zap.NewNop())
	b.Cleanup(func() {
		if err := p.Close(); err != nil {
			b.Errorf("close producer: %v", err)
		}
	})
	return p
}

// produceBare writes msgs in batches of benchBatch and returns how long that took.
func produceBare(b *testing.B, w *kafka.Writer, msgs []kafka.Message) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	for i := 0; i < len(msgs); i += benchBatch {
		if err := w.WriteMessages(ctx, msgs[i:min(i+benchBatch, len(msgs))]...); err != nil {
			b.Fatalf("bare produce: %v", err)
		}
	}
	return time.Since(start)
}

func produceOurs(b *testing.B, p *Producer, msgs []pipeline.Message) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	start := time.Now()
	for i := 0; i < len(msgs); i += benchBatch {
		if err := p.Write(ctx, msgs[i:min(i+benchBatch, len(msgs))]...); err != nil {
			b.Fatalf("produce: %v", err)
		}
	}
	return time.Since(start)
}

// BenchmarkProduce measures Producer.Write of 1000 small keyed messages, in synchronous
// batches of 100, against bare kafka-go's Writer in the same run, and reports the ratio
// (x_bare). "bare-kafka-go" times the baseline alone. "wirehose" times the Producer and,
// with the benchmark timer stopped, a bare round next to each of its rounds, so x_bare
// comes from rounds measured moments apart: load on a shared machine weighs on both
// sides alike. Connections and metadata are warmed up before timing.
//
// The keys spread each write over 3 partitions, so no partition's batch reaches
// kafka-go's BatchSize (100) and every write waits out the 5ms BatchTimeout, on both
// sides: x_bare near 1 says the Producer adds nothing that matters next to that.
func BenchmarkProduce(b *testing.B) {
	_, cfg := benchBroker(b)
	const topic = "wh-bench.produce"
	benchTopic(b, cfg, topic)
	msgs, kmsgs := benchPayload(topic)

	b.Run("bare-kafka-go", func(b *testing.B) {
		w := newBareWriter(b, cfg)
		produceBare(b, w, kmsgs[:benchBatch])
		b.ResetTimer()
		for round := 0; round < b.N; round++ {
			produceBare(b, w, kmsgs)
		}
	})

	b.Run("wirehose", func(b *testing.B) {
		p := newBenchProducer(b, cfg)
		w := newBareWriter(b, cfg)
		produceOurs(b, p, msgs[:benchBatch])
		produceBare(b, w, kmsgs[:benchBatch])
		b.ResetTimer()

		var ours, baseline time.Duration
		bare := func() {
			b.StopTimer()
			baseline += produceBare(b, w, kmsgs)
			b.StartTimer()
		}
		for round := 0; round < b.N; round++ {
			// Alternate which side goes first, so neither always finds the broker warm.
			if round%2 == 1 {
				bare()
			}
			ours += produceOurs(b, p, msgs)
			if round%2 == 0 {
				bare()
			}
		}
		b.ReportMetric(float64(ours)/float64(baseline), "x_bare")
		b.ReportMetric(ours.Seconds()*1000/float64(b.N), "produce_ms/1k_msgs")
		b.ReportMetric(baseline.Seconds()*1000/float64(b.N), "bare_ms/1k_msgs")
	})
}

// benchConsumerConfig is the Consumer's configuration for group: production batching,
// the tests' short group timeouts.
func benchConsumerConfig(group, topic string) ConsumerConfig {
	cc := testConsumerConfig(group, topic)
	cc.Stage = "bench"
	cc.BatchSize = benchBatch
	cc.BatchLinger = DefaultBatchLinger
	return cc
}

// bareReaderConfig is the consume baseline's reader: what the Consumer gives kafka-go
// (group, first offset, synchronous commits, queue, waits, group timeouts), without
// logging.
func bareReaderConfig(cfg Config, cc ConsumerConfig) kafka.ReaderConfig {
	return kafka.ReaderConfig{
		Brokers:               cfg.Brokers,
		GroupID:               cc.Group,
		Topic:                 cc.Topic,
		Dialer:                &kafka.Dialer{ClientID: cfg.ClientID, Timeout: cfg.DialTimeout, DualStack: true},
		QueueCapacity:         cc.BatchSize,
		MaxWait:               readerMaxWait,
		CommitInterval:        0,
		StartOffset:           kafka.FirstOffset,
		SessionTimeout:        cc.SessionTimeout,
		RebalanceTimeout:      cc.RebalanceTimeout,
		HeartbeatInterval:     cc.HeartbeatInterval,
		JoinGroupBackoff:      readerJoinGroupBackoff,
		WatchPartitionChanges: true,
	}
}

// consumeRound is one consumer's pass over the topic in a fresh group.
type consumeRound struct {
	cluster *kfake.Cluster
	cfg     Config
	cc      ConsumerConfig
	// leaving tracks members leaving the group in the background: Close waits out the
	// reader's fetch long-poll (up to readerMaxWait), on both sides alike, so it is
	// not timed and does not hold up the next round.
	leaving *sync.WaitGroup
}

// committedAt reports when the broker recorded the commit that brought the group's
// committed offsets to the end of the topic, and whether it has yet. The topic holds
// exactly benchMessages messages from offset 0, so their sum is the end.
func (r consumeRound) committedAt() (time.Time, bool) {
	g := r.cluster.GroupInfo(r.cc.Group)
	if g == nil {
		return time.Time{}, false
	}
	var sum int64
	var last time.Time
	for _, c := range g.Commits[r.cc.Topic] {
		sum += c.Offset
		if c.At.After(last) {
			last = c.At
		}
	}
	return last, sum == benchMessages
}

// bare joins the group with a kafka-go Reader, fetches every message and commits after
// each batch of benchBatch, and returns the time from creating the reader to the
// broker's recording of the last commit.
func (r consumeRound) bare(b *testing.B) time.Duration {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	start := time.Now()
	rd := kafka.NewReader(bareReaderConfig(r.cfg, r.cc))
	defer r.leaving.Go(func() {
		if err := rd.Close(); err != nil {
			b.Errorf("bare consume: close: %v", err)
		}
	})
	batch := make([]kafka.Message, 0, benchBatch)
	for seen := 0; seen < benchMessages; {
		batch = batch[:0]
		for len(batch) < benchBatch && seen+len(batch) < benchMessages {
			m, err := rd.FetchMessage(ctx)
			if err != nil {
				b.Fatalf("bare consume: fetch after %d messages: %v", seen+len(batch), err)
			}
			batch = append(batch, m)
		}
		if err := rd.CommitMessages(ctx, batch...); err != nil {
			b.Fatalf("bare consume: commit: %v", err)
		}
		seen += len(batch)
	}
	at, ok := r.committedAt()
	if !ok {
		b.Fatalf("bare consume: group %s has not committed the whole topic", r.cc.Group)
	}
	return at.Sub(start)
}

// nopProcessor does nothing with a message but count it; it closes done at want.
type nopProcessor struct {
	want int64
	seen atomic.Int64
	done chan struct{}
}

func (p *nopProcessor) Process(context.Context, pipeline.Message) ([]struct{}, error) {
	if p.seen.Add(1) == p.want {
		close(p.done)
	}
	return nil, nil
}

func (p *nopProcessor) Flush(context.Context, []struct{}) error { return nil }

// ours runs a Consumer with a no-op processor in the group until the broker holds the
// commit of the last message, and returns the time from starting Run to the broker's
// recording of that commit. Once the processor has seen every message, the broker is
// polled for the commit; the commit's own timestamp keeps the polling out of the result.
func (r consumeRound) ours(b *testing.B, dlq *DLQ) time.Duration {
	proc := &nopProcessor{want: benchMessages, done: make(chan struct{})}
	c := NewConsumer[struct{}](r.cfg, r.cc, proc, dlq, zap.NewNop())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	start := time.Now()
	go func() { done <- c.Run(ctx) }()
	// Run commits the batch in flight and leaves the group once ctx is cancelled.
	defer r.leaving.Go(func() {
		cancel()
		if err := <-done; err != nil {
			b.Errorf("consume: Run = %v", err)
		}
	})

	deadline := time.After(60 * time.Second)
	select {
	case <-proc.done:
	case err := <-done:
		done <- err
		b.Fatalf("consume: Run returned %v after %d messages", err, proc.seen.Load())
	case <-deadline:
		b.Fatalf("consume: %d of %d messages after 60s", proc.seen.Load(), benchMessages)
	}
	// The commit follows the last Process call within microseconds, so the first polls
	// do not sleep (each is a round trip to the broker's goroutine anyway); a timer
	// would add a millisecond to the benchmark's own clock.
	for polls := 0; ; polls++ {
		if at, ok := r.committedAt(); ok {
			return at.Sub(start)
		}
		if polls < 1000 {
			runtime.Gosched()
			continue
		}
		select {
		case <-deadline:
			b.Fatalf("consume: group %s has not committed the whole topic after 60s", r.cc.Group)
		case <-time.After(time.Millisecond):
		}
	}
}

// BenchmarkConsume measures the Consumer (fetch, batch, no-op process, commit) over 1000
// messages against a bare kafka-go Reader with the same settings that fetches and
// commits after every 100 messages. Each round joins a fresh group at the first offset;
// a round's time runs from creating the reader or starting Run to the broker's recording
// of the commit that brings the group's lag to 0. "bare-kafka-go" times the baseline
// alone; "wirehose" times the Consumer and, with the benchmark timer stopped, a bare
// round next to each of its rounds, and reports their ratio (x_bare).
func BenchmarkConsume(b *testing.B) {
	cluster, cfg := benchBroker(b)
	const topic = "wh-bench.consume"
	benchTopic(b, cfg, topic)
	msgs, _ := benchPayload(topic)
	produceOurs(b, newBenchProducer(b, cfg), msgs)

	groups := 0
	round := func(side string, leaving *sync.WaitGroup) consumeRound {
		groups++
		group := fmt.Sprintf("wh-bench.%s.%d", side, groups)
		return consumeRound{cluster: cluster, cfg: cfg, cc: benchConsumerConfig(group, topic), leaving: leaving}
	}

	b.Run("bare-kafka-go", func(b *testing.B) {
		var leaving sync.WaitGroup
		b.Cleanup(leaving.Wait)
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			r := round("bare", &leaving)
			b.StartTimer()
			r.bare(b)
		}
	})

	b.Run("wirehose", func(b *testing.B) {
		b.StopTimer()
		var leaving sync.WaitGroup
		b.Cleanup(leaving.Wait)
		dlq := NewDLQ(newBenchProducer(b, cfg), "wh-bench.dlq")
		var ours, baseline time.Duration
		bare := func() {
			baseline += round("bare", &leaving).bare(b)
		}
		for i := 0; i < b.N; i++ {
			// Alternate which side goes first, so neither always shares the broker
			// with the other's members leaving in the background.
			if i%2 == 1 {
				bare()
			}
			r := round("wirehose", &leaving)
			b.StartTimer()
			ours += r.ours(b, dlq)
			b.StopTimer()
			if i%2 == 0 {
				bare()
			}
		}
		b.ReportMetric(float64(ours)/float64(baseline), "x_bare")
		b.ReportMetric(ours.Seconds()*1000/float64(b.N), "consume_ms/1k_msgs")
		b.ReportMetric(baseline.Seconds()*1000/float64(b.N), "bare_ms/1k_msgs")
	})
}
