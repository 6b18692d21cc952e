package kafka

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
)

// A consumer group's offsets are moved the way Kafka's kafka-consumer-groups.sh moves
// them: plan the target of each partition, then commit the targets as the group itself,
// which the coordinator accepts only while the group has no members (a member would
// overwrite them with its next commit anyway). kafka-go's reader cannot seek within a
// group, so this is the one way to make workers re-read or skip records.

// ResetKind says how the target offsets of a reset are chosen.
type ResetKind int

// Kinds of target, named after kafka-consumer-groups.sh's options.
const (
	ToEarliest ResetKind = iota + 1 // the partition's first offset still held
	ToLatest                        // the high watermark: skip everything written so far
	ToDatetime                      // the first record whose timestamp is at or after Time
	ToOffset                        // Offset, on every partition
	ShiftBy                         // the committed offset plus Shift (negative goes back)
	ByDuration                      // ToDatetime at now minus Duration
)

var resetKindNames = map[ResetKind]string{
	ToEarliest: "to-earliest", ToLatest: "to-latest", ToDatetime: "to-datetime",
	ToOffset: "to-offset", ShiftBy: "shift-by", ByDuration: "by-duration",
}

func (k ResetKind) String() string {
	if n, ok := resetKindNames[k]; ok {
		return n
	}
	return fmt.Sprintf("ResetKind(%d)", int(k))
}

// ResetTarget is where a reset moves a group's offsets. Only the field of its Kind is used.
type ResetTarget struct {
	Kind     ResetKind
	Time     time.Time     // ToDatetime
	Offset   int64         // ToOffset
	Shift    int64         // ShiftBy
	Duration time.Duration // ByDuration
}

// Validate checks the target's own field.
func (t ResetTarget) Validate() error {
	switch t.Kind {
	case ToEarliest, ToLatest:
	case ToDatetime:
		if t.Time.IsZero() {
			return errors.New("offset reset: to-datetime needs a time")
		}
	case ToOffset:
		if t.Offset < 0 {
			return fmt.Errorf("offset reset: to-offset must not be negative, got %d", t.Offset)
		}
	case ShiftBy:
	case ByDuration:
		if t.Duration <= 0 {
			return fmt.Errorf("offset reset: by-duration must be positive, got %s", t.Duration)
		}
	default:
		return fmt.Errorf("offset reset: unknown target kind %d", int(t.Kind))
	}
	return nil
}

// OffsetReset asks to move group's offsets on topic to Target, on the listed partitions
// or, when Partitions is empty, on all of them.
type OffsetReset struct {
	Group, Topic string
	Target       ResetTarget
	Partitions   []int
}

// PartitionReset is the plan of one partition.
type PartitionReset struct {
	Partition int
	// Committed is the group's committed offset; HasCommitted is false when the group
	// never committed on the partition (its consumers then start at the earliest offset).
	Committed    int64
	HasCommitted bool
	// LogStart and HighWatermark bound the offsets the partition holds.
	LogStart, HighWatermark int64
	// Target is the offset the group resumes from after the reset.
	Target int64
}

// ToRead is how many records the group reads after the reset: high watermark minus target.
func (p PartitionReset) ToRead() int64 { return p.HighWatermark - p.Target }

// Rewind is how many records already committed are read again (positive), or skipped
// without being read (negative). A partition never committed counts from its log start,
// where its consumers would begin.
func (p PartitionReset) Rewind() int64 { return p.position() - p.Target }

func (p PartitionReset) position() int64 {
	if p.HasCommitted {
		return p.Committed
	}
	return p.LogStart
}

// ResetPlan is a planned offset reset, partitions in order.
type ResetPlan struct {
	Group, Topic string
	Target       ResetTarget
	Partitions   []PartitionReset
}

// Totals sums ToRead and Rewind over the plan's partitions.
func (p ResetPlan) Totals() (toRead, rewind int64) {
	for _, pr := range p.Partitions {
		toRead += pr.ToRead()
		rewind += pr.Rewind()
	}
	return toRead, rewind
}

