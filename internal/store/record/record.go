// Package record is the story row that every storage backend writes and reads: the
// list query, the validation a story must pass before it is stored, the normalisation
// that makes both backends return the same values, and the JSON document kept per row.
// It imports no database driver, so the backends and the sink stage share it without
// importing each other.
package record

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// DefaultLimit is the number of stories List returns when Query.Limit is not set.
const DefaultLimit = 50

// Query selects stories for List. The zero Query returns the DefaultLimit newest stories.
type Query struct {
	// Text keeps stories whose headline, body or entity names (people, organisations,
	// places with their other forms, the dateline place and the provider — see
	// EntityNames) contain every word of Text. Words are
	// runs of letters, digits and marks, matched whole and case-insensitively. Text
	// without any word does not filter.
	Text string
	// Since keeps stories whose versioncreated is at or after Since; zero keeps all.
	Since time.Time
	// Limit caps the number of stories returned; zero or negative means DefaultLimit.
	Limit int
	// Usable hides stories whose pubstatus is not usable (killed or withheld ones). An
	// empty pubstatus counts as usable, as in the feeds.
	Usable bool
}

// EffectiveLimit is the number of stories the query asks for.
func (q Query) EffectiveLimit() int {
	if q.Limit <= 0 {
		return DefaultLimit
	}
	return q.Limit
}

// Terms returns the words of q.Text that a full-text match must all find.
func (q Query) Terms() []string {
	return strings.FieldsFunc(q.Text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r)
	})
}

// Limits a story must respect to be stored. Keys stay well inside PostgreSQL's
// B-tree entry size (about 2.7 kB for the (uri, feed, guid) key) so that no story can
// fail at commit time, where the sink would retry it forever.
const (
	MaxURIBytes         = 1024
	MaxFeedBytes        = 256
	MaxGUIDBytes        = 1024
	MaxFingerprintBytes = 512
)

// Search indexes cover at most this many characters of the headline and of the body.
// PostgreSQL refuses a tsvector over 1 MB; cutting the indexed text keeps every story
// storable, and both backends cut at the same place so search answers the same.
const (
	SearchHeadlineChars = 2000
	SearchBodyChars     = 200000
	SearchEntitiesChars = 20000 // bytes; names are cut whole
)

// ErrInvalidStory is returned for a story that cannot be stored as it is (no uri, a
// version below 1, a key over its limit, a time outside years 1-9999). Retrying cannot
// help.
var ErrInvalidStory = errors.New("invalid story")

// ErrInvalidAppearance is returned for an appearance that cannot be stored as it is
// (no uri or feed, a key over its limit, an unknown relation, a similarity outside
// [0, 1]). Retrying cannot help.
var ErrInvalidAppearance = errors.New("invalid appearance")

// ErrNotFound is returned by Get for a uri the store does not hold.
var ErrNotFound = errors.New("story not found")

// Validate reports why s cannot be stored, wrapping ErrInvalidStory, or nil.
func Validate(s pipeline.Story) error {
	if err := validKey(ErrInvalidStory, "uri", s.URI, MaxURIBytes); err != nil {
		return err
	}
	if s.URI == "" {
		return fmt.Errorf("%w: empty uri", ErrInvalidStory)
	}
	if s.Version < 1 {
		return fmt.Errorf("%w: %s: version %d, want 1 or more", ErrInvalidStory, s.URI, s.Version)
	}
	if s.Dedupe != nil {
		if err := validKey(ErrInvalidStory, s.URI+": fingerprint", s.Dedupe.Fingerprint, MaxFingerprintBytes); err != nil {
			return err
		}
	}
	if err := validTime(ErrInvalidStory, s.URI, "firstcreated", s.FirstCreated); err != nil {
		return err
	}
	if err := validTime(ErrInvalidStory, s.URI, "versioncreated", s.VersionCreated); err != nil {
		return err
	}
	for i, src := range s.Sources {
		if err := validKey(ErrInvalidStory, fmt.Sprintf("%s: sources[%d].feed", s.URI, i), src.Feed, MaxFeedBytes); err != nil {
			return err
		}
		if err := validKey(ErrInvalidStory, fmt.Sprintf("%s: sources[%d].guid", s.URI, i), src.GUID, MaxGUIDBytes); err != nil {
			return err
		}
		if err := validTime(ErrInvalidStory, s.URI, fmt.Sprintf("sources[%d].seen", i), src.Seen); err != nil {
			return err
		}
		switch src.Relation {
		case "", pipeline.RelationOriginal, pipeline.RelationDuplicate, pipeline.RelationNearDuplicate:
		default:
			return fmt.Errorf("%w: %s: sources[%d].relation %q unknown", ErrInvalidStory, s.URI, i, src.Relation)
		}
		if sim := src.Similarity; math.IsNaN(sim) || sim < 0 || sim > 1 {
			return fmt.Errorf("%w: %s: sources[%d].similarity %v outside [0, 1]", ErrInvalidStory, s.URI, i, sim)
		}
	}
	return nil
}

