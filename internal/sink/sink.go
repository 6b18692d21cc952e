// Package sink is the last stage: it reads story envelopes from the stories topic and
// writes each consumed batch to storage in one idempotent upsert. The consumer commits
// offsets only after Flush returns, so a story is acknowledged once it is durable.
package sink

import (
	"context"
	"fmt"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// storyStore is the part of a store the sink needs.
type storyStore interface {
	Upsert(ctx context.Context, stories ...pipeline.Story) error
}

// Stage decodes stories and stores them; it is the sink's processor for a consumer.
type Stage struct {
	st  storyStore
	log *zap.Logger
}

// New returns a Stage writing to st. A nil log discards logs.
func New(st storyStore, log *zap.Logger) *Stage {
	if log == nil {
		log = zap.NewNop()
	}
	return &Stage{st: st, log: log}
}

// Process decodes one story envelope. A message that can never be stored (undecodable,
// unknown schema, no uri, version below 1, a key over the store's limits) fails with a
// permanent error so it goes to the dead-letter topic at once, instead of failing a
// whole batch in Flush, where errors are retried forever.
func (s *Stage) Process(_ context.Context, m pipeline.Message) ([]pipeline.Story, error) {
	st, err := pipeline.DecodeStory(m.Value)
	if err != nil {
		return nil, fmt.Errorf("sink: %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	if err := record.Validate(st); err != nil {
		return nil, pipeline.Permanent(fmt.Errorf("sink: %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err))
	}
	return []pipeline.Story{st}, nil
}

// Flush upserts a batch in its order, in one transaction. Repeats of a story in a
// batch (a redelivery) are harmless: the upsert is idempotent. An error means storage
// is unavailable; the consumer retries and commits nothing.
func (s *Stage) Flush(ctx context.Context, out []pipeline.Story) error {
	if len(out) == 0 {
		return nil
	}
	if err := s.st.Upsert(ctx, out...); err != nil {
		return fmt.Errorf("sink: store %d stories: %w", len(out), err)
	}
	s.log.Debug("stories stored", zap.Int("stories", len(out)))
	return nil
}
