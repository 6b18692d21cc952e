package app

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/wirehose/wirehose/internal/kafka"
)

// TopicsConfig configures `wirehose topics create|describe`.
type TopicsConfig struct {
	Kafka  kafka.Config `yaml:"kafka"`
	Topics Topics       `yaml:"topics"`
}

// DefaultTopicsConfig returns the topic defaults.
func DefaultTopicsConfig() TopicsConfig {
	return TopicsConfig{Kafka: kafka.DefaultConfig(), Topics: defaultTopics()}
}

// Validate checks every field and names the one that is wrong.
func (c TopicsConfig) Validate() error {
	if err := c.Kafka.Validate(); err != nil {
		return err
	}
	return c.Topics.Validate()
}

// CreateTopics creates the pipeline's topics that are missing; existing ones are left as
// they are.
func CreateTopics(ctx context.Context, c TopicsConfig, out io.Writer) error {
	if err := kafka.WaitReady(ctx, c.Kafka); err != nil {
		return fmt.Errorf("kafka %v: %w", c.Kafka.Brokers, err)
	}
	specs := c.Topics.specs(c.Kafka.Topics())
	created, err := kafka.EnsureTopics(ctx, c.Kafka, specs...)
	if err != nil {
		return err
	}
	isNew := map[string]bool{}
	for _, n := range created {
		isNew[n] = true
	}
	for _, s := range specs {
		state := "exists"
		if isNew[s.Name] {
			state = "created"
		}
		fmt.Fprintf(out, "%-24s %-8s partitions=%d replication_factor=%d\n", s.Name, state, s.Partitions, s.ReplicationFactor)
	}
	return nil
}

// DescribeTopics prints each pipeline topic's partitions, leaders, replicas and high
// watermarks.
func DescribeTopics(ctx context.Context, c TopicsConfig, out io.Writer) error {
	if err := kafka.WaitReady(ctx, c.Kafka); err != nil {
		return fmt.Errorf("kafka %v: %w", c.Kafka.Brokers, err)
	}
	infos, err := kafka.DescribeTopics(ctx, c.Kafka, c.Kafka.Topics().All()...)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "TOPIC\tPARTITION\tLEADER\tREPLICAS\tISR\tHIGH_WATERMARK")
	for _, t := range infos {
		for _, p := range t.Partitions {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%d\n", t.Name, p.ID, p.Leader, ints(p.Replicas), ints(p.ISR), p.HighWatermark)
		}
		if len(t.Configs) > 0 {
			keys := make([]string, 0, len(t.Configs))
			for k := range t.Configs {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var kv []string
			for _, k := range keys {
				kv = append(kv, k+"="+t.Configs[k])
			}
			fmt.Fprintf(tw, "%s\tconfigs\t%s\t\t\t\n", t.Name, strings.Join(kv, " "))
		}
	}
	return tw.Flush()
}

func ints(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = fmt.Sprint(n)
	}
	return strings.Join(s, ",")
}

// TopicsCommand is `wirehose topics create|describe`.
func TopicsCommand(ctx context.Context, c TopicsConfig, args []string, out io.Writer) error {
	if len(args) != 1 {
		return usageErrorf("want one action: create or describe")
	}
	switch args[0] {
	case "create":
		return CreateTopics(ctx, c, out)
	case "describe":
		return DescribeTopics(ctx, c, out)
	}
	return usageErrorf("unknown action %q: want create or describe", args[0])
}
