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

// IngestGroup is the consumer group through which ingest replicas share the feeds.
const IngestGroup = "wirehose-ingest"

// IngestConfig configures the ingest worker: poll feeds, produce new and changed items to
// the raw topic.
//
// Several ingest processes share the feeds: they join one consumer group over the
// feed-state topic, and each polls the feeds whose state lives on the partitions it is
// given. With Once, a process takes every feed without joining the group (see Once).
type IngestConfig struct {
	Kafka    kafka.Config `yaml:"kafka"`
	Topics   Topics       `yaml:"topics"`
	Feeds    string       `yaml:"feeds"` // the feeds file (YAML)
	Poll     Poll         `yaml:"poll"`
	Replicas Replicas     `yaml:"consumer"`
	// Once polls every feed of the feeds file once — all of them, whatever replica owns
	// them, without joining the replicas' group — saves their state, waits for the
	// acknowledgements and exits. It is for a single process (cron, backfill, tests):
	// beside running replicas it would poll their feeds too.
	Once    bool `yaml:"once"`
	Process `yaml:",inline"`
}

// Replicas is how ingest processes share the feeds.
type Replicas struct {
	Group string `yaml:"group"` // consumer group over the feed-state topic
	// SessionTimeout is how long the group waits for a silent (crashed) replica before
	// its feeds move to the others. Kafka accepts 6s and up by default.
	SessionTimeout time.Duration `yaml:"session_timeout"`
}

// Validate checks the settings.
func (r Replicas) Validate() error {
	switch {
	case r.Group == "":
		return errors.New("consumer.group: a consumer group id is required")
	case r.SessionTimeout < 6*time.Second:
		// Kafka's default group.min.session.timeout.ms refuses shorter sessions.
		return fmt.Errorf("consumer.session_timeout: must be at least 6s, got %s", r.SessionTimeout)
	}
	return nil
}

// Poll holds the poller's user-facing settings.
type Poll struct {
	Interval     time.Duration       `yaml:"interval"`    // where feeds that set none start; the schedule adapts it
	Concurrency  int                 `yaml:"concurrency"` // feeds fetched at once
	MaxSeen      int                 `yaml:"max_seen"`    // items remembered per feed (16 bytes each)
	PerHost      int                 `yaml:"per_host"`    // fetches at once to one host
	HostGap      time.Duration       `yaml:"host_gap"`    // least time between two fetch starts to one host
	Timeout      time.Duration       `yaml:"timeout"`     // one fetch, redirects and body included
	MaxBodyBytes int64               `yaml:"max_body_bytes"`
	UserAgent    string              `yaml:"user_agent"`
	Schedule     feed.ScheduleConfig `yaml:"schedule"`
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
			PerHost: pc.PerHost, HostGap: pc.HostGap,
			Timeout: pc.Fetch.Timeout, MaxBodyBytes: pc.Fetch.MaxBodyBytes, UserAgent: pc.Fetch.UserAgent,
			Schedule: pc.Schedule,
		},
		Replicas: Replicas{Group: IngestGroup, SessionTimeout: kafka.DefaultOwnershipSessionTimeout},
		Process:  defaultProcess(),
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
	if err := c.Replicas.Validate(); err != nil {
		return err
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
	pc.PerHost = c.Poll.PerHost
	pc.HostGap = c.Poll.HostGap
	pc.Fetch.Timeout = c.Poll.Timeout
	pc.Fetch.MaxBodyBytes = c.Poll.MaxBodyBytes
	pc.Fetch.UserAgent = c.Poll.UserAgent
	pc.Schedule = c.Poll.Schedule
	return pc
}

func (c IngestConfig) ownership() kafka.OwnershipConfig {
	return kafka.OwnershipConfig{Group: c.Replicas.Group, Topic: c.Kafka.Topics().FeedState, SessionTimeout: c.Replicas.SessionTimeout}
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
	states, err := newKafkaStateStore(ctx, c.Kafka, log)
	if err != nil {
		return err
	}
	defer states.Close()

	pc := c.pollerConfig()
	oc := c.ownership()
	// A replica losing its feeds must stop before the group hands them on.
	pc.DrainTimeout = min(pc.WriteTimeout, oc.StopWithin())
	m := obs.NewMetrics()
	poller, err := feed.NewPoller(pc, feeds, producer, c.Kafka.Topics().Raw, log, feed.WithStateStore(states))
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
		return kafka.OwnPartitions(gctx, c.Kafka, oc, log, poller.RunPartitions)
	})
	return g.Wait()
}