// validKey checks a value used in a primary key: it must be stored byte for byte, so
// it cannot be repaired the way text content is.
func validKey(kind error, name, v string, limit int) error {
	switch {
	case len(v) > limit:
		return fmt.Errorf("%w: %s is %d bytes, limit %d", kind, name, len(v), limit)
	case !utf8.ValidString(v):
		return fmt.Errorf("%w: %s is not valid UTF-8", kind, name)
	case strings.ContainsRune(v, 0):
		return fmt.Errorf("%w: %s contains a NUL character", kind, name)
	}
	return nil
}

func validTime(kind error, uri, name string, t time.Time) error {
	if t.IsZero() {
		return nil
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return fmt.Errorf("%w: %s: %s year %d outside 1-9999", kind, uri, name, y)
	}
	return nil
}

// ValidateAppearance reports why a cannot be stored, wrapping ErrInvalidAppearance, or nil.
func ValidateAppearance(a pipeline.Appearance) error {
	if a.URI == "" {
		return fmt.Errorf("%w: empty uri", ErrInvalidAppearance)
	}
	if a.Source.Feed == "" {
		return fmt.Errorf("%w: %s: empty source feed", ErrInvalidAppearance, a.URI)
	}
	for _, k := range []struct {
		name, v string
		limit   int
	}{
		{"uri", a.URI, MaxURIBytes},
		{a.URI + ": source feed", a.Source.Feed, MaxFeedBytes},
		{a.URI + ": source guid", a.Source.GUID, MaxGUIDBytes},
		{a.URI + ": fingerprint", a.Fingerprint, MaxFingerprintBytes},
	} {
		if err := validKey(ErrInvalidAppearance, k.name, k.v, k.limit); err != nil {
			return err
		}
	}
	if err := validTime(ErrInvalidAppearance, a.URI, "source seen", a.Source.Seen); err != nil {
		return err
	}
	switch a.Source.Relation {
	case "", pipeline.RelationDuplicate, pipeline.RelationNearDuplicate, pipeline.RelationOriginal:
	default:
		return fmt.Errorf("%w: %s: relation %q, want %s or %s", ErrInvalidAppearance, a.URI,
			a.Source.Relation, pipeline.RelationDuplicate, pipeline.RelationNearDuplicate)
	}
	if sim := a.Source.Similarity; math.IsNaN(sim) || sim < 0 || sim > 1 {
		return fmt.Errorf("%w: %s: similarity %v outside [0, 1]", ErrInvalidAppearance, a.URI, sim)
	}
	return nil
}

// NormalizeAppearance returns a as the stores keep it: text repaired, seen in UTC to the
// microsecond, and an empty relation read as an exact duplicate.
func NormalizeAppearance(a pipeline.Appearance) pipeline.Appearance {
	n := a
	n.Source.URL = Text(a.Source.URL)
	n.Source.Seen = Time(a.Source.Seen)
	if n.Source.Relation == "" {
		n.Source.Relation = pipeline.RelationDuplicate
	}
	return n
}

