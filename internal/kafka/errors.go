package kafka

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"

	"github.com/segmentio/kafka-go"
	"github.com/segmentio/kafka-go/protocol"
)

// ErrMessageTooLarge is returned (wrapped, and marked pipeline.Permanent) for a record the
// broker or the client refuses for its size. Retrying cannot help.
var ErrMessageTooLarge = errors.New("message too large")

// retriable reports whether an error of a Kafka request is worth retrying: a broker or
// leader that is moving or starting, a topic whose metadata has not spread yet, or a broken
// connection. The caller's own context decides when to stop.
func retriable(err error) bool {
	if err == nil {
		return false
	}
	// kafka.Error also satisfies net.Error, so it must be judged first.
	var ke kafka.Error
	if errors.As(err, &ke) {
		switch ke {
		case kafka.MessageSizeTooLarge, kafka.RecordListTooLarge:
			return false
		case kafka.BrokerNotAvailable, kafka.ReplicaNotAvailable, kafka.RebalanceInProgress:
			return true
		}
		return ke.Temporary()
	}
	switch {
	case errors.Is(err, protocol.ErrNoLeader),
		errors.Is(err, protocol.ErrNoPartition),
		errors.Is(err, protocol.ErrNoTopic):
		// Client-side metadata lag right after a topic is created or a leader moves;
		// kafka-go does not retry these itself.
		return true
	case errors.Is(err, io.ErrClosedPipe):
		// The writer or reader was closed by its owner.
		return false
	case errors.Is(err, io.EOF),
		errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, syscall.EPIPE):
		return true
	case errors.Is(err, context.DeadlineExceeded):
		// A per-request timeout; callers check their own context before retrying.
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}
