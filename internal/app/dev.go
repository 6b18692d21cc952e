package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/internal/demo"
	"github.com/wirehose/wirehose/internal/devbroker"
	"github.com/wirehose/wirehose/internal/enrich"
	"github.com/wirehose/wirehose/internal/feed"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
	"github.com/wirehose/wirehose/internal/sink"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// DevConfig configures `wirehose dev`: ingest, enrich and sink in one process, on the embedded
// broker and SQLite unless told otherwise.
type DevConfig struct {
	Feeds        string        `yaml:"feeds"`       // feeds file; optional with demo
	Data         string        `yaml:"data"`        // broker data and the SQLite file live here
	DB           string        `yaml:"db"`          // default DATA/wirehose.db; a postgres:// DSN works too
	BrokerAddr   string        `yaml:"broker_addr"` // where the embedded broker listens
	Brokers      []string      `yaml:"brokers"`     // use this Kafka instead of the embedded broker
	TopicPrefix  string        `yaml:"topic_prefix"`
	Partitions   int           `yaml:"partitions"`
	Once         bool          `yaml:"once"`          // poll once, wait until everything is stored, exit
	DrainTimeout time.Duration `yaml:"drain_timeout"` // with once: how long to wait for the pipeline to drain
	Demo         bool          `yaml:"demo"`          // serve and poll the built-in synthetic feeds
	DemoItems    int           `yaml:"demo_items"`    // with demo: also serve a bulk feed of this many items
	Process      `yaml:",inline"`
}

// DefaultDevConfig returns the dev defaults: everything on loopback, data in ./wirehose-data.
func DefaultDevConfig() DevConfig {
	p := defaultProcess()
	p.Log.Format = "console"
	p.HTTPAddr = "127.0.0.1:8080"
	p.ShutdownTimeout = 10 * time.Second
	return DevConfig{
		Data:         "wirehose-data",
		BrokerAddr:   "127.0.0.1:9092",
		TopicPrefix:  pipeline.DefaultTopicPrefix,
		Partitions:   3,
		DrainTimeout: 5 * time.Minute,
		Process:      p,
	}
}

// Validate checks every field and names the one that is wrong.
func (c DevConfig) Validate() error {
	if c.Feeds == "" && !c.Demo {
		return errors.New("feeds: give a feeds file (--feeds FILE) or --demo for the built-in feeds")
	}
	if c.Data == "" {
		return errors.New("data: a directory is required")
	}
	if len(c.Brokers) == 0 {
		if err := (devbroker.Config{Addr: c.BrokerAddr, DataDir: c.Data}).Validate(); err != nil {
			return err
		}
	}
	if err := pipeline.ValidatePrefix(c.TopicPrefix); err != nil {
		return fmt.Errorf("topic_prefix: %w", err)
	}
	if c.Partitions < 1 {
		return fmt.Errorf("partitions: must be at least 1, got %d", c.Partitions)
	}
	if c.DemoItems < 0 {
		return errors.New("demo_items: must not be negative")
	}
	if c.DrainTimeout <= 0 {
		return errors.New("drain_timeout: must be positive")
	}
	return c.Process.Validate()
}

func (c DevConfig) dbPath() string {
	if c.DB != "" {
		return c.DB
	}
	return filepath.Join(c.Data, "wirehose.db")
}

