package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/config"
	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/internal/enrich"
	"github.com/wirehose/wirehose/internal/kafka"
	"github.com/wirehose/wirehose/internal/obs"
	"github.com/wirehose/wirehose/internal/sink"
	"github.com/wirehose/wirehose/internal/store"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// ReprocessConfig configures `wirehose reprocess`: run the raw topic's history through the
// current enrich stage into a new store, beside the live pipeline.
type ReprocessConfig struct {
	Kafka  kafka.Config  `yaml:"kafka"`
	Enrich enrich.Config `yaml:"enrich"`
	Since  string        `yaml:"since"` // RFC 3339 time, or a duration back from now
	Until  string        `yaml:"until"` // RFC 3339 time, or a duration back from now; empty: no end
	DB     string        `yaml:"db"`    // the new store
	// Group is the consumer group on the raw topic; empty makes a fresh one.
	Group            string        `yaml:"group"`
	BatchSize        int           `yaml:"batch_size"`
	ProgressInterval time.Duration `yaml:"progress_interval"` // between progress lines when not on a terminal
	Log              obs.LogConfig `yaml:"log"`
}

// DefaultReprocessConfig returns the reprocess defaults.
func DefaultReprocessConfig() ReprocessConfig {
	return ReprocessConfig{
		Kafka:            kafka.DefaultConfig(),
		Enrich:           enrich.DefaultConfig(),
		BatchSize:        500,
		ProgressInterval: 5 * time.Second,
		Log:              obs.LogConfig{Format: "console", Level: "warn"},
	}
}

// Validate checks every field and names the one that is wrong.
func (c ReprocessConfig) Validate() error {
	for _, v := range []interface{ Validate() error }{c.Kafka, c.Enrich, c.Log} {
		if err := v.Validate(); err != nil {
			return err
		}
	}
	if c.Since == "" {
		return errors.New("since: where to start is required (an RFC 3339 time, or a duration back from now such as 24h)")
	}
	since, err := parseInstant("since", c.Since, time.Now())
	if err != nil {
		return err
	}
	if c.Until != "" {
		until, err := parseInstant("until", c.Until, time.Now())
		if err != nil {
			return err
		}
		if !until.After(since) {
			return fmt.Errorf("until: %s is not after since %s", c.Until, c.Since)
		}
	}
	if c.DB == "" {
		return errors.New("db: the new store is required (a SQLite file path, or a postgres:// DSN with a search_path of its own)")
	}
	if c.BatchSize < 1 {
		return fmt.Errorf("batch_size: must be at least 1, got %d", c.BatchSize)
	}
	if c.ProgressInterval <= 0 {
		return errors.New("progress_interval: must be positive")
	}
	return nil
}

// parseInstant reads an RFC 3339 time, or a duration taken back from now.
func parseInstant(field, s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return now.Add(-d), nil
	}
	return time.Time{}, fmt.Errorf("%s: %q is neither an RFC 3339 time (2006-01-02T15:04:05Z) nor a duration such as 24h", field, s)
}

// ReprocessSpec is the command line of `wirehose reprocess`.
func ReprocessSpec() config.Spec {
	help := map[string]string{
		"since":             "replay raw items from this RFC 3339 time, or this long ago (e.g. 72h)",
		"until":             "skip raw items after this RFC 3339 time, or this long ago",
		"db":                "the new store: a SQLite file path, or a postgres:// DSN with a search_path of its own",
		"group":             "consumer group on the raw topic (default: a fresh wirehose-reprocess-TIME)",
		"batch_size":        "raw items enriched and stored per transaction",
		"progress_interval": "time between progress lines when the output is not a terminal",
	}
	for k, v := range commonHelp {
		if _, ok := help[k]; !ok {
			help[k] = v
		}
	}
	return config.Spec{Name: "wirehose reprocess", Help: help, Aliases: brokersAlias, Summary: `Runs the raw topic's items from --since through the current enrich stage and into a new
store, in one process and on a fresh consumer group, beside the live pipeline: it builds a
dedupe index of its own from what it replays, writes nothing to Kafka (neither the stories
nor the dedupe topic), and exits once it has caught up with the raw topic's end as it was at
the start. Shows a progress bar on a terminal, progress lines otherwise.`}
}

// ReprocessCommand is `wirehose reprocess`.
func ReprocessCommand(ctx context.Context, c ReprocessConfig, args []string, out io.Writer) error {
	if len(args) > 0 {
		return usageErrorf("unexpected argument %q", args[0])
	}
	log, err := obs.NewLogger(c.Log)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	_, err = Reprocess(ctx, c, out, log)
	return err
}

// ReprocessResult sums up a reprocess run.
type ReprocessResult struct {
	Group                         string
	Records                       int64 // raw records read
	Stories, Appearances, Repeats int64 // what the enrich stage made of them
	Skipped                       int64 // after --until
	Failed                        int64 // items the stage could not enrich or store (the live pipeline dead-lettered them)
	Took                          time.Duration
	startOffsets, endOffsets      map[int]int64
}

