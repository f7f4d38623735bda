package syncer

import (
	"strings"
	"time"
)

// A link's field times are stored grouped by time, with the side prefix
// written once per group:
//
//	[["2026-11-28T07:48:58.18Z",["address1","city",...],["City","Code",...]], ...]
//
// each group a time (RFC 3339, in its own zone), the HighLevel fields
// ("ghl:" + name) and the Repsly fields ("repsly:" + name) it stamps. A
// backfill stamps some thirty fields at once: written as an object, one
// time per key, they were 1.1 KB of a 2.6 KB row, so a row filled a
// database page on its own; grouped they are under 0.4 KB and two rows
// share a page, which halves what a backfill writes. Rows written before
// hold the object form, which parseTimes still reads.

const (
	ghlPrefix    = "ghl:"
	repslyPrefix = "repsly:"
)

// groupable reports whether key goes into the grouped form: a side's
// prefix and a name JSON writes as is.
func groupable(key string) bool {
	name, ok := strings.CutPrefix(key, ghlPrefix)
	if !ok {
		name, ok = strings.CutPrefix(key, repslyPrefix)
	}
	return ok && name != "" && plainKey(name)
}

// timeGroup is one time of the grouped form and its keys, in order.
type timeGroup struct {
	t    time.Time
	keys []string
}

// appendGrouped appends the grouped form of f, whose keys, sorted, are
// keys and all groupable. Groups come in the order of their first key.
func (f fieldTimes) appendGrouped(b []byte, keys []string) []byte {
	var arr [4]timeGroup // a link holds few distinct times
	groups := arr[:0]
	for _, k := range keys {
		t, i := f[k], 0
		for i < len(groups) && groups[i].t != t {
			i++
		}
		if i == len(groups) {
			groups = append(groups, timeGroup{t: t})
		}
		groups[i].keys = append(groups[i].keys, k)
	}
	b = append(b, '[')
	for gi, g := range groups {
		if gi > 0 {
			b = append(b, ',')
		}
		b = append(b, `["`...)
		b = g.t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
		b = appendNames(b, g.keys, ghlPrefix)
		b = append(b, ',')
		b = appendNames(b, g.keys, repslyPrefix)
		b = append(b, ']')
	}
	return append(b, ']')
}

// appendNames appends the names of the keys with prefix as a JSON list.
func appendNames(b []byte, keys []string, prefix string) []byte {
	b = append(b, '[')
	first := true
	for _, k := range keys {
		name, ok := strings.CutPrefix(k, prefix)
		if !ok {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, '"')
	}
	return append(b, ']')
}

// parseGrouped reads the grouped form into f. What does not parse is left
// out, as parseTimes leaves out a malformed object.
func (f fieldTimes) parseGrouped(s string) {
	var groups [][]any
	if decodeState(s, &groups) != nil {
		return
	}
	for _, g := range groups {
		if len(g) != 3 {
			continue
		}
		text, _ := g[0].(string)
		var t time.Time
		if t.UnmarshalText([]byte(text)) != nil {
			continue
		}
		for side, prefix := range []string{ghlPrefix, repslyPrefix} {
			names, _ := g[side+1].([]any)
			for _, n := range names {
				if name, ok := n.(string); ok {
					f[prefix+name] = t
				}
			}
		}
	}
}
