package app

import (
	"context"

	"go.uber.org/zap"

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
	stage := enrich.New(c.Enrich, producer, topics.Stories, log)
	m := obs.NewMetrics()
	consumer := kafka.NewConsumer[pipeline.Message](c.Kafka, c.Consumer.kafka(topics.Raw, "enrich", c.ShutdownTimeout),
		stage, kafka.NewDLQ(producer, topics.DLQ), log)
	consumer.SetObserver(m)
	return runConsumer(ctx, c.HTTPAddr, m, log, consumer)
}

type runner interface {
	Run(ctx context.Context) error
	Ready() bool
}

func runConsumer(ctx context.Context, httpAddr string, m *obs.Metrics, log *zap.Logger, r runner) error {
	g, gctx := newGroup(ctx)
	wait, err := serveHTTP(gctx, httpAddr, m, log, map[string]obs.Check{"consumer": r.Ready})
	if err != nil {
		return err
	}
	g.Go("http", wait)
	g.Go("consumer", func() error {
		defer g.cancel()
		return r.Run(gctx)
	})
	return g.Wait()
}