// RunDev runs the whole pipeline in one process.
func RunDev(ctx context.Context, c DevConfig, log *zap.Logger) error {
	if err := os.MkdirAll(c.Data, 0o755); err != nil {
		return fmt.Errorf("data: %w", err)
	}
	kc := kafka.DefaultConfig()
	kc.TopicPrefix = c.TopicPrefix
	kc.ClientID = "wirehose-dev"
	kc.Brokers = c.Brokers
	if len(c.Brokers) == 0 {
		b, err := devbroker.Start(devbroker.Config{Addr: c.BrokerAddr, DataDir: filepath.Join(c.Data, "broker"), Partitions: c.Partitions})
		if err != nil {
			return err
		}
		defer b.Close()
		kc.Brokers = []string{b.Addr()}
		log.Info("embedded broker listening (Kafka protocol, not Apache Kafka)", zap.String("broker_addr", b.Addr()),
			zap.String("data", filepath.Join(c.Data, "broker")))
	}

	feeds, err := c.loadFeeds(ctx, log)
	if err != nil {
		return err
	}
	topicSettings := Topics{Create: true, Partitions: c.Partitions, ReplicationFactor: 1, FeedStatePartitions: kafka.DefaultFeedStatePartitions}
	if err := ensureTopics(ctx, kc, topicSettings, log); err != nil {
		return err
	}
	st, err := store.Open(ctx, c.dbPath())
	if err != nil {
		return err
	}
	defer st.Close()

	topics := kc.Topics()
	producer := kafka.NewProducer(kc, log)
	defer producer.Close()
	dlq := kafka.NewDLQ(producer, topics.DLQ)
	m := obs.NewMetrics()

	index := dedupe.NewIndex(enrich.DefaultConfig().Index())
	enrichStage := enrich.New(enrich.DefaultConfig(), producer, enrich.Topics{Stories: topics.Stories, Dedupe: topics.Dedupe}, index, log)
	chain, err := enrich.BuildChain(enrich.DefaultConfig(), log)
	if err != nil {
		return err
	}
	enrichStage.SetChain(chain)
	enrichConsumer := kafka.NewConsumer[pipeline.Message](kc, defaultConsumer(EnrichGroup).kafka(topics.Raw, "enrich", c.ShutdownTimeout), enrichStage, dlq, log)
	// The dedupe index is restored from its topic before the consumer starts.
	enricher := &dedupeWorker{kc: kc, topic: topics.Dedupe, index: index, consumer: enrichConsumer, log: log}
	sinkStage := sink.New(st, log)
	sinker := kafka.NewConsumer[sink.Item](kc, defaultConsumer(SinkGroup).kafka(topics.Stories, "sink", c.ShutdownTimeout), sinkStage, dlq, log)
	// One process polls every feed: it owns every partition of the feed-state topic
	// without a group, and keeps the state there, so a restarted dev resumes.
	states, err := newKafkaStateStore(ctx, kc, log)
	if err != nil {
		return err
	}
	defer states.Close()
	poller, err := feed.NewPoller(DefaultIngestConfig().pollerConfig(), feeds, producer, topics.Raw, log, feed.WithStateStore(states))
	if err != nil {
		return err
	}
	enrichStage.SetObserver(m)
	enrichConsumer.SetObserver(m)
	sinkStage.SetObserver(m)
	sinker.SetObserver(m)
	poller.SetObserver(m)

	g, gctx := newGroup(ctx)
	wait, err := serveHTTP(gctx, c.HTTPAddr, m, log, map[string]obs.Check{
		"poller": poller.Ready, "enrich": enricher.Ready, "sink": sinker.Ready,
	})
	if err != nil {
		return err
	}
	g.Go("http", wait)
	if c.HTTPAddr != "" {
		g.Go("lag monitor", func() error {
			return kafka.MonitorLag(gctx, kc, kafka.LagMonitorConfig{Groups: []kafka.LagTarget{
				{Group: EnrichGroup, Topic: topics.Raw}, {Group: SinkGroup, Topic: topics.Stories},
			}, Sizes: []string{topics.DLQ}}, m, log)
		})
	}
	g.Go("enrich", func() error { return enricher.Run(gctx) })
	g.Go("sink", func() error { return sinker.Run(gctx) })
	g.Go("ingest", func() error {
		if !c.Once {
			return poller.Run(gctx)
		}
		defer g.cancel() // one pass, drained: stop everything
		start := time.Now()
		res, err := poller.PollAll(gctx)
		if err != nil {
			return err
		}
		drainCtx, cancel := context.WithTimeout(gctx, c.DrainTimeout)
		defer cancel()
		if err := waitDrained(drainCtx, kc, topics); err != nil {
			return fmt.Errorf("waiting for the pipeline to drain: %w", err)
		}
		log.Info("pipeline drained", zap.Any("poll", res), zap.Duration("took", time.Since(start)),
			zap.String("db", c.dbPath()))
		return nil
	})
	return g.Wait()
}

func (c DevConfig) loadFeeds(ctx context.Context, log *zap.Logger) (feed.FeedsFile, error) {
	var feeds feed.FeedsFile
	if c.Feeds != "" {
		f, err := feed.LoadFeeds(c.Feeds)
		if err != nil {
			return feeds, err
		}
		feeds = f
	}
	if c.Demo {
		base, err := demo.Serve(ctx, "127.0.0.1:0", demo.Options{Items: c.DemoItems})
		if err != nil {
			return feeds, err
		}
		df, err := feed.ParseFeeds(demo.FeedsYAML(base))
		if err != nil {
			return feeds, fmt.Errorf("demo feeds: %w", err)
		}
		if c.DemoItems > 0 {
			df.Feeds = append(df.Feeds, feed.Feed{ID: "demo-bulk", URL: base + demo.BulkPath, Format: feed.FormatRSS})
		}
		log.Info("demo feeds served", zap.String("base_url", base), zap.Int("feeds", len(df.Feeds)))
		feeds.Feeds = append(feeds.Feeds, df.Feeds...)
		feeds.AllowPrivateNetworks = true // the demo server is on loopback
	}
	return feeds, nil
}

// waitDrained returns once the enrich group has committed everything on the raw topic and,
// after that, the sink group everything on the stories topic: every item polled so far is
// then stored and committed.
func waitDrained(ctx context.Context, kc kafka.Config, t pipeline.Topics) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		rawLag, _, err := kafka.GroupLag(ctx, kc, EnrichGroup, t.Raw)
		if err == nil && rawLag == 0 {
			var storyLag int64
			storyLag, _, err = kafka.GroupLag(ctx, kc, SinkGroup, t.Stories)
			if err == nil && storyLag == 0 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return fmt.Errorf("%w (last lag check: %v)", ctx.Err(), err)
			}
			return ctx.Err()
		case <-tick.C:
		}
	}
}
