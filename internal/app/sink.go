package app

import (
	"context"
	"errors"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
	"github.com/wirehose/wirehose/internal/sink"
	"github.com/wirehose/wirehose/internal/store"
)

// SinkConfig configures the sink worker: consume stories, upsert them into storage.
type SinkConfig struct {
	Kafka    kafka.Config `yaml:"kafka"`
	Topics   Topics       `yaml:"topics"`
	Consumer Consumer     `yaml:"consumer"`
	DB       string       `yaml:"db"` // a SQLite file path, or a postgres:// DSN
	Process  `yaml:",inline"`
}

// DefaultSinkConfig returns the sink defaults.
func DefaultSinkConfig() SinkConfig {
	return SinkConfig{
		Kafka:    kafka.DefaultConfig(),
		Topics:   defaultTopics(),
		Consumer: defaultConsumer(SinkGroup),
		DB:       "wirehose.db",
		Process:  defaultProcess(),
	}
}

// Validate checks every field and names the one that is wrong.
func (c SinkConfig) Validate() error {
	for _, v := range []interface{ Validate() error }{c.Kafka, c.Topics, c.Consumer, c.Process} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.DB == "" {
		return errors.New("db: a SQLite file path or a postgres:// DSN is required")
	}
	return nil
}

// RunSink runs the sink worker until ctx ends and its in-flight batch is committed.
func RunSink(ctx context.Context, c SinkConfig, log *zap.Logger) error {
	st, err := store.Open(ctx, c.DB)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := ensureTopics(ctx, c.Kafka, c.Topics, log); err != nil {
		return err
	}
	topics := c.Kafka.Topics()
	producer := kafka.NewProducer(c.Kafka, log) // for the dead-letter topic
	defer producer.Close()
	m := obs.NewMetrics()
	stage := sink.New(st, log)
	stage.SetObserver(m)
	consumer := kafka.NewConsumer[sink.Item](c.Kafka, c.Consumer.kafka(topics.Stories, "sink", c.ShutdownTimeout),
		stage, kafka.NewDLQ(producer, topics.DLQ), log)
	consumer.SetObserver(m)
	lag := lagWatch{kc: c.Kafka, mc: kafka.LagMonitorConfig{
		Groups: []kafka.LagTarget{{Group: c.Consumer.Group, Topic: topics.Stories}}, Sizes: []string{topics.DLQ}}}
	return runConsumer(ctx, c.HTTPAddr, m, log, consumer, lag)
}
