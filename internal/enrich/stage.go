// Package enrich is the enrich stage: it turns raw feed items into stories — plain
// text with paragraphs, language, times, sources and a content fingerprint — decides
// each item's place against the dedupe index (a new version of its story, a copy of
// another story, or a repeat), and runs the enricher chain on story versions only.
//
// The index is shared by every enrich worker through the compacted dedupe topic: each
// decision's records are written in the same produce as its output, and every worker
// applies every worker's records as they arrive (see internal/dedupe). One race remains:
// two copies of one text under different uris decided by two workers within the same
// round-trip of the topic (milliseconds), each before the other's record reached it, both
// become stories. The index then settles on the fingerprint record written last, and the
// sink, whose fingerprint table is unique, stores the later story as an appearance of the
// first.
package enrich

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"

	"github.com/wirehose/wirehose/internal/dedupe"
	"github.com/wirehose/wirehose/pkg/pipeline"
)

// ErrEmptyItem is returned (marked permanent) for an item with neither a headline nor
// any text: there is no story to make of it.
var ErrEmptyItem = errors.New("empty item")

// HeaderFetched carries the time ingest fetched the item, RFC 3339 with nanoseconds.
const HeaderFetched = "wirehose.fetched"

// Config configures the enrich stage. Zero fields take their defaults.
type Config struct {
	// DedupeWindow is how long a story is remembered to recognise its versions, repeats
	// and copies.
	DedupeWindow time.Duration `yaml:"dedupe_window"` // default 7 days
	// DedupeMax bounds the stories (and, separately, the fingerprints) the index holds;
	// the oldest go first. An entry takes about 2 KB of memory (measured: entry, fingerprint and near-index share).
	DedupeMax int `yaml:"dedupe_max"` // default 100000

	// Enrichers is the chain, in order; empty means every enricher in the default order
	// (see EnricherNames). Disable takes enrichers out of it.
	Enrichers []string `yaml:"enrichers"`
	Disable   []string `yaml:"disable"`
	// Required names enrichers whose failure fails the item — retried, then sent to the
	// dead-letter topic — instead of letting the story flow on partly enriched.
	Required []string `yaml:"required"`
	// MaxTextBytes is the largest story text enriched; a larger story is stored without
	// its enrichment (or dead-lettered when an enricher is required).
	MaxTextBytes int `yaml:"max_text_bytes"` // default 1 MiB
}

// DefaultConfig returns the stage's defaults.
func DefaultConfig() Config {
	return Config{DedupeWindow: dedupe.DefaultWindow, DedupeMax: dedupe.DefaultMaxEntries, MaxTextBytes: DefaultMaxTextBytes}
}

// Validate checks the configuration; zero values are allowed and mean the default.
func (c Config) Validate() error {
	if c.DedupeWindow < 0 {
		return fmt.Errorf("enrich.dedupe_window: must not be negative, got %s", c.DedupeWindow)
	}
	if c.DedupeMax < 0 {
		return fmt.Errorf("enrich.dedupe_max: must not be negative, got %d", c.DedupeMax)
	}
	return c.validateChain()
}

// Index returns the dedupe index bounds of the configuration.
func (c Config) Index() dedupe.Config {
	return dedupe.Config{Window: c.DedupeWindow, MaxEntries: c.DedupeMax}
}

// Topics names where the stage's outputs go.
type Topics struct {
	Stories string // stories and appearances, keyed by the story's uri
	Dedupe  string // the dedupe index's records
}

// storyWriter makes story messages durable on the stories topic.
type storyWriter interface {
	Write(ctx context.Context, msgs ...pipeline.Message) error
}

// Observer receives the stage's decisions, for metrics. Methods are called while a
// message is decided and must not block.
type Observer interface {
	StoryVersion(verdict string)     // a story version emitted, by verdict
	StoryAppearance(relation string) // a copy of another story: duplicate or near_duplicate
	RepeatDropped()                  // an item seen before, nothing emitted
	ChainObserver
}

type nopObserver struct{}

func (nopObserver) StoryVersion(string)                  {}
func (nopObserver) StoryAppearance(string)               {}
func (nopObserver) RepeatDropped()                       {}
func (nopObserver) Enriched(string, time.Duration, bool) {}

// Stage is the enrich stage. Process and Flush may be called from several
// goroutines.
type Stage struct {
	w      storyWriter
	topics Topics
	log    *zap.Logger
	index  *dedupe.Index
	chain  *Chain
	obs    Observer

	// decide makes a message's lookup, decision and index update one step, so that two
	// messages processed at once cannot both take the same text for new.
	decide sync.Mutex

	processed, emitted, appeared, dropped atomic.Int64
}