// Time is t as the stores keep it: UTC, to the microsecond (PostgreSQL's precision).
func Time(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Text is s as the stores keep it: valid UTF-8 without NUL characters, which
// PostgreSQL text and jsonb refuse.
func Text(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.ReplaceAll(s, "\x00", "")
}

// Normalize returns s as a store's List returns it after storing it alone: text
// repaired (see Text), times in UTC to the microsecond, a kill's pubstatus canceled,
// sources unique by (feed, guid) keeping the first, sorted (see SortSources), never nil
// and marked original when they carry no relation, one version, no history, and dedupe
// data naming the story as its own cluster. s is not modified.
func Normalize(s pipeline.Story) pipeline.Story {
	n := s
	n.PubStatus = Text(s.PubStatus)
	if s.Verdict == pipeline.VerdictKill {
		n.PubStatus = pipeline.PubStatusCanceled
	}
	n.Verdict = Text(s.Verdict)
	n.Change = Text(s.Change)
	n.Versions = 1
	n.History = nil
	n.Language = Text(s.Language)
	n.FirstCreated = Time(s.FirstCreated)
	n.VersionCreated = Time(s.VersionCreated)
	n.By = Text(s.By)
	n.Located = Text(s.Located)
	n.Provider = Text(s.Provider)
	if s.Headlines != nil {
		n.Headlines = make([]pipeline.Headline, len(s.Headlines))
		for i, h := range s.Headlines {
			n.Headlines[i] = pipeline.Headline{Value: Text(h.Value), Role: Text(h.Role)}
		}
	}
	if s.Bodies != nil {
		n.Bodies = make([]pipeline.Body, len(s.Bodies))
		for i, b := range s.Bodies {
			n.Bodies[i] = pipeline.Body{Value: Text(b.Value), ContentType: Text(b.ContentType)}
		}
	}
	n.Dedupe = &pipeline.Dedupe{Cluster: s.URI}
	if s.Dedupe != nil {
		n.Dedupe.Fingerprint = s.Dedupe.Fingerprint
	}
	n.Sources = make([]pipeline.Source, 0, len(s.Sources))
	seen := make(map[[2]string]bool, len(s.Sources))
	for _, src := range s.Sources {
		k := [2]string{src.Feed, src.GUID}
		if seen[k] {
			continue
		}
		seen[k] = true
		rel := src.Relation
		if rel == "" {
			rel = pipeline.RelationOriginal
		}
		n.Sources = append(n.Sources, pipeline.Source{Feed: src.Feed, GUID: src.GUID, URL: Text(src.URL), Seen: Time(src.Seen),
			Relation: rel, Similarity: src.Similarity})
	}
	SortSources(n.Sources)
	return n
}

// SortSources orders appearances by when they were seen, then feed, guid and url.
func SortSources(src []pipeline.Source) {
	slices.SortStableFunc(src, func(a, b pipeline.Source) int {
		if c := a.Seen.Compare(b.Seen); c != 0 {
			return c
		}
		if c := strings.Compare(a.Feed, b.Feed); c != 0 {
			return c
		}
		if c := strings.Compare(a.GUID, b.GUID); c != 0 {
			return c
		}
		return strings.Compare(a.URL, b.URL)
	})
}

// Row is a story ready to be written: its columns, its JSON document and its sources.
type Row struct {
	URI            string
	Version        int
	PubStatus      string
	Language       string
	FirstCreated   time.Time // zero when unknown: stored as NULL
	VersionCreated time.Time
	Headline       string
	Body           string
	Byline         string
	Located        string
	Provider       string
	// Entities is what search finds a story by besides its words: the names of its
	// people, organisations and places with their other forms, one per line.
	Entities    string
	Fingerprint string
	Verdict     string
	Change      string
	// Doc is the story's JSON without its sources, version count and dedupe data, which
	// are read back from their own tables and columns.
	Doc     []byte
	Sources []pipeline.Source
}

// Rows validates and normalises a batch. Rows come out ordered by uri, keeping the
// batch order among versions of one uri: writers that take row locks in that order
// cannot deadlock each other.
func Rows(stories []pipeline.Story) ([]Row, error) {
	rows := make([]Row, 0, len(stories))
	for _, s := range stories {
		if err := Validate(s); err != nil {
			return nil, err
		}
		n := Normalize(s)
		sources := n.Sources
		n.Sources, n.Versions, n.Dedupe = nil, 0, nil
		doc, err := json.Marshal(n)
		if err != nil {
			return nil, fmt.Errorf("encode story %s: %w", s.URI, err)
		}
		var fp string
		if s.Dedupe != nil {
			fp = s.Dedupe.Fingerprint
		}
		rows = append(rows, Row{
			URI:            n.URI,
			Version:        n.Version,
			PubStatus:      n.PubStatus,
			Language:       n.Language,
			FirstCreated:   n.FirstCreated,
			VersionCreated: n.VersionCreated,
			Headline:       n.Headline(),
			Body:           n.Text(),
			Byline:         n.By,
			Located:        n.Located,
			Provider:       n.Provider,
			Entities:       EntityNames(n),
			Fingerprint:    fp,
			Verdict:        n.Verdict,
			Change:         n.Change,
			Doc:            doc,
			Sources:        sources,
		})
	}
	slices.SortStableFunc(rows, func(a, b Row) int { return strings.Compare(a.URI, b.URI) })
	return rows, nil
}

// EntityNames lists the names search finds s by: every form of its people,
// organisations and places, its dateline place and its provider, one per line, each
// once, cut at SearchEntitiesChars.
func EntityNames(s pipeline.Story) string {
	var b strings.Builder
	seen := map[string]bool{}
	add := func(names ...string) {
		for _, n := range names {
			if n == "" || seen[n] || b.Len()+len(n) >= SearchEntitiesChars {
				continue
			}
			seen[n] = true
			b.WriteString(n)
			b.WriteByte('\n')
		}
	}
	for _, list := range [][]pipeline.Entity{s.People, s.Organisations} {
		for _, e := range list {
			add(e.Name)
			add(e.Aliases...)
		}
	}
	for _, p := range s.Places {
		add(p.Name)
		add(p.Aliases...)
	}
	if s.Location != nil {
		add(s.Location.Name)
	}
	add(s.Located, s.Provider)
	return b.String()
}

// Stored is what a backend reads back of one story besides its document.
type Stored struct {
	FirstCreated time.Time // the earliest seen across versions; zero when unknown
	Fingerprint  string
	Versions     int // rows in the version history
	Sources      []pipeline.Source
}

// Restore rebuilds a stored story from its document and the rest of what was stored.
// Every stored story is canonical: its dedupe cluster is its own uri.
func Restore(doc []byte, st Stored) (pipeline.Story, error) {
	var s pipeline.Story
	if err := json.Unmarshal(doc, &s); err != nil {
		return pipeline.Story{}, fmt.Errorf("decode stored story: %w", err)
	}
	s.FirstCreated = Time(st.FirstCreated)
	s.Versions = max(st.Versions, 1)
	s.Dedupe = &pipeline.Dedupe{Fingerprint: st.Fingerprint, Cluster: s.URI}
	sources := st.Sources
	s.Sources = make([]pipeline.Source, len(sources))
	copy(s.Sources, sources)
	SortSources(s.Sources)
	return s, nil
}

// Batch validates and prepares one write: the stories as rows and the appearances
// normalised. Any invalid item rejects the whole batch.
func Batch(stories []pipeline.Story, appearances []pipeline.Appearance) ([]Row, []pipeline.Appearance, error) {
	rows, err := Rows(stories)
	if err != nil {
		return nil, nil, err
	}
	apps, err := Appearances(appearances)
	if err != nil {
		return nil, nil, err
	}
	return rows, apps, nil
}

// Appearances validates and normalises a batch of appearances (see NormalizeAppearance),
// ordered by uri, keeping the batch order within a uri.
func Appearances(as []pipeline.Appearance) ([]pipeline.Appearance, error) {
	out := make([]pipeline.Appearance, 0, len(as))
	for _, a := range as {
		if err := ValidateAppearance(a); err != nil {
			return nil, err
		}
		out = append(out, NormalizeAppearance(a))
	}
	slices.SortStableFunc(out, func(a, b pipeline.Appearance) int { return strings.Compare(a.URI, b.URI) })
	return out, nil
}
