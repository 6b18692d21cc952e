package kafka

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
)

func TestRetriable(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"leader not available", kafka.LeaderNotAvailable, true},
		{"not leader for partition", fmt.Errorf("produce: %w", kafka.NotLeaderForPartition), true},
		{"unknown topic right after creation", kafka.UnknownTopicOrPartition, true},
		{"request timed out", kafka.RequestTimedOut, true},
		{"broker not available", kafka.BrokerNotAvailable, true},
		{"not enough replicas", kafka.NotEnoughReplicas, true},
		{"client metadata has no leader yet", protocol.NewErrNoLeader("wire.raw", 0), true},
		{"client metadata lacks the topic", protocol.NewErrNoTopic("wire.raw"), true},
		{"connection closed", io.EOF, true},
		{"connection cut", io.ErrUnexpectedEOF, true},
		{"connection refused", &net.OpError{Op: "dial", Err: syscall.ECONNREFUSED}, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"request deadline", context.DeadlineExceeded, true},
		{"message too large", kafka.MessageSizeTooLarge, false},
		{"client-side too large", kafka.MessageTooLargeError{}, false},
		{"record list too large", kafka.RecordListTooLarge, false},
		{"topic authorization failed", kafka.TopicAuthorizationFailed, false},
		{"invalid topic", kafka.InvalidTopic, false},
		{"writer closed", io.ErrClosedPipe, false},
		{"canceled", context.Canceled, false},
		{"plain error", errors.New("boom"), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := retriable(tt.err); got != tt.want {
				t.Errorf("retriable(%v) = %v, want %v", tt.err, got, tt.want)
			}
		})
	}
}
