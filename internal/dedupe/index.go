package dedupe

import (
	"bytes"
	"container/list"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"
)

// The index is a table kept in the compacted dedupe topic and materialised by every enrich
// worker. Each decision writes its records to the topic; every worker applies every record,
// its own included, so all of them converge on one table, and a new worker rebuilds it by
// reading the topic. Two kinds of record:
//
//	u:<uri>          the latest version of a story as decided (an Entry), or, for a copy of
//	                 another story, which story it copies
//	f:<fingerprint>  the canonical story that first had this text
//
// Values are JSON in an envelope naming RecordSchema; a record without a value (a
// tombstone) removes its key.

// RecordSchema names the envelope of the dedupe topic's values.
const RecordSchema = "wirehose.dedupe/1"

// Key prefixes of the dedupe topic.
const (
	uriKeyPrefix         = "u:"
	fingerprintKeyPrefix = "f:"
)

// Defaults of Config.
const (
	DefaultWindow     = 7 * 24 * time.Hour
	DefaultMaxEntries = 100000
)

// ErrBadRecord is returned by Apply for a record it cannot read; the record is skipped.
var ErrBadRecord = errors.New("bad dedupe record")

// Config bounds the index.
type Config struct {
	// Window is how long a story is remembered after it was last decided.
	Window time.Duration
	// MaxEntries bounds the stories remembered (and, separately, the fingerprints); the
	// oldest go first.
	MaxEntries int
}

func (c Config) withDefaults() Config {
	if c.Window <= 0 {
		c.Window = DefaultWindow
	}
	if c.MaxEntries <= 0 {
		c.MaxEntries = DefaultMaxEntries
	}
	return c
}

// Position is where a raw message was read. A message read again from the same position is
// a redelivery of the one that made the decision, not a repeat of it: its outputs may never
// have been written.
type Position struct {
	Topic     string `json:"topic"`
	Partition int    `json:"partition"`
	Offset    int64  `json:"offset"`
}

// Known reports whether the position came from a broker; messages built without one
// (tests, replays from files) carry none.
func (p Position) Known() bool { return p.Topic != "" }

// Entry is what the index keeps of one story uri.
type Entry struct {
	URI            string    `json:"uri"`
	Version        int       `json:"version"` // 0 for a copy of another story
	Verdict        string    `json:"verdict,omitempty"`
	Change         string    `json:"change,omitempty"`
	Fingerprint    string    `json:"fingerprint,omitempty"`
	Headline       string    `json:"headline,omitempty"`
	VersionCreated time.Time `json:"versioncreated"`
	PubStatus      string    `json:"pubstatus,omitempty"`
	// Cluster is the canonical story's uri: the entry's own for a story, another's for a copy.
	Cluster    string    `json:"cluster"`
	Relation   string    `json:"relation,omitempty"` // for a copy: duplicate or near_duplicate
	Similarity float64   `json:"similarity,omitempty"`
	Signature  Signature `json:"signature"`
	Seen       time.Time `json:"seen"` // when the decision was made (the item's fetch time)
	From       Position  `json:"from"` // the raw message that made it
}

// Canonical reports whether the entry is a story of its own rather than a copy of another.
func (e Entry) Canonical() bool { return e.Cluster == e.URI }

// Previous is the entry as the version decision needs it.
func (e Entry) Previous() *Previous {
	return &Previous{Version: e.Version, Fingerprint: e.Fingerprint, Headline: e.Headline,
		PubStatus: e.PubStatus, VersionCreated: e.VersionCreated}
}

// Record is one record of the dedupe topic. A nil Value is a tombstone.
type Record struct {
	Key   []byte
	Value []byte
}

// recordValue is the envelope of a record's value: exactly one of the kinds is set.
type recordValue struct {
	Schema      string       `json:"schema"`
	Story       *Entry       `json:"story,omitempty"`
	Fingerprint *fingerprint `json:"fingerprint,omitempty"`
}

// fingerprint maps a text fingerprint to the canonical story that has it.
type fingerprint struct {
	FP   string    `json:"-"`
	URI  string    `json:"uri"`
	Seen time.Time `json:"seen"`
}

