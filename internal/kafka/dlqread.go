package kafka

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/segmentio/kafka-go"
	"go.uber.org/zap"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// HeaderRedrives counts how many times a message was re-produced from the dead-letter
// topic to its own topic. It is not one of the headers DLQ.Send replaces, so a redriven
// message that fails again reaches the DLQ still carrying its count.
const HeaderRedrives = "wirehose.redrives"

// RedrivenTopic is the compacted topic recording which dead letters of dlqTopic were
// redriven, keyed by their DeadLetterID. Redrive reads it so that it never sends a dead
// letter twice; the dead-letter topic itself is never rewritten.
func RedrivenTopic(dlqTopic string) string { return dlqTopic + ".redriven" }

// DeadLetter is one record of the dead-letter topic, its wirehose.* headers decoded.
type DeadLetter struct {
	// Partition and Offset locate the record in the dead-letter topic; ID() names it.
	Partition int
	Offset    int64
	Time      time.Time // when the record was written to the dead-letter topic

	Stage    string    // the stage that gave up on the message
	Error    string    // its last error, possibly clipped
	FailedAt time.Time // from the failed_at header; zero when absent
	Attempts int
	// Topic, SourcePartition and SourceOffset are where the message was read when it
	// failed: Topic is where a redrive sends it. SourcePartition is -1 when unknown.
	Topic           string
	SourcePartition int
	SourceOffset    int64
	// Redrives is how many times the message had been redriven before this failure.
	Redrives int
	// ValueOmitted is the size of a value left out of the record for its size (the
	// value is only at Topic/SourcePartition/SourceOffset); 0 when the value is here.
	ValueOmitted int

	Key, Value []byte
	Headers    []pipeline.Header // every header, as stored

	// Redriven is set when this record was redriven already.
	Redriven *RedriveMark
}

// RedriveMark is what the redriven topic remembers of one redrive.
type RedriveMark struct {
	At       time.Time `json:"at"`
	Topic    string    `json:"topic"`
	Redrives int       `json:"redrives"` // the count the re-produced message carries
}

// ID names the record for an operator: "partition:offset" in the dead-letter topic.
func (d DeadLetter) ID() string { return DeadLetterID(d.Partition, d.Offset) }

// DeadLetterID is the "partition:offset" name of a dead-letter record.
func DeadLetterID(partition int, offset int64) string {
	return strconv.Itoa(partition) + ":" + strconv.FormatInt(offset, 10)
}

// ParseDeadLetterID reads a "partition:offset" name.
func ParseDeadLetterID(s string) (partition int, offset int64, err error) {
	ps, offs, ok := strings.Cut(strings.TrimSpace(s), ":")
	if ok {
		partition, err = strconv.Atoi(ps)
		if err == nil {
			offset, err = strconv.ParseInt(offs, 10, 64)
		}
	}
	if !ok || err != nil || partition < 0 || offset < 0 {
		return 0, 0, fmt.Errorf("dead letter %q: want PARTITION:OFFSET, e.g. 0:12", s)
	}
	return partition, offset, nil
}

// decodeDeadLetter reads the wirehose.* headers of a dead-letter record. Unparsable
// numbers are left at their zero values: the record is still listed, and shown whole.
func decodeDeadLetter(m pipeline.Message) DeadLetter {
	d := DeadLetter{
		Partition: m.Partition, Offset: m.Offset, Time: m.Time,
		SourcePartition: -1, SourceOffset: -1,
		Key: m.Key, Value: m.Value, Headers: m.Headers,
	}
	for _, h := range m.Headers {
		v := string(h.Value)
		switch h.Key {
		case HeaderStage:
			d.Stage = v
		case HeaderError:
			d.Error = v
		case HeaderTopic:
			d.Topic = v
		case HeaderPartition:
			if n, err := strconv.Atoi(v); err == nil {
				d.SourcePartition = n
			}
		case HeaderOffset:
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				d.SourceOffset = n
			}
		case HeaderAttempts:
			d.Attempts, _ = strconv.Atoi(v)
		case HeaderFailedAt:
			d.FailedAt, _ = time.Parse(time.RFC3339, v)
		case HeaderRedrives:
			d.Redrives, _ = strconv.Atoi(v)
		case HeaderValueOmitted:
			d.ValueOmitted, _ = strconv.Atoi(v)
		}
	}
	return d
}

// ReadDeadLetters reads every partition of the dead-letter topic from its first offset up
// to the high watermark it has when the read starts, marks the records redriven already,
// and returns them oldest first (by write time, then partition and offset). No consumer
// group is involved and nothing is committed.
func ReadDeadLetters(ctx context.Context, cfg Config, dlqTopic string) ([]DeadLetter, error) {
	var out []DeadLetter
	err := ReadTopic(ctx, cfg, dlqTopic, func(m pipeline.Message) error {
		out = append(out, decodeDeadLetter(m))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read dead letters: %w", err)
	}
	marks, err := readRedriveMarks(ctx, cfg, dlqTopic)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if mk, ok := marks[out[i].ID()]; ok {
			out[i].Redriven = &mk
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if !a.Time.Equal(b.Time) {
			return a.Time.Before(b.Time)
		}
		if a.Partition != b.Partition {
			return a.Partition < b.Partition
		}
		return a.Offset < b.Offset
	})
	return out, nil
}

