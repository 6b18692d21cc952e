package kafka

import (
	"context"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"
)

func TestOffsetReset(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 3, nil)
		cleanupGroup(t, b, group)
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()

		produceKeyed(t, b, topic, 0, 30)
		first := hwmOf(t, b, topic)
		// Record timestamps have millisecond resolution: keep the batches apart.
		time.Sleep(20 * time.Millisecond)
		between := time.Now()
		time.Sleep(20 * time.Millisecond)
		produceKeyed(t, b, topic, 30, 30)
		end := hwmOf(t, b, topic)
		for p := range end {
			if first[p] == 0 || end[p] == first[p] {
				t.Fatalf("partition %d got %d then %d records: the scenario needs records of both batches on every partition", p, first[p], end[p]-first[p])
			}
		}

		// A group that never committed: the plan says so and counts from the log start.
		plan, err := PlanOffsetReset(ctx, b.cfg, OffsetReset{Group: group, Topic: topic, Target: ResetTarget{Kind: ToLatest}})
		if err != nil {
			t.Fatalf("plan to-latest: %v", err)
		}
		for _, pr := range plan.Partitions {
			if pr.HasCommitted || pr.Target != end[pr.Partition] || pr.ToRead() != 0 || pr.Rewind() != -end[pr.Partition] {
				t.Errorf("to-latest of an uncommitted group, partition %+v: want no commit, target %d, nothing to read, %d skipped",
					pr, end[pr.Partition], end[pr.Partition])
			}
		}
		if err := ApplyOffsetReset(ctx, b.cfg, plan); err != nil {
			t.Fatalf("apply to-latest: %v", err)
		}
		if got := committedOf(t, b, group, topic); !maps.Equal(got, end) {
			t.Fatalf("committed after to-latest = %v, want %v", got, end)
		}

		tests := []struct {
			name       string
			target     ResetTarget
			partitions []int
			want       func(p int) int64 // target of partition p
		}{
			{"to-earliest", ResetTarget{Kind: ToEarliest}, nil, func(int) int64 { return 0 }},
			{"to-datetime between the batches", ResetTarget{Kind: ToDatetime, Time: between}, nil, func(p int) int64 { return first[p] }},
			{"to-datetime after the last record", ResetTarget{Kind: ToDatetime, Time: time.Now().Add(time.Hour)}, nil, func(p int) int64 { return end[p] }},
			{"by-duration longer than the topic's life", ResetTarget{Kind: ByDuration, Duration: 24 * time.Hour}, nil, func(int) int64 { return 0 }},
			{"to-offset within the log", ResetTarget{Kind: ToOffset, Offset: 2}, nil, func(int) int64 { return 2 }},
			{"to-offset past the end", ResetTarget{Kind: ToOffset, Offset: 1 << 40}, nil, func(p int) int64 { return end[p] }},
			{"shift-by back from the committed offset", ResetTarget{Kind: ShiftBy, Shift: -3}, nil, func(p int) int64 { return end[p] - 3 }},
			{"shift-by before the log start", ResetTarget{Kind: ShiftBy, Shift: -1 << 40}, nil, func(int) int64 { return 0 }},
			{"to-earliest on a subset", ResetTarget{Kind: ToEarliest}, []int{2, 0}, func(int) int64 { return 0 }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				// Every case starts from the group committed at the end of each partition.
				if _, err := ResetOffsets(ctx, b.cfg, OffsetReset{Group: group, Topic: topic, Target: ResetTarget{Kind: ToLatest}}); err != nil {
					t.Fatalf("reset to-latest: %v", err)
				}
				plan, err := ResetOffsets(ctx, b.cfg, OffsetReset{Group: group, Topic: topic, Target: tt.target, Partitions: tt.partitions})
				if err != nil {
					t.Fatalf("reset: %v", err)
				}
				wantParts := []int{0, 1, 2}
				if tt.partitions != nil {
					wantParts = []int{0, 2}
				}
				if len(plan.Partitions) != len(wantParts) {
					t.Fatalf("plan covers %d partitions, want %v: %+v", len(plan.Partitions), wantParts, plan.Partitions)
				}
				want := maps.Clone(end)
				var wantRead, wantRewind int64
				for i, pr := range plan.Partitions {
					p := wantParts[i]
					target := tt.want(p)
					want[p] = target
					wantRead += end[p] - target
					wantRewind += end[p] - target
					if pr.Partition != p || !pr.HasCommitted || pr.Committed != end[p] || pr.Target != target ||
						pr.HighWatermark != end[p] || pr.ToRead() != end[p]-target || pr.Rewind() != end[p]-target {
						t.Errorf("plan of partition %d = %+v, want committed %d, target %d", p, pr, end[p], target)
					}
				}
				if read, rewind := plan.Totals(); read != wantRead || rewind != wantRewind {
					t.Errorf("totals = %d to read, %d rewound; want %d, %d", read, rewind, wantRead, wantRewind)
				}
				if got := committedOf(t, b, group, topic); !maps.Equal(got, want) {
					t.Errorf("committed after the reset = %v, want %v", got, want)
				}
			})
		}

		t.Run("refused while the group has members", func(t *testing.T) {
			rec := newRecorder()
			producer := NewProducer(b.cfg, testLogger(t))
			defer producer.Close()
			c := NewConsumer[record](b.cfg, testConsumerConfig(group, topic), rec, NewDLQ(producer, topic), testLogger(t))
			run := startConsumer(context.Background(), c)
			eventually(t, "consumer joined", c.Ready)
			before := committedOf(t, b, group, topic)
			_, err := ResetOffsets(ctx, b.cfg, OffsetReset{Group: group, Topic: topic, Target: ResetTarget{Kind: ToEarliest}})
			if !errors.Is(err, ErrGroupActive) || !strings.Contains(err.Error(), "stop the workers first") {
				t.Errorf("reset of a group with a member = %v, want ErrGroupActive telling to stop the workers", err)
			}
			if err := run.stop(t); err != nil {
				t.Errorf("consumer: %v", err)
			}
			if after := committedOf(t, b, group, topic); !maps.Equal(after, before) {
				t.Errorf("committed offsets changed by a refused reset: %v, then %v", before, after)
			}
		})
	})
}

