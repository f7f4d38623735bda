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
	switch {
	case s == "" || s == "{}":
	case s[0] == '[':
		t.parseGrouped(s)
	default:
		_ = decodeState(s, &t)
	}
	return t
}

// json encodes f for a link row: the grouped form (field_times.go) when
// every key is a side's plain field name, else the object encoding/json
// writes (keys sorted, RFC 3339 times). parseTimes reads both.
func (f fieldTimes) json() string {
	if len(f) == 0 {
		return "{}"
	}
	var arr [48]string // a link's field keys sort on the stack
	keys := arr[:0]
	grouped := true
	for k, t := range f {
		// Years outside 0-9999 take encoding/json, which refuses them as it
		// always did.
		grouped = grouped && groupable(k) && t.Year() >= 0 && t.Year() <= 9999
		keys = append(keys, k)
	}
	if !grouped {
		b, _ := json.Marshal(map[string]time.Time(f))
		return string(b)
	}
	slices.Sort(keys)
	return encodeString(func(b []byte) []byte { return f.appendGrouped(b, keys) })
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
