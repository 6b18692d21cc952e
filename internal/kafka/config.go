package kafka

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Config is the connection to a Kafka cluster, shared by producers, consumers and topic
// administration.
type Config struct {
	Brokers      []string      `yaml:"brokers"`
	ClientID     string        `yaml:"client_id"`
	TopicPrefix  string        `yaml:"topic_prefix"`  // default pipeline.DefaultTopicPrefix
	BatchTimeout time.Duration `yaml:"batch_timeout"` // default 5ms: kafka-go's 1s default puts a second on every synchronous write
	WriteTimeout time.Duration `yaml:"write_timeout"` // default 30s: deadline of one Write, retries included
	DialTimeout  time.Duration `yaml:"dial_timeout"`  // default 10s
}

// Defaults of Config.
const (
	DefaultClientID     = "wirehose"
	DefaultBatchTimeout = 5 * time.Millisecond
	DefaultWriteTimeout = 30 * time.Second
	DefaultDialTimeout  = 10 * time.Second
)

// DefaultConfig returns a Config for a broker on localhost with every default filled in.
func DefaultConfig() Config {
	return Config{
		Brokers:      []string{"localhost:9092"},
		ClientID:     DefaultClientID,
		TopicPrefix:  pipeline.DefaultTopicPrefix,
		BatchTimeout: DefaultBatchTimeout,
		WriteTimeout: DefaultWriteTimeout,
		DialTimeout:  DefaultDialTimeout,
	}
}

// Validate reports the first invalid field, named as in the YAML file.
func (c Config) Validate() error {
	if len(c.Brokers) == 0 {
		return errors.New("kafka.brokers: at least one address is required")
	}
	for i, b := range c.Brokers {
		if _, port, err := net.SplitHostPort(strings.TrimSpace(b)); err != nil || port == "" {
			return fmt.Errorf("kafka.brokers[%d]: %q is not a host:port address", i, b)
		}
	}
	if err := pipeline.ValidatePrefix(c.TopicPrefix); err != nil {
		return fmt.Errorf("kafka.topic_prefix: %w", err)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"kafka.batch_timeout", c.BatchTimeout},
		{"kafka.write_timeout", c.WriteTimeout},
		{"kafka.dial_timeout", c.DialTimeout},
	} {
		if d.v < 0 {
			return fmt.Errorf("%s: must not be negative, got %s", d.name, d.v)
		}
	}
	return nil
}

// Topics returns the pipeline's topic names under the configured prefix.
func (c Config) Topics() pipeline.Topics { return pipeline.TopicsWithPrefix(c.TopicPrefix) }

// withDefaults fills zero fields, so a partly filled Config still behaves well.
func (c Config) withDefaults() Config {
	if c.ClientID == "" {
		c.ClientID = DefaultClientID
	}
	if c.BatchTimeout == 0 {
		c.BatchTimeout = DefaultBatchTimeout
	}
	if c.WriteTimeout == 0 {
		c.WriteTimeout = DefaultWriteTimeout
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	brokers := make([]string, 0, len(c.Brokers))
	for _, b := range c.Brokers {
		brokers = append(brokers, strings.TrimSpace(b))
	}
	c.Brokers = brokers
	return c
}

// ConsumerConfig is one consumer group member over one topic.
type ConsumerConfig struct {
	Group string `yaml:"group"`
	Topic string `yaml:"topic"`
	Stage string `yaml:"stage"` // names the stage in logs, metrics and dead-letter headers

	BatchSize    int           `yaml:"batch_size"`    // default 100
	BatchLinger  time.Duration `yaml:"batch_linger"`  // default 20ms: wait for more messages after the first
	MaxAttempts  int           `yaml:"max_attempts"`  // default 3: per-message Process attempts before the DLQ
	DrainTimeout time.Duration `yaml:"drain_timeout"` // default 15s: after ctx is cancelled, time to finish in-flight work

	SessionTimeout    time.Duration `yaml:"session_timeout"`    // default 30s; the broker allows 6s..30m by default
	RebalanceTimeout  time.Duration `yaml:"rebalance_timeout"`  // default 30s
	HeartbeatInterval time.Duration `yaml:"heartbeat_interval"` // default 3s; must be below SessionTimeout
}

// Defaults of ConsumerConfig.
const (
	DefaultBatchSize         = 100
	DefaultBatchLinger       = 20 * time.Millisecond
	DefaultMaxAttempts       = 3
	DefaultDrainTimeout      = 15 * time.Second
	DefaultSessionTimeout    = 30 * time.Second
	DefaultRebalanceTimeout  = 30 * time.Second
	DefaultHeartbeatInterval = 3 * time.Second
)

// withDefaults fills zero fields with the defaults above.
func (cc ConsumerConfig) withDefaults() ConsumerConfig {
	if cc.BatchSize == 0 {
		cc.BatchSize = DefaultBatchSize
	}
	if cc.BatchLinger == 0 {
		cc.BatchLinger = DefaultBatchLinger
	}
	if cc.MaxAttempts == 0 {
		cc.MaxAttempts = DefaultMaxAttempts
	}
	if cc.DrainTimeout == 0 {
		cc.DrainTimeout = DefaultDrainTimeout
	}
	if cc.SessionTimeout == 0 {
		cc.SessionTimeout = DefaultSessionTimeout
	}
	if cc.RebalanceTimeout == 0 {
		cc.RebalanceTimeout = DefaultRebalanceTimeout
	}
	if cc.HeartbeatInterval == 0 {
		cc.HeartbeatInterval = DefaultHeartbeatInterval
	}
	return cc
}

// Validate reports the first invalid field. Zero numbers and durations mean "default" and
// are valid.
func (cc ConsumerConfig) Validate() error {
	switch {
	case cc.Group == "":
		return errors.New("consumer.group: a consumer group id is required")
	case cc.Topic == "":
		return errors.New("consumer.topic: a topic is required")
	case cc.Stage == "":
		return errors.New("consumer.stage: a stage name is required")
	case cc.BatchSize < 0:
		return fmt.Errorf("consumer.batch_size: must not be negative, got %d", cc.BatchSize)
	case cc.MaxAttempts < 0:
		return fmt.Errorf("consumer.max_attempts: must not be negative, got %d", cc.MaxAttempts)
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"consumer.batch_linger", cc.BatchLinger},
		{"consumer.drain_timeout", cc.DrainTimeout},
		{"consumer.session_timeout", cc.SessionTimeout},
		{"consumer.rebalance_timeout", cc.RebalanceTimeout},
		{"consumer.heartbeat_interval", cc.HeartbeatInterval},
	} {
		if d.v < 0 {
			return fmt.Errorf("%s: must not be negative, got %s", d.name, d.v)
		}
	}
	if d := cc.withDefaults(); d.HeartbeatInterval >= d.SessionTimeout {
		return fmt.Errorf("consumer.heartbeat_interval: %s must be shorter than consumer.session_timeout %s", d.HeartbeatInterval, d.SessionTimeout)
	}
	return nil
}
