package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// Ownership shares the partitions of one topic among the members of a consumer group: each
// partition is owned by exactly one live member at a time. It uses the group protocol for
// membership and assignment only; no offset is ever committed (the owner reads what it
// needs, see ReadCompacted).
//
// The guarantee that two members never work on one partition at once rests on kafka-go's
// ConsumerGroup (consumergroup.go, v0.4.51) and the broker's group protocol:
//
//   - Generation.Start runs a function whose context ends with the generation, and the
//     group waits for every such function to return before it joins the next generation:
//     nextGeneration waits for gen.done and then calls gen.close, which blocks on the
//     generation's routines (Generation.close; the wait in nextGeneration before it
//     returns to the run loop's next JoinGroup).
//   - A generation ends for this member as soon as a heartbeat fails, which is how the
//     broker announces a rebalance (REBALANCE_IN_PROGRESS) or an expired session
//     (Generation.heartbeatLoop returns on any error, and Start closes the generation when
//     any of its functions returns).
//   - The broker hands a partition to a new member only in a generation whose join phase
//     every other member has completed, i.e. after the old owner rejoined (its function
//     returned), or after the old owner was dropped for missing its session timeout.
//
// The last case is why fn must return within StopWithin of its context ending: a member
// that is slow to stop could be dropped while still working, and its partitions handed on.
// StopWithin is a third of the session timeout, the broker's patience counted from the
// last heartbeat, which leaves room for the heartbeat interval and a failing request.

// OwnershipConfig names the group and the topic whose partitions it shares.
type OwnershipConfig struct {
	Group string
	Topic string
	// SessionTimeout is how long the broker waits for a silent member (one that crashed)
	// before handing its partitions to the others. Default 10s; brokers accept 6s..30m.
	SessionTimeout time.Duration
	// HeartbeatInterval defaults to a tenth of the session timeout.
	HeartbeatInterval time.Duration
	// RebalanceTimeout is how long the broker waits for every member to rejoin when the
	// group changes. Default: the session timeout.
	RebalanceTimeout time.Duration
}

// DefaultOwnershipSessionTimeout is OwnershipConfig.SessionTimeout's default.
const DefaultOwnershipSessionTimeout = 10 * time.Second

// Bounds of the coordinator request timeout: short enough that a member cut off from the
// coordinator notices (its heartbeat fails) well within its session, long enough not to
// churn on a slow answer.
const (
	ownershipMinRequestTimeout = time.Second
	ownershipMaxRequestTimeout = 5 * time.Second
	ownershipJoinBackoff       = time.Second
)

func (oc OwnershipConfig) withDefaults() OwnershipConfig {
	if oc.SessionTimeout == 0 {
		oc.SessionTimeout = DefaultOwnershipSessionTimeout
	}
	if oc.HeartbeatInterval == 0 {
		oc.HeartbeatInterval = max(oc.SessionTimeout/10, 100*time.Millisecond)
	}
	if oc.RebalanceTimeout == 0 {
		oc.RebalanceTimeout = oc.SessionTimeout
	}
	return oc
}

// Validate reports the first invalid field. Zero durations mean the default.
func (oc OwnershipConfig) Validate() error {
	switch {
	case oc.Group == "":
		return errors.New("ownership: a consumer group id is required")
	case oc.Topic == "":
		return errors.New("ownership: a topic is required")
	case oc.SessionTimeout < 0 || oc.HeartbeatInterval < 0 || oc.RebalanceTimeout < 0:
		return errors.New("ownership: timeouts must not be negative")
	}
	if d := oc.withDefaults(); d.HeartbeatInterval >= d.SessionTimeout/3 {
		return fmt.Errorf("ownership: heartbeat interval %s must be under a third of the session timeout %s", d.HeartbeatInterval, d.SessionTimeout)
	}
	return nil
}

// StopWithin is how soon fn must return once its context ends, so that no other member can
// be given its partitions while it still works on them.
func (oc OwnershipConfig) StopWithin() time.Duration { return oc.withDefaults().SessionTimeout / 3 }

// requestTimeout bounds every request to the coordinator, heartbeats included.
func (oc OwnershipConfig) requestTimeout() time.Duration {
	return min(max(oc.SessionTimeout/3, ownershipMinRequestTimeout), ownershipMaxRequestTimeout)
}