func readRedriveMarks(ctx context.Context, cfg Config, dlqTopic string) (map[string]RedriveMark, error) {
	topic := RedrivenTopic(dlqTopic)
	ok, err := topicExists(ctx, cfg, topic)
	if err != nil || !ok {
		return nil, err // no redrive yet: nothing is marked
	}
	table, err := ReadCompactedTopic(ctx, cfg, topic)
	if err != nil {
		return nil, fmt.Errorf("read redrive marks: %w", err)
	}
	marks := make(map[string]RedriveMark, len(table))
	for id, v := range table {
		var mk RedriveMark
		if err := json.Unmarshal(v, &mk); err != nil {
			// A record this version cannot read still says the letter was redriven.
			mk = RedriveMark{}
		}
		marks[id] = mk
	}
	return marks, nil
}

// topicExists asks for the topic's metadata once (retrying only broker failures), so a
// topic that was never created is an answer, not an error retried.
func topicExists(ctx context.Context, cfg Config, topic string) (bool, error) {
	cfg, err := prepare(cfg)
	if err != nil {
		return false, err
	}
	var exists bool
	err = retryAdmin(ctx, cfg, func(cl *kafka.Client) error {
		md, err := cl.Metadata(ctx, &kafka.MetadataRequest{Topics: []string{topic}})
		if err != nil {
			return fmt.Errorf("metadata: %w", err)
		}
		exists = false
		for _, t := range md.Topics {
			if t.Name != topic {
				continue
			}
			if errors.Is(t.Error, kafka.UnknownTopicOrPartition) {
				return nil
			}
			if t.Error != nil {
				return t.Error
			}
			exists = true
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("kafka topic %s: %w", topic, err)
	}
	return exists, nil
}

// RedriveMessage is the message a redrive of d produces: to d's original topic, with its
// key, value and headers as they were before it failed, and HeaderRedrives one higher.
// It fails for a record that cannot be redriven faithfully: no original topic, or a value
// that was left out of the record.
func (d DeadLetter) RedriveMessage() (pipeline.Message, error) {
	if d.Topic == "" {
		return pipeline.Message{}, fmt.Errorf("dead letter %s: no %s header: the original topic is unknown", d.ID(), HeaderTopic)
	}
	if d.ValueOmitted > 0 {
		return pipeline.Message{}, fmt.Errorf("dead letter %s: its %d-byte value was too large to keep; it is still at %s partition %d offset %d",
			d.ID(), d.ValueOmitted, d.Topic, d.SourcePartition, d.SourceOffset)
	}
	headers := make([]pipeline.Header, 0, len(d.Headers)+1)
	for _, h := range d.Headers {
		if !isDLQHeader(h.Key) && h.Key != HeaderRedrives {
			headers = append(headers, h)
		}
	}
	headers = append(headers, pipeline.Header{Key: HeaderRedrives, Value: []byte(strconv.Itoa(d.Redrives + 1))})
	return pipeline.Message{Topic: d.Topic, Key: d.Key, Value: d.Value, Headers: headers}, nil
}

// Redrive re-produces letters (records of dlqTopic) to their original topics and then
// records them in RedrivenTopic(dlqTopic), creating it when missing. It returns once both
// writes are acknowledged. Letters already marked redriven, and letters RedriveMessage
// refuses, are not sent (the first refusal is returned, nothing is sent). Should the
// marks fail to be written after the messages were, a later redrive sends them again:
// the pipeline's effects are idempotent, so that costs work, not correctness.
func Redrive(ctx context.Context, cfg Config, dlqTopic string, letters []DeadLetter, log *zap.Logger) (int, error) {
	var msgs []pipeline.Message
	var todo []DeadLetter
	for _, d := range letters {
		if d.Redriven != nil {
			continue
		}
		m, err := d.RedriveMessage()
		if err != nil {
			return 0, err
		}
		msgs = append(msgs, m)
		todo = append(todo, d)
	}
	if len(msgs) == 0 {
		return 0, nil
	}
	if err := ensureRedrivenTopic(ctx, cfg, dlqTopic); err != nil {
		return 0, err
	}
	p := NewProducer(cfg, log)
	defer func() { _ = p.Close() }()
	if err := p.Write(ctx, msgs...); err != nil {
		return 0, fmt.Errorf("redrive %d dead letters: %w", len(msgs), err)
	}
	now := time.Now().UTC()
	marks := make([]pipeline.Message, len(todo))
	for i, d := range todo {
		v, err := json.Marshal(RedriveMark{At: now, Topic: d.Topic, Redrives: d.Redrives + 1})
		if err != nil {
			return 0, fmt.Errorf("redrive mark %s: %w", d.ID(), err)
		}
		marks[i] = pipeline.Message{Topic: RedrivenTopic(dlqTopic), Key: []byte(d.ID()), Value: v}
	}
	if err := p.Write(ctx, marks...); err != nil {
		return len(msgs), fmt.Errorf("%d dead letters were re-produced but could not be marked redriven (a later redrive would send them again): %w", len(msgs), err)
	}
	return len(msgs), nil
}

// ensureRedrivenTopic creates the redriven topic like its dead-letter topic: as many
// replicas, and records kept as long as the dead letters they mark.
func ensureRedrivenTopic(ctx context.Context, cfg Config, dlqTopic string) error {
	infos, err := DescribeTopics(ctx, cfg, dlqTopic)
	if err != nil {
		return err
	}
	rf := 1
	configs := map[string]string{"cleanup.policy": "compact,delete"}
	if len(infos) == 1 {
		if ps := infos[0].Partitions; len(ps) > 0 && len(ps[0].Replicas) > 0 {
			rf = len(ps[0].Replicas)
		}
		if r, ok := infos[0].Configs["retention.ms"]; ok {
			configs["retention.ms"] = r
		}
	}
	if rf >= 3 {
		configs["min.insync.replicas"] = "2"
	}
	_, err = EnsureTopics(ctx, cfg, TopicSpec{Name: RedrivenTopic(dlqTopic), Partitions: 1, ReplicationFactor: rf, Configs: configs})
	return err
}
