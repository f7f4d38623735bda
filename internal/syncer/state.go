package syncer

import (
	"encoding/json"
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
	_ = json.Unmarshal([]byte(s), &t)
	return t
}

func (f fieldTimes) json() string {
	b, _ := json.Marshal(map[string]time.Time(f))
	return string(b)
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
