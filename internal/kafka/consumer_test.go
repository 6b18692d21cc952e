package kafka

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/goleak"
)

// newTestConsumer wires a consumer with a DLQ producer that is closed when the test ends.
func newTestConsumer(t *testing.T, b backend, cc ConsumerConfig, proc *recorder, dlqTopic string) (*Consumer[record], *countingObserver) {
	t.Helper()
	p := NewProducer(b.cfg, testLogger(t))
	t.Cleanup(func() { _ = p.Close() })
	c := NewConsumer[record](b.cfg, cc, proc, NewDLQ(p, dlqTopic), testLogger(t))
	obs := newCountingObserver()
	c.SetObserver(obs)
	return c, obs
}

func keysOf(recs []record) map[string]int {
	m := map[string]int{}
	for _, r := range recs {
		m[r.Key]++
	}
	return m
}

func TestConsumerProcessesEveryMessageOnceAndCommits(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n = 120
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 3, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, n)

		proc := newRecorder()
		c, obs := newTestConsumer(t, b, testConsumerConfig(group, topic), proc, uniqueName(t, "dlq"))
		if c.Ready() {
			t.Fatal("Ready() before Run = true, want false")
		}
		run := startConsumer(context.Background(), c)
		eventually(t, "consumer joins its group", c.Ready)
		eventually(t, "every message flushed", func() bool { return len(proc.flushedRecords()) >= n })
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		if err := run.stop(t); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}
		if c.Ready() {
			t.Error("Ready() after Run returned = true, want false")
		}

		keys := keysOf(proc.flushedRecords())
		if len(keys) != n {
			t.Errorf("flushed %d distinct keys, want %d", len(keys), n)
		}
		for k, count := range keys {
			if count != 1 {
				t.Errorf("key %s flushed %d times, want once", k, count)
			}
		}
		got := obs.snapshot()
		if got.consumed != n || got.produced != n || got.dead != 0 || len(got.failed) != 0 {
			t.Errorf("observer saw consumed=%d produced=%d dead=%d failed=%v, want %d, %d, 0, none",
				got.consumed, got.produced, got.dead, got.failed, n, n)
		}
	})
}

func TestConsumerCommitsNothingWhileFlushFails(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n, failures = 40, 3
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 1, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, n)

		proc := newRecorder()
		proc.flushFailures = failures
		var lagsDuringOutage []int64
		proc.onFlushFail = func(ctx context.Context) {
			total, _, err := GroupLag(ctx, b.cfg, group, topic)
			if err != nil {
				t.Errorf("group lag during outage: %v", err)
				return
			}
			lagsDuringOutage = append(lagsDuringOutage, total)
		}
		c, obs := newTestConsumer(t, b, testConsumerConfig(group, topic), proc, uniqueName(t, "dlq"))
		run := startConsumer(context.Background(), c)
		eventually(t, "every message flushed", func() bool { return len(keysOf(proc.flushedRecords())) == n })
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		if err := run.stop(t); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}

		if want := []int64{n, n, n}; !slices.Equal(lagsDuringOutage, want) {
			t.Errorf("lag seen during the failing flushes = %v, want %v (nothing committed)", lagsDuringOutage, want)
		}
		if got := obs.snapshot(); got.failed[FailFlush] != failures || got.dead != 0 || got.failed[FailCommit] != 0 {
			t.Errorf("observer failed=%v dead=%d, want %d flush failures and no dead letters", got.failed, got.dead, failures)
		}
		for k, count := range keysOf(proc.flushedRecords()) {
			if count != 1 {
				t.Errorf("key %s flushed %d times, want once", k, count)
			}
		}
	})
}

