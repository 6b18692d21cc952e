package keyphrase

// table is a read-only open-addressing hash table from words to small values,
// looked up with a hash computed once per word; it avoids hashing every word
// twice through a Go map. A probe compares the first eight bytes of the key as
// one integer, and the rest only for longer words.
type table struct {
	ents  []tableEntry
	slots []int32 // 1 + index into ents; 0 is empty
	mask  uint64
}

type tableEntry struct {
	lo  uint64 // first eight bytes of key, little-endian, zero-padded
	key string
	val uint8
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
	mixPrime  = 0x9E3779B97F4A7C15
)

// hashString hashes s eight bytes at a time, one multiply per group rather than
// one per byte, and returns its first eight bytes for the comparison of a probe.
func hashString(s string) (h, lo uint64) {
	h = fnvOffset
	for k := 0; k+8 <= len(s); k += 8 {
		g := load64(s, k)
		if k == 0 {
			lo = g
		}
		h = mix(h, g)
	}
	var tail uint64
	for i := len(s) &^ 7; i < len(s); i++ {
		tail |= uint64(s[i]) << (8 * uint(i&7))
	}
	if len(s) < 8 {
		lo = tail
	}
	return mix(h^uint64(len(s)), tail), lo
}

func mix(h, v uint64) uint64 {
	h = (h ^ v) * mixPrime
	return h ^ h>>32
}

func newTable(m map[string]uint8) *table {
	size := 16
	for size < 4*len(m) {
		size *= 2
	}
	t := &table{slots: make([]int32, size), mask: uint64(size - 1)}
	for k, v := range m {
		h, lo := hashString(k)
		t.ents = append(t.ents, tableEntry{lo: lo, key: k, val: v})
		for i := h & t.mask; ; i = (i + 1) & t.mask {
			if t.slots[i] == 0 {
				t.slots[i] = int32(len(t.ents))
				break
			}
		}
	}
	return t
}

// get looks up key, whose hash and first eight bytes hashString gives.
func (t *table) get(key string, h, lo uint64) uint8 {
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		s := t.slots[i]
		if s == 0 {
			return 0
		}
		if e := &t.ents[s-1]; e.lo == lo && len(e.key) == len(key) && (len(key) <= 8 || e.key == key) {
			return e.val
		}
	}
}