// Index is the in-memory dedupe index. It is safe for concurrent use.
type Index struct {
	cfg Config
	now func() time.Time

	mu    sync.Mutex
	uris  map[string]*list.Element // of *Entry
	byAge *list.List               // of *Entry, least recently decided first
	fps   map[string]*list.Element // of *fingerprint
	fpAge *list.List               // of *fingerprint, oldest first
	near  *NearIndex               // canonical stories with text, by uri
}

// NewIndex returns an empty index. Zero fields of cfg take their defaults.
func NewIndex(cfg Config) *Index {
	return &Index{
		cfg:   cfg.withDefaults(),
		now:   time.Now,
		uris:  make(map[string]*list.Element),
		byAge: list.New(),
		fps:   make(map[string]*list.Element),
		fpAge: list.New(),
		near:  NewNearIndex(),
	}
}

// SetClock replaces the clock the window is measured with (tests, replays of old data).
func (x *Index) SetClock(now func() time.Time) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.now = now
}

// Len returns how many stories and fingerprints the index holds.
func (x *Index) Len() (stories, fingerprints int) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.uris), len(x.fps)
}

// Lookup returns the entry of uri, if it is within the window.
func (x *Index) Lookup(uri string) (Entry, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	el, ok := x.uris[uri]
	if !ok {
		return Entry{}, false
	}
	e := el.Value.(*Entry)
	if x.expired(e.Seen) {
		return Entry{}, false
	}
	return *e, true
}

