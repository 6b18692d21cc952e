package app

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/internal/enrich"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// EnrichConfig configures the enrich worker: consume raw items, produce stories.
type EnrichConfig struct {
	Kafka    kafka.Config  `yaml:"kafka"`
	Topics   Topics        `yaml:"topics"`
	Consumer Consumer      `yaml:"consumer"`
	Enrich   enrich.Config `yaml:"enrich"`
	Process  `yaml:",inline"`
}

// DefaultEnrichConfig returns the enrich defaults.
func DefaultEnrichConfig() EnrichConfig {
	return EnrichConfig{
		Kafka:    kafka.DefaultConfig(),
		Topics:   defaultTopics(),
		Consumer: defaultConsumer(EnrichGroup),
		Enrich:   enrich.DefaultConfig(),
		Process:  defaultProcess(),
	}
}

// Validate checks every field and names the one that is wrong.
func (c EnrichConfig) Validate() error {
	for _, v := range []interface{ Validate() error }{c.Kafka, c.Topics, c.Consumer, c.Enrich, c.Process} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	return nil
}

// RunEnrich runs the enrich worker until ctx ends and its in-flight batch is committed.
func RunEnrich(ctx context.Context, c EnrichConfig, log *zap.Logger) error {
	if err := ensureTopics(ctx, c.Kafka, c.Topics, log); err != nil {
		return err
	}
	topics := c.Kafka.Topics()
	producer := kafka.NewProducer(c.Kafka, log)
	defer producer.Close()
	index := dedupe.NewIndex(c.Enrich.Index())
	stage := enrich.New(c.Enrich, producer, enrich.Topics{Stories: topics.Stories, Dedupe: topics.Dedupe}, index, log)
	chain, err := enrich.BuildChain(c.Enrich, log)
	if err != nil {
		return err
	}
	stage.SetChain(chain)
	m := obs.NewMetrics()
	stage.SetObserver(m)
	consumer := kafka.NewConsumer[pipeline.Message](c.Kafka, c.Consumer.kafka(topics.Raw, "enrich", c.ShutdownTimeout),
		stage, kafka.NewDLQ(producer, topics.DLQ), log)
	consumer.SetObserver(m)
	lag := lagWatch{kc: c.Kafka, mc: kafka.LagMonitorConfig{
		Groups: []kafka.LagTarget{{Group: c.Consumer.Group, Topic: topics.Raw}}, Sizes: []string{topics.DLQ}}}
	return runConsumer(ctx, c.HTTPAddr, m, log, &dedupeWorker{kc: c.Kafka, topic: topics.Dedupe, index: index, consumer: consumer, log: log}, lag)
}

// dedupeWorker runs an enrich consumer over the dedupe index it shares with the other
// enrich workers: it restores the index from the dedupe topic, and only then starts the
// consumer, while a tail of the topic applies every worker's decisions as they are written.
type dedupeWorker struct {
	kc       kafka.Config
	topic    string
	index    *dedupe.Index
	consumer runner
	log      *zap.Logger
	restored atomic.Bool
}

// Run restores the index, then runs the tail and the consumer until ctx ends or either
// fails.
func (w *dedupeWorker) Run(ctx context.Context) error {
	next, err := restoreIndex(ctx, w.kc, w.topic, w.index, w.log)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	w.restored.Store(true)
	g, gctx := newGroup(ctx)
	g.Go("dedupe tail", func() error {
		return kafka.Tail(gctx, w.kc, w.topic, next, func(m pipeline.Message) error {
			applyRecord(w.index, m, w.log)
			return nil
		})
	})
	g.Go("consumer", func() error {
		defer g.cancel()
		return w.consumer.Run(gctx)
	})
	return g.Wait()
}

// Ready reports whether the index is restored and the consumer joined its group.
func (w *dedupeWorker) Ready() bool { return w.restored.Load() && w.consumer.Ready() }

// restoreIndex reads the dedupe topic into index up to its high watermarks, which it
// returns for the tail to start from.
func restoreIndex(ctx context.Context, kc kafka.Config, topic string, index *dedupe.Index, log *zap.Logger) (map[int]int64, error) {
	start := time.Now()
	records := 0
	next, err := kafka.ReadTopicUntil(ctx, kc, topic, func(m pipeline.Message) error {
		records++
		applyRecord(index, m, log)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("restore dedupe index from %s: %w", topic, err)
	}
	took := time.Since(start)
	stories, fingerprints := index.Len()
	log.Info("dedupe index restored", zap.String("topic", topic), zap.Int("records", records),
		zap.Duration("took", took), zap.Float64("records_per_sec", float64(records)/max(took.Seconds(), 1e-9)),
		zap.Int("stories", stories), zap.Int("fingerprints", fingerprints))
	return next, nil
}

// applyRecord applies one dedupe record; an unreadable one (written by a newer wirehose,
// say) is skipped, as the index is a cache of decisions and the sink has the last word.
func applyRecord(index *dedupe.Index, m pipeline.Message, log *zap.Logger) {
	if err := index.Apply(dedupe.Record{Key: m.Key, Value: m.Value}); err != nil {
		if !errors.Is(err, dedupe.ErrBadRecord) {
			log.Error("dedupe record not applied", zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset), zap.Error(err))
			return
		}
		log.Warn("dedupe record skipped", zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset), zap.Error(err))
	}
}

type runner interface {
	Run(ctx context.Context) error
	Ready() bool
}

// lagWatch is what a worker measures for its /metrics: its own group's lag, and the
// dead-letter topic's size.
type lagWatch struct {
	kc kafka.Config
	mc kafka.LagMonitorConfig
}

func runConsumer(ctx context.Context, httpAddr string, m *obs.Metrics, log *zap.Logger, r runner, lag lagWatch) error {
	g, gctx := newGroup(ctx)
	wait, err := serveHTTP(gctx, httpAddr, m, log, map[string]obs.Check{"consumer": r.Ready})
	if err != nil {
		return err
	}
	g.Go("http", wait)
	if httpAddr != "" {
		g.Go("lag monitor", func() error { return kafka.MonitorLag(gctx, lag.kc, lag.mc, m, log) })
	}
	g.Go("consumer", func() error {
		defer g.cancel()
		return r.Run(gctx)
	})
	return g.Wait()
}
