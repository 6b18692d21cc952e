package feed

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// Feed state on the compacted topic
//
// A feed's state is two records on the feed-state topic, both placed by the feed id
// (StateRoutingKey), so the replica owning the feed's partition finds both:
//
//   - key "<feed id>": FeedState without the seen items, {"schema":"wirehose.feedstate/1",
//     "data":{...}} — a few hundred bytes, written after every poll;
//   - key "<feed id>#seen": the seen items, {"schema":"wirehose.feedseen/1","data":{...}} —
//     up to 16 bytes an item, written only when they changed (a poll that found something
//     new or changed, or saw the document reordered).
//
// Splitting them keeps a poll answered 304 — most polls — from rewriting a seen list of
// up to 5,000 items. A tombstone (a record without a value) on both keys forgets the feed.

// Schemas of the feed-state records. A reader accepts exactly these; anything else is an
// error, never a guess.
const (
	SchemaFeedState = "wirehose.feedstate/1"
	SchemaFeedSeen  = "wirehose.feedseen/1"
)

// seenKeySuffix ends the key of a feed's seen-items record. Feed ids never contain '#'.
const seenKeySuffix = "#seen"

// FeedState is what ingest remembers about one feed between polls.
type FeedState struct {
	Feed       string        `json:"feed"`
	Validators Validators    `json:"validators,omitzero"`
	Schedule   ScheduleState `json:"schedule,omitzero"`
	LastStatus int           `json:"last_status,omitempty"` // HTTP status of the last answer; 0 when there was none
	Counters   FeedCounters  `json:"counters,omitzero"`
	// Seen is stored in its own record; see EncodeSeen.
	Seen Seen `json:"-"`
}

// FeedCounters count a feed's polls since its state was first written.
type FeedCounters struct {
	Polls       int64 `json:"polls,omitempty"`
	NotModified int64 `json:"not_modified,omitempty"`
	Failures    int64 `json:"failures,omitempty"`
	New         int64 `json:"new,omitempty"`     // items emitted as new
	Changed     int64 `json:"changed,omitempty"` // items emitted as changed
}

// Seen remembers the items of a feed already emitted: for each, a 64-bit digest of its
// story key and one of its content hash, most recently present in the feed first, at
// most a bound (PollerConfig.MaxSeenPerFeed) of them. An item is 16 bytes, in memory and
// on the topic (base64 adds a third there): the default bound of 5,000 items is 80 KB a
// feed at most, ~107 KB encoded. A Seen is never modified in place, so a copy is safe.
type Seen struct {
	entries []seenEntry
}

type seenEntry struct{ key, hash uint64 }

// Len is the number of items remembered.
func (s Seen) Len() int { return len(s.entries) }

// digest64 is the first 8 bytes of a SHA-256: at 5,000 items a feed, two keys collide
// with a probability around 10⁻¹².
func digest64(s string) uint64 {
	sum := sha256.Sum256([]byte(s))
	return binary.BigEndian.Uint64(sum[:8])
}

func newSeenEntry(storyKey, contentHash string) seenEntry {
	return seenEntry{key: digest64(storyKey), hash: digest64(contentHash)}
}

// hashes returns the content-hash digest of each of keys that is remembered.
func (s Seen) hashes(keys map[uint64]bool) map[uint64]uint64 {
	out := make(map[uint64]uint64, len(keys))
	for _, e := range s.entries {
		if keys[e.key] {
			out[e.key] = e.hash
		}
	}
	return out
}

// update returns the Seen after a poll found present (the document's items, in document
// order, without repeats): they come first, then the remembered items absent from the
// document, most recent first, cut to limit. evicted counts the items forgotten.
// changed is false, and s itself is returned, when nothing differs.
func (s Seen) update(present []seenEntry, limit int) (next Seen, evicted int, changed bool) {
	if len(present) <= len(s.entries) && equalEntries(present, s.entries[:len(present)]) {
		// The same items at the top in the same order: nothing moves.
		return s, 0, false
	}
	inDoc := make(map[uint64]bool, len(present))
	for _, e := range present {
		inDoc[e.key] = true
	}
	entries := make([]seenEntry, 0, min(len(present)+len(s.entries), max(limit, len(present))))
	entries = append(entries, present...)
	for _, e := range s.entries {
		if inDoc[e.key] {
			continue
		}
		if len(entries) >= limit {
			evicted++
			continue
		}
		entries = append(entries, e)
	}
	if len(entries) > limit {
		evicted += len(entries) - limit
		entries = entries[:limit]
	}
	return Seen{entries: entries}, evicted, true
}