func TestConsumerDeadLettersPoisonAndKeepsFlowing(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n = 10
		topic, dlq, group := deadLetterSetup(t, b, n)

		proc := newRecorder()
		proc.permanent[keyOf(3)] = true
		proc.failing[keyOf(6)] = true
		c, obs := newTestConsumer(t, b, testConsumerConfig(group, topic), proc, dlq)
		before := time.Now().UTC().Truncate(time.Second)
		run := startConsumer(context.Background(), c)
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		if err := run.stop(t); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}

		flushed := keysOf(proc.flushedRecords())
		for i := range n {
			want := 1
			if i == 3 || i == 6 {
				want = 0
			}
			if flushed[keyOf(i)] != want {
				t.Errorf("key %s flushed %d times, want %d", keyOf(i), flushed[keyOf(i)], want)
			}
		}
		if got := proc.callsOf(keyOf(3)); got != 1 {
			t.Errorf("permanent failure processed %d times, want 1", got)
		}
		if got := proc.callsOf(keyOf(6)); got != 3 {
			t.Errorf("failing message processed %d times, want MaxAttempts=3", got)
		}
		if got := obs.snapshot(); got.dead != 2 || got.failed[FailProcess] != 4 {
			t.Errorf("observer dead=%d failed=%v, want 2 dead letters and 4 process failures", got.dead, got.failed)
		}
		if hwm := describeTopic(t, b, dlq).Partitions[0].HighWatermark; hwm != 2 {
			t.Errorf("dead-letter topic holds %d records, want 2", hwm)
		}

		dead := readTopic(t, b, dlq, 2)
		wants := []struct {
			key, offset, attempts, errText string
		}{
			{keyOf(3), "3", "1", "unexpected end of JSON input"},
			{keyOf(6), "6", "3", "enricher timed out"},
		}
		for i, want := range wants {
			m := dead[i]
			h := headerMap(m)
			if string(m.Key) != want.key || string(m.Value) != "value of "+want.key {
				t.Errorf("dead letter %d: key %q value %q, want the original of %s", i, m.Key, m.Value, want.key)
			}
			checks := map[string]string{
				"trace-id":      "trace-" + want.key,
				HeaderStage:     "test",
				HeaderTopic:     topic,
				HeaderPartition: "0",
				HeaderOffset:    want.offset,
				HeaderAttempts:  want.attempts,
			}
			for k, v := range checks {
				if h[k] != v {
					t.Errorf("dead letter %s: header %s = %q, want %q", want.key, k, h[k], v)
				}
			}
			if !strings.Contains(h[HeaderError], want.errText) {
				t.Errorf("dead letter %s: header %s = %q, want it to contain %q", want.key, HeaderError, h[HeaderError], want.errText)
			}
			at, err := time.Parse(time.RFC3339, h[HeaderFailedAt])
			if err != nil || at.Before(before) {
				t.Errorf("dead letter %s: header %s = %q, want an RFC 3339 time not before %s (%v)", want.key, HeaderFailedAt, h[HeaderFailedAt], before, err)
			}
		}
	})
}

func TestConsumerDeadLettersAMessageWhoseOutputsCannotBeWritten(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n = 8
		topic, dlq, group := deadLetterSetup(t, b, n)

		proc := newRecorder()
		proc.unwritable[keyOf(5)] = true
		c, obs := newTestConsumer(t, b, testConsumerConfig(group, topic), proc, dlq)
		run := startConsumer(context.Background(), c)
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		if err := run.stop(t); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}
		flushed := keysOf(proc.flushedRecords())
		for i := range n {
			want := 1
			if i == 5 {
				want = 0
			}
			if flushed[keyOf(i)] != want {
				t.Errorf("key %s flushed %d times, want %d", keyOf(i), flushed[keyOf(i)], want)
			}
		}
		if got := obs.snapshot(); got.dead != 1 {
			t.Errorf("observer dead=%d, want 1", got.dead)
		}
		dead := readTopic(t, b, dlq, 1)
		if h := headerMap(dead[0]); string(dead[0].Key) != keyOf(5) || h[HeaderOffset] != "5" || !strings.Contains(h[HeaderError], "message too large") {
			t.Errorf("dead letter key %q headers %v, want %s at offset 5 with the write error", dead[0].Key, h, keyOf(5))
		}
	})
}

// deadLetterSetup makes a one-partition input topic holding n keyed messages, an empty
// dead-letter topic and a group name for a dead-letter scenario.
func deadLetterSetup(t *testing.T, b backend, n int) (topic, dlq, group string) {
	t.Helper()
	topic, dlq, group = uniqueName(t, "in"), uniqueName(t, "dlq"), uniqueName(t, "group")
	createTopic(t, b, topic, 1, nil)
	createTopic(t, b, dlq, 1, nil)
	cleanupGroup(t, b, group)
	produceKeyed(t, b, topic, 0, n)
	return topic, dlq, group
}

func headerMap(m kafka.Message) map[string]string {
	h := map[string]string{}
	for _, x := range m.Headers {
		h[x.Key] = string(x.Value)
	}
	return h
}

