package sink

import (
	"context"
	"errors"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/wirehose/wirehose/pkg/pipeline"
)

// latencies records what the stage reported as stored.
type latencies struct{ got []string }

func (l *latencies) Stored(kind string, d time.Duration) { l.got = append(l.got, kind+" "+d.String()) }

func TestObserverSeesStoredLatency(t *testing.T) {
	story := testStory("urn:sink:1", 1, "wire") // fetched at t0
	copyOf := testAppearance("urn:sink:1", "partner", pipeline.RelationDuplicate, 0)
	unseen := testStory("urn:sink:2", 1, "wire")
	unseen.Sources[0].Seen = time.Time{}
	tests := []struct {
		name     string
		storeErr error
		batch    []Item
		want     []string
	}{
		{"stories and appearances after commit", nil, []Item{storyItem(story), appearanceItem(copyOf)},
			[]string{"appearance 1h0m0s", "story 2h0m0s"}},
		{"an item without a fetch time is not observed", nil, []Item{storyItem(unseen)}, nil},
		{"nothing when the transaction failed", errors.New("connection refused"), []Item{storyItem(story)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := New(&fakeStore{err: tt.storeErr}, nil)
			s.now = func() time.Time { return t0.Add(2 * time.Hour) }
			l := &latencies{}
			s.SetObserver(l)
			err := s.Flush(context.Background(), tt.batch)
			if (err != nil) != (tt.storeErr != nil) {
				t.Fatalf("Flush = %v, want error %v", err, tt.storeErr)
			}
			sort.Strings(l.got)
			if !reflect.DeepEqual(l.got, tt.want) {
				t.Errorf("stored = %q, want %q", l.got, tt.want)
			}
		})
	}
}

func TestNilObserverIsNoOp(t *testing.T) {
	s := New(&fakeStore{}, nil)
	s.SetObserver(nil)
	if err := s.Flush(context.Background(), []Item{storyItem(testStory("urn:sink:1", 1, "wire"))}); err != nil {
		t.Fatal(err)
	}
}
