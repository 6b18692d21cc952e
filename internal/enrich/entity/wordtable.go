package entity

// wordTable is the lexicon as an open-addressing hash table keyed by FNV-1a of the
// folded word. Looking a word up costs one hash, computed while the word is folded,
// and in most cases one probe: it is the lookup every token of a story makes.
type wordTable struct {
	slots   []wordSlot // a power of two, at most half full
	entries []canonEntry
}

type wordSlot struct {
	hash  uint32 // the low bits of the key's hash, to skip most string comparisons
	entry uint32 // 1 + index into entries; 0 for an empty slot
}

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func fnvString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

func newWordTable(words map[string]canonEntry) wordTable {
	n := 16
	for n < 2*len(words) {
		n *= 2
	}
	t := wordTable{slots: make([]wordSlot, n), entries: make([]canonEntry, 0, len(words))}
	for _, e := range words {
		t.entries = append(t.entries, e)
		h := fnvString(e.key)
		for i := h & uint64(n-1); ; i = (i + 1) & uint64(n-1) {
			if t.slots[i].entry == 0 {
				t.slots[i] = wordSlot{hash: uint32(h), entry: uint32(len(t.entries))}
				break
			}
		}
	}
	return t
}

// get returns the entry of the key whose FNV-1a hash is h.
func (t *wordTable) get(key []byte, h uint64) (canonEntry, bool) {
	mask := uint64(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s.entry == 0 {
			return canonEntry{}, false
		}
		if s.hash == uint32(h) {
			if e := &t.entries[s.entry-1]; e.key == string(key) {
				return *e, true
			}
		}
	}
}
