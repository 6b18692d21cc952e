// Package sink is the last stage: it reads story and appearance envelopes from the
// stories topic and writes each consumed batch to storage in one idempotent
// transaction. The consumer commits offsets only after Flush returns, so a message is
// acknowledged once it is durable.
package sink

import (
	"context"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/store/record"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// storyStore is the part of a store the sink needs: stories and appearances written in
// one transaction.
type storyStore interface {
	Write(ctx context.Context, stories []pipeline.Story, appearances []pipeline.Appearance) error
}

// Item is one decoded message of the stories topic: a story version or an appearance
// of a story, exactly one of them set.
type Item struct {
	Story      *pipeline.Story
	Appearance *pipeline.Appearance
}

// Observer receives what the sink stored, for metrics. Stored is called once per
// story version or appearance after its transaction committed, with the time since
// ingest fetched it; it must not block.
type Observer interface {
	Stored(kind string, latency time.Duration) // kind: KindStory or KindAppearance
}

// Kinds passed to Observer.Stored.
const (
	KindStory      = "story"
	KindAppearance = "appearance"
)

type nopObserver struct{}

func (nopObserver) Stored(string, time.Duration) {}

// Stage decodes stories and appearances and stores them; it is the sink's processor
// for a consumer.
type Stage struct {
	st  storyStore
	log *zap.Logger
	obs Observer
	now func() time.Time
}

// New returns a Stage writing to st. A nil log discards logs.
func New(st storyStore, log *zap.Logger) *Stage {
	if log == nil {
		log = zap.NewNop()
	}
	return &Stage{st: st, log: log, obs: nopObserver{}, now: time.Now}
}

// SetObserver sets the metrics hook, before the first Flush; nil restores the no-op
// default.
func (s *Stage) SetObserver(o Observer) {
	if o == nil {
		o = nopObserver{}
	}
	s.obs = o
}

// Process decodes one envelope by its schema. A message that can never be stored
// (undecodable, unknown schema, a story without uri or with a version below 1, an
// appearance without uri or source feed, a key over the store's limits) fails with a
// permanent error so it goes to the dead-letter topic at once, instead of failing a
// whole batch in Flush, where errors are retried forever.
func (s *Stage) Process(_ context.Context, m pipeline.Message) ([]Item, error) {
	item, err := decode(m.Value)
	if err != nil {
		return nil, fmt.Errorf("sink: %s/%d@%d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	return []Item{item}, nil
}

func decode(b []byte) (Item, error) {
	schema, err := pipeline.SchemaOf(b)
	if err != nil {
		return Item{}, err
	}
	switch schema {
	case pipeline.SchemaStory:
		st, err := pipeline.DecodeStory(b)
		if err != nil {
			return Item{}, err
		}
		if err := record.Validate(st); err != nil {
			return Item{}, pipeline.Permanent(err)
		}
		return Item{Story: &st}, nil
	case pipeline.SchemaAppearance:
		a, err := pipeline.DecodeAppearance(b)
		if err != nil {
			return Item{}, err
		}
		if err := record.ValidateAppearance(a); err != nil {
			return Item{}, pipeline.Permanent(err)
		}
		return Item{Appearance: &a}, nil
	default:
		return Item{}, pipeline.Permanent(fmt.Errorf("%w: got %q, want %q or %q", pipeline.ErrUnknownSchema,
			schema, pipeline.SchemaStory, pipeline.SchemaAppearance))
	}
}

// Flush writes a batch's stories and appearances, each kind in its order, in one
// transaction. Repeats in a batch (a redelivery) are harmless: writes are idempotent.
// An error means storage is unavailable; the consumer retries and commits nothing.
func (s *Stage) Flush(ctx context.Context, out []Item) error {
	var (
		stories     []pipeline.Story
		appearances []pipeline.Appearance
	)
	for _, it := range out {
		switch {
		case it.Story != nil:
			stories = append(stories, *it.Story)
		case it.Appearance != nil:
			appearances = append(appearances, *it.Appearance)
		}
	}
	if len(stories) == 0 && len(appearances) == 0 {
		return nil
	}
	if err := s.st.Write(ctx, stories, appearances); err != nil {
		return fmt.Errorf("sink: store %d stories, %d appearances: %w", len(stories), len(appearances), err)
	}
	s.log.Debug("batch stored", zap.Int("stories", len(stories)), zap.Int("appearances", len(appearances)))
	s.observeStored(stories, appearances)
	return nil
}

// observeStored reports each stored item's latency from its fetch, which enrich
// records as the item's source Seen time. An item without one is not observed.
func (s *Stage) observeStored(stories []pipeline.Story, appearances []pipeline.Appearance) {
	now := s.now()
	for _, st := range stories {
		if len(st.Sources) > 0 && !st.Sources[0].Seen.IsZero() {
			s.obs.Stored(KindStory, now.Sub(st.Sources[0].Seen))
		}
	}
	for _, a := range appearances {
		if !a.Source.Seen.IsZero() {
			s.obs.Stored(KindAppearance, now.Sub(a.Source.Seen))
		}
	}
}
