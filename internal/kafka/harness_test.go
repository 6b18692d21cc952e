package kafka

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"github.com/twmb/franz-go/pkg/kfake"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// envBrokers names the variable with the real Kafka cluster's addresses.
const envBrokers = "WIREHOSE_TEST_KAFKA_BROKERS"

// backend is a broker the shared scenarios run against.
type backend struct {
	name string
	cfg  Config
	real bool // a real Kafka cluster, whose topics and groups outlive the test
}

// onEveryBackend runs scenario against the embedded kfake broker, and against real Kafka
// when WIREHOSE_TEST_KAFKA_BROKERS is set.
func onEveryBackend(t *testing.T, scenario func(t *testing.T, b backend)) {
	t.Helper()
	t.Run("kfake", func(t *testing.T) {
		c, err := kfake.NewCluster(kfake.NumBrokers(1))
		if err != nil {
			t.Fatalf("start kfake: %v", err)
		}
		t.Cleanup(c.Close)
		scenario(t, backend{name: "kfake", cfg: testConfig(c.ListenAddrs())})
	})
	t.Run("kafka", func(t *testing.T) {
		env := os.Getenv(envBrokers)
		if env == "" {
			t.Skipf("real Kafka not configured: set %s=host:port[,host:port] to run this scenario against it", envBrokers)
		}
		b := backend{name: "kafka", cfg: testConfig(strings.Split(env, ",")), real: true}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := WaitReady(ctx, b.cfg); err != nil {
			t.Fatalf("real Kafka at %s: %v", env, err)
		}
		scenario(t, b)
	})
}

func testConfig(brokers []string) Config {
	cfg := DefaultConfig()
	cfg.Brokers = brokers
	cfg.ClientID = "wirehose-test"
	cfg.WriteTimeout = 20 * time.Second
	cfg.DialTimeout = 5 * time.Second
	return cfg
}

// testConsumerConfig keeps group timeouts short; 6s is the brokers' minimum session.
func testConsumerConfig(group, topic string) ConsumerConfig {
	return ConsumerConfig{
		Group:             group,
		Topic:             topic,
		Stage:             "test",
		BatchSize:         20,
		BatchLinger:       10 * time.Millisecond,
		MaxAttempts:       3,
		DrainTimeout:      20 * time.Second,
		SessionTimeout:    6 * time.Second,
		RebalanceTimeout:  6 * time.Second,
		HeartbeatInterval: 500 * time.Millisecond,
	}
}