// New returns the stage writing its outputs through w. index is the dedupe index, restored
// and kept current by the caller; nil gives a fresh one bounded by cfg. cfg should have
// passed Validate; zero fields take their defaults.
func New(cfg Config, w storyWriter, topics Topics, index *dedupe.Index, log *zap.Logger) *Stage {
	if log == nil {
		log = zap.NewNop()
	}
	if index == nil {
		index = dedupe.NewIndex(cfg.Index())
	}
	return &Stage{
		w:      w,
		topics: topics,
		log:    log,
		index:  index,
		chain:  NewChain(nil, nil, 0, log),
		obs:    nopObserver{},
	}
}

// SetObserver sets the metrics hook, before the first Process; nil restores the
// no-op default.
func (s *Stage) SetObserver(o Observer) {
	if o == nil {
		o = nopObserver{}
	}
	s.obs = o
}

// SetChain sets the enricher chain run on every story version, before the first
// Process; nil leaves no enricher.
func (s *Stage) SetChain(c *Chain) {
	if c == nil {
		c = NewChain(nil, nil, 0, s.log)
	}
	s.chain = c
}

// What the index says of one message.
const (
	outcomeVersion    = iota // a version of its own story: enrich and emit it
	outcomeAppearance        // a copy of another story: attach it there
	outcomeRepeat            // seen before: nothing to emit
)

type outcome struct {
	kind       int
	decision   dedupe.Decision
	canonical  string  // appearance: the story copied
	relation   string  // appearance: duplicate or near_duplicate
	similarity float64 // appearance, near: how similar
}