// OwnPartitions joins oc.Group and, for every generation of the group, calls fn with the
// partitions of oc.Topic assigned to this member (possibly none: a group can have more
// members than the topic has partitions). fn's context ends when the generation ends (a
// member joined or left, or this member lost its session) or when ctx ends; fn must then
// return within oc.StopWithin(). It is called again for the next generation.
//
// OwnPartitions returns nil after ctx ends: fn has returned and the member has left the
// group, so its partitions move to the others at once rather than after the session
// timeout. It returns fn's error if fn fails while it still owns its partitions.
func OwnPartitions(ctx context.Context, cfg Config, oc OwnershipConfig, log *zap.Logger,
	fn func(ctx context.Context, partitions []int) error) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if err := oc.Validate(); err != nil {
		return err
	}
	cfg, oc = cfg.withDefaults(), oc.withDefaults()
	if log == nil {
		log = zap.NewNop()
	}
	log = log.With(zap.String("component", "kafka_ownership"), zap.String("group", oc.Group), zap.String("topic", oc.Topic))

	cg, err := kafka.NewConsumerGroup(kafka.ConsumerGroupConfig{
		ID:      oc.Group,
		Brokers: cfg.Brokers,
		Dialer: &kafka.Dialer{
			ClientID:  cfg.ClientID,
			Timeout:   cfg.DialTimeout,
			DualStack: true,
		},
		Topics:            []string{oc.Topic},
		HeartbeatInterval: oc.HeartbeatInterval,
		SessionTimeout:    oc.SessionTimeout,
		RebalanceTimeout:  oc.RebalanceTimeout,
		JoinGroupBackoff:  ownershipJoinBackoff,
		Timeout:           oc.requestTimeout(),
		// A partition added to the topic starts a new generation that assigns it.
		WatchPartitionChanges: true,
		Logger:                kafkaLogger(log, zapcore.DebugLevel),
		ErrorLogger:           kafkaLogger(log, zapcore.WarnLevel),
	})
	if err != nil {
		return fmt.Errorf("ownership of %s: %w", oc.Topic, err)
	}
	// Closing the group first ends the generation from the group's side: kafka-go then
	// waits for fn and leaves the group, instead of rejoining for another generation when
	// fn returns (ConsumerGroup.nextGeneration selects on cg.done before gen.done).
	stop := context.AfterFunc(ctx, func() { _ = cg.Close() })
	defer stop()
	defer cg.Close()

	log.Info("joining to share partitions", zap.Duration("session_timeout", oc.SessionTimeout))
	failures := 0
	for {
		gen, err := cg.Next(context.Background())
		if errors.Is(err, kafka.ErrGroupClosed) || ctx.Err() != nil {
			log.Info("left the group")
			return nil
		}
		if err != nil {
			// kafka-go backs off and rejoins by itself; this only reports it.
			failures++
			log.Warn("joining the group failed; retrying", zap.Int("attempt", failures), zap.Error(err))
			continue
		}
		failures = 0
		partitions := assigned(gen, oc.Topic)
		log.Info("partitions assigned", zap.Int32("generation", gen.ID), zap.Ints("partitions", partitions))
		if err := runGeneration(gen, partitions, fn); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("ownership of %s partitions %v: %w", oc.Topic, partitions, err)
		}
		log.Info("partitions released", zap.Int32("generation", gen.ID), zap.Ints("partitions", partitions))
	}
}

// runGeneration runs fn for one generation and returns once it has returned. fn returning
// early (without error) does not end the generation: that would make every member rejoin.
func runGeneration(gen *kafka.Generation, partitions []int, fn func(context.Context, []int) error) error {
	done := make(chan error, 1)
	gen.Start(func(gctx context.Context) {
		// A plain context, cancelled when the generation ends, for code that expects one.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			select {
			case <-gctx.Done():
				cancel()
			case <-ctx.Done():
			}
		}()
		err := fn(ctx, partitions)
		if err == nil || ctx.Err() != nil {
			<-ctx.Done()
			err = nil
		}
		done <- err
	})
	return <-done
}

func assigned(gen *kafka.Generation, topic string) []int {
	var ps []int
	for _, a := range gen.Assignments[topic] {
		ps = append(ps, a.ID)
	}
	sort.Ints(ps)
	return ps
}