func TestOffsetResetErrors(t *testing.T) {
	onEveryBackend(t, func(t *testing.T, b backend) {
		topic, group := uniqueName(t, "in"), uniqueName(t, "group")
		createTopic(t, b, topic, 2, nil)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		tests := []struct {
			name string
			r    OffsetReset
			want string
		}{
			{"unknown partition", OffsetReset{Group: group, Topic: topic, Target: ResetTarget{Kind: ToEarliest}, Partitions: []int{5}}, "no partition 5"},
			{"unknown topic", OffsetReset{Group: group, Topic: topic + ".missing", Target: ResetTarget{Kind: ToEarliest}}, topic + ".missing"},
			{"no target", OffsetReset{Group: group, Topic: topic}, "unknown target"},
			{"negative offset", OffsetReset{Group: group, Topic: topic, Target: ResetTarget{Kind: ToOffset, Offset: -1}}, "must not be negative"},
			{"no group", OffsetReset{Topic: topic, Target: ResetTarget{Kind: ToEarliest}}, "group and a topic"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				_, err := PlanOffsetReset(ctx, b.cfg, tt.r)
				if err == nil || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("PlanOffsetReset = %v, want an error containing %q", err, tt.want)
				}
			})
		}
	})
}

func hwmOf(t *testing.T, b backend, topic string) map[int]int64 {
	t.Helper()
	out := map[int]int64{}
	for _, p := range describeTopic(t, b, topic).Partitions {
		out[p.ID] = p.HighWatermark
	}
	return out
}

func committedOf(t *testing.T, b backend, group, topic string) map[int]int64 {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := CommittedOffsets(ctx, b.cfg, group, topic)
	if err != nil {
		t.Fatalf("committed offsets: %v", err)
	}
	return got
}