func equalEntries(a, b []seenEntry) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// StateKey is the key of a feed's state record.
func StateKey(feedID string) string { return feedID }

// SeenKey is the key of a feed's seen-items record.
func SeenKey(feedID string) string { return feedID + seenKeySuffix }

// StateRoutingKey is the part of a feed-state record's key that decides its partition:
// the feed id, so a feed's records share the partition that decides its owner.
func StateRoutingKey(key []byte) []byte {
	s := string(key)
	if id, ok := strings.CutSuffix(s, seenKeySuffix); ok {
		return []byte(id)
	}
	return key
}

type stateEnvelope struct {
	Schema string          `json:"schema"`
	Data   json.RawMessage `json:"data"`
}

type seenData struct {
	Feed  string `json:"feed"`
	Items string `json:"items"` // base64 of 16 bytes an item: key digest, content digest
}

// EncodeState wraps st, without its seen items, in its envelope.
func EncodeState(st FeedState) ([]byte, error) {
	if st.Feed == "" {
		return nil, errors.New("encode feed state: no feed id")
	}
	return encodeEnvelope(SchemaFeedState, st)
}

// DecodeState reads a state envelope; the result has no seen items. An unknown schema
// is pipeline.ErrUnknownSchema.
func DecodeState(b []byte) (FeedState, error) {
	var st FeedState
	if err := decodeEnvelope(b, SchemaFeedState, &st); err != nil {
		return FeedState{}, err
	}
	if st.Feed == "" {
		return FeedState{}, fmt.Errorf("decode %s: no feed id", SchemaFeedState)
	}
	return st, nil
}

// EncodeSeen wraps a feed's seen items in their envelope.
func EncodeSeen(feedID string, s Seen) ([]byte, error) {
	if feedID == "" {
		return nil, errors.New("encode seen items: no feed id")
	}
	raw := make([]byte, 16*len(s.entries))
	for i, e := range s.entries {
		binary.BigEndian.PutUint64(raw[16*i:], e.key)
		binary.BigEndian.PutUint64(raw[16*i+8:], e.hash)
	}
	return encodeEnvelope(SchemaFeedSeen, seenData{Feed: feedID, Items: base64.StdEncoding.EncodeToString(raw)})
}

// DecodeSeen reads a seen-items envelope.
func DecodeSeen(b []byte) (feedID string, s Seen, err error) {
	var d seenData
	if err := decodeEnvelope(b, SchemaFeedSeen, &d); err != nil {
		return "", Seen{}, err
	}
	if d.Feed == "" {
		return "", Seen{}, fmt.Errorf("decode %s: no feed id", SchemaFeedSeen)
	}
	raw, err := base64.StdEncoding.DecodeString(d.Items)
	if err != nil {
		return "", Seen{}, fmt.Errorf("decode %s of feed %s: items: %w", SchemaFeedSeen, d.Feed, err)
	}
	if len(raw)%16 != 0 {
		return "", Seen{}, fmt.Errorf("decode %s of feed %s: items: %d bytes is not a whole number of 16-byte items", SchemaFeedSeen, d.Feed, len(raw))
	}
	entries := make([]seenEntry, len(raw)/16)
	for i := range entries {
		entries[i] = seenEntry{key: binary.BigEndian.Uint64(raw[16*i:]), hash: binary.BigEndian.Uint64(raw[16*i+8:])}
	}
	return d.Feed, Seen{entries: entries}, nil
}

func encodeEnvelope(schema string, v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", schema, err)
	}
	return json.Marshal(stateEnvelope{Schema: schema, Data: data})
}

func decodeEnvelope(b []byte, want string, v any) error {
	var env stateEnvelope
	if err := json.Unmarshal(b, &env); err != nil {
		return fmt.Errorf("decode feed state envelope: %w", err)
	}
	if env.Schema != want {
		return fmt.Errorf("%w: got %q, want %q", pipeline.ErrUnknownSchema, env.Schema, want)
	}
	if err := json.Unmarshal(env.Data, v); err != nil {
		return fmt.Errorf("decode %s: %w", want, err)
	}
	return nil
}

// StateRecord is one record of the feed-state topic; a nil Value is a tombstone.
type StateRecord struct {
	Key   string
	Value []byte
}

