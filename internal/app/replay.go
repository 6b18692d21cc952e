package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/kafka"
)

// ReplayConfig configures `wirehose replay`: move a consumer group's offsets on one topic,
// so its workers re-read (or skip) records when they start again.
type ReplayConfig struct {
	Kafka kafka.Config `yaml:"kafka"`
	Group string       `yaml:"group"`
	Topic string       `yaml:"topic"`

	// Exactly one target.
	ToEarliest bool          `yaml:"to_earliest"`
	ToLatest   bool          `yaml:"to_latest"`
	ToDatetime string        `yaml:"to_datetime"` // RFC 3339
	ToOffset   string        `yaml:"to_offset"`   // a number; a string so that 0 is a target
	ShiftBy    string        `yaml:"shift_by"`    // a signed number
	ByDuration time.Duration `yaml:"by_duration"` // now minus this

	Partitions string `yaml:"partitions"` // comma-separated ids; empty means all
	Execute    bool   `yaml:"execute"`    // apply the plan; without it, only print it
}

// DefaultReplayConfig returns the replay defaults: a dry run on a local broker.
func DefaultReplayConfig() ReplayConfig {
	return ReplayConfig{Kafka: kafka.DefaultConfig()}
}

// Validate checks every field and that exactly one target is given.
func (c ReplayConfig) Validate() error {
	if err := c.Kafka.Validate(); err != nil {
		return err
	}
	if c.Group == "" {
		return errors.New("group: the consumer group to reset is required")
	}
	if c.Topic == "" {
		return errors.New("topic: the topic whose offsets to reset is required")
	}
	if _, err := c.target(); err != nil {
		return err
	}
	_, err := c.partitions()
	return err
}

const replayTargets = "--to-earliest, --to-latest, --to-datetime, --to-offset, --shift-by or --by-duration"

// target is the one reset target the flags name.
func (c ReplayConfig) target() (kafka.ResetTarget, error) {
	var targets []kafka.ResetTarget
	if c.ToEarliest {
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ToEarliest})
	}
	if c.ToLatest {
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ToLatest})
	}
	if c.ToDatetime != "" {
		t, err := time.Parse(time.RFC3339, c.ToDatetime)
		if err != nil {
			return kafka.ResetTarget{}, fmt.Errorf("to_datetime: %q is not an RFC 3339 time (2006-01-02T15:04:05Z)", c.ToDatetime)
		}
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ToDatetime, Time: t})
	}
	if c.ToOffset != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(c.ToOffset), 10, 64)
		if err != nil || n < 0 {
			return kafka.ResetTarget{}, fmt.Errorf("to_offset: %q is not an offset (a number, 0 or more)", c.ToOffset)
		}
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ToOffset, Offset: n})
	}
	if c.ShiftBy != "" {
		n, err := strconv.ParseInt(strings.TrimSpace(c.ShiftBy), 10, 64)
		if err != nil {
			return kafka.ResetTarget{}, fmt.Errorf("shift_by: %q is not a number (negative goes back)", c.ShiftBy)
		}
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ShiftBy, Shift: n})
	}
	if c.ByDuration < 0 {
		return kafka.ResetTarget{}, fmt.Errorf("by_duration: must be positive, got %s", c.ByDuration)
	}
	if c.ByDuration > 0 {
		targets = append(targets, kafka.ResetTarget{Kind: kafka.ByDuration, Duration: c.ByDuration})
	}
	switch len(targets) {
	case 0:
		return kafka.ResetTarget{}, errors.New("a target is required: one of " + replayTargets)
	case 1:
		return targets[0], nil
	}
	return kafka.ResetTarget{}, errors.New("only one target may be given: one of " + replayTargets)
}

func (c ReplayConfig) partitions() ([]int, error) {
	if strings.TrimSpace(c.Partitions) == "" {
		return nil, nil
	}
	var out []int
	for _, s := range strings.Split(c.Partitions, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("partitions: %q is not a list of partition ids like 0,3", c.Partitions)
		}
		out = append(out, n)
	}
	return out, nil
}

