package tone

// table is a read-only open-addressing hash table over a language's words,
// looked up with a hash computed while the word is read, so that each word
// costs one probe instead of three Go map lookups.
type table struct {
	keys  []string
	vals  []entry
	slots []int32 // 1 + index into keys; 0 is empty
	mask  uint64
}

type kind uint8

const (
	valenceWord kind = iota
	negatorWord
	boosterWord
)

type entry struct {
	value float32
	kind  kind
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashBytes(b []byte) uint64 {
	h := uint64(fnvOffset)
	for _, c := range b {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

func newTable(l *language) *table {
	all := make(map[string]entry, len(l.valence)+len(l.negators)+len(l.boosters))
	for w, v := range l.valence {
		all[w] = entry{value: v}
	}
	for w := range l.boosters {
		all[w] = entry{value: l.boosters[w], kind: boosterWord}
	}
	for w := range l.negators {
		all[w] = entry{kind: negatorWord}
	}
	size := 16
	for size < 2*len(all) {
		size *= 2
	}
	t := &table{slots: make([]int32, size), mask: uint64(size - 1)}
	for w, e := range all {
		t.keys = append(t.keys, w)
		t.vals = append(t.vals, e)
		for i := hashBytes([]byte(w)) & t.mask; ; i = (i + 1) & t.mask {
			if t.slots[i] == 0 {
				t.slots[i] = int32(len(t.keys))
				break
			}
		}
	}
	return t
}

func (t *table) get(word []byte, h uint64) (entry, bool) {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return entry{}, false
		}
		if t.keys[s-1] == string(word) {
			return t.vals[s-1], true
		}
	}
}