// Reprocess runs the reprocessing c describes, writing progress to out, and returns once it
// has caught up with the raw topic's end offsets of its start, or ctx ends.
func Reprocess(ctx context.Context, c ReprocessConfig, out io.Writer, log *zap.Logger) (*ReprocessResult, error) {
	if log == nil {
		log = zap.NewNop()
	}
	now := time.Now()
	since, err := parseInstant("since", c.Since, now)
	if err != nil {
		return nil, err
	}
	var until time.Time
	if c.Until != "" {
		if until, err = parseInstant("until", c.Until, now); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(ctx, c.DB)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	existing, err := st.List(ctx, store.Query{Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("reprocess: read %s: %w", c.DB, err)
	}
	if len(existing) > 0 {
		// Its dedupe decisions would be made without the stories already there.
		return nil, fmt.Errorf("reprocess: db already holds stories: reprocessing writes into a new store (another file, or another search_path schema)")
	}
	if err := kafka.WaitReady(ctx, c.Kafka); err != nil {
		return nil, fmt.Errorf("kafka %v: %w", c.Kafka.Brokers, err)
	}

	topics := c.Kafka.Topics()
	res := &ReprocessResult{Group: c.Group}
	if res.Group == "" {
		res.Group = "wirehose-reprocess-" + now.UTC().Format("20060102T150405.000Z")
	}
	// The fresh group starts at since: its offsets are set before it has any member.
	plan, err := kafka.ResetOffsets(ctx, c.Kafka, kafka.OffsetReset{
		Group: res.Group, Topic: topics.Raw, Target: kafka.ResetTarget{Kind: kafka.ToDatetime, Time: since},
	})
	if err != nil {
		return nil, fmt.Errorf("reprocess: start group %s at %s: %w", res.Group, since.Format(time.RFC3339), err)
	}
	res.startOffsets, res.endOffsets = map[int]int64{}, map[int]int64{}
	var total int64
	for _, p := range plan.Partitions {
		res.startOffsets[p.Partition], res.endOffsets[p.Partition] = p.Target, p.HighWatermark
		total += p.ToRead()
	}
	log.Info("reprocess starting", zap.String("group", res.Group), zap.String("topic", topics.Raw),
		zap.Time("since", since), zap.Int64("records", total))
	fmt.Fprintf(out, "reprocess: group %s, %d raw records of %s since %s into %s\n",
		res.Group, total, topics.Raw, since.UTC().Format(time.RFC3339), redactDSN(c.DB))

	// A fresh index, on the replayed items' own clock: the dedupe window is measured in
	// the time the items were fetched, as it was when they were live.
	index := dedupe.NewIndex(c.Enrich.Index())
	var clock atomic.Int64
	index.SetClock(func() time.Time { return time.Unix(0, clock.Load()) })
	bridge := &storeBridge{sink: sink.New(st, log), dedupeTopic: topics.Dedupe, log: log}
	stage := enrich.New(c.Enrich, bridge, enrich.Topics{Stories: topics.Stories, Dedupe: topics.Dedupe}, index, log)
	chain, err := enrich.BuildChain(c.Enrich, log)
	if err != nil {
		return nil, err
	}
	stage.SetChain(chain)
	proc := &reprocessor{stage: stage, until: until, clock: &clock, log: log, res: res, bridge: bridge}

	start := time.Now()
	if total > 0 {
		// The DLQ has no producer: failures are counted and logged by the reprocessor and
		// the bridge, so nothing of a reprocess reaches the live dead-letter topic.
		consumer := kafka.NewConsumer[pipeline.Message](c.Kafka, kafka.ConsumerConfig{
			Group: res.Group, Topic: topics.Raw, Stage: "reprocess", BatchSize: c.BatchSize, MaxAttempts: 1,
		}, proc, kafka.NewDLQ(nil, ""), log)
		if err := runUntilCaughtUp(ctx, c, consumer, res, total, start, out); err != nil {
			return res, err
		}
	}
	res.Took = time.Since(start)
	_, res.Stories, res.Appearances, res.Repeats = stage.Stats()
	res.Failed += bridge.failed.Load()
	fmt.Fprintf(out, "reprocess: done: %d raw records in %s (%.0f/s): %d stories, %d appearances, %d repeats, %d after --until, %d failed\n",
		res.Records, res.Took.Round(time.Millisecond), float64(res.Records)/max(res.Took.Seconds(), 1e-9),
		res.Stories, res.Appearances, res.Repeats, res.Skipped, res.Failed)
	return res, nil
}

// runUntilCaughtUp runs consumer until its group has committed the end offsets captured
// at the start, reporting progress meanwhile.
func runUntilCaughtUp(ctx context.Context, c ReprocessConfig, consumer *kafka.Consumer[pipeline.Message],
	res *ReprocessResult, total int64, start time.Time, out io.Writer) error {
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- consumer.Run(cctx) }()

	bar := isTerminal(out)
	interval := c.ProgressInterval
	if bar {
		interval = 250 * time.Millisecond
	}
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("reprocess: %w", err)
			}
			if ctx.Err() != nil {
				return fmt.Errorf("reprocess: interrupted: %w", ctx.Err())
			}
			return nil
		case <-tick.C:
			committed, err := kafka.CommittedOffsets(cctx, c.Kafka, res.Group, c.Kafka.Topics().Raw)
			if err != nil {
				continue // the next tick asks again
			}
			read, caughtUp := progressOf(res.startOffsets, res.endOffsets, committed)
			printProgress(out, bar, read, total, time.Since(start))
			if caughtUp {
				if bar {
					fmt.Fprintln(out)
				}
				cancel()
				if err := <-done; err != nil {
					return fmt.Errorf("reprocess: %w", err)
				}
				return nil
			}
		}
	}
}