// ErrGroupActive is returned by ApplyOffsetReset while the group has members.
var ErrGroupActive = errors.New("consumer group has live members")

// PlanOffsetReset works out the target offset of every partition of r without changing
// anything. Targets are kept within what each partition holds, as Kafka's own tool does: a
// time after the last record, an offset past the end or a shift beyond it gives the high
// watermark; an offset or shift before the log start gives the log start.
func PlanOffsetReset(ctx context.Context, cfg Config, r OffsetReset) (ResetPlan, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return ResetPlan{}, err
	}
	if r.Group == "" || r.Topic == "" {
		return ResetPlan{}, errors.New("offset reset: a group and a topic are required")
	}
	if err := r.Target.Validate(); err != nil {
		return ResetPlan{}, err
	}
	target := r.Target
	if target.Kind == ByDuration {
		target = ResetTarget{Kind: ToDatetime, Time: time.Now().Add(-target.Duration)}
	}
	var plan ResetPlan
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		var err error
		plan, err = planReset(ctx, cl, r, target)
		return err
	})
	if err != nil {
		return ResetPlan{}, fmt.Errorf("kafka plan offset reset of group %s on %s: %w", r.Group, r.Topic, err)
	}
	plan.Target = r.Target
	return plan, nil
}

func planReset(ctx context.Context, cl *kafka.Client, r OffsetReset, target ResetTarget) (ResetPlan, error) {
	partitions, err := topicPartitions(ctx, cl, r.Topic)
	if err != nil {
		return ResetPlan{}, err
	}
	if len(r.Partitions) > 0 {
		for _, p := range r.Partitions {
			if !slices.Contains(partitions, p) {
				return ResetPlan{}, fmt.Errorf("topic %s has no partition %d (it has %d)", r.Topic, p, len(partitions))
			}
		}
		partitions = slices.Clone(r.Partitions)
		slices.Sort(partitions)
		partitions = slices.Compact(partitions)
	}
	start, err := listOffsets(ctx, cl, r.Topic, partitions, kafka.FirstOffset)
	if err != nil {
		return ResetPlan{}, err
	}
	end, err := listOffsets(ctx, cl, r.Topic, partitions, kafka.LastOffset)
	if err != nil {
		return ResetPlan{}, err
	}
	var at map[int]int64
	if target.Kind == ToDatetime {
		if at, err = offsetsAt(ctx, cl, r.Topic, partitions, target.Time); err != nil {
			return ResetPlan{}, err
		}
	}
	committed, err := committedOffsets(ctx, cl, r.Group, r.Topic, partitions)
	if err != nil {
		return ResetPlan{}, err
	}
	plan := ResetPlan{Group: r.Group, Topic: r.Topic}
	for _, p := range partitions {
		pr := PartitionReset{Partition: p, LogStart: start[p], HighWatermark: end[p]}
		pr.Committed, pr.HasCommitted = committed[p]
		var want int64
		switch target.Kind {
		case ToEarliest:
			want = pr.LogStart
		case ToLatest:
			want = pr.HighWatermark
		case ToDatetime:
			want = pr.HighWatermark // no record at or after the time
			if o, ok := at[p]; ok {
				want = o
			}
		case ToOffset:
			want = target.Offset
		case ShiftBy:
			want = pr.position() + target.Shift
		}
		pr.Target = min(max(want, pr.LogStart), pr.HighWatermark)
		plan.Partitions = append(plan.Partitions, pr)
	}
	return plan, nil
}

// ApplyOffsetReset commits the plan's targets for its group. It refuses, with an error
// wrapping ErrGroupActive, while the group has members: they would go on from the
// offsets they hold and overwrite the reset with their next commit.
func ApplyOffsetReset(ctx context.Context, cfg Config, plan ResetPlan) error {
	cfg, err := prepare(cfg)
	if err != nil {
		return err
	}
	if plan.Group == "" || plan.Topic == "" {
		return errors.New("offset reset: a group and a topic are required")
	}
	if len(plan.Partitions) == 0 {
		return nil
	}
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		if err := groupIdle(ctx, cl, plan.Group); err != nil {
			return err
		}
		return commitPlan(ctx, cl, plan)
	})
	if err != nil {
		return fmt.Errorf("kafka offset reset of group %s on %s: %w", plan.Group, plan.Topic, err)
	}
	return nil
}