// Process turns one raw item message into its outputs: a story version, or an appearance
// of another story, plus the dedupe records of the decision; or nothing for a repeat.
// Undecodable messages and items with no headline and no text fail permanently.
func (s *Stage) Process(ctx context.Context, m pipeline.Message) ([]pipeline.Message, error) {
	s.processed.Add(1)
	item, err := pipeline.DecodeRaw(m.Value)
	if err != nil {
		return nil, fmt.Errorf("enrich: %s partition %d offset %d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	story, err := newStory(item, m.Time, s.log)
	if err != nil {
		return nil, fmt.Errorf("enrich: %s partition %d offset %d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	if key := string(m.Key); key != "" && key != story.URI {
		// Ordering of a story's versions relies on every version having one key.
		s.log.Warn("raw item keyed differently from its story uri",
			zap.String("key", key), zap.String("uri", story.URI), zap.String("feed", item.Feed))
	}
	fp := story.Dedupe.Fingerprint
	sig := dedupe.Sign(signedText(story))
	entry := dedupe.Entry{
		URI: story.URI, Fingerprint: fp, Headline: story.Headline(), VersionCreated: story.VersionCreated,
		PubStatus: story.PubStatus, Seen: story.Sources[0].Seen,
		From: dedupe.Position{Topic: m.Topic, Partition: m.Partition, Offset: m.Offset},
	}

	s.decide.Lock()
	defer s.decide.Unlock()
	o := s.outcome(item, story, sig, entry.From)
	var main pipeline.Message
	switch o.kind {
	case outcomeRepeat:
		s.dropped.Add(1)
		s.obs.RepeatDropped()
		s.log.Debug("repeat dropped", zap.String("uri", story.URI), zap.String("fingerprint", fp),
			zap.String("feed", item.Feed), zap.Int("version", story.Version))
		return nil, nil
	case outcomeAppearance:
		if main, err = s.appearance(item, story, o); err != nil {
			return nil, err
		}
		entry.Cluster, entry.Relation, entry.Similarity = o.canonical, o.relation, o.similarity
	default:
		d := o.decision
		story.Version = max(d.Version, 1)
		story.Verdict, story.Change = d.Verdict, d.Change
		if d.PubStatus != "" {
			story.PubStatus = d.PubStatus
		}
		story.Dedupe.Cluster = story.URI
		story.Sources[0].Relation = pipeline.RelationOriginal
		// Enrichment is the expensive part, and it runs here only: once per story version.
		if err := s.chain.Run(ctx, &story, s.obs); err != nil {
			return nil, fmt.Errorf("enrich: story %s: %w", story.URI, err)
		}
		value, err := pipeline.EncodeStory(story)
		if err != nil {
			return nil, pipeline.Permanent(fmt.Errorf("enrich: story %s: %w", story.URI, err))
		}
		main = s.message(story.URI, value, story.Sources[0].Seen)
		entry.Version, entry.Verdict, entry.Change = story.Version, story.Verdict, story.Change
		entry.PubStatus, entry.Cluster, entry.Signature = story.PubStatus, story.URI, sig
		if d.OutOfOrder {
			// Kept for the story's history, never as its latest version.
			s.emitted.Add(1)
			s.obs.StoryVersion(story.Verdict)
			return []pipeline.Message{main}, nil
		}
	}

	// The index learns the decision only now that nothing can fail any more, so a retried
	// message is not mistaken for a repeat of its own failed attempt.
	records, err := s.index.Put(entry)
	if err != nil {
		return nil, pipeline.Permanent(fmt.Errorf("enrich: story %s: %w", story.URI, err))
	}
	if o.kind == outcomeAppearance {
		s.appeared.Add(1)
		s.obs.StoryAppearance(o.relation)
	} else {
		s.emitted.Add(1)
		s.obs.StoryVersion(story.Verdict)
	}
	out := make([]pipeline.Message, 0, 1+len(records))
	out = append(out, main)
	for _, r := range records {
		out = append(out, pipeline.Message{Topic: s.topics.Dedupe, Key: r.Key, Value: r.Value, Time: main.Time})
	}
	return out, nil
}

// outcome decides what item is, given what the index knows.
func (s *Stage) outcome(item pipeline.RawItem, story pipeline.Story, sig dedupe.Signature, from dedupe.Position) outcome {
	uri, fp := story.URI, story.Dedupe.Fingerprint
	prev, known := s.index.Lookup(uri)
	if known && from.Known() && prev.From == from {
		// The message that made the entry, read again: its outputs may never have been
		// written, so they are made again.
		if prev.Canonical() {
			return outcome{kind: outcomeVersion, decision: dedupe.Decision{
				Version: prev.Version, Verdict: prev.Verdict, PubStatus: prev.PubStatus, Change: prev.Change}}
		}
		known = false // a copy: decided again below, to the same story
	}
	if known && from.Known() && prev.From.Topic == from.Topic && prev.From.Partition == from.Partition &&
		from.Offset < prev.From.Offset {
		// An older message of this story read again: a redelivery after a lost commit, or a
		// replay through a live index. A partition is decided in order and an index entry
		// exists only once its outputs were written, so this message's outputs were written
		// before; deciding it again against the later entry would invent a version (and
		// could undo a kill). Reprocessing history takes a fresh index.
		return outcome{kind: outcomeRepeat}
	}
	if known && prev.Canonical() {
		d := dedupe.Decide(prev.Previous(), item, fp, story.Headline(), story.Text(), "")
		if d.Repeat {
			return outcome{kind: outcomeRepeat}
		}
		return outcome{kind: outcomeVersion, decision: d}
	}
	if known && fp != "" && prev.Fingerprint == fp {
		return outcome{kind: outcomeRepeat} // the same copy again
	}
	// A story new to the index, or a copy whose text changed.
	if canonical, ok := s.index.Canonical(fp); ok && canonical != uri {
		return outcome{kind: outcomeAppearance, canonical: canonical, relation: pipeline.RelationDuplicate}
	}
	if fp != "" {
		if canonical, sim, ok := s.index.Nearest(sig, uri); ok {
			return outcome{kind: outcomeAppearance, canonical: canonical, relation: pipeline.RelationNearDuplicate, similarity: sim}
		}
	}
	return outcome{kind: outcomeVersion, decision: dedupe.Decide(nil, item, fp, story.Headline(), story.Text(), "")}
}

// appearance is the message attaching item to the story it copies.
func (s *Stage) appearance(item pipeline.RawItem, story pipeline.Story, o outcome) (pipeline.Message, error) {
	src := story.Sources[0]
	src.Relation, src.Similarity = o.relation, o.similarity
	value, err := pipeline.EncodeAppearance(pipeline.Appearance{URI: o.canonical, Source: src, Fingerprint: story.Dedupe.Fingerprint})
	if err != nil {
		return pipeline.Message{}, pipeline.Permanent(fmt.Errorf("enrich: appearance of %s as %s: %w", o.canonical, story.URI, err))
	}
	s.log.Debug("appearance of another story", zap.String("uri", story.URI), zap.String("story", o.canonical),
		zap.String("relation", o.relation), zap.Float64("similarity", o.similarity), zap.String("feed", item.Feed))
	return s.message(o.canonical, value, src.Seen), nil
}

// message is an output for the stories topic, keyed by the story it belongs to.
func (s *Stage) message(uri string, value []byte, fetched time.Time) pipeline.Message {
	return pipeline.Message{
		Topic:   s.topics.Stories,
		Key:     []byte(uri),
		Value:   value,
		Headers: []pipeline.Header{{Key: HeaderFetched, Value: []byte(fetched.Format(time.RFC3339Nano))}},
		Time:    fetched,
	}
}

// signedText is what the near-duplicate signature is made of: the body, or the headline
// of an item that has none.
func signedText(st pipeline.Story) string {
	if t := st.Text(); t != "" {
		return t
	}
	return st.Headline()
}

// Flush writes a batch of outputs — stories, appearances and dedupe records — in one
// produce; an error means none of the batch may be taken as written.
func (s *Stage) Flush(ctx context.Context, out []pipeline.Message) error {
	if len(out) == 0 {
		return nil
	}
	if err := s.w.Write(ctx, out...); err != nil {
		return fmt.Errorf("enrich: write %d outputs to %s and %s: %w", len(out), s.topics.Stories, s.topics.Dedupe, err)
	}
	return nil
}

// Stats returns how many messages Process was called with (retries included), how many
// story versions and appearances it emitted, and how many repeats it dropped.
func (s *Stage) Stats() (processed, stories, appearances, repeats int64) {
	return s.processed.Load(), s.emitted.Load(), s.appeared.Load(), s.dropped.Load()
}

// newStory builds the story of item, before dedupe and enrichment. received is the
// message's broker time, used when the item lacks its fetch time.
func newStory(item pipeline.RawItem, received time.Time, log *zap.Logger) (pipeline.Story, error) {
	uri := pipeline.StoryKey(item)
	headline := textLine(item.Title)
	text := htmlToText(item.Body)
	if text == "" {
		text = htmlToText(item.Summary)
	}
	status := pubStatus(item.PubStatus)
	if item.PubStatus != "" && status != item.PubStatus {
		log.Warn("unknown pubstatus taken as withheld",
			zap.String("uri", uri), zap.String("pubstatus", item.PubStatus), zap.String("feed", item.Feed))
	}
	if headline == "" && text == "" && status == pipeline.PubStatusUsable {
		// Withheld and canceled items may carry nothing but their status.
		return pipeline.Story{}, pipeline.Permanent(fmt.Errorf("story %s from feed %q: %w", uri, item.Feed, ErrEmptyItem))
	}

	fetched := item.Fetched
	if fetched.IsZero() {
		fetched = received
	}
	fetched = fetched.UTC()
	first, version := fetched, fetched
	if item.Published != nil && !item.Published.IsZero() {
		first, version = item.Published.UTC(), item.Published.UTC()
	}
	if item.Updated != nil && !item.Updated.IsZero() {
		version = item.Updated.UTC()
	}

	st := pipeline.Story{
		URI:            uri,
		Version:        max(item.Version, 1),
		PubStatus:      status,
		Language:       primaryLanguage(item.Language), // the feed's word; the language enricher decides
		FirstCreated:   first,
		VersionCreated: version,
		Headlines:      []pipeline.Headline{},
		Bodies:         []pipeline.Body{},
		By:             byline(item.By, item.Authors),
		Located:        textLine(item.Located),
		Urgency:        item.Urgency,
		Subjects:       item.Subjects,
		Provider:       strings.TrimSpace(item.Provider),
		Sources:        []pipeline.Source{{Feed: item.Feed, GUID: item.GUID, URL: item.Link, Seen: fetched}},
		Dedupe:         &pipeline.Dedupe{Fingerprint: fingerprint(text, headline)},
	}
	if headline != "" {
		st.Headlines = append(st.Headlines, pipeline.Headline{Value: headline})
	}
	if text != "" {
		st.Bodies = append(st.Bodies, pipeline.Body{Value: text, ContentType: "text/plain"})
	}
	return st, nil
}

// pubStatus is the story's status: the item's when it is one ninjs knows, usable
// when the item has none, and withheld for a status wirehose does not know, so
// that nothing is published on a guess.
func pubStatus(s string) string {
	switch s {
	case "", pipeline.PubStatusUsable:
		return pipeline.PubStatusUsable
	case pipeline.PubStatusWithheld, pipeline.PubStatusCanceled:
		return s
	}
	return pipeline.PubStatusWithheld
}

// byline is the item's byline as published, else its authors, cleaned, joined
// with ", ".
func byline(by string, authors []string) string {
	if by = textLine(by); by != "" {
		return by
	}
	names := make([]string, 0, len(authors))
	for _, a := range authors {
		if a = textLine(a); a != "" {
			names = append(names, a)
		}
	}
	return strings.Join(names, ", ")
}
