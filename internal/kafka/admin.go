package kafka

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// TopicSpec is a topic as the pipeline wants it.
type TopicSpec struct {
	Name              string
	Partitions        int
	ReplicationFactor int
	Configs           map[string]string
}

// Retention of the pipeline's topics.
const (
	retentionData = 7 * 24 * time.Hour
	retentionDLQ  = 30 * 24 * time.Hour
)

// DefaultFeedStatePartitions is the feed-state topic's partition count when none is
// configured. Each partition is owned by one ingest replica at a time, so it is the
// ceiling on how many replicas share the polling.
const DefaultFeedStatePartitions = 12

// Compaction of the feed-state topic. A segment rolls at least hourly so the cleaner can
// reach it (the active segment is never compacted); records younger than a minute are left
// alone; a tombstone stays readable for a day, long enough for any replica restoring the
// partition to see it and forget the feed.
const (
	feedStateSegment       = time.Hour
	feedStateSegmentBytes  = 64 << 20
	feedStateCompactionLag = time.Minute
	feedStateTombstones    = 24 * time.Hour
	feedStateDirtyRatio    = "0.1"
)

// DefaultTopicSpecs returns the raw, stories and dead-letter topics with partitions each,
// and the compacted feed-state topic with DefaultFeedStatePartitions (FeedStateTopicSpec
// builds it with another count). With three or more replicas, min.insync.replicas is 2 so
// an acks=all write survives the loss of a broker.
func DefaultTopicSpecs(t pipeline.Topics, partitions, replicationFactor int) []TopicSpec {
	configs := func(retention time.Duration) map[string]string {
		m := map[string]string{
			"cleanup.policy": "delete",
			"retention.ms":   strconv.FormatInt(retention.Milliseconds(), 10),
		}
		if replicationFactor >= 3 {
			m["min.insync.replicas"] = "2"
		}
		return m
	}
	return []TopicSpec{
		{Name: t.Raw, Partitions: partitions, ReplicationFactor: replicationFactor, Configs: configs(retentionData)},
		{Name: t.Stories, Partitions: partitions, ReplicationFactor: replicationFactor, Configs: configs(retentionData)},
		{Name: t.DLQ, Partitions: partitions, ReplicationFactor: replicationFactor, Configs: configs(retentionDLQ)},
		FeedStateTopicSpec(t.FeedState, DefaultFeedStatePartitions, replicationFactor),
		DedupeTopicSpec(t.Dedupe, partitions, replicationFactor),
	}
}

// DedupeTopicSpec is the compacted topic of the dedupe index. Compaction keeps the latest
// record of each key; deletion drops what is older than twice the default dedupe window, so
// the index a worker restores stays bounded.
func DedupeTopicSpec(name string, partitions, replicationFactor int) TopicSpec {
	m := map[string]string{
		"cleanup.policy": "compact,delete",
		"retention.ms":   strconv.FormatInt((14 * 24 * time.Hour).Milliseconds(), 10),
		"segment.ms":     strconv.FormatInt(feedStateSegment.Milliseconds(), 10),
	}
	if replicationFactor >= 3 {
		m["min.insync.replicas"] = "2"
	}
	return TopicSpec{Name: name, Partitions: partitions, ReplicationFactor: replicationFactor, Configs: m}
}

// FeedStateTopicSpec is the compacted topic of per-feed ingest state: only the latest
// record of each key is kept, however long ago it was written.
func FeedStateTopicSpec(name string, partitions, replicationFactor int) TopicSpec {
	m := map[string]string{
		"cleanup.policy":            "compact",
		"segment.ms":                strconv.FormatInt(feedStateSegment.Milliseconds(), 10),
		"segment.bytes":             strconv.Itoa(feedStateSegmentBytes),
		"min.compaction.lag.ms":     strconv.FormatInt(feedStateCompactionLag.Milliseconds(), 10),
		"delete.retention.ms":       strconv.FormatInt(feedStateTombstones.Milliseconds(), 10),
		"min.cleanable.dirty.ratio": feedStateDirtyRatio,
	}
	if replicationFactor >= 3 {
		m["min.insync.replicas"] = "2"
	}
	return TopicSpec{Name: name, Partitions: partitions, ReplicationFactor: replicationFactor, Configs: m}
}

