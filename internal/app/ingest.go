package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
)

// IngestConfig configures the ingest worker: poll feeds, produce new and changed items to
// the raw topic.
type IngestConfig struct {
	Kafka   kafka.Config `yaml:"kafka"`
	Topics  Topics       `yaml:"topics"`
	Feeds   string       `yaml:"feeds"` // the feeds file (YAML)
	Poll    Poll         `yaml:"poll"`
	Once    bool         `yaml:"once"` // poll every feed once, wait for the produce acks, exit
	Process `yaml:",inline"`
}

// Poll holds the poller's user-facing settings.
type Poll struct {
	Interval     time.Duration `yaml:"interval"`    // for feeds that set none
	Concurrency  int           `yaml:"concurrency"` // feeds fetched at once
	MaxSeen      int           `yaml:"max_seen"`    // item hashes remembered per feed
	Timeout      time.Duration `yaml:"timeout"`     // one fetch, redirects and body included
	MaxBodyBytes int64         `yaml:"max_body_bytes"`
	UserAgent    string        `yaml:"user_agent"`
}

// DefaultIngestConfig returns the ingest defaults.
func DefaultIngestConfig() IngestConfig {
	pc := feed.DefaultPollerConfig()
	return IngestConfig{
		Kafka:  kafka.DefaultConfig(),
		Topics: defaultTopics(),
		Feeds:  "configs/feeds.yaml",
		Poll: Poll{
			Interval: pc.DefaultInterval, Concurrency: pc.Concurrency, MaxSeen: pc.MaxSeenPerFeed,
			Timeout: pc.Fetch.Timeout, MaxBodyBytes: pc.Fetch.MaxBodyBytes, UserAgent: pc.Fetch.UserAgent,
		},
		Process: defaultProcess(),
	}
}

// Validate checks every field and names the one that is wrong.
func (c IngestConfig) Validate() error {
	if err := c.Kafka.Validate(); err != nil {
		return err
	}
	if err := c.Topics.Validate(); err != nil {
		return err
	}
	if c.Feeds == "" {
		return errors.New("feeds: a feeds file is required")
	}
	if err := c.Process.Validate(); err != nil {
		return err
	}
	if err := c.pollerConfig().Validate(); err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	return nil
}

func (c IngestConfig) pollerConfig() feed.PollerConfig {
	pc := feed.DefaultPollerConfig()
	pc.DefaultInterval = c.Poll.Interval
	pc.Concurrency = c.Poll.Concurrency
	pc.MaxSeenPerFeed = c.Poll.MaxSeen
	pc.Fetch.Timeout = c.Poll.Timeout
	pc.Fetch.MaxBodyBytes = c.Poll.MaxBodyBytes
	pc.Fetch.UserAgent = c.Poll.UserAgent
	return pc
}

// RunIngest runs the ingest worker until ctx ends (or, with Once, after one pass).
func RunIngest(ctx context.Context, c IngestConfig, log *zap.Logger) error {
	feeds, err := feed.LoadFeeds(c.Feeds)
	if err != nil {
		return err
	}
	if err := ensureTopics(ctx, c.Kafka, c.Topics, log); err != nil {
		return err
	}
	producer := kafka.NewProducer(c.Kafka, log)
	defer producer.Close()
	m := obs.NewMetrics()
	poller, err := feed.NewPoller(c.pollerConfig(), feeds, producer, c.Kafka.Topics().Raw, log)
	if err != nil {
		return err
	}
	poller.SetObserver(m)

	g, gctx := newGroup(ctx)
	wait, err := serveHTTP(gctx, c.HTTPAddr, m, log, map[string]obs.Check{"poller": poller.Ready})
	if err != nil {
		return err
	}
	g.Go("http", wait)
	g.Go("poller", func() error {
		defer g.cancel() // the HTTP server stops with the poller
		if c.Once {
			res, err := poller.PollAll(gctx)
			log.Info("poll pass done", zap.Any("result", res))
			return err
		}
		return poller.Run(gctx)
	})
	return g.Wait()
}