// Canonical returns the uri of the canonical story whose text has fingerprint fp.
func (x *Index) Canonical(fp string) (string, bool) {
	if fp == "" {
		return "", false
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.fpOwner(fp)
}

// Nearest returns the canonical story most similar to sig, other than exclude, when it is
// at least NearThreshold similar.
func (x *Index) Nearest(sig Signature, exclude string) (uri string, similarity float64, ok bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.near.Nearest(sig, exclude)
}

// Put records a decision about e.URI and returns the records that make it durable: the
// story's record and, for a canonical story whose fingerprint no other story holds, the
// fingerprint's. The index reflects the decision at once, so later lookups see it before
// the records come back from the topic.
func (x *Index) Put(e Entry) ([]Record, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []Record
	r, err := encodeRecord(uriKeyPrefix+e.URI, recordValue{Schema: RecordSchema, Story: &e})
	if err != nil {
		return nil, err
	}
	out = append(out, r)
	x.applyEntry(&e)
	if e.Canonical() && e.Fingerprint != "" {
		owner, owned := x.fpOwner(e.Fingerprint)
		if !owned || owner == e.URI {
			f := fingerprint{FP: e.Fingerprint, URI: e.URI, Seen: e.Seen}
			r, err := encodeRecord(fingerprintKeyPrefix+e.Fingerprint, recordValue{Schema: RecordSchema, Fingerprint: &f})
			if err != nil {
				return nil, err
			}
			out = append(out, r)
			x.applyFingerprint(&f)
		}
	}
	return out, nil
}

// Apply applies one record of the dedupe topic, read at restore or while tailing. Records
// older than the window are ignored. A story record never replaces a higher version of the
// same uri (the worker's own, newer decision may be ahead of the topic); a fingerprint
// record replaces the one before it, as compaction does, so every worker ends with the
// topic's last word. An unreadable record is an error wrapping ErrBadRecord and changes
// nothing.
func (x *Index) Apply(r Record) error {
	key := string(r.Key)
	var kind, id string
	switch {
	case len(key) > len(uriKeyPrefix) && key[:len(uriKeyPrefix)] == uriKeyPrefix:
		kind, id = uriKeyPrefix, key[len(uriKeyPrefix):]
	case len(key) > len(fingerprintKeyPrefix) && key[:len(fingerprintKeyPrefix)] == fingerprintKeyPrefix:
		kind, id = fingerprintKeyPrefix, key[len(fingerprintKeyPrefix):]
	default:
		return fmt.Errorf("dedupe: record key %q: %w: unknown kind", key, ErrBadRecord)
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if len(r.Value) == 0 {
		if kind == uriKeyPrefix {
			if el, ok := x.uris[id]; ok {
				x.removeEntry(el)
			}
		} else if el, ok := x.fps[id]; ok {
			x.removeFingerprint(el)
		}
		return nil
	}
	var v recordValue
	dec := json.NewDecoder(bytes.NewReader(r.Value))
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("dedupe: record %q: %w: %w", key, ErrBadRecord, err)
	}
	if v.Schema != RecordSchema {
		return fmt.Errorf("dedupe: record %q: %w: schema %q, want %q", key, ErrBadRecord, v.Schema, RecordSchema)
	}
	switch {
	case kind == uriKeyPrefix && v.Story != nil:
		if v.Story.URI != id {
			return fmt.Errorf("dedupe: record %q: %w: holds uri %q", key, ErrBadRecord, v.Story.URI)
		}
		if x.expired(v.Story.Seen) {
			return nil
		}
		if el, ok := x.uris[id]; ok && el.Value.(*Entry).Version > v.Story.Version {
			return nil
		}
		x.applyEntry(v.Story)
	case kind == fingerprintKeyPrefix && v.Fingerprint != nil:
		if v.Fingerprint.URI == "" {
			return fmt.Errorf("dedupe: record %q: %w: no uri", key, ErrBadRecord)
		}
		if x.expired(v.Fingerprint.Seen) {
			return nil
		}
		v.Fingerprint.FP = id
		x.applyFingerprint(v.Fingerprint)
	default:
		return fmt.Errorf("dedupe: record %q: %w: value of another kind", key, ErrBadRecord)
	}
	return nil
}

// Expire drops what is older than the window. Lookups already ignore it; this frees it.
func (x *Index) Expire() {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.evict()
}

func (x *Index) expired(seen time.Time) bool { return x.now().Sub(seen) >= x.cfg.Window }

func (x *Index) fpOwner(fp string) (string, bool) {
	el, ok := x.fps[fp]
	if !ok {
		return "", false
	}
	f := el.Value.(*fingerprint)
	if x.expired(f.Seen) {
		return "", false
	}
	return f.URI, true
}

// applyEntry replaces the entry of e.URI with e and keeps the near index in step: it holds
// the canonical stories that have text.
func (x *Index) applyEntry(e *Entry) {
	if el, ok := x.uris[e.URI]; ok {
		x.removeEntry(el)
	}
	x.uris[e.URI] = x.byAge.PushBack(e)
	if e.Canonical() && e.Fingerprint != "" {
		x.near.Add(e.URI, e.Signature)
	}
	x.evict()
}

func (x *Index) applyFingerprint(f *fingerprint) {
	if el, ok := x.fps[f.FP]; ok {
		x.removeFingerprint(el)
	}
	x.fps[f.FP] = x.fpAge.PushBack(f)
	x.evict()
}

func (x *Index) removeEntry(el *list.Element) {
	e := el.Value.(*Entry)
	delete(x.uris, e.URI)
	x.byAge.Remove(el)
	x.near.Remove(e.URI)
}

func (x *Index) removeFingerprint(el *list.Element) {
	delete(x.fps, el.Value.(*fingerprint).FP)
	x.fpAge.Remove(el)
}

// evict drops entries older than the window from the front of each list, then the oldest
// beyond MaxEntries. Entries behind a younger one (decided out of time order, or restored
// from several partitions) wait their turn; lookups ignore them meanwhile.
func (x *Index) evict() {
	for el := x.byAge.Front(); el != nil && (x.byAge.Len() > x.cfg.MaxEntries || x.expired(el.Value.(*Entry).Seen)); el = x.byAge.Front() {
		x.removeEntry(el)
	}
	for el := x.fpAge.Front(); el != nil && (x.fpAge.Len() > x.cfg.MaxEntries || x.expired(el.Value.(*fingerprint).Seen)); el = x.fpAge.Front() {
		x.removeFingerprint(el)
	}
}

func encodeRecord(key string, v recordValue) (Record, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return Record{}, fmt.Errorf("dedupe: encode record %q: %w", key, err)
	}
	return Record{Key: []byte(key), Value: b}, nil
}