// Validate checks a spec before it is sent to the broker.
func (s TopicSpec) Validate() error {
	switch {
	case s.Name == "":
		return errors.New("topic: a name is required")
	case len(s.Name) > 249:
		return fmt.Errorf("topic %s: name is longer than 249 characters", s.Name)
	case s.Partitions < 1:
		return fmt.Errorf("topic %s: partitions must be at least 1, got %d", s.Name, s.Partitions)
	case s.ReplicationFactor < 1:
		return fmt.Errorf("topic %s: replication factor must be at least 1, got %d", s.Name, s.ReplicationFactor)
	}
	if err := pipeline.ValidatePrefix(s.Name); err != nil {
		return fmt.Errorf("topic %s: name %w", s.Name, err)
	}
	return nil
}

// Admin requests: each call uses a transport of its own, because kafka-go answers
// Metadata from a transport's cache (refreshed every few seconds) and admin callers want
// the cluster's state now.
const (
	adminRequestTimeout = 30 * time.Second
	adminAttempts       = 5
)

var adminRetry = backoff{min: 100 * time.Millisecond, max: 2 * time.Second}

func withClient(cfg Config, fn func(*kafka.Client) error) error {
	tr := newTransport(cfg)
	defer tr.CloseIdleConnections()
	return fn(&kafka.Client{Addr: kafka.TCP(cfg.Brokers...), Transport: tr, Timeout: adminRequestTimeout})
}

// retryAdmin runs fn with a fresh client until it succeeds, fails for good, runs out of
// attempts, or ctx ends.
func retryAdmin(ctx context.Context, cfg Config, fn func(*kafka.Client) error) error {
	var err error
	for attempt := 1; ; attempt++ {
		err = withClient(cfg, fn)
		if err == nil || !retriable(err) || attempt == adminAttempts || ctx.Err() != nil {
			return err
		}
		if !sleep(ctx, adminRetry.delay(attempt)) {
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		}
	}
}

func prepare(cfg Config) (Config, error) {
	if err := cfg.Validate(); err != nil {
		return cfg, err
	}
	return cfg.withDefaults(), nil
}

// EnsureTopics creates the topics that do not exist yet and returns their names; an
// existing topic is left as it is (its partitions and configs are not changed). It is
// idempotent. It returns once every created topic has a leader for each partition.
func EnsureTopics(ctx context.Context, cfg Config, specs ...TopicSpec) (created []string, err error) {
	cfg, err = prepare(cfg)
	if err != nil {
		return nil, err
	}
	byName := make(map[string]TopicSpec, len(specs))
	for _, s := range specs {
		if err := s.Validate(); err != nil {
			return nil, err
		}
		byName[s.Name] = s
	}
	remaining := specs
	var failures []error
	for attempt := 1; len(remaining) > 0; attempt++ {
		var res *kafka.CreateTopicsResponse
		err := retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
			var err error
			res, err = cl.CreateTopics(ctx, &kafka.CreateTopicsRequest{Topics: topicConfigs(remaining)})
			return err
		})
		if err != nil {
			return created, fmt.Errorf("kafka create topics: %w", err)
		}
		var again []TopicSpec
		for _, s := range remaining {
			terr := res.Errors[s.Name]
			switch {
			case terr == nil:
				created = append(created, s.Name)
			case errors.Is(terr, kafka.TopicAlreadyExists):
			case retriable(terr) && attempt < adminAttempts:
				again = append(again, s)
			default:
				failures = append(failures, fmt.Errorf("topic %s: %w", s.Name, terr))
			}
		}
		remaining = again
		if len(remaining) > 0 && !sleep(ctx, adminRetry.delay(attempt)) {
			return created, fmt.Errorf("kafka create topics: %w", ctx.Err())
		}
	}
	if len(failures) > 0 {
		return created, fmt.Errorf("kafka create topics: %w", errors.Join(failures...))
	}
	if err := waitTopicsLed(ctx, cfg, created, byName); err != nil {
		return created, err
	}
	return created, nil
}

