package tone

import "fmt"

// table is a read-only open-addressing hash table over a language's words. A
// word is hashed eight bytes at a time from the buffer the tokenizer lowers it
// into, and each slot carries a 16-bit tag of the hash, so that the many words
// of a story that are in no lexicon cost one multiply per eight bytes and a
// probe or two, without comparing strings.
type table struct {
	slots []uint32 // tag<<16 | 1+index into ents; 0 is empty
	ents  []entry
	shift uint // 64 - log2(len(slots)): the index is the hash's top bits
}

type kind uint8

const (
	valenceWord kind = iota
	negatorWord
	boosterWord
)

type entry struct {
	lo    uint64 // the key's first eight bytes, little-endian, zero-padded
	key   string
	value float32
	kind  kind
}

// maxEntries keeps the entry index within the low half of a slot.
const maxEntries = 1<<16 - 1

// The hash reads a word eight bytes at a time, little-endian: each full group
// is mixed in, then the length and the zero-padded rest. The scanner computes
// the same value as it lowers a word into its buffer (see Score); hashBytes is
// the reference.
const (
	hashSeed = 0x243F6A8885A308D3
	mixPrime = 0x9E3779B97F4A7C15
)

func mix(h, v uint64) uint64 {
	h = (h ^ v) * mixPrime
	return h ^ h>>32
}

// hashBytes returns the hash of b and its first eight bytes, zero-padded, for
// the comparison of a probe. It assembles the groups from single bytes: a wide
// read of bytes just written one at a time would stall the CPU's store forwarding.
func hashBytes(b []byte) (h, lo uint64) {
	h = hashSeed
	var cur uint64
	for k, c := range b {
		cur |= uint64(c) << (8 * uint(k&7))
		if k&7 == 7 {
			if k == 7 {
				lo = cur
			}
			h = mix(h, cur)
			cur = 0
		}
	}
	if len(b) < 8 {
		lo = cur
	}
	return mix(h^uint64(len(b)), cur), lo
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
	if len(all) > maxEntries {
		panic(fmt.Sprintf("tone: lexicon of %d words does not fit a table", len(all)))
	}
	bits := uint(4)
	for 1<<bits < 2*len(all) {
		bits++
	}
	t := &table{slots: make([]uint32, 1<<bits), shift: 64 - bits}
	mask := uint64(len(t.slots) - 1)
	for w, e := range all {
		h, lo := hashBytes([]byte(w))
		e.key, e.lo = w, lo
		t.ents = append(t.ents, e)
		for i := h >> t.shift; ; i = (i + 1) & mask {
			if t.slots[i] == 0 {
				t.slots[i] = uint32(uint16(h))<<16 | uint32(len(t.ents))
				break
			}
		}
	}
	return t
}

// get looks up word, whose hash and first eight bytes hashBytes gives.
func (t *table) get(word []byte, h, lo uint64) (entry, bool) {
	mask := uint64(len(t.slots) - 1)
	tag := uint32(uint16(h))
	for i := h >> t.shift; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return entry{}, false
		}
		if s>>16 != tag {
			continue
		}
		e := &t.ents[s&0xFFFF-1]
		if e.lo == lo && len(e.key) == len(word) && (len(word) <= 8 || e.key == string(word)) {
			return *e, true
		}
	}
}
