package kafka

import (
	"maps"
	"sync"
	"testing"
)

// trackerStep is one call on the tracker in a table case.
type trackerStep struct {
	op        string // fetch, done, committed, forget
	partition int
	offsets   []int64
	wantOK    bool // for done: whether each offset is expected to be pending
}

func fetch(p int, offs ...int64) trackerStep {
	return trackerStep{op: "fetch", partition: p, offsets: offs}
}
func done(p int, offs ...int64) trackerStep {
	return trackerStep{op: "done", partition: p, offsets: offs, wantOK: true}
}
func doneUnknown(p int, off int64) trackerStep {
	return trackerStep{op: "done", partition: p, offsets: []int64{off}}
}
func accepted(p int, next int64) trackerStep {
	return trackerStep{op: "committed", partition: p, offsets: []int64{next}}
}
func forget(p int) trackerStep { return trackerStep{op: "forget", partition: p} }

func TestOffsetTracker(t *testing.T) {
	tests := []struct {
		name        string
		steps       []trackerStep
		want        map[int]int64 // next offsets to commit
		wantPending map[int]int
	}{
		{
			name:        "nothing done commits nothing",
			steps:       []trackerStep{fetch(0, 0, 1, 2)},
			want:        map[int]int64{},
			wantPending: map[int]int{0: 3},
		},
		{
			name:  "all done in order commits past the last",
			steps: []trackerStep{fetch(0, 0, 1, 2), done(0, 0, 1, 2)},
			want:  map[int]int64{0: 3},
		},
		{
			name:        "an unfinished earlier offset holds the commit back",
			steps:       []trackerStep{fetch(0, 0, 1, 2, 3), done(0, 0, 2, 3)},
			want:        map[int]int64{0: 1},
			wantPending: map[int]int{0: 3},
		},
		{
			name:  "filling the gap releases everything after it",
			steps: []trackerStep{fetch(0, 0, 1, 2, 3), done(0, 3, 2, 0, 1)},
			want:  map[int]int64{0: 4},
		},
		{
			name:        "done out of order before the first commits nothing",
			steps:       []trackerStep{fetch(0, 5, 6, 7), done(0, 7, 6)},
			want:        map[int]int64{},
			wantPending: map[int]int{0: 3},
		},
		{
			name:  "offsets with holes from compaction are contiguous in fetch order",
			steps: []trackerStep{fetch(0, 10, 13, 20), done(0, 20, 10, 13)},
			want:  map[int]int64{0: 21},
		},
		{
			name: "partitions are independent",
			steps: []trackerStep{
				fetch(0, 0, 1), fetch(1, 0, 1), fetch(2, 7),
				done(0, 0, 1), done(1, 1), done(2, 7),
			},
			want:        map[int]int64{0: 2, 2: 8},
			wantPending: map[int]int{1: 2},
		},
		{
			name:  "an accepted commit is not repeated",
			steps: []trackerStep{fetch(0, 0, 1), done(0, 0, 1), accepted(0, 2)},
			want:  map[int]int64{},
		},
		{
			name: "the commit point moves on after an accepted commit",
			steps: []trackerStep{
				fetch(0, 0, 1, 2, 3), done(0, 0, 1), accepted(0, 2), done(0, 2),
			},
			want:        map[int]int64{0: 3},
			wantPending: map[int]int{0: 1},
		},
		{
			name: "a re-delivery after a rebalance starts the partition over",
			steps: []trackerStep{
				fetch(0, 0, 1, 2), done(0, 0), accepted(0, 1),
				// The partition comes back from its committed offset 1.
				fetch(0, 1, 2), doneUnknown(0, 0), done(0, 1),
			},
			want:        map[int]int64{0: 2},
			wantPending: map[int]int{0: 1},
		},
		{
			name:  "a forgotten partition commits nothing",
			steps: []trackerStep{fetch(0, 0, 1), done(0, 0, 1), forget(0), doneUnknown(0, 1)},
			want:  map[int]int64{},
		},
		{
			name:        "done twice is reported",
			steps:       []trackerStep{fetch(0, 0, 1), done(0, 0), doneUnknown(0, 0)},
			want:        map[int]int64{0: 1},
			wantPending: map[int]int{0: 1},
		},
		{
			name:        "an offset never fetched is not done",
			steps:       []trackerStep{fetch(0, 0, 2), doneUnknown(0, 1), doneUnknown(3, 0)},
			want:        map[int]int64{},
			wantPending: map[int]int{0: 2},
		},
		{
			name:  "a stale accepted commit does not move the point back",
			steps: []trackerStep{fetch(0, 0, 1, 2), done(0, 0, 1, 2), accepted(0, 3), accepted(0, 1)},
			want:  map[int]int64{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newOffsetTracker()
			for i, s := range tt.steps {
				switch s.op {
				case "fetch":
					for _, o := range s.offsets {
						tr.fetched(s.partition, o)
					}
				case "done":
					for _, o := range s.offsets {
						if got := tr.done(s.partition, o); got != s.wantOK {
							t.Fatalf("step %d: done(%d, %d) = %v, want %v", i, s.partition, o, got, s.wantOK)
						}
					}
				case "committed":
					tr.committed(s.partition, s.offsets[0])
				case "forget":
					tr.forget(s.partition)
				}
			}
			if got := tr.commits(); !maps.Equal(got, tt.want) {
				t.Errorf("commits() = %v, want %v", got, tt.want)
			}
			for p := range 4 {
				if got, want := tr.pending(p), tt.wantPending[p]; got != want {
					t.Errorf("pending(%d) = %d, want %d", p, got, want)
				}
			}
		})
	}
}

func TestOffsetTrackerConcurrentDone(t *testing.T) {
	const n = 500
	tr := newOffsetTracker()
	for o := range int64(n) {
		tr.fetched(0, o)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each worker finishes its share from the end, the worst order.
			for o := int64(n - 1 - w); o >= 0; o -= 4 {
				if !tr.done(0, o) {
					t.Errorf("done(0, %d) = false", o)
				}
			}
		}()
	}
	wg.Wait()
	if got := tr.commits(); got[0] != n || tr.pending(0) != 0 {
		t.Errorf("commits() = %v with %d pending, want next offset %d and none pending", got, tr.pending(0), n)
	}
}