// StateRecords are the records that store st: its seen items first (when withSeen), then
// the state. Written in this order, a crash between the two leaves the new seen items
// with the old validators: the next poll fetches the document again and finds nothing
// new in it, where the reverse order could skip the document and forget its items.
func StateRecords(st FeedState, withSeen bool) ([]StateRecord, error) {
	var out []StateRecord
	if withSeen {
		b, err := EncodeSeen(st.Feed, st.Seen)
		if err != nil {
			return nil, err
		}
		out = append(out, StateRecord{Key: SeenKey(st.Feed), Value: b})
	}
	b, err := EncodeState(st)
	if err != nil {
		return nil, err
	}
	return append(out, StateRecord{Key: StateKey(st.Feed), Value: b}), nil
}

// ForgetRecords are the tombstones that make the topic forget a feed.
func ForgetRecords(feedID string) []StateRecord {
	return []StateRecord{{Key: SeenKey(feedID)}, {Key: StateKey(feedID)}}
}

// DecodeStates rebuilds feed states from the latest record of each key of the topic
// (tombstoned keys are simply absent). A feed whose records do not decode is left out
// and named in the returned error, so one bad record costs one feed, not all.
func DecodeStates(records map[string][]byte) (map[string]FeedState, error) {
	states := make(map[string]FeedState, len(records))
	bad := map[string]error{}
	for key, value := range records {
		if len(value) == 0 {
			continue
		}
		if id, ok := strings.CutSuffix(key, seenKeySuffix); ok {
			feedID, seen, err := DecodeSeen(value)
			if err == nil && feedID != id {
				err = fmt.Errorf("record of feed %s under key %q", feedID, key)
			}
			if err != nil {
				bad[id] = errors.Join(bad[id], fmt.Errorf("key %q: %w", key, err))
				continue
			}
			st := states[id]
			st.Feed, st.Seen = id, seen
			states[id] = st
			continue
		}
		st, err := DecodeState(value)
		if err == nil && st.Feed != key {
			err = fmt.Errorf("record of feed %s under key %q", st.Feed, key)
		}
		if err != nil {
			bad[key] = errors.Join(bad[key], fmt.Errorf("key %q: %w", key, err))
			continue
		}
		st.Seen = states[key].Seen
		states[key] = st
	}
	var errs []error
	for id, err := range bad {
		delete(states, id)
		errs = append(errs, fmt.Errorf("feed %s: %w", id, err))
	}
	if len(errs) > 0 {
		return states, &StateDecodeError{Feeds: sortedKeys(bad), Err: errors.Join(errs...)}
	}
	return states, nil
}

// StateDecodeError names the feeds whose stored state could not be read.
type StateDecodeError struct {
	Feeds []string
	Err   error
}

func (e *StateDecodeError) Error() string {
	return fmt.Sprintf("stored state of %d feeds unreadable: %v", len(e.Feeds), e.Err)
}

func (e *StateDecodeError) Unwrap() error { return e.Err }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// memoryStateStore keeps feed states in memory: the Poller's store when it is given none
// (a process that needs no durability), and the tests'. Safe for concurrent use.
type memoryStateStore struct {
	partitions int
	mu         sync.Mutex
	states     map[string]FeedState
	saves      int // successful Saves
	// fail, when set, makes Save fail with it (tests simulate an outage).
	fail error
}

// newMemoryStateStore returns an empty store over the given number of partitions (at
// least one).
func newMemoryStateStore(partitions int) *memoryStateStore {
	return &memoryStateStore{partitions: max(partitions, 1), states: map[string]FeedState{}}
}

// Partitions is the number of partitions.
func (m *memoryStateStore) Partitions() int { return m.partitions }

// Partition places a feed by an FNV-1a hash of its id.
func (m *memoryStateStore) Partition(feedID string) int {
	h := fnv.New32a()
	h.Write([]byte(feedID))
	return int(h.Sum32() % uint32(m.partitions))
}

// Load returns the stored states of the feeds on partitions.
func (m *memoryStateStore) Load(_ context.Context, partitions []int) (map[string]FeedState, error) {
	want := make(map[int]bool, len(partitions))
	for _, p := range partitions {
		want[p] = true
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]FeedState{}
	for id, st := range m.states {
		if want[m.Partition(id)] {
			out[id] = st
		}
	}
	return out, nil
}

// Save stores st; withSeen says whether its seen items are stored too.
func (m *memoryStateStore) Save(_ context.Context, st FeedState, withSeen bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	if !withSeen {
		st.Seen = m.states[st.Feed].Seen
	}
	m.states[st.Feed] = st
	m.saves++
	return nil
}

// SetFailure makes every Save fail with err until it is called with nil.
func (m *memoryStateStore) SetFailure(err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.fail = err
}

// Stored returns a copy of what the store holds.
func (m *memoryStateStore) Stored() map[string]FeedState {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.states)
}
