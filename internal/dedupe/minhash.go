package dedupe

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"sync"
)

// signatureBins is the number of MinHash values in a Signature. The error of the
// Jaccard estimate is about sqrt(J(1-J)/bins): 0.03 at J = 0.3 with 256 bins, 0.04
// with 128. On the labelled pairs the closest dup and different story are only 0.10
// apart in exact 3-shingle Jaccard (0.34 and 0.24); with 128 bins their estimates
// came within 0.05 of each other (0.289 and 0.242), with 256 bins 0.07 (0.301 and
// 0.227), for one choice of hash.
const signatureBins = 256

// Signature is a MinHash sketch of a story's 3-word shingles, after nearFold's
// folding: one 16-bit value per bin. Two signatures agree in a bin with probability
// equal to the Jaccard similarity of the two shingle sets (plus 2^-16 by chance).
// The zero Signature is the sketch of a text without words; it is similar to nothing.
//
// MinHash rather than SimHash: on the labelled pairs, a 64-bit SimHash over the same
// shingles cannot separate the classes: the heaviest true rewrite scored 0.56 (share
// of equal bits) while false friends reached 0.69 and translations 0.56, because
// SimHash estimates an angle, which shared names, numbers and stock phrases pull
// towards 0.5 and above. MinHash estimates Jaccard directly: every dup scored at least
// 0.41 and every different story at most 0.25 (see near_eval_test.go). 512 bytes per
// story buy that precision.
//
// Signatures are built with one-permutation hashing (each shingle hashed once, its
// top bits pick the bin, the bin keeps the minimum) and optimal densification for
// bins no shingle fell in, so signing costs one hash per shingle, not one per bin.
type Signature [signatureBins]uint16

// IsZero reports whether s is the signature of a text without words.
func (s Signature) IsZero() bool { return s == Signature{} }

// binBits is log2(signatureBins): the top binBits of a shingle hash choose its bin.
const binBits = 8

// valueMask keeps the bits of a shingle hash below the bin number.
const valueMask = 1<<(64-binBits) - 1

// emptyBin marks a bin no shingle fell in while a signature is built.
const emptyBin = ^uint64(0)

var minsPool = sync.Pool{New: func() any { return new(signScratch) }}

type signScratch struct {
	mins  [signatureBins]uint64
	fold  nearFold
	sh    []uint64
	words []uint64
}

// Sign returns the MinHash signature of a story's plain text (headline and body,
// paragraphs on their own lines). Outlet wrapper lines and a trailing agency credit
// are ignored, so a syndicated copy signs like the original.
func Sign(text string) Signature {
	sc := minsPool.Get().(*signScratch)
	defer minsPool.Put(sc)
	sc.fold.fold(text)
	sc.words = appendWordHashes(sc.words[:0], sc.fold.text)
	sc.sh = shingles(sc.words, shingleSize, sc.sh[:0])
	return signShingles(sc.sh, &sc.mins)
}

func signShingles(sh []uint64, mins *[signatureBins]uint64) Signature {
	var s Signature
	if len(sh) == 0 {
		return s
	}
	for i := range mins {
		mins[i] = emptyBin
	}
	for _, h := range sh {
		bin := h >> (64 - binBits)
		if v := h & valueMask; v < mins[bin] {
			mins[bin] = v
		}
	}
	for i, m := range mins {
		if m == emptyBin {
			m = densify(mins, i)
		}
		// The minimum's own high bits are near zero; a fresh mix of it spreads the
		// 16 stored bits evenly. Zero is kept for "no text".
		v := uint16(mix64(m))
		if v == 0 {
			v = 1
		}
		s[i] = v
	}
	return s
}

// densify picks, for an empty bin, the value of a non-empty bin chosen by a probe
// sequence that depends only on the bin number, so that two texts fill the same
// empty bin from the same place (optimal densification, Shrivastava 2017). At least
// one bin is non-empty when it is called.
func densify(mins *[signatureBins]uint64, bin int) uint64 {
	for attempt := uint64(1); ; attempt++ {
		j := mix64(uint64(bin)<<32|attempt) >> (64 - binBits)
		if mins[j] != emptyBin {
			return mins[j]
		}
	}
}

// Similarity estimates the Jaccard similarity of the shingle sets behind a and b:
// the share of bins in which they agree, in [0, 1]. A zero signature is similar to
// nothing, itself included.
func Similarity(a, b Signature) float64 {
	if a.IsZero() || b.IsZero() {
		return 0
	}
	return float64(agreeing(&a, &b)) / signatureBins
}

func agreeing(a, b *Signature) int {
	n := 0
	for i := range a {
		if a[i] == b[i] {
			n++
		}
	}
	return n
}

// MarshalText encodes s as base64 of its little-endian bins, so a Signature is a
// compact string in JSON records.
func (s Signature) MarshalText() ([]byte, error) {
	var raw [signatureBins * 2]byte
	for i, v := range s {
		binary.LittleEndian.PutUint16(raw[2*i:], v)
	}
	out := make([]byte, base64.RawStdEncoding.EncodedLen(len(raw)))
	base64.RawStdEncoding.Encode(out, raw[:])
	return out, nil
}

// UnmarshalText decodes what MarshalText wrote.
func (s *Signature) UnmarshalText(text []byte) error {
	var raw [signatureBins * 2]byte
	if n := base64.RawStdEncoding.DecodedLen(len(text)); n != len(raw) {
		return fmt.Errorf("near-duplicate signature: %d bytes, want %d", n, len(raw))
	}
	if _, err := base64.RawStdEncoding.Decode(raw[:], text); err != nil {
		return fmt.Errorf("near-duplicate signature: %w", err)
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint16(raw[2*i:])
	}
	return nil
}