func TestConsumerResumesExactlyWhereItCommitted(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n, stopAfter = 200, 60
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 3, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, n)
		cc := testConsumerConfig(group, topic)
		cc.BatchSize = 10

		// The first member is shut down from inside a batch, so that batch is in
		// flight when the context is cancelled.
		first := newRecorder()
		c1, _ := newTestConsumer(t, b, cc, first, uniqueName(t, "dlq"))
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		first.onProcessed = func(n int) {
			if n == stopAfter {
				cancel()
			}
		}
		run1 := startConsumer(ctx, c1)
		if err := run1.wait(t); err != nil {
			t.Fatalf("first Run() = %v, want nil after a clean drain", err)
		}

		_, lag := lagOf(t, b, group, topic)
		info := describeTopic(t, b, topic)
		committed := map[int]int64{}
		var committedTotal int64
		for _, p := range info.Partitions {
			committed[p.ID] = p.HighWatermark - lag[p.ID]
			committedTotal += committed[p.ID]
		}
		if committedTotal < stopAfter || committedTotal >= n {
			t.Fatalf("committed %d records, want at least the %d processed before the stop and fewer than %d", committedTotal, stopAfter, n)
		}
		// Every flushed record is committed and every committed record was flushed:
		// the in-flight batch was finished, and nothing beyond it was taken.
		assertOffsets(t, "first member", first.flushedRecords(), func(p int) (int64, int64) { return 0, committed[p] })

		second := newRecorder()
		c2, _ := newTestConsumer(t, b, cc, second, uniqueName(t, "dlq"))
		run2 := startConsumer(context.Background(), c2)
		eventually(t, "the rest flushed", func() bool { return int64(len(second.flushedRecords())) >= int64(n)-committedTotal })
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		if err := run2.stop(t); err != nil {
			t.Fatalf("second Run() = %v, want nil", err)
		}
		hwm := map[int]int64{}
		for _, p := range info.Partitions {
			hwm[p.ID] = p.HighWatermark
		}
		// The second member starts exactly at the committed offsets: no record lost,
		// none processed twice.
		assertOffsets(t, "second member", second.flushedRecords(), func(p int) (int64, int64) { return committed[p], hwm[p] })
		all := keysOf(append(first.flushedRecords(), second.flushedRecords()...))
		if len(all) != n {
			t.Errorf("%d distinct keys flushed by both members, want %d", len(all), n)
		}
	})
}

// assertOffsets checks that recs hold each offset in [from, to) of every partition once.
func assertOffsets(t *testing.T, who string, recs []record, bounds func(p int) (from, to int64)) {
	t.Helper()
	byPartition := map[int][]int64{}
	for _, r := range recs {
		byPartition[r.Partition] = append(byPartition[r.Partition], r.Offset)
	}
	for p := range 3 {
		from, to := bounds(p)
		var want []int64
		for o := from; o < to; o++ {
			want = append(want, o)
		}
		got := byPartition[p]
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("%s flushed offsets %s of partition %d, want [%d, %d)", who, summarize(got), p, from, to)
		}
	}
}

func summarize(offs []int64) string {
	if len(offs) == 0 {
		return "none"
	}
	return fmt.Sprintf("%d offsets from %d to %d", len(offs), offs[0], offs[len(offs)-1])
}

func TestConsumerMembersSharePartitions(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const half = 60
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 3, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, half)
		cc := testConsumerConfig(group, topic)

		a, bb := newRecorder(), newRecorder()
		ca, _ := newTestConsumer(t, b, cc, a, uniqueName(t, "dlq"))
		runA := startConsumer(context.Background(), ca)
		eventually(t, "first half flushed", func() bool { return len(a.flushedRecords()) >= half })

		// A second member joins: the group rebalances and splits the partitions.
		cb, _ := newTestConsumer(t, b, cc, bb, uniqueName(t, "dlq"))
		runB := startConsumer(context.Background(), cb)
		eventually(t, "second member joins", cb.Ready)
		eventually(t, "both members hold partitions", func() bool {
			return membersWithPartitions(t, b, group) == 2
		})
		produceKeyed(t, b, topic, half, half)
		eventually(t, "group lag reaches 0", func() bool { total, _ := lagOf(t, b, group, topic); return total == 0 })
		for name, r := range map[string]*running{"first": runA, "second": runB} {
			if err := r.stop(t); err != nil {
				t.Errorf("%s Run() = %v, want nil", name, err)
			}
		}
		all := keysOf(append(a.flushedRecords(), bb.flushedRecords()...))
		if len(all) != 2*half {
			t.Errorf("%d distinct keys flushed, want %d", len(all), 2*half)
		}
		if len(bb.flushedRecords()) == 0 {
			t.Error("the second member flushed nothing, want a share of the partitions")
		}
	})
}

