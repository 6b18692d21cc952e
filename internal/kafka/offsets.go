package kafka

import (
	"sort"
	"sync"
)

// offsetTracker decides which offsets may be committed. Kafka commits are cumulative per
// partition: committing offset N says every record before N is done. So a partition's
// commit point only moves past a record once that record and every record fetched before
// it are done, whatever order the work finishes in. "Before" is fetch order, not offset+1:
// compaction and transaction markers leave gaps in offsets.
//
// It is safe for concurrent use, so work may later finish out of order across goroutines.
type offsetTracker struct {
	mu    sync.Mutex
	parts map[int]*partitionOffsets
}

type partitionOffsets struct {
	pending   []pendingOffset // fetched and not yet committable, in fetch order
	last      int64           // last fetched offset, -1 when none
	ready     int64           // next offset to commit: highest contiguous done + 1, -1 when none
	committed int64           // last next-offset the broker accepted, -1 when none
}

type pendingOffset struct {
	offset int64
	done   bool
}

func newOffsetTracker() *offsetTracker {
	return &offsetTracker{parts: make(map[int]*partitionOffsets)}
}

// fetched records that offset of partition was handed out for work. An offset at or below
// the last one fetched means the partition was assigned again and is re-delivered from its
// committed offset: what was tracked for it before is dropped.
func (t *offsetTracker) fetched(partition int, offset int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parts[partition]
	if p == nil || (p.last >= 0 && offset <= p.last) {
		p = &partitionOffsets{last: -1, ready: -1, committed: -1}
		t.parts[partition] = p
	}
	p.pending = append(p.pending, pendingOffset{offset: offset})
	p.last = offset
}

// done marks offset of partition as durably processed. It reports false for an offset that
// is not pending (already done, forgotten, or dropped by a re-delivery).
func (t *offsetTracker) done(partition int, offset int64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.parts[partition]
	if p == nil {
		return false
	}
	i := sort.Search(len(p.pending), func(i int) bool { return p.pending[i].offset >= offset })
	if i == len(p.pending) || p.pending[i].offset != offset || p.pending[i].done {
		return false
	}
	p.pending[i].done = true
	n := 0
	for n < len(p.pending) && p.pending[n].done {
		n++
	}
	if n > 0 {
		p.ready = p.pending[n-1].offset + 1
		p.pending = append(p.pending[:0], p.pending[n:]...)
	}
	return true
}

// commits returns, per partition, the next offset to commit where it moved past the last
// accepted commit.
func (t *offsetTracker) commits() map[int]int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make(map[int]int64)
	for id, p := range t.parts {
		if p.ready > p.committed {
			out[id] = p.ready
		}
	}
	return out
}

// committed records that the broker accepted next as the partition's commit point.
func (t *offsetTracker) committed(partition int, next int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.parts[partition]; p != nil && next > p.committed {
		p.committed = next
	}
}

// forget drops a partition, for one whose commit failed (most often because a rebalance
// moved it): its records will be re-delivered, to this member or another.
func (t *offsetTracker) forget(partition int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.parts, partition)
}

// pending returns how many fetched records of partition are not yet committable.
func (t *offsetTracker) pending(partition int) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	if p := t.parts[partition]; p != nil {
		return len(p.pending)
	}
	return 0
}