func topicConfigs(specs []TopicSpec) []kafka.TopicConfig {
	out := make([]kafka.TopicConfig, 0, len(specs))
	for _, s := range specs {
		tc := kafka.TopicConfig{Topic: s.Name, NumPartitions: s.Partitions, ReplicationFactor: s.ReplicationFactor}
		keys := make([]string, 0, len(s.Configs))
		for k := range s.Configs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			tc.ConfigEntries = append(tc.ConfigEntries, kafka.ConfigEntry{ConfigName: k, ConfigValue: s.Configs[k]})
		}
		out = append(out, tc)
	}
	return out
}

// waitTopicsLed waits until each topic shows all its partitions with a leader, so the
// first produce after EnsureTopics does not meet "unknown topic" or "no leader".
func waitTopicsLed(ctx context.Context, cfg Config, names []string, specs map[string]TopicSpec) error {
	if len(names) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, adminRequestTimeout)
	defer cancel()
	var last error
	for attempt := 1; ; attempt++ {
		last = withClient(cfg, func(cl *kafka.Client) error {
			md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: names})
			if err != nil {
				return err
			}
			return topicsLed(md, names, specs)
		})
		if last == nil {
			return nil
		}
		if !sleep(ctx, adminRetry.delay(attempt)) {
			return fmt.Errorf("kafka topics created but not ready: %w (last error: %w)", ctx.Err(), last)
		}
	}
}

func topicsLed(md *kafka.MetadataResponse, names []string, specs map[string]TopicSpec) error {
	topics := make(map[string]kafka.Topic, len(md.Topics))
	for _, t := range md.Topics {
		topics[t.Name] = t
	}
	for _, name := range names {
		t, ok := topics[name]
		switch {
		case !ok:
			return fmt.Errorf("topic %s: not in metadata yet", name)
		case t.Error != nil:
			return fmt.Errorf("topic %s: %w", name, t.Error)
		case len(t.Partitions) < specs[name].Partitions:
			return fmt.Errorf("topic %s: %d of %d partitions in metadata", name, len(t.Partitions), specs[name].Partitions)
		}
		for _, p := range t.Partitions {
			if p.Leader.ID < 0 || p.Leader.Host == "" {
				return fmt.Errorf("topic %s partition %d: no leader yet", name, p.ID)
			}
		}
	}
	return nil
}

// TopicInfo describes a topic. Configs holds the configs set on the topic itself, not
// the broker defaults it inherits.
type TopicInfo struct {
	Name       string
	Partitions []PartitionInfo
	Configs    map[string]string
}

// PartitionInfo describes a partition; broker ids identify Leader, Replicas and ISR.
type PartitionInfo struct {
	ID, Leader    int
	Replicas, ISR []int
	HighWatermark int64
}

// configSourceTopic is DescribeConfigs' DYNAMIC_TOPIC_CONFIG: set on the topic itself.
const configSourceTopic = 1

// DescribeTopics describes the named topics, or every topic when no name is given, in
// the order asked (by name otherwise). An unknown topic is an error.
func DescribeTopics(ctx context.Context, cfg Config, names ...string) ([]TopicInfo, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return nil, err
	}
	var infos []TopicInfo
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		var err error
		infos, err = describeTopics(ctx, cl, names)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("kafka describe topics: %w", err)
	}
	return infos, nil
}

