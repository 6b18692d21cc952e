package keyphrase

import "math/bits"

// Eight bytes at a time: the tokenizer classifies a whole group of ASCII bytes
// with a few arithmetic operations instead of a branch per byte. Each byte of a
// mask is 0x80 where the test holds and 0 elsewhere.
const (
	ones = 0x0101010101010101
	high = 0x8080808080808080
)

// load64 reads s[i:i+8] little-endian; the compiler makes it one load.
func load64(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// inRange marks the bytes of x7 (high bits clear) from lo to hi, 1 <= lo <= hi < 0x80;
// no sum carries into the next byte.
func inRange(x7 uint64, lo, hi byte) uint64 {
	return (x7 + (0x80-uint64(lo))*ones) &^ (x7 + (0x7F-uint64(hi))*ones) & high
}

// firstStop returns the index of the first byte of a group that a mask does not
// mark, or 8.
func firstStop(mask uint64) int {
	return bits.TrailingZeros64(^mask&high) >> 3
}
