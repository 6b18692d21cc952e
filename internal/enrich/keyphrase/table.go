package keyphrase

// table is a read-only open-addressing hash table from words to small values,
// looked up with a hash the tokenizer computes as it reads the word; it avoids
// hashing every word twice through a Go map.
type table struct {
	keys  []string
	vals  []uint8
	slots []int32 // 1 + index into keys; 0 is empty
	mask  uint64
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func hashString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint64(s[i])) * fnvPrime
	}
	return h
}

func newTable(m map[string]uint8) *table {
	size := 16
	for size < 4*len(m) {
		size *= 2
	}
	t := &table{slots: make([]int32, size), mask: uint64(size - 1)}
	for k, v := range m {
		t.keys = append(t.keys, k)
		t.vals = append(t.vals, v)
		for i := hashString(k) & t.mask; ; i = (i + 1) & t.mask {
			if t.slots[i] == 0 {
				t.slots[i] = int32(len(t.keys))
				break
			}
		}
	}
	return t
}

func (t *table) get(key string, h uint64) uint8 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0
		}
		if t.keys[s-1] == key {
			return t.vals[s-1]
		}
	}
}
