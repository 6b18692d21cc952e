// Package app wires wirehose's workers from their configuration: one Config struct and one
// Run function per worker, shared by the standalone binaries (cmd/ingest, cmd/enrich,
// cmd/sink) and by `wirehose dev`, which runs all three in one process.
package app

import (
	"errors"
	"fmt"
	"time"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Consumer groups of the two consuming stages.
const (
	EnrichGroup = "wirehose-enrich"
	SinkGroup   = "wirehose-sink"
)

// Topics says whether and how a worker creates the pipeline's topics at start.
type Topics struct {
	Create            bool `yaml:"create"`             // create missing topics at start (idempotent)
	Partitions        int  `yaml:"partitions"`         // for raw and stories: the ceiling on parallel enrich/sink workers
	ReplicationFactor int  `yaml:"replication_factor"` // 3 in production; 1 on a single broker
	// FeedStatePartitions is the feed-state topic's partition count: the ceiling on
	// ingest replicas sharing the feeds. Choose it once; changing it moves feeds away
	// from their stored state.
	FeedStatePartitions int `yaml:"feedstate_partitions"`
}

// Validate checks the topic settings.
func (t Topics) Validate() error {
	if t.Partitions < 1 {
		return fmt.Errorf("topics.partitions: must be at least 1, got %d", t.Partitions)
	}
	if t.FeedStatePartitions < 1 {
		return fmt.Errorf("topics.feedstate_partitions: must be at least 1, got %d", t.FeedStatePartitions)
	}
	if t.ReplicationFactor < 1 {
		return fmt.Errorf("topics.replication_factor: must be at least 1, got %d", t.ReplicationFactor)
	}
	return nil
}

// Consumer holds the user-facing settings of a stage's consumer.
type Consumer struct {
	Group       string        `yaml:"group"`
	BatchSize   int           `yaml:"batch_size"`
	BatchLinger time.Duration `yaml:"batch_linger"`
	MaxAttempts int           `yaml:"max_attempts"` // processing attempts before the dead-letter topic
	// SessionTimeout is how long the group waits for a silent member (one that crashed)
	// before giving its partitions to the others.
	SessionTimeout time.Duration `yaml:"session_timeout"`
}

// Validate checks the consumer settings.
func (c Consumer) Validate() error {
	switch {
	case c.Group == "":
		return errors.New("consumer.group: a consumer group id is required")
	case c.BatchSize < 1:
		return fmt.Errorf("consumer.batch_size: must be at least 1, got %d", c.BatchSize)
	case c.BatchLinger < 0:
		return errors.New("consumer.batch_linger: must not be negative")
	case c.MaxAttempts < 1:
		return fmt.Errorf("consumer.max_attempts: must be at least 1, got %d", c.MaxAttempts)
	case c.SessionTimeout < 6*time.Second:
		// Kafka's default group.min.session.timeout.ms refuses shorter sessions.
		return fmt.Errorf("consumer.session_timeout: must be at least 6s, got %s", c.SessionTimeout)
	}
	return nil
}

func (c Consumer) kafka(topic, stage string, drain time.Duration) kafka.ConsumerConfig {
	return kafka.ConsumerConfig{
		Group: c.Group, Topic: topic, Stage: stage,
		BatchSize: c.BatchSize, BatchLinger: c.BatchLinger, MaxAttempts: c.MaxAttempts,
		DrainTimeout:      drain,
		SessionTimeout:    c.SessionTimeout,
		RebalanceTimeout:  c.SessionTimeout,
		HeartbeatInterval: c.SessionTimeout / 10,
	}
}

// Process holds what every worker process shares: logging, its HTTP endpoint and its
// shutdown deadline.
type Process struct {
	Log             obs.LogConfig `yaml:"log"`
	HTTPAddr        string        `yaml:"http_addr"`        // /metrics, /healthz, /readyz; empty disables
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"` // SIGTERM → finish in-flight work, commit, leave
}

// Validate checks the process settings.
func (p Process) Validate() error {
	if err := p.Log.Validate(); err != nil {
		return err
	}
	if p.ShutdownTimeout <= 0 {
		return errors.New("shutdown_timeout: must be positive")
	}
	return nil
}

func defaultProcess() Process {
	return Process{
		Log:             obs.LogConfig{Format: "json", Level: "info"},
		HTTPAddr:        ":8080",
		ShutdownTimeout: 20 * time.Second,
	}
}

func defaultTopics() Topics {
	return Topics{Create: true, Partitions: 6, ReplicationFactor: 1, FeedStatePartitions: kafka.DefaultFeedStatePartitions}
}

// specs are the pipeline's topics as these settings want them.
func (t Topics) specs(names pipeline.Topics) []kafka.TopicSpec {
	specs := kafka.DefaultTopicSpecs(names, t.Partitions, t.ReplicationFactor)
	for i := range specs {
		if specs[i].Name == names.FeedState && t.FeedStatePartitions > 0 {
			specs[i].Partitions = t.FeedStatePartitions
		}
	}
	return specs
}

func defaultConsumer(group string) Consumer {
	return Consumer{Group: group, BatchSize: 100, BatchLinger: 20 * time.Millisecond, MaxAttempts: 3, SessionTimeout: 30 * time.Second}
}