// membersWithPartitions counts the group's members that have partitions assigned.
func membersWithPartitions(t *testing.T, b backend, group string) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n := 0
	err := withClient(b.cfg, func(cl *kafka.Client) error {
		res, err := cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
		if err != nil {
			return err
		}
		for _, g := range res.Groups {
			if g.GroupState != "Stable" {
				continue
			}
			for _, m := range g.Members {
				for _, topic := range m.MemberAssignments.Topics {
					if len(topic.Partitions) > 0 {
						n++
						break
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Logf("describe group %s: %v", group, err)
	}
	return n
}

func TestConsumerLeavesNoGoroutineBehind(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n = 30
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 2, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, n)
		// Everything running now (the embedded broker, the test runner) is not ours.
		baseline := goleak.IgnoreCurrent()

		proc := newRecorder()
		p := NewProducer(b.cfg, testLogger(t))
		c := NewConsumer[record](b.cfg, testConsumerConfig(group, topic), proc, NewDLQ(p, uniqueName(t, "dlq")), testLogger(t))
		run := startConsumer(context.Background(), c)
		eventually(t, "every message flushed", func() bool { return len(proc.flushedRecords()) >= n })
		if err := run.stop(t); err != nil {
			t.Fatalf("Run() = %v, want nil", err)
		}
		if err := p.Close(); err != nil {
			t.Fatalf("close producer: %v", err)
		}
		goleak.VerifyNone(t, baseline)
	})
}

func TestConsumerRunRejectsInvalidConfig(t *testing.T) {
	p := NewProducer(testConfig([]string{"127.0.0.1:1"}), nil)
	defer p.Close()
	dlq := NewDLQ(p, "wire.dlq")
	tests := []struct {
		name string
		cfg  Config
		cc   ConsumerConfig
		dlq  *DLQ
		want string
	}{
		{"no brokers", Config{}, testConsumerConfig("g", "t"), dlq, "kafka.brokers"},
		{"no group", testConfig([]string{"127.0.0.1:1"}), testConsumerConfig("", "t"), dlq, "consumer.group"},
		{"no dead-letter queue", testConfig([]string{"127.0.0.1:1"}), testConsumerConfig("g", "t"), nil, "dead-letter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewConsumer[record](tt.cfg, tt.cc, newRecorder(), tt.dlq, nil)
			err := c.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Run() = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestConsumerObserverIsNilSafe(t *testing.T) {
	c := NewConsumer[record](testConfig([]string{"127.0.0.1:1"}), testConsumerConfig("g", "t"), newRecorder(), nil, nil)
	c.SetObserver(nil)
	// Would panic on a nil interface.
	c.observer().Failed("test", FailCommit)
	c.observer().Consumed("test", 1)
	if _, ok := c.observer().(nopObserver); !ok {
		t.Errorf("observer after SetObserver(nil) = %T, want the no-op observer", c.observer())
	}
}

func TestConsumerDrainDeadlineLeavesBatchUncommitted(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		const n = 15
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 1, nil)
		cleanupGroup(t, b, group)
		produceKeyed(t, b, topic, 0, n)

		proc := newRecorder()
		proc.flushFailures = 1 << 30 // the database never comes back
		cc := testConsumerConfig(group, topic)
		cc.DrainTimeout = 300 * time.Millisecond
		c, obs := newTestConsumer(t, b, cc, proc, uniqueName(t, "dlq"))
		run := startConsumer(context.Background(), c)
		eventually(t, "flush retried", func() bool { return obs.snapshot().failed[FailFlush] >= 2 })
		err := run.stop(t)
		if err == nil || !strings.Contains(err.Error(), "uncommitted") {
			t.Fatalf("Run() = %v, want an error saying the batch was left uncommitted", err)
		}
		if total, _ := lagOf(t, b, group, topic); total != n {
			t.Errorf("lag after an unclean drain = %d, want %d (nothing committed)", total, n)
		}
		if got := obs.snapshot(); got.dead != 0 || len(proc.flushedRecords()) != 0 {
			t.Errorf("dead letters %d, flushed %d; want none during an outage", got.dead, len(proc.flushedRecords()))
		}
	})
}