// progressOf counts the records committed between the start and end offsets, and whether
// every partition reached its end.
func progressOf(start, end, committed map[int]int64) (read int64, caughtUp bool) {
	caughtUp = true
	for p, e := range end {
		c, ok := committed[p]
		if !ok {
			c = start[p]
		}
		c = min(max(c, start[p]), e)
		read += c - start[p]
		if c < e {
			caughtUp = false
		}
	}
	return read, caughtUp
}

func printProgress(out io.Writer, bar bool, read, total int64, elapsed time.Duration) {
	rate := float64(read) / max(elapsed.Seconds(), 1e-9)
	eta := "?"
	if rate > 0 {
		eta = (time.Duration(float64(total-read)/rate) * time.Second).Round(time.Second).String()
	}
	pct := 100 * float64(read) / float64(max(total, 1))
	if !bar {
		fmt.Fprintf(out, "reprocess: %d/%d raw records (%.1f%%), %.0f/s, eta %s\n", read, total, pct, rate, eta)
		return
	}
	const width = 30
	filled := int(float64(width) * float64(read) / float64(max(total, 1)))
	fmt.Fprintf(out, "\r[%s%s] %5.1f%% %d/%d %.0f/s eta %s   ", strings.Repeat("=", filled), strings.Repeat(" ", width-filled),
		pct, read, total, rate, eta)
}

// isTerminal reports whether w is a character device, where a redrawn bar makes sense.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// redactDSN hides a PostgreSQL password in what is printed.
func redactDSN(dsn string) string {
	if !store.IsPostgres(dsn) {
		return dsn
	}
	at := strings.LastIndex(dsn, "@")
	scheme := strings.Index(dsn, "://")
	if at < 0 || scheme < 0 {
		return dsn
	}
	creds := dsn[scheme+3 : at]
	if user, _, ok := strings.Cut(creds, ":"); ok {
		return dsn[:scheme+3] + user + ":***" + dsn[at:]
	}
	return dsn
}

// reprocessor is the enrich stage as the reprocess consumer's processor: it skips items
// after until, keeps the index's clock on the replayed items' time, and counts instead of
// dead-lettering the items the stage cannot enrich.
type reprocessor struct {
	stage  *enrich.Stage
	bridge *storeBridge
	until  time.Time
	clock  *atomic.Int64
	log    *zap.Logger
	res    *ReprocessResult
}

func (r *reprocessor) Process(ctx context.Context, m pipeline.Message) ([]pipeline.Message, error) {
	atomic.AddInt64(&r.res.Records, 1)
	if !r.until.IsZero() && m.Time.After(r.until) {
		atomic.AddInt64(&r.res.Skipped, 1)
		return nil, nil
	}
	for {
		prev := r.clock.Load()
		if t := m.Time.UnixNano(); t <= prev || r.clock.CompareAndSwap(prev, t) {
			break
		}
	}
	var out []pipeline.Message
	var err error
	for attempt := 1; attempt <= DefaultReprocessAttempts; attempt++ {
		out, err = r.stage.Process(ctx, m)
		if err == nil || pipeline.IsPermanent(err) || ctx.Err() != nil {
			break
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		atomic.AddInt64(&r.res.Failed, 1)
		r.log.Warn("raw item not reprocessed", zap.Int("partition", m.Partition), zap.Int64("offset", m.Offset), zap.Error(err))
		return nil, nil
	}
	return out, nil
}

func (r *reprocessor) Flush(ctx context.Context, out []pipeline.Message) error {
	return r.stage.Flush(ctx, out)
}

// DefaultReprocessAttempts is how many times reprocess tries to enrich an item that fails
// with an error that may pass.
const DefaultReprocessAttempts = 3

// storeBridge takes the enrich stage's outputs in place of the Kafka producer: stories and
// appearances go straight into the store, through the sink's own decoding; dedupe records
// go nowhere, as the index they describe is this process's alone.
type storeBridge struct {
	sink        *sink.Stage
	dedupeTopic string
	log         *zap.Logger
	failed      atomic.Int64
}

func (b *storeBridge) Write(ctx context.Context, msgs ...pipeline.Message) error {
	var items []sink.Item
	for _, m := range msgs {
		if m.Topic == b.dedupeTopic {
			continue
		}
		got, err := b.sink.Process(ctx, m)
		if err != nil {
			b.failed.Add(1)
			b.log.Warn("enriched story not storable", zap.String("key", string(m.Key)), zap.Error(err))
			continue
		}
		items = append(items, got...)
	}
	return b.sink.Flush(ctx, items)
}
