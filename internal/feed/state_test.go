package feed

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

func seenOf(keys ...string) Seen {
	var s Seen
	for _, k := range keys {
		s.entries = append(s.entries, newSeenEntry(k, "hash of "+k))
	}
	return s
}

func sampleState() FeedState {
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	return FeedState{
		Feed:       "afp-world",
		Validators: Validators{ETag: `"v42"`, LastModified: "Wed, 04 Mar 2026 05:06:07 GMT"},
		Schedule: ScheduleState{
			Interval: 5 * time.Minute, Cadence: 12 * time.Minute, LastPoll: at, LastSuccess: at.Add(-time.Hour),
			ConsecutiveErrors: 3, LastError: "http 503 Service Unavailable, retry after 2m", LastErrorAt: at,
			NextPoll: at.Add(2 * time.Minute), Silent: true,
		},
		LastStatus: 503,
		Counters:   FeedCounters{Polls: 100, NotModified: 80, Failures: 3, New: 40, Changed: 2},
		Seen:       seenOf("urn:a", "urn:b", "urn:c"),
	}
}

func TestEncodeDecodeState(t *testing.T) {
	tests := []struct {
		name string
		st   FeedState
	}{
		{"full state", sampleState()},
		{"never polled", FeedState{Feed: "new-feed"}},
		{"only validators", FeedState{Feed: "f", Validators: Validators{ETag: `W/"x"`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodeState(tt.st)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(b), `{"schema":"wirehose.feedstate/1","data":{`) {
				t.Errorf("encoded %s, want the feedstate envelope", b)
			}
			got, err := DecodeState(b)
			if err != nil {
				t.Fatalf("DecodeState: %v", err)
			}
			want := tt.st
			want.Seen = Seen{} // stored in its own record
			if !reflect.DeepEqual(got, want) {
				t.Errorf("round trip:\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestDecodeStateRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want error  // errors.Is, or nil
		text string // substring of the error
	}{
		{"newer schema", `{"schema":"wirehose.feedstate/2","data":{"feed":"a"}}`, pipeline.ErrUnknownSchema, "wirehose.feedstate/2"},
		{"seen record where a state is expected", `{"schema":"wirehose.feedseen/1","data":{"feed":"a","items":""}}`, pipeline.ErrUnknownSchema, "feedseen"},
		{"no schema", `{"data":{"feed":"a"}}`, pipeline.ErrUnknownSchema, `got ""`},
		{"not json", `feed a`, nil, "envelope"},
		{"wrong field type", `{"schema":"wirehose.feedstate/1","data":{"feed":"a","last_status":"ok"}}`, nil, "decode wirehose.feedstate/1"},
		{"no feed id", `{"schema":"wirehose.feedstate/1","data":{}}`, nil, "no feed id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := DecodeState([]byte(tt.in))
			if err == nil {
				t.Fatal("DecodeState succeeded, want an error")
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("error %v is not %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.text) {
				t.Errorf("error %q does not say %q", err, tt.text)
			}
		})
	}
}

func TestEncodeDecodeSeen(t *testing.T) {
	tests := []struct {
		name string
		seen Seen
	}{
		{"empty", Seen{}},
		{"three items", seenOf("urn:a", "urn:b", "urn:c")},
		{"many items", seenOf(strings.Split(strings.Repeat("k,", 300), ",")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := EncodeSeen("f", tt.seen)
			if err != nil {
				t.Fatal(err)
			}
			id, got, err := DecodeSeen(b)
			if err != nil {
				t.Fatalf("DecodeSeen: %v", err)
			}
			if id != "f" || !equalEntries(got.entries, tt.seen.entries) {
				t.Errorf("round trip: %s %d items, want f %d items", id, got.Len(), tt.seen.Len())
			}
		})
	}
	for name, in := range map[string]string{
		"newer schema":     `{"schema":"wirehose.feedseen/2","data":{"feed":"f","items":""}}`,
		"not base64":       `{"schema":"wirehose.feedseen/1","data":{"feed":"f","items":"!!"}}`,
		"partial item":     `{"schema":"wirehose.feedseen/1","data":{"feed":"f","items":"AAAA"}}`,
		"no feed id":       `{"schema":"wirehose.feedseen/1","data":{"items":""}}`,
		"items not string": `{"schema":"wirehose.feedseen/1","data":{"feed":"f","items":3}}`,
	} {
		t.Run("rejects "+name, func(t *testing.T) {
			if _, _, err := DecodeSeen([]byte(in)); err == nil {
				t.Error("DecodeSeen succeeded, want an error")
			}
		})
	}
}

func TestStateRecordsAndRouting(t *testing.T) {
	st := sampleState()
	recs, err := StateRecords(st, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0].Key != "afp-world#seen" || recs[1].Key != "afp-world" {
		t.Fatalf("records %v, want the seen record first, then the state", keysOfRecords(recs))
	}
	for _, r := range recs {
		if got := string(StateRoutingKey([]byte(r.Key))); got != "afp-world" {
			t.Errorf("routing key of %q = %q, want the feed id", r.Key, got)
		}
	}
	if recs, _ := StateRecords(st, false); len(recs) != 1 || recs[0].Key != "afp-world" {
		t.Errorf("records without seen items: %v", keysOfRecords(recs))
	}
	for _, r := range ForgetRecords("afp-world") {
		if r.Value != nil {
			t.Errorf("forget record %q has a value, want a tombstone", r.Key)
		}
	}
}

func keysOfRecords(recs []StateRecord) []string {
	var ks []string
	for _, r := range recs {
		ks = append(ks, r.Key)
	}
	return ks
}

func TestDecodeStates(t *testing.T) {
	table := func(recs ...[]StateRecord) map[string][]byte {
		m := map[string][]byte{}
		for _, rs := range recs {
			for _, r := range rs {
				if r.Value == nil {
					delete(m, r.Key) // what the compacted reader does with a tombstone
					continue
				}
				m[r.Key] = r.Value
			}
		}
		return m
	}
	records := func(st FeedState, withSeen bool) []StateRecord {
		rs, err := StateRecords(st, withSeen)
		if err != nil {
			t.Fatal(err)
		}
		return rs
	}
	a := sampleState()
	b := FeedState{Feed: "b", LastStatus: 200}
	tests := []struct {
		name      string
		records   map[string][]byte
		wantFeeds []string
		wantSeen  map[string]int
		wantBad   []string
	}{
		{"state and seen", table(records(a, true)), []string{"afp-world"}, map[string]int{"afp-world": 3}, nil},
		{"a later state keeps the seen record", table(records(a, true), records(FeedState{Feed: a.Feed}, false)),
			[]string{"afp-world"}, map[string]int{"afp-world": 3}, nil},
		{"seen without state (crash between the writes)", table(records(a, true)[:1]), []string{"afp-world"}, map[string]int{"afp-world": 3}, nil},
		{"forgotten feed", table(records(a, true), records(b, false), ForgetRecords(a.Feed)), []string{"b"}, map[string]int{"b": 0}, nil},
		{"unreadable record costs its feed only", func() map[string][]byte {
			m := table(records(a, true), records(b, false))
			m["b"] = []byte(`{"schema":"wirehose.feedstate/9","data":{"feed":"b"}}`)
			return m
		}(), []string{"afp-world"}, map[string]int{"afp-world": 3}, []string{"b"}},
		{"record under another feed's key", func() map[string][]byte {
			m := table(records(a, true))
			m["c"] = m["afp-world"]
			return m
		}(), []string{"afp-world"}, map[string]int{"afp-world": 3}, []string{"c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeStates(tt.records)
			var de *StateDecodeError
			switch {
			case tt.wantBad == nil && err != nil:
				t.Fatalf("DecodeStates: %v", err)
			case tt.wantBad != nil && (!errors.As(err, &de) || fmt.Sprint(de.Feeds) != fmt.Sprint(tt.wantBad)):
				t.Fatalf("DecodeStates error = %v, want one naming %v", err, tt.wantBad)
			}
			if fmt.Sprint(sortedKeys(got)) != fmt.Sprint(tt.wantFeeds) {
				t.Errorf("feeds %v, want %v", sortedKeys(got), tt.wantFeeds)
			}
			for id, n := range tt.wantSeen {
				if got[id].Seen.Len() != n || got[id].Feed != id {
					t.Errorf("feed %s: %+v with %d seen items, want %d", id, got[id], got[id].Seen.Len(), n)
				}
			}
		})
	}
}

func TestSeenUpdate(t *testing.T) {
	entries := func(keys ...string) []seenEntry { return seenOf(keys...).entries }
	tests := []struct {
		name        string
		before      Seen
		present     []string
		limit       int
		want        []string
		wantEvicted int
		wantChanged bool
	}{
		{"first poll", Seen{}, []string{"a", "b"}, 5, []string{"a", "b"}, 0, true},
		{"same document", seenOf("a", "b"), []string{"a", "b"}, 5, []string{"a", "b"}, 0, false},
		{"fewer items, same top", seenOf("a", "b", "c"), []string{"a", "b"}, 5, []string{"a", "b", "c"}, 0, false},
		{"new item on top", seenOf("a", "b"), []string{"c", "a", "b"}, 5, []string{"c", "a", "b"}, 0, true},
		{"absent items stay behind", seenOf("a", "b", "c"), []string{"d", "b"}, 5, []string{"d", "b", "a", "c"}, 0, true},
		{"oldest absent evicted at the bound", seenOf("a", "b", "c"), []string{"d", "e"}, 3, []string{"d", "e", "a"}, 2, true},
		{"document longer than the bound", Seen{}, []string{"a", "b", "c", "d"}, 2, []string{"a", "b"}, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, evicted, changed := tt.before.update(entries(tt.present...), tt.limit)
			if !equalEntries(got.entries, entries(tt.want...)) || evicted != tt.wantEvicted || changed != tt.wantChanged {
				t.Errorf("update = %d items (want %v), evicted %d (want %d), changed %v (want %v)",
					got.Len(), tt.want, evicted, tt.wantEvicted, changed, tt.wantChanged)
			}
			if changed && len(tt.before.entries) > 0 && &got.entries[0] == &tt.before.entries[0] {
				t.Error("update modified the old Seen in place")
			}
		})
	}
}

func TestSeenDetectsChangedContent(t *testing.T) {
	s := seenOf("urn:a")
	changed := newSeenEntry("urn:a", "another hash")
	known := s.hashes(map[uint64]bool{changed.key: true})
	if h, ok := known[changed.key]; !ok || h == changed.hash {
		t.Errorf("hashes = %v, want urn:a known with its old content hash", known)
	}
}

func TestMemoryStateStore(t *testing.T) {
	m := newMemoryStateStore(4)
	ctx := context.Background()
	for i := range 20 {
		st := FeedState{Feed: fmt.Sprintf("f%d", i), Seen: seenOf("x")}
		if err := m.Save(ctx, st, true); err != nil {
			t.Fatal(err)
		}
	}
	total := 0
	for p := range 4 {
		got, err := m.Load(ctx, []int{p})
		if err != nil {
			t.Fatal(err)
		}
		for id := range got {
			if m.Partition(id) != p {
				t.Errorf("Load(%d) returned %s of partition %d", p, id, m.Partition(id))
			}
		}
		total += len(got)
	}
	if total != 20 {
		t.Errorf("partitions hold %d feeds, want 20", total)
	}
	if err := m.Save(ctx, FeedState{Feed: "f0"}, false); err != nil {
		t.Fatal(err)
	}
	if m.Stored()["f0"].Seen.Len() != 1 {
		t.Error("a Save without seen items dropped the stored ones")
	}
}