// ReplaySpec is the command line of `wirehose replay`.
func ReplaySpec() config.Spec {
	return config.Spec{Name: "wirehose replay", Aliases: brokersAlias, Help: map[string]string{
		"kafka.brokers":      commonHelp["kafka.brokers"],
		"kafka.client_id":    commonHelp["kafka.client_id"],
		"kafka.topic_prefix": "prefix of the pipeline's topic names (unused: --topic is a full name)",
		"kafka.dial_timeout": commonHelp["kafka.dial_timeout"],
		"group":              "consumer group whose offsets move, e.g. wirehose-sink",
		"topic":              "topic whose offsets move, e.g. wire.stories",
		"to_earliest":        "target: the first offset each partition still holds",
		"to_latest":          "target: the end of each partition (skip everything written so far)",
		"to_datetime":        "target: the first record at or after this RFC 3339 time",
		"to_offset":          "target: this offset on every partition",
		"shift_by":           "target: the committed offset moved by this many records (negative goes back)",
		"by_duration":        "target: the first record at or after now minus this duration, e.g. 6h",
		"partitions":         "only these partitions, e.g. 0,3 (default all)",
		"execute":            "apply the plan; without it the command only prints it",
	}, Summary: `Resets a consumer group's offsets on one topic, like kafka-consumer-groups.sh --reset-offsets:
prints per partition the committed offset, the target, the end offset, how many records the
group will read and how many it re-reads (negative: skips). A dry run unless --execute. The
group must have no members: stop its workers first, then start them again after.`}
}

// ReplayCommand is `wirehose replay`.
func ReplayCommand(ctx context.Context, c ReplayConfig, args []string, out io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q", args[0])
	}
	target, err := c.target()
	if err != nil {
		return usageErrorf("%v", err)
	}
	partitions, err := c.partitions()
	if err != nil {
		return usageErrorf("%v", err)
	}
	r := kafka.OffsetReset{Group: c.Group, Topic: c.Topic, Target: target, Partitions: partitions}
	plan, err := kafka.PlanOffsetReset(ctx, c.Kafka, r)
	if err != nil {
		return err
	}
	if c.Execute {
		if err := kafka.ApplyOffsetReset(ctx, c.Kafka, plan); err != nil {
			return err
		}
	}
	if err := printResetPlan(out, plan); err != nil {
		return err
	}
	if c.Execute {
		fmt.Fprintf(out, "applied: group %s resumes from TARGET on %s when its workers start\n", plan.Group, plan.Topic)
	} else {
		fmt.Fprintln(out, "dry run: nothing changed; add --execute to apply (with the group's workers stopped)")
		if err := kafka.GroupIdle(ctx, c.Kafka, c.Group); errors.Is(err, kafka.ErrGroupActive) {
			fmt.Fprintf(out, "warning: --execute would be refused now: %v\n", err)
		}
	}
	return nil
}

func printResetPlan(out io.Writer, plan kafka.ResetPlan) error {
	fmt.Fprintf(out, "group %s, topic %s, %s\n", plan.Group, plan.Topic, describeTarget(plan.Target))
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "PARTITION\tCURRENT\tTARGET\tEND\tTO_READ\tRE_READ\t")
	for _, p := range plan.Partitions {
		current := "-"
		if p.HasCommitted {
			current = strconv.FormatInt(p.Committed, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%d\t%d\t\n", p.Partition, current, p.Target, p.HighWatermark, p.ToRead(), p.Rewind())
	}
	toRead, rewind := plan.Totals()
	fmt.Fprintf(tw, "TOTAL\t\t\t\t%d\t%d\t\n", toRead, rewind)
	return tw.Flush()
}

func describeTarget(t kafka.ResetTarget) string {
	switch t.Kind {
	case kafka.ToDatetime:
		return "to-datetime " + t.Time.Format(time.RFC3339)
	case kafka.ToOffset:
		return "to-offset " + strconv.FormatInt(t.Offset, 10)
	case kafka.ShiftBy:
		return "shift-by " + strconv.FormatInt(t.Shift, 10)
	case kafka.ByDuration:
		return "by-duration " + t.Duration.String()
	}
	return t.Kind.String()
}