func describeTopics(ctx context.Context, cl *kafka.Client, names []string) ([]TopicInfo, error) {
	req := &kafka.MetadataRequest{Topics: names}
	md, err := cl.Metadata(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("metadata: %w", err)
	}
	byName := make(map[string]kafka.Topic, len(md.Topics))
	for _, t := range md.Topics {
		if len(names) == 0 && t.Internal {
			continue
		}
		byName[t.Name] = t
	}
	if len(names) == 0 {
		for name := range byName {
			names = append(names, name)
		}
		sort.Strings(names)
	}
	if len(names) == 0 {
		return nil, nil
	}
	infos := make([]TopicInfo, 0, len(names))
	offsets := make(map[string][]kafka.OffsetRequest, len(names))
	resources := make([]kafka.DescribeConfigRequestResource, 0, len(names))
	for _, name := range names {
		t, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("topic %s: %w", name, kafka.UnknownTopicOrPartition)
		}
		if t.Error != nil {
			return nil, fmt.Errorf("topic %s: %w", name, t.Error)
		}
		info := TopicInfo{Name: name, Configs: map[string]string{}}
		for _, p := range t.Partitions {
			info.Partitions = append(info.Partitions, PartitionInfo{
				ID: p.ID, Leader: p.Leader.ID, Replicas: brokerIDs(p.Replicas), ISR: brokerIDs(p.Isr),
			})
			offsets[name] = append(offsets[name], kafka.LastOffsetOf(p.ID))
		}
		sort.Slice(info.Partitions, func(i, j int) bool { return info.Partitions[i].ID < info.Partitions[j].ID })
		infos = append(infos, info)
		resources = append(resources, kafka.DescribeConfigRequestResource{ResourceType: kafka.ResourceTypeTopic, ResourceName: name})
	}

	hwm, err := highWatermarks(ctx, cl, offsets)
	if err != nil {
		return nil, err
	}
	dc, err := cl.DescribeConfigs(ctx, &kafka.DescribeConfigsRequest{Resources: resources})
	if err != nil {
		return nil, fmt.Errorf("describe configs: %w", err)
	}
	configs := make(map[string]map[string]string, len(dc.Resources))
	for _, r := range dc.Resources {
		if r.Error != nil {
			return nil, fmt.Errorf("describe configs of topic %s: %w", r.ResourceName, r.Error)
		}
		m := map[string]string{}
		for _, e := range r.ConfigEntries {
			if e.ConfigSource == configSourceTopic {
				m[e.ConfigName] = e.ConfigValue
			}
		}
		configs[r.ResourceName] = m
	}
	for i := range infos {
		if m, ok := configs[infos[i].Name]; ok {
			infos[i].Configs = m
		}
		for j := range infos[i].Partitions {
			infos[i].Partitions[j].HighWatermark = hwm[infos[i].Name][infos[i].Partitions[j].ID]
		}
	}
	return infos, nil
}

func brokerIDs(bs []kafka.Broker) []int {
	ids := make([]int, len(bs))
	for i, b := range bs {
		ids[i] = b.ID
	}
	return ids
}

// highWatermarks lists the latest offset (the high watermark) of each partition.
func highWatermarks(ctx context.Context, cl *kafka.Client, req map[string][]kafka.OffsetRequest) (map[string]map[int]int64, error) {
	res, err := cl.ListOffsets(ctx, &kafka.ListOffsetsRequest{Topics: req})
	if err != nil {
		return nil, fmt.Errorf("list offsets: %w", err)
	}
	out := make(map[string]map[int]int64, len(res.Topics))
	for topic, parts := range res.Topics {
		m := make(map[int]int64, len(parts))
		for _, p := range parts {
			if p.Error != nil {
				return nil, fmt.Errorf("list offsets of %s partition %d: %w", topic, p.Partition, p.Error)
			}
			m[p.Partition] = p.LastOffset
		}
		out[topic] = m
	}
	for topic, rs := range req {
		for _, r := range rs {
			if _, ok := out[topic][r.Partition]; !ok {
				return nil, fmt.Errorf("list offsets of %s partition %d: no answer", topic, r.Partition)
			}
		}
	}
	return out, nil
}

