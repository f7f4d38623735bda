package repslysandbox

import (
	"encoding/binary"
	"encoding/hex"
)

// splitmix64 is a small, fast bijective mixer; the sandbox uses it to derive
// stable pseudo-random values (GUIDs, fault decisions) from counters.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// guid returns a deterministic GUID-shaped string for (salt, n), upper-case
// like the real API's identifiers.
func guid(salt, n uint64) string {
	var b [16]byte
	a := splitmix64(salt*0x100000001b3 ^ n)
	binary.BigEndian.PutUint64(b[:8], a)
	binary.BigEndian.PutUint64(b[8:], splitmix64(a))
	b[6] = b[6]&0x0f | 0x40 // version 4 shape
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	for i, c := range out {
		if c >= 'a' && c <= 'f' {
			out[i] = c - 32
		}
	}
	return string(out[:])
}
