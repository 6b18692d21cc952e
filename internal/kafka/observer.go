package kafka

import "time"

// Observer receives a consumer's events, for metrics. Methods are called from the
// consumer's goroutine and must not block.
type Observer interface {
	Consumed(stage string, n int)             // messages fetched in a batch
	Produced(stage string, n int)             // outputs flushed
	Failed(stage, kind string)                // kind: "process", "flush", "commit", "dlq"
	DeadLettered(stage string)                // a message acknowledged by the dead-letter topic
	Processing(stage string, d time.Duration) // time spent processing one message, retries included
}

// Failure kinds passed to Observer.Failed.
const (
	FailProcess = "process"
	FailFlush   = "flush"
	FailCommit  = "commit"
	FailDLQ     = "dlq"
)

type nopObserver struct{}

func (nopObserver) Consumed(string, int)             {}
func (nopObserver) Produced(string, int)             {}
func (nopObserver) Failed(string, string)            {}
func (nopObserver) DeadLettered(string)              {}
func (nopObserver) Processing(string, time.Duration) {}