// ResetOffsets plans r and applies it, and returns the plan applied.
func ResetOffsets(ctx context.Context, cfg Config, r OffsetReset) (ResetPlan, error) {
	plan, err := PlanOffsetReset(ctx, cfg, r)
	if err != nil {
		return ResetPlan{}, err
	}
	return plan, ApplyOffsetReset(ctx, cfg, plan)
}

// CommittedOffsets returns group's committed offset of each partition of topic that has
// one.
func CommittedOffsets(ctx context.Context, cfg Config, group, topic string) (map[int]int64, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	var out map[int]int64
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		partitions, err := topicPartitions(ctx, cl, topic)
		if err != nil {
			return err
		}
		out, err = committedOffsets(ctx, cl, group, topic, partitions)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("kafka committed offsets of group %s on %s: %w", group, topic, err)
	}
	return out, nil
}

// GroupIdle returns nil when group has no members, and an error wrapping ErrGroupActive
// naming them when it has: a dry run warns with it what --execute would refuse.
func GroupIdle(ctx context.Context, cfg Config, group string) error {
	cfg, err := prepare(cfg)
	if err != nil {
		return err
	}
	return retryAdmin(ctx, cfg, func(cl *kafka.Client) error { return groupIdle(ctx, cl, group) })
}

// groupIdle returns an error wrapping ErrGroupActive when group has members. A group the
// coordinator does not know is idle.
func groupIdle(ctx context.Context, cl *kafka.Client, group string) error {
	res, err := cl.DescribeGroups(ctx, &kafka.DescribeGroupsRequest{GroupIDs: []string{group}})
	if err != nil {
		return fmt.Errorf("describe group: %w", err)
	}
	for _, g := range res.Groups {
		if g.GroupID != group {
			continue
		}
		if g.Error != nil && !errors.Is(g.Error, kafka.GroupIdNotFound) {
			return fmt.Errorf("describe group: %w", g.Error)
		}
		if len(g.Members) > 0 {
			clients := make([]string, 0, len(g.Members))
			for _, m := range g.Members {
				clients = append(clients, m.ClientID+"@"+strings.TrimPrefix(m.ClientHost, "/"))
			}
			sort.Strings(clients)
			return fmt.Errorf("%w: group %s is %s with %d members (%s); stop the workers first",
				ErrGroupActive, group, g.GroupState, len(g.Members), strings.Join(clients, ", "))
		}
	}
	return nil
}

// commitPlan commits the targets as an admin would: no generation, no member id. The
// coordinator accepts that only for a group with no members.
func commitPlan(ctx context.Context, cl *kafka.Client, plan ResetPlan) error {
	commits := make([]kafka.OffsetCommit, 0, len(plan.Partitions))
	for _, p := range plan.Partitions {
		commits = append(commits, kafka.OffsetCommit{Partition: p.Partition, Offset: p.Target})
	}
	res, err := cl.OffsetCommit(ctx, &kafka.OffsetCommitRequest{
		GroupID: plan.Group, GenerationID: -1,
		Topics: map[string][]kafka.OffsetCommit{plan.Topic: commits},
	})
	if err != nil {
		return fmt.Errorf("offset commit: %w", err)
	}
	var errs []error
	for _, p := range res.Topics[plan.Topic] {
		switch {
		case p.Error == nil:
		case errors.Is(p.Error, kafka.UnknownMemberId), errors.Is(p.Error, kafka.IllegalGeneration),
			errors.Is(p.Error, kafka.RebalanceInProgress):
			// A member joined between the check and the commit.
			return fmt.Errorf("%w: group %s: commit of partition %d refused (%w); stop the workers first",
				ErrGroupActive, plan.Group, p.Partition, p.Error)
		default:
			errs = append(errs, fmt.Errorf("partition %d: %w", p.Partition, p.Error))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("offset commit: %w", err)
	}
	return nil
}

func topicPartitions(ctx context.Context, cl *kafka.Client, topic string) ([]int, error) {
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	var partitions []int
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return nil, fmt.Errorf("topic %s: %w", topic, t.Error)
		}
		for _, p := range t.Partitions {
			partitions = append(partitions, p.ID)
		}
	}
	if len(partitions) == 0 {
		return nil, fmt.Errorf("topic %s: %w", topic, kafka.UnknownTopicOrPartition)
	}
	sort.Ints(partitions)
	return partitions, nil
}

