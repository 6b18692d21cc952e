package dedupe

import "sync"

// NearThreshold is the Similarity from which two stories are near duplicates: the
// same story syndicated, re-headlined, lightly rewritten or cut. It was chosen on the
// labelled pairs in testdata/pairs (near_eval_test.go prints the table and the
// sweep). There, in exact 3-shingle Jaccard, every duplicate is at least 0.34 (a
// rewrite of six sentences) and every different story at most 0.24 (a follow-up that
// repeats two background paragraphs word for word); 0.29 is the middle of that gap, so
// it does not depend on how one hash happens to place the estimates (0.41 and 0.25
// today: the estimate's error is about 0.03 at this level). Pairs whose true overlap
// is near 0.29 can fall either way.
const NearThreshold = 0.29

// The index buckets stories by bands of bandRows consecutive bins over the first
// bands*bandRows bins of their signature (locality-sensitive hashing): two stories
// meet as candidates when they agree on a whole band, which for Jaccard J happens with
// probability 1-(1-J²)^64 — 0.996 at J = 0.29 and 0.99999 at 0.4, but 0.0016 at
// J = 0.005 and 0.008 at 0.011, the most a translation shares with its original in
// the labelled pairs — so a lookup compares a handful of stories instead of all. Three rows per band would need over 150 bands for the same
// recall at the threshold.
const (
	bandRows = 2
	bands    = 64
)

// NearIndex finds, among indexed stories, the one most similar to a signature. It is
// safe for concurrent use: a reader restoring or tailing the shared index adds while
// the stage queries.
//
// Memory: BenchmarkNearIndexMemory measures 1,666 bytes of heap per story at 100,000
// stories with 47-byte ids (about 167 MB): 512 bytes of signature, 64 bucket entries
// in per-band maps of 4-byte keys and slots (about 800 bytes), 64 4-byte chain links,
// and the id with its lookup entry.
type NearIndex struct {
	mu    sync.RWMutex
	slot  map[string]int32
	ids   []string // by slot; "" for a free slot
	sigs  []Signature
	next  []int32 // next[slot*bands+band]: the next slot in the same bucket, or -1
	free  []int32
	heads [bands]map[uint32]int32 // band value → first slot of its bucket
}

// NewNearIndex returns an empty index.
func NewNearIndex() *NearIndex {
	x := &NearIndex{slot: make(map[string]int32)}
	for b := range x.heads {
		x.heads[b] = make(map[uint32]int32)
	}
	return x
}

// bandKey is the value of band b of s: its bandRows bins side by side.
func bandKey(s *Signature, b int) uint32 {
	return uint32(s[b*bandRows])<<16 | uint32(s[b*bandRows+1])
}

// Add indexes s under id, replacing what id had. A zero signature is kept under its
// id but matches nothing.
func (x *NearIndex) Add(id string, s Signature) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if _, ok := x.slot[id]; ok {
		x.remove(id)
	}
	var sl int32
	if n := len(x.free); n > 0 {
		sl = x.free[n-1]
		x.free = x.free[:n-1]
	} else {
		sl = int32(len(x.ids))
		x.ids = append(x.ids, "")
		x.sigs = append(x.sigs, Signature{})
		for range bands {
			x.next = append(x.next, -1)
		}
	}
	x.slot[id] = sl
	x.ids[sl] = id
	x.sigs[sl] = s
	if s.IsZero() {
		return
	}
	for b := range bands {
		k := bandKey(&s, b)
		link := &x.next[int(sl)*bands+b]
		*link = -1
		if head, ok := x.heads[b][k]; ok {
			*link = head
		}
		x.heads[b][k] = sl
	}
}

// Remove forgets id; it does nothing when id is not indexed.
func (x *NearIndex) Remove(id string) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.remove(id)
}

func (x *NearIndex) remove(id string) {
	sl, ok := x.slot[id]
	if !ok {
		return
	}
	s := &x.sigs[sl]
	if !s.IsZero() {
		for b := range bands {
			k := bandKey(s, b)
			after := x.next[int(sl)*bands+b]
			cur, found := x.heads[b][k]
			if !found {
				continue
			}
			if cur == sl {
				if after < 0 {
					delete(x.heads[b], k)
				} else {
					x.heads[b][k] = after
				}
				continue
			}
			for cur >= 0 {
				link := &x.next[int(cur)*bands+b]
				if *link == sl {
					*link = after
					break
				}
				cur = *link
			}
		}
	}
	delete(x.slot, id)
	x.ids[sl] = ""
	x.sigs[sl] = Signature{}
	x.free = append(x.free, sl)
}

// Len returns the number of indexed ids.
func (x *NearIndex) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.slot)
}

// Nearest returns the indexed story most similar to s, other than exclude, when its
// Similarity is at least NearThreshold. Ties go to the smaller id, so every worker
// holding the same index picks the same story.
func (x *NearIndex) Nearest(s Signature, exclude string) (id string, sim float64, ok bool) {
	if s.IsZero() {
		return "", 0, false
	}
	x.mu.RLock()
	defer x.mu.RUnlock()
	var seen candidates
	for b := range bands {
		cur, found := x.heads[b][bandKey(&s, b)]
		if !found {
			continue
		}
		for ; cur >= 0; cur = x.next[int(cur)*bands+b] {
			if !seen.add(cur) {
				continue
			}
			cid := x.ids[cur]
			if cid == exclude {
				continue
			}
			c := Similarity(s, x.sigs[cur])
			if c < NearThreshold || c < sim || c == sim && ok && cid > id {
				continue
			}
			id, sim, ok = cid, c, true
		}
	}
	return id, sim, ok
}

// candidates remembers the slots a lookup has compared. Most lookups meet a few
// slots, kept in a small array; a bucket crowded with copies switches to a map.
type candidates struct {
	few  [16]int32
	n    int
	many map[int32]struct{}
}

// add reports whether sl is new.
func (c *candidates) add(sl int32) bool {
	if c.many != nil {
		if _, ok := c.many[sl]; ok {
			return false
		}
		c.many[sl] = struct{}{}
		return true
	}
	for _, v := range c.few[:c.n] {
		if v == sl {
			return false
		}
	}
	if c.n < len(c.few) {
		c.few[c.n] = sl
		c.n++
		return true
	}
	c.many = make(map[int32]struct{}, 2*len(c.few))
	for _, v := range c.few {
		c.many[v] = struct{}{}
	}
	c.many[sl] = struct{}{}
	return true
}
