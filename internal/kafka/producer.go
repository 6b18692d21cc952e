package kafka

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Producer writes messages synchronously: Write returns nil only once every message was
// acknowledged by all in-sync replicas.
type Producer struct {
	cfg       Config
	log       *zap.Logger
	transport *kafka.Transport
	w         *kafka.Writer
	retry     backoff
}

// Retries inside kafka-go sleep without looking at the context, so they are kept short
// and the Producer's own loop, bounded by the Write deadline, does the long retrying.
const (
	writerMaxAttempts = 2
	writerBackoffMin  = 50 * time.Millisecond
	writerBackoffMax  = 250 * time.Millisecond
)

// NewProducer returns a Producer for cfg. Zero fields of cfg take their defaults; call
// cfg.Validate first to reject a bad configuration with a clear message.
func NewProducer(cfg Config, log *zap.Logger) *Producer {
	cfg = cfg.withDefaults()
	if log == nil {
		log = zap.NewNop()
	}
	log = log.With(zap.String("component", "kafka_producer"))
	tr := newTransport(cfg)
	return &Producer{
		cfg:       cfg,
		log:       log,
		transport: tr,
		retry:     backoff{min: 100 * time.Millisecond, max: 2 * time.Second},
		w: &kafka.Writer{
			Addr:      kafka.TCP(cfg.Brokers...),
			Transport: tr,
			// Same partition for a key as the Java client, so other tools agree on placement.
			Balancer:               &kafka.Murmur2Balancer{},
			RequiredAcks:           kafka.RequireAll,
			BatchTimeout:           cfg.BatchTimeout,
			AllowAutoTopicCreation: false,
			MaxAttempts:            writerMaxAttempts,
			WriteBackoffMin:        writerBackoffMin,
			WriteBackoffMax:        writerBackoffMax,
			Logger:                 kafkaLogger(log, zapcore.DebugLevel),
			ErrorLogger:            kafkaLogger(log, zapcore.DebugLevel),
		},
	}
}

// newTransport is the connection pool shared by a client's requests.
func newTransport(cfg Config) *kafka.Transport {
	return &kafka.Transport{
		DialTimeout: cfg.DialTimeout,
		ClientID:    cfg.ClientID,
	}
}

// Write produces msgs, each to its own Topic, partitioned by key. It retries what the
// broker or the network may fix (leader moves, a topic just created, a broken connection)
// until every message is acknowledged or the write deadline (Config.WriteTimeout, or ctx's
// if sooner) passes. A message too large for the broker is never retried: the error names
// its key and size and is marked pipeline.Permanent. Messages acknowledged before an error
// stay written; callers retry the whole call and rely on idempotent effects.
func (p *Producer) Write(ctx context.Context, msgs ...pipeline.Message) error {
	if len(msgs) == 0 {
		return nil
	}
	km := make([]kafka.Message, len(msgs))
	for i, m := range msgs {
		if m.Topic == "" {
			return fmt.Errorf("kafka produce: message %d (key %q) has no topic", i, m.Key)
		}
		km[i] = toKafka(m)
	}
	ctx, cancel := context.WithTimeout(ctx, p.cfg.WriteTimeout)
	defer cancel()
	return p.write(ctx, km)
}

func (p *Producer) write(ctx context.Context, pending []kafka.Message) error {
	var lastErr error
	for attempt := 0; ; attempt++ {
		if attempt > 0 {
			p.log.Warn("produce retry",
				zap.Int("attempt", attempt), zap.Int("messages", len(pending)),
				zap.String("topic", pending[0].Topic), zap.Error(lastErr))
			if !sleep(ctx, p.retry.delay(attempt)) {
				return p.giveUp(ctx, pending, lastErr)
			}
		}
		err := p.w.WriteMessages(ctx, pending...)
		if err == nil {
			return nil
		}
		var tooLarge kafka.MessageTooLargeError
		if errors.As(err, &tooLarge) {
			return tooLargeError(tooLarge.Message, err)
		}
		var werr kafka.WriteErrors
		if !errors.As(err, &werr) || len(werr) != len(pending) {
			if ctx.Err() != nil || !retriable(err) {
				return p.giveUp(ctx, pending, err)
			}
			lastErr = err
			continue
		}
		var retry, isolate []kafka.Message
		for i, e := range werr {
			switch {
			case e == nil:
			case errors.Is(e, kafka.MessageSizeTooLarge):
				if len(pending) == 1 {
					return tooLargeError(pending[i], e)
				}
				// The broker rejects a whole batch for one big record, so the
				// culprit is found by writing each of these on its own.
				isolate = append(isolate, pending[i])
			case retriable(e) && ctx.Err() == nil:
				retry = append(retry, pending[i])
				lastErr = e
			default:
				return fmt.Errorf("kafka produce to %s: message key %q: %w", pending[i].Topic, pending[i].Key, e)
			}
		}
		for _, m := range isolate {
			if err := p.write(ctx, []kafka.Message{m}); err != nil {
				return err
			}
		}
		if len(retry) == 0 {
			return nil
		}
		pending = retry
	}
}

// giveUp wraps the last error with what was left unacknowledged.
func (p *Producer) giveUp(ctx context.Context, pending []kafka.Message, err error) error {
	if ctxErr := ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
		err = errors.Join(ctxErr, err)
	}
	return fmt.Errorf("kafka produce to %s: %d messages not acknowledged: %w", pending[0].Topic, len(pending), err)
}

func tooLargeError(m kafka.Message, cause error) error {
	return pipeline.Permanent(fmt.Errorf("kafka produce to %s: message key %q of %d bytes: %w: %w",
		m.Topic, m.Key, messageSize(m), ErrMessageTooLarge, cause))
}

// Close waits for in-flight writes and releases connections.
func (p *Producer) Close() error {
	err := p.w.Close()
	p.transport.CloseIdleConnections()
	if err != nil {
		return fmt.Errorf("kafka producer close: %w", err)
	}
	return nil
}
