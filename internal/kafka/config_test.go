package kafka

import (
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func TestConfigValidate(t *testing.T) {
	valid := DefaultConfig()
	tests := []struct {
		name   string
		change func(c *Config)
		want   string // substring of the error, "" for valid
	}{
		{"defaults are valid", func(*Config) {}, ""},
		{"zero durations mean defaults", func(c *Config) { c.BatchTimeout, c.WriteTimeout, c.DialTimeout = 0, 0, 0 }, ""},
		{"empty prefix means the default", func(c *Config) { c.TopicPrefix = "" }, ""},
		{"no brokers", func(c *Config) { c.Brokers = nil }, "kafka.brokers: at least one address is required"},
		{"broker without port", func(c *Config) { c.Brokers = []string{"localhost"} }, "kafka.brokers[0]"},
		{"bad topic prefix", func(c *Config) { c.TopicPrefix = "wire/" }, "kafka.topic_prefix"},
		{"negative batch timeout", func(c *Config) { c.BatchTimeout = -time.Millisecond }, "kafka.batch_timeout"},
		{"negative write timeout", func(c *Config) { c.WriteTimeout = -time.Second }, "kafka.write_timeout"},
		{"negative dial timeout", func(c *Config) { c.DialTimeout = -time.Second }, "kafka.dial_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			c.Brokers = append([]string(nil), valid.Brokers...)
			tt.change(&c)
			checkValidate(t, c.Validate(), tt.want)
		})
	}
}

func TestConfigDefaults(t *testing.T) {
	c := Config{Brokers: []string{" kafka:9092 "}}.withDefaults()
	if c.BatchTimeout != 5*time.Millisecond || c.WriteTimeout != 30*time.Second || c.DialTimeout != 10*time.Second || c.ClientID != "wirehose" {
		t.Errorf("withDefaults = %+v, want 5ms batch, 30s write, 10s dial, client wirehose", c)
	}
	if c.Brokers[0] != "kafka:9092" {
		t.Errorf("broker %q, want it trimmed", c.Brokers[0])
	}
	if got, want := (Config{}).Topics(), pipeline.TopicsWithPrefix(pipeline.DefaultTopicPrefix); got != want {
		t.Errorf("Topics() = %+v, want %+v", got, want)
	}
	if got := (Config{TopicPrefix: "test."}).Topics().DLQ; got != "test.dlq" {
		t.Errorf("Topics().DLQ = %q, want test.dlq", got)
	}
}

func TestConsumerConfigValidate(t *testing.T) {
	valid := ConsumerConfig{Group: "enrich", Topic: "wire.raw", Stage: "enrich"}
	tests := []struct {
		name   string
		change func(c *ConsumerConfig)
		want   string
	}{
		{"zero values take defaults", func(*ConsumerConfig) {}, ""},
		{"no group", func(c *ConsumerConfig) { c.Group = "" }, "consumer.group"},
		{"no topic", func(c *ConsumerConfig) { c.Topic = "" }, "consumer.topic"},
		{"no stage", func(c *ConsumerConfig) { c.Stage = "" }, "consumer.stage"},
		{"negative batch size", func(c *ConsumerConfig) { c.BatchSize = -1 }, "consumer.batch_size"},
		{"negative attempts", func(c *ConsumerConfig) { c.MaxAttempts = -1 }, "consumer.max_attempts"},
		{"negative drain", func(c *ConsumerConfig) { c.DrainTimeout = -time.Second }, "consumer.drain_timeout"},
		{"heartbeat not below session", func(c *ConsumerConfig) { c.SessionTimeout, c.HeartbeatInterval = 6*time.Second, 6*time.Second }, "consumer.heartbeat_interval"},
		{"default heartbeat above a short session", func(c *ConsumerConfig) { c.SessionTimeout = 2 * time.Second }, "consumer.heartbeat_interval"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.change(&c)
			checkValidate(t, c.Validate(), tt.want)
		})
	}
}

func TestConsumerConfigDefaults(t *testing.T) {
	got := ConsumerConfig{}.withDefaults()
	want := ConsumerConfig{
		BatchSize: 100, BatchLinger: 20 * time.Millisecond, MaxAttempts: 3, DrainTimeout: 15 * time.Second,
		SessionTimeout: 30 * time.Second, RebalanceTimeout: 30 * time.Second, HeartbeatInterval: 3 * time.Second,
	}
	if got != want {
		t.Errorf("withDefaults = %+v, want %+v", got, want)
	}
}

func checkValidate(t *testing.T, err error, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Errorf("Validate = %v, want nil", err)
	case want != "" && (err == nil || !strings.Contains(err.Error(), want)):
		t.Errorf("Validate = %v, want an error containing %q", err, want)
	}
}
