package app

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"go.uber.org/zap"
)

func TestMainExitStatuses(t *testing.T) {
	never := func(context.Context, SinkConfig, *zap.Logger) error {
		t.Fatal("run must not be called")
		return nil
	}
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"--help"}, ExitOK, "--kafka-brokers"},
		{"unknown flag", []string{"--nope"}, ExitUsage, "flag provided but not defined"},
		{"bad value names the field", []string{"--consumer-batch-size", "0"}, ExitUsage, "consumer.batch_size"},
		{"bad duration names the flag", []string{"--shutdown-timeout", "later"}, ExitUsage, "shutdown_timeout (from --shutdown-timeout)"},
		{"empty brokers", []string{"--brokers", ""}, ExitUsage, "kafka.brokers"},
		{"stray argument", []string{"extra"}, ExitUsage, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := Main(SinkSpec("wirehose-sink"), DefaultSinkConfig(), tt.args, &stderr, never)
			if code != tt.code || !strings.Contains(stderr.String(), tt.want) {
				t.Fatalf("exit %d, output:\n%s\nwant exit %d containing %q", code, stderr.String(), tt.code, tt.want)
			}
		})
	}
}

func TestDevNeedsFeedsOrDemo(t *testing.T) {
	c := DefaultDevConfig()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "--demo") {
		t.Fatalf("Validate = %v, want a hint about --feeds or --demo", err)
	}
	c.Demo = true
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	c.BrokerAddr = "10.0.0.1:9092"
	if err := c.Validate(); err == nil {
		t.Fatal("a non-loopback embedded broker address must be refused")
	}
	c.Brokers = []string{"kafka:9092"} // a real Kafka: broker_addr is not used
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}