// listOffsets returns the first (kafka.FirstOffset) or end (kafka.LastOffset) offset of
// each partition. Each kind goes in a request of its own: a broker refuses one partition
// asked twice in a request.
func listOffsets(ctx context.Context, cl *kafka.Client, topic string, partitions []int, which int64) (map[int]int64, error) {
	reqs := make([]kafka.OffsetRequest, len(partitions))
	for i, p := range partitions {
		reqs[i] = kafka.OffsetRequest{Partition: p, Timestamp: which}
	}
	res, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	out := make(map[int]int64, len(partitions))
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("list offsets of %s partition %d: %w", topic, p.Partition, p.Error)
		}
		if which == kafka.FirstOffset {
			out[p.Partition] = p.FirstOffset
		} else {
			out[p.Partition] = p.LastOffset
		}
	}
	for _, p := range partitions {
		if _, ok := out[p]; !ok {
			return nil, fmt.Errorf("list offsets of %s partition %d: no answer", topic, p)
		}
	}
	return out, nil
}

// offsetsAt returns, per partition, the offset of the first record whose timestamp is at
// or after t; a partition with no such record is left out.
func offsetsAt(ctx context.Context, cl *kafka.Client, topic string, partitions []int, t time.Time) (map[int]int64, error) {
	reqs := make([]kafka.OffsetRequest, len(partitions))
	for i, p := range partitions {
		reqs[i] = kafka.TimeOffsetOf(p, t)
	}
	res, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: map[string][]kafka.OffsetRequest{topic: reqs}})
	if err != nil {
		return nil, fmt.Errorf("list offsets at %s: %w", t.Format(time.RFC3339), err)
	}
	out := make(map[int]int64, len(partitions))
	for _, p := range res.Topics[topic] {
		if p.Error != nil {
			return nil, fmt.Errorf("list offsets of %s partition %d at %s: %w", topic, p.Partition, t.Format(time.RFC3339), p.Error)
		}
		// kafka-go files a found record under its offset; "none" comes back as offset -1
		// with timestamp -1, which it takes for a LastOffset answer.
		for o := range p.Offsets {
			if o >= 0 {
				out[p.Partition] = o
			}
		}
	}
	return out, nil
}

func committedOffsets(ctx context.Context, cl *kafka.Client, group, topic string, partitions []int) (map[int]int64, error) {
	of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: partitions}})
	if err != nil {
		return nil, fmt.Errorf("offset fetch: %w", err)
	}
	// An unknown group is one that never committed (kfake says so; Kafka lists no offsets).
	if of.Error != nil && !errors.Is(of.Error, kafka.GroupIdNotFound) {
		return nil, fmt.Errorf("offset fetch: %w", of.Error)
	}
	out := make(map[int]int64, len(partitions))
	for _, p := range of.Topics[topic] {
		if errors.Is(p.Error, kafka.GroupIdNotFound) {
			continue
		}
		if p.Error != nil {
			return nil, fmt.Errorf("offset fetch of partition %d: %w", p.Partition, p.Error)
		}
		if p.CommittedOffset >= 0 {
			out[p.Partition] = p.CommittedOffset
		}
	}
	return out, nil
}
