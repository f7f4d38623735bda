package syncer

import (
	"context"
	"reflect"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// linkState is a link being worked on: the last known record of each side
// (as mapping inputs) and the field times.
type linkState struct {
	link  store.Link
	r     map[string]any // last Repsly client seen or written
	g     map[string]any // last HighLevel contact seen or written
	times fieldTimes
	// marks holds, per "side:field", when our last write of the field
	// landed (see stale.go).
	marks fieldTimes
	// pending holds writes sent whose result the link does not hold yet
	// (see write_ahead.go). A snapshot leaves it out: a write that failed
	// may still have landed, so restoring keeps it.
	pending pendingWrites
	// ahead is the pending set as committed on the row: what it was when
	// read plus every write-ahead since. Write-aheads commit it, never
	// pending: an entry the work in memory consumed (a read showing the
	// write) must stay on the row until the link state that took it in
	// is stored, or a crash in between forgets the write was ours.
	ahead pendingWrites
	dirty bool
	// intent says the link is a creating_ghl intent this batch just wrote
	// from the client as read: r is that client, already as the create
	// will send it.
	intent bool
	// rRow is the row's repsly_last as read or written, and rRowOf the
	// map it encodes: while r is still that very map (states are
	// replaced, never mutated), storing the link reuses the encoding.
	rRow   string
	rRowOf map[string]any
	// encoded is the link row as serialised where the record's work
	// ended, in parallel with the other records of the batch; nil when
	// the state may still change.
	encoded *store.Link
	// ghlWrittenOf holds the states whose image to Repsly is our last
	// HighLevel write's hash while the link says lazyWrittenHash (see
	// echo_hash.go).
	ghlWrittenOf *statePair
}

func newLinkState(l store.Link) *linkState {
	ls := &linkState{link: l, r: parseMap(l.RepslyLast), g: parseMap(l.GHLLast), times: parseTimes(l.FieldTimes),
		marks: parseTimes(l.WriteMarks), pending: parsePending(l.PendingWrites), ahead: parsePending(l.PendingWrites)}
	ls.loadWritten()
	return ls
}

// newIntentState is newLinkState for a creating_ghl link just written
// with client state r (its RepslyLast): nothing else to parse.
func newIntentState(l store.Link, r map[string]any) *linkState {
	ls := &linkState{link: l, r: r, g: map[string]any{}, times: make(fieldTimes, 28), marks: fieldTimes{}, pending: pendingWrites{}, ahead: pendingWrites{},
		intent: true, rRow: l.RepslyLast, rRowOf: r}
	return ls
}

func parseMap(s string) map[string]any {
	if s == "" || s == "{}" {
		return map[string]any{} // most links' pending writes and marks, and new links' states
	}
	var m map[string]any
	_ = decodeState(s, &m)
	if m == nil {
		m = map[string]any{}
	}
	return m
}

func jsonOf(m map[string]any) string {
	if m == nil {
		return "null"
	}
	return encodeString(func(b []byte) []byte { return appendJSON(b, m) })
}

// seal serialises a dirty state once its record's work is done (see
// encoded); the batch then only writes the rows.
func (ls *linkState) seal(ctx context.Context, e *Engine) {
	if ls.dirty {
		l := ls.toLink(ctx, e)
		ls.encoded = &l
	}
}

// row is the link row to store: the sealed one, or the state serialised
// now.
func (ls *linkState) row(ctx context.Context, e *Engine) store.Link {
	if ls.encoded != nil {
		return *ls.encoded
	}
	return ls.toLink(ctx, e)
}

// rJSON is r encoded, reusing the row's encoding while r is unchanged.
func (ls *linkState) rJSON() string {
	if ls.rRowOf != nil && ls.rRow != "" && sameMap(ls.r, ls.rRowOf) {
		return ls.rRow
	}
	return jsonOf(ls.r)
}

// sameMap reports whether a and b are the same map (not equal maps).
func sameMap(a, b map[string]any) bool {
	return reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// toLink serialises the state back into the link row.
func (ls *linkState) toLink(ctx context.Context, e *Engine) store.Link {
	e.settleWritten(ctx, ls)
	l := ls.link
	l.RepslyLast, l.GHLLast, l.FieldTimes, l.WriteMarks = ls.rJSON(), jsonOf(ls.g), ls.times.json(), ls.marks.json()
	l.PendingWrites = ls.pending.json()
	return l
}

func (ls *linkState) markRepslyWritten(hash string, origin time.Time) {
	t := origin
	ls.link.RepslyWrittenHash, ls.link.RepslyWrittenAt = hash, &t
}

// overlay returns a new map with base's entries, then top's over them;
// neither is modified (link states are replaced, never mutated).
func overlay(base, top map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(top))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range top {
		out[k] = v
	}
	return out
}

// restrict keeps the keys of r that are in keys.
func restrict(r record, keys []string) record {
	out := record{}
	for _, k := range keys {
		if v, ok := r[k]; ok {
			out[k] = v
		}
	}
	return out
}

// linkSnapshot is a linkState as it was, to undo a step whose write
// failed.
type linkSnapshot struct {
	link    store.Link
	r, g    map[string]any
	times   fieldTimes
	marks   fieldTimes
	dirty   bool
	written *statePair
}

func (ls *linkState) snapshot() linkSnapshot {
	return linkSnapshot{link: ls.link, r: ls.r, g: ls.g, times: ls.times.clone(), marks: ls.marks.clone(), dirty: ls.dirty, written: ls.ghlWrittenOf}
}

// restore puts the state back; ls.r and ls.g are replaced, never mutated,
// so the saved maps are as they were.
func (ls *linkState) restore(s linkSnapshot) {
	ls.link, ls.r, ls.g, ls.times, ls.marks, ls.dirty = s.link, s.r, s.g, s.times, s.marks, s.dirty
	ls.ghlWrittenOf = s.written
}