func testLogger(t *testing.T) *zap.Logger {
	return zaptest.NewLogger(t, zaptest.Level(zap.InfoLevel))
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9._-]+`)

// uniqueName makes a topic or group name no other test run shares.
func uniqueName(t *testing.T, what string) string {
	name := unsafeName.ReplaceAllString(t.Name(), ".")
	if len(name) > 120 {
		name = name[len(name)-120:]
	}
	return "wh-test." + name + "." + strconv.FormatInt(time.Now().UnixNano(), 36) + "." + what
}

// createTopic creates a topic; on real Kafka it is deleted when the test ends.
func createTopic(t *testing.T, b backend, name string, partitions int, configs map[string]string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	created, err := EnsureTopics(ctx, b.cfg, TopicSpec{Name: name, Partitions: partitions, ReplicationFactor: 1, Configs: configs})
	if err != nil {
		t.Fatalf("create topic %s: %v", name, err)
	}
	if len(created) != 1 {
		t.Fatalf("create topic %s: created %v, want it created now", name, created)
	}
	cleanupTopics(t, b, name)
}

func cleanupTopics(t *testing.T, b backend, names ...string) {
	if !b.real {
		return
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := withClient(b.cfg, func(cl *kafka.Client) error {
			_, err := cl.DeleteTopics(ctx, &kafka.DeleteTopicsRequest{Topics: names})
			return err
		})
		if err != nil {
			t.Logf("delete topics %v: %v", names, err)
		}
	})
}

// cleanupGroup deletes a consumer group from real Kafka when the test ends (it must have
// no members by then).
func cleanupGroup(t *testing.T, b backend, group string) {
	if !b.real {
		return
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		err := withClient(b.cfg, func(cl *kafka.Client) error {
			_, err := cl.DeleteGroups(ctx, &kafka.DeleteGroupsRequest{GroupIDs: []string{group}})
			return err
		})
		if err != nil {
			t.Logf("delete group %s: %v", group, err)
		}
	})
}

func keyOf(i int) string { return fmt.Sprintf("key-%03d", i) }

// produceKeyed writes n keyed messages with a trace header through a Producer.
func produceKeyed(t *testing.T, b backend, topic string, from, n int) {
	t.Helper()
	p := NewProducer(b.cfg, testLogger(t))
	defer func() {
		if err := p.Close(); err != nil {
			t.Errorf("close producer: %v", err)
		}
	}()
	msgs := make([]pipeline.Message, 0, n)
	for i := from; i < from+n; i++ {
		msgs = append(msgs, pipeline.Message{
			Topic:   topic,
			Key:     []byte(keyOf(i)),
			Value:   []byte("value of " + keyOf(i)),
			Headers: []pipeline.Header{{Key: "trace-id", Value: []byte("trace-" + keyOf(i))}},
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := p.Write(ctx, msgs...); err != nil {
		t.Fatalf("produce %d messages to %s: %v", n, topic, err)
	}
}

// record is what the test processor outputs for a message.
type record struct {
	Key       string
	Partition int
	Offset    int64
}

// recorder is a Processor that records every output it flushes, and fails on demand.
type recorder struct {
	mu            sync.Mutex
	calls         map[string]int // Process calls per key
	flushed       []record
	permanent     map[string]bool // keys failing with a permanent error
	failing       map[string]bool // keys failing every attempt
	unwritable    map[string]bool // keys whose outputs Flush refuses with a permanent error
	flushFailures int             // Flush calls left to fail
	onFlushFail   func(ctx context.Context)
	onProcessed   func(n int) // after each successful Process, with the count so far
	processed     int
}

func newRecorder() *recorder {
	return &recorder{calls: map[string]int{}, permanent: map[string]bool{}, failing: map[string]bool{}, unwritable: map[string]bool{}}
}

func (r *recorder) Process(_ context.Context, m pipeline.Message) ([]record, error) {
	r.mu.Lock()
	key := string(m.Key)
	r.calls[key]++
	switch {
	case r.permanent[key]:
		r.mu.Unlock()
		return nil, pipeline.Permanent(errors.New("decode envelope: unexpected end of JSON input"))
	case r.failing[key]:
		r.mu.Unlock()
		return nil, errors.New("enricher timed out")
	}
	r.processed++
	n, hook := r.processed, r.onProcessed
	r.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return []record{{Key: key, Partition: m.Partition, Offset: m.Offset}}, nil
}

func (r *recorder) Flush(ctx context.Context, out []record) error {
	r.mu.Lock()
	if r.flushFailures > 0 {
		r.flushFailures--
		hook := r.onFlushFail
		r.mu.Unlock()
		if hook != nil {
			hook(ctx)
		}
		return errors.New("database unavailable")
	}
	for _, o := range out {
		if r.unwritable[o.Key] {
			r.mu.Unlock()
			return pipeline.Permanent(fmt.Errorf("write %s: message too large", o.Key))
		}
	}
	r.flushed = append(r.flushed, out...)
	r.mu.Unlock()
	return nil
}

func (r *recorder) flushedRecords() []record {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]record(nil), r.flushed...)
}

func (r *recorder) callsOf(key string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[key]
}

// countingObserver counts consumer events.
type countingObserver struct {
	mu       sync.Mutex
	consumed int
	produced int
	failed   map[string]int
	dead     int
}

func newCountingObserver() *countingObserver { return &countingObserver{failed: map[string]int{}} }

func (o *countingObserver) Consumed(_ string, n int)         { o.mu.Lock(); o.consumed += n; o.mu.Unlock() }
func (o *countingObserver) Produced(_ string, n int)         { o.mu.Lock(); o.produced += n; o.mu.Unlock() }
func (o *countingObserver) Failed(_, kind string)            { o.mu.Lock(); o.failed[kind]++; o.mu.Unlock() }
func (o *countingObserver) DeadLettered(string)              { o.mu.Lock(); o.dead++; o.mu.Unlock() }
func (o *countingObserver) Processing(string, time.Duration) {}

func (o *countingObserver) snapshot() countingObserver {
	o.mu.Lock()
	defer o.mu.Unlock()
	failed := make(map[string]int, len(o.failed))
	for k, v := range o.failed {
		failed[k] = v
	}
	return countingObserver{consumed: o.consumed, produced: o.produced, failed: failed, dead: o.dead}
}

// running is a consumer started in the background.
type running struct {
	cancel context.CancelFunc
	done   chan error
}

func startConsumer[T any](ctx context.Context, c *Consumer[T]) *running {
	ctx, cancel := context.WithCancel(ctx)
	r := &running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- c.Run(ctx) }()
	return r
}

// stop cancels the consumer and returns what Run returned.
func (r *running) stop(t *testing.T) error {
	t.Helper()
	r.cancel()
	return r.wait(t)
}

func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case err := <-r.done:
		return err
	case <-time.After(60 * time.Second):
		t.Fatal("consumer did not return within 60s of cancellation")
		return nil
	}
}

// eventually polls cond until it holds; the bound only keeps a broken test from hanging.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func lagOf(t *testing.T, b backend, group, topic string) (int64, map[int]int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	total, per, err := GroupLag(ctx, b.cfg, group, topic)
	if err != nil {
		t.Fatalf("group lag: %v", err)
	}
	return total, per
}

func describeTopic(t *testing.T, b backend, name string) TopicInfo {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	infos, err := DescribeTopics(ctx, b.cfg, name)
	if err != nil {
		t.Fatalf("describe topic %s: %v", name, err)
	}
	if len(infos) != 1 || infos[0].Name != name {
		t.Fatalf("describe topic %s: got %+v", name, infos)
	}
	return infos[0]
}

// readTopic reads partition 0 of topic from the start until it has n messages.
func readTopic(t *testing.T, b backend, topic string, n int) []kafka.Message {
	t.Helper()
	r := kafka.NewReader(kafka.ReaderConfig{Brokers: b.cfg.Brokers, Topic: topic, Partition: 0, MaxWait: 200 * time.Millisecond})
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var out []kafka.Message
	for len(out) < n {
		m, err := r.FetchMessage(ctx)
		if err != nil {
			t.Fatalf("read %s: got %d of %d messages: %v", topic, len(out), n, err)
		}
		out = append(out, m)
	}
	return out
}
