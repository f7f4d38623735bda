package syncer

import (
	"encoding/json"
	"slices"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// fieldTimes records, per synced field of each side ("ghl:email",
// "repsly:Email"), the source change time of the value it holds. It makes
// conflicts deterministic: a change older than the value it would replace
// loses (DESIGN invariant 4).
type fieldTimes map[string]time.Time

func parseTimes(s string) fieldTimes {
	t := fieldTimes{}
	if s == "" || s == "{}" {
		return t
	}
	_ = decodeState(s, &t)
	return t
}

// json encodes f as encoding/json would (keys sorted, RFC 3339 times),
// by hand: every stored link carries it, and the reflection cost showed in
// backfill profiles. Keys needing escapes take the general path.
func (f fieldTimes) json() string {
	if len(f) == 0 {
		return "{}"
	}
	var arr [48]string // a link's field keys sort on the stack
	keys := arr[:0]
	for k := range f {
		if !plainKey(k) || f[k].Year() < 0 || f[k].Year() > 9999 {
			b, _ := json.Marshal(map[string]time.Time(f))
			return string(b)
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return encodeString(func(b []byte) []byte { return f.appendSorted(b, keys) })
}

// appendSorted appends f's JSON with its keys in the order given.
func (f fieldTimes) appendSorted(b []byte, keys []string) []byte {
	b = append(b, '{')
	// Most fields of a link share their time (a backfill stamps them
	// all at once): a time equal to the one before reuses its text.
	var prev time.Time
	prevAt, prevEnd := 0, 0
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, k...)
		b = append(b, `":"`...)
		if t := f[k]; i > 0 && t == prev {
			b = append(b, b[prevAt:prevEnd]...)
		} else {
			prevAt = len(b)
			b = t.AppendFormat(b, time.RFC3339Nano)
			prev, prevEnd = t, len(b)
		}
		b = append(b, '"')
	}
	return append(b, '}')
}

// plainKey reports whether k is printable ASCII that JSON writes as is.
func plainKey(k string) bool {
	for i := 0; i < len(k); i++ {
		if c := k[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
	}
	return true
}

// bump records t for key unless the key already holds a later time: a
// stale event must not make an older value look newer.
func (f fieldTimes) bump(key string, t time.Time) {
	if cur, ok := f[key]; !ok || t.After(cur) {
		f[key] = t
	}
}

func (f fieldTimes) clone() fieldTimes {
	out := make(fieldTimes, len(f))
	for k, v := range f {
		out[k] = v
	}
	return out
}

// hashOf hashes a flat record the same way on every run and platform.
func hashOf(r record) string { return mapping.Hash(map[string]any(r)) }
