package enrich

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Enricher adds one kind of data to a story version. It may be run again on the same
// story (replays, redeliveries, a retry after another enricher failed) and must give
// the same result: it sets its fields, never appends to what a previous run left.
// Version changes whenever the enricher's output for the same story may change, so a
// reprocessed story shows what made it.
type Enricher interface {
	Name() string
	Version() string
	Enrich(ctx context.Context, s *pipeline.Story) error
}

// ErrTextTooLarge is the error of every enricher on a story whose text is over
// enrich.max_text_bytes: enrichment cost grows with the text, and a runaway body must
// not stall a partition.
var ErrTextTooLarge = errors.New("story text over enrich.max_text_bytes")

// ChainObserver receives the time and outcome of every enricher run, for metrics. It
// must not block.
type ChainObserver interface {
	Enriched(enricher string, took time.Duration, failed bool)
}

// Chain runs enrichers in order on a story version. An enricher that fails or panics
// leaves the story partly enriched — the story flows on with the failure recorded in
// its Enrichment — unless it is required, in which case the story fails and its
// message is retried and then dead-lettered.
type Chain struct {
	steps   []chainStep
	maxText int
	log     *zap.Logger
}

type chainStep struct {
	e        Enricher
	required bool
}

// NewChain returns a chain running enrichers in the order given; the enrichers named in
// required fail the story when they fail. maxText ≤ 0 means DefaultMaxTextBytes.
func NewChain(enrichers []Enricher, required []string, maxText int, log *zap.Logger) *Chain {
	if log == nil {
		log = zap.NewNop()
	}
	if maxText <= 0 {
		maxText = DefaultMaxTextBytes
	}
	need := make(map[string]bool, len(required))
	for _, r := range required {
		need[r] = true
	}
	c := &Chain{maxText: maxText, log: log}
	for _, e := range enrichers {
		c.steps = append(c.steps, chainStep{e: e, required: need[e.Name()]})
	}
	return c
}

// Enrichers returns the chain's enrichers with their versions, in order.
func (c *Chain) Enrichers() []pipeline.EnricherRun {
	out := make([]pipeline.EnricherRun, len(c.steps))
	for i, st := range c.steps {
		out[i] = pipeline.EnricherRun{Name: st.e.Name(), Version: st.e.Version()}
	}
	return out
}

// Run enriches s and records in s.Enrichment what ran. It returns an error only when a
// required enricher failed (marked permanent when retrying cannot help) or ctx ended.
func (c *Chain) Run(ctx context.Context, s *pipeline.Story, obs ChainObserver) error {
	if len(c.steps) == 0 {
		s.Enrichment = nil
		return nil
	}
	runs := c.Enrichers()
	s.Enrichment = &pipeline.Enrichment{Enrichers: runs}
	var tooLarge error
	if n := len(s.Text()); n > c.maxText {
		tooLarge = pipeline.Permanent(fmt.Errorf("%w: %d bytes, limit %d", ErrTextTooLarge, n, c.maxText))
	}
	for i, st := range c.steps {
		err := tooLarge
		if err == nil {
			start := time.Now()
			err = c.safeEnrich(ctx, st.e, s)
			obs.Enriched(st.e.Name(), time.Since(start), err != nil)
		} else {
			obs.Enriched(st.e.Name(), 0, true)
		}
		if err == nil {
			continue
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return fmt.Errorf("enricher %s: %w", st.e.Name(), ctxErr)
		}
		if st.required {
			return fmt.Errorf("required enricher %s: %w", st.e.Name(), err)
		}
		runs[i].Error = err.Error()
		s.Enrichment.Partial = true
		c.log.Warn("enricher failed, story flows on partly enriched", zap.String("enricher", st.e.Name()),
			zap.String("uri", s.URI), zap.Int("version", s.Version), zap.Error(err))
	}
	return nil
}

// EnrichItem makes item's story as the stage would, outside any pipeline, and runs
// the chain on it: for evaluations and previews. Dedupe does not apply (the story is
// version 1 of itself).
func (c *Chain) EnrichItem(ctx context.Context, item pipeline.RawItem) (pipeline.Story, error) {
	st, err := newStory(item, time.Now(), c.log)
	if err != nil {
		return pipeline.Story{}, err
	}
	if err := c.Run(ctx, &st, nopObserver{}); err != nil {
		return pipeline.Story{}, err
	}
	return st, nil
}

// safeEnrich runs one enricher, turning a panic into an error so that one bad story
// cannot take the worker down.
func (c *Chain) safeEnrich(ctx context.Context, e Enricher, s *pipeline.Story) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
			c.log.Error("enricher panicked", zap.String("enricher", e.Name()), zap.String("uri", s.URI),
				zap.Any("panic", r), zap.ByteString("stack", debug.Stack()))
		}
	}()
	return e.Enrich(ctx, s)
}