// GroupLag returns how many records of topic the group has not committed yet, in total
// and per partition: high watermark minus committed offset. A partition the group never
// committed counts from offset 0 (the group starts at the earliest offset), so its lag is
// its high watermark.
func GroupLag(ctx context.Context, cfg Config, group, topic string) (total int64, perPartition map[int]int64, err error) {
	cfg, err = prepare(cfg)
	if err != nil {
		return 0, nil, err
	}
	if group == "" || topic == "" {
		return 0, nil, errors.New("kafka group lag: a group and a topic are required")
	}
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		var err error
		total, perPartition, err = groupLag(ctx, cl, group, topic)
		return err
	})
	if err != nil {
		return 0, nil, fmt.Errorf("kafka lag of group %s on %s: %w", group, topic, err)
	}
	return total, perPartition, nil
}

func groupLag(ctx context.Context, cl *kafka.Client, group, topic string) (int64, map[int]int64, error) {
	md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
	if err != nil {
		return 0, nil, fmt.Errorf("metadata: %w", err)
	}
	var partitions []int
	for _, t := range md.Topics {
		if t.Name != topic {
			continue
		}
		if t.Error != nil {
			return 0, nil, fmt.Errorf("topic %s: %w", topic, t.Error)
		}
		for _, p := range t.Partitions {
			partitions = append(partitions, p.ID)
		}
	}
	if len(partitions) == 0 {
		return 0, nil, fmt.Errorf("topic %s: %w", topic, kafka.UnknownTopicOrPartition)
	}
	sort.Ints(partitions)
	reqs := make([]kafka.OffsetRequest, len(partitions))
	for i, p := range partitions {
		reqs[i] = kafka.LastOffsetOf(p)
	}
	hwm, err := highWatermarks(ctx, cl, map[string][]kafka.OffsetRequest{topic: reqs})
	if err != nil {
		return 0, nil, err
	}
	of, err := cl.OffsetFetch(ctx, &kafka.OffsetFetchRequest{GroupID: group, Topics: map[string][]int{topic: partitions}})
	if err != nil {
		return 0, nil, fmt.Errorf("offset fetch: %w", err)
	}
	// A group that never committed may be unknown to the broker (kfake answers so);
	// Kafka answers with no offsets. Both mean "never committed".
	if of.Error != nil && !errors.Is(of.Error, kafka.GroupIdNotFound) {
		return 0, nil, fmt.Errorf("offset fetch: %w", of.Error)
	}
	committed := make(map[int]int64, len(partitions))
	for _, p := range of.Topics[topic] {
		if errors.Is(p.Error, kafka.GroupIdNotFound) {
			continue
		}
		if p.Error != nil {
			return 0, nil, fmt.Errorf("offset fetch of partition %d: %w", p.Partition, p.Error)
		}
		committed[p.Partition] = p.CommittedOffset
	}
	var total int64
	lag := make(map[int]int64, len(partitions))
	for _, p := range partitions {
		high := hwm[topic][p]
		c, ok := committed[p]
		if !ok || c < 0 {
			c = 0
		}
		lag[p] = max(high-c, 0)
		total += lag[p]
	}
	return total, lag, nil
}

// WaitReady retries a Metadata request until the cluster answers with its brokers, or ctx
// ends. A broker that just (re)started can accept connections and still fail the first
// requests, so an open port is not enough.
func WaitReady(ctx context.Context, cfg Config) error {
	cfg, err := prepare(cfg)
	if err != nil {
		return err
	}
	var last error
	for attempt := 1; ; attempt++ {
		actx, cancel := context.WithTimeout(ctx, cfg.DialTimeout)
		last = withClient(cfg, func(cl *kafka.Client) error {
			md, err := cl.Metadata(actx, &kafka.MetadataRequest{Topics: []string{}})
			if err != nil {
				return err
			}
			if len(md.Brokers) == 0 {
				return errors.New("metadata lists no brokers")
			}
			return nil
		})
		cancel()
		if last == nil {
			return nil
		}
		if !sleep(ctx, adminRetry.delay(attempt)) {
			return fmt.Errorf("kafka %v not ready: %w (last error: %w)", cfg.Brokers, ctx.Err(), last)
		}
	}
}
