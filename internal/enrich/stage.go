// Package enrich is the enrich stage: it turns raw feed items into stories — plain
// text with paragraphs, language, times, sources and a content fingerprint — drops
// exact repeats seen within a window, and runs the enricher chain.
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

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// ErrEmptyItem is returned (marked permanent) for an item with neither a headline nor
// any text: there is no story to make of it.
var ErrEmptyItem = errors.New("empty item")

// HeaderFetched carries the time ingest fetched the item, RFC 3339 with nanoseconds.
const HeaderFetched = "wirehose.fetched"

// Config configures the enrich stage. Zero fields take their defaults.
type Config struct {
	// DedupeWindow is how long a fingerprint is remembered to drop exact repeats.
	DedupeWindow time.Duration `yaml:"dedupe_window"` // default 24h
	// DedupeMax bounds the fingerprints remembered; the oldest go first.
	DedupeMax int `yaml:"dedupe_max"` // default 100000
}

// DefaultConfig returns the stage's defaults.
func DefaultConfig() Config {
	return Config{DedupeWindow: 24 * time.Hour, DedupeMax: 100000}
}

// Validate checks the configuration; zero values are allowed and mean the default.
func (c Config) Validate() error {
	if c.DedupeWindow < 0 {
		return fmt.Errorf("enrich.dedupe_window: must not be negative, got %s", c.DedupeWindow)
	}
	if c.DedupeMax < 0 {
		return fmt.Errorf("enrich.dedupe_max: must not be negative, got %d", c.DedupeMax)
	}
	return nil
}

func (c Config) withDefaults() Config {
	d := DefaultConfig()
	if c.DedupeWindow <= 0 {
		c.DedupeWindow = d.DedupeWindow
	}
	if c.DedupeMax <= 0 {
		c.DedupeMax = d.DedupeMax
	}
	return c
}

// storyWriter makes story messages durable on the stories topic.
type storyWriter interface {
	Write(ctx context.Context, msgs ...pipeline.Message) error
}

// enricher adds one kind of data to a story. It may be run again on the same story
// (replays, redeliveries) and must give the same result.
type enricher interface {
	Name() string
	Enrich(ctx context.Context, s *pipeline.Story) error
}

// chain lists the enrichers run on every story, in order. This is the one place an
// enricher is registered: one file per enricher, one line here.
func chain() []enricher {
	return []enricher{}
}

// Stage is the enrich stage. Process and Flush may be called from several
// goroutines.
type Stage struct {
	cfg       Config
	w         storyWriter
	topic     string
	log       *zap.Logger
	now       func() time.Time // the dedupe window's clock
	language  *languageDetector
	enrichers []enricher

	mu      sync.Mutex
	repeats *window

	processed, emitted, dropped atomic.Int64
}

// New returns the stage writing stories to topic through w. cfg should have passed
// Validate; zero fields take their defaults.
func New(cfg Config, w storyWriter, topic string, log *zap.Logger) *Stage {
	if log == nil {
		log = zap.NewNop()
	}
	cfg = cfg.withDefaults()
	return &Stage{
		cfg:       cfg,
		w:         w,
		topic:     topic,
		log:       log,
		now:       time.Now,
		language:  newLanguageDetector(),
		enrichers: chain(),
		repeats:   newWindow(cfg.DedupeWindow, cfg.DedupeMax),
	}
}

// Process turns one raw item message into its story message for the stories topic,
// or into nothing when the item repeats content seen within the dedupe window.
// Undecodable messages and items with no headline and no text fail permanently.
func (s *Stage) Process(ctx context.Context, m pipeline.Message) ([]pipeline.Message, error) {
	s.processed.Add(1)
	item, err := pipeline.DecodeRaw(m.Value)
	if err != nil {
		return nil, fmt.Errorf("enrich: %s partition %d offset %d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	story, err := s.story(item, m.Time)
	if err != nil {
		return nil, fmt.Errorf("enrich: %s partition %d offset %d: %w", m.Topic, m.Partition, m.Offset, err)
	}
	if key := string(m.Key); key != "" && key != story.URI {
		// Ordering of a story's versions relies on every version having one key.
		s.log.Warn("raw item keyed differently from its story uri",
			zap.String("key", key), zap.String("uri", story.URI), zap.String("feed", item.Feed))
	}
	for _, e := range s.enrichers {
		if err := e.Enrich(ctx, &story); err != nil {
			return nil, fmt.Errorf("enrich: story %s: enricher %s: %w", story.URI, e.Name(), err)
		}
	}
	value, err := pipeline.EncodeStory(story)
	if err != nil {
		return nil, pipeline.Permanent(fmt.Errorf("enrich: story %s: %w", story.URI, err))
	}

	// Checked last so that a failure above leaves no trace in the window, and a
	// retried message is not mistaken for its own repeat. A status notice without
	// text (a kill) has no content to repeat.
	var first string
	var repeat bool
	if story.Dedupe.Fingerprint != "" {
		s.mu.Lock()
		first, repeat = s.repeats.seen(sighting{
			fp:       story.Dedupe.Fingerprint,
			headline: foldText(story.Headline()),
			uri:      story.URI,
			from:     position{topic: m.Topic, partition: m.Partition, offset: m.Offset},
			changed:  item.Changed,
		}, s.now())
		s.mu.Unlock()
	}
	if repeat {
		s.dropped.Add(1)
		s.log.Debug("exact repeat dropped",
			zap.String("uri", story.URI), zap.String("fingerprint", story.Dedupe.Fingerprint),
			zap.String("first_uri", first), zap.String("feed", item.Feed))
		return nil, nil
	}

	fetched := story.Sources[0].Seen
	s.emitted.Add(1)
	return []pipeline.Message{{
		Topic:   s.topic,
		Key:     []byte(story.URI),
		Value:   value,
		Headers: []pipeline.Header{{Key: HeaderFetched, Value: []byte(fetched.Format(time.RFC3339Nano))}},
		Time:    fetched,
	}}, nil
}

// Flush writes a batch of story messages; an error means none of the batch may be
// taken as written.
func (s *Stage) Flush(ctx context.Context, out []pipeline.Message) error {
	if len(out) == 0 {
		return nil
	}
	if err := s.w.Write(ctx, out...); err != nil {
		return fmt.Errorf("enrich: write %d stories to %s: %w", len(out), s.topic, err)
	}
	return nil
}

// Stats returns how many messages Process was called with (retries included), how
// many stories it emitted, and how many exact repeats it dropped.
func (s *Stage) Stats() (processed, emitted, repeats int64) {
	return s.processed.Load(), s.emitted.Load(), s.dropped.Load()
}

// story builds the story of item. received is the message's broker time, used when
// the item lacks its fetch time.
func (s *Stage) story(item pipeline.RawItem, received time.Time) (pipeline.Story, error) {
	uri := pipeline.StoryKey(item)
	headline := textLine(item.Title)
	text := htmlToText(item.Body)
	if text == "" {
		text = htmlToText(item.Summary)
	}
	status := pubStatus(item.PubStatus)
	if item.PubStatus != "" && status != item.PubStatus {
		s.log.Warn("unknown pubstatus taken as withheld",
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
		Language:       s.language.detect(headline+"\n\n"+text, item.Language),
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
