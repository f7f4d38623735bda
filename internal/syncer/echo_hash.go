package syncer

import (
	"context"
	"time"
)

// lazyWrittenHash in a link's ghl_written_hash stands for "the hash of
// the image to Repsly of this row's own ghl_last with its repsly_last".
//
// Our last HighLevel write is recognised when it comes back (as a webhook
// or a poll row) by that hash. Computing it costs the contact -> client
// mapping, which a backfill would pay on every create though most echoes
// never need it, and which the echo check computes anyway as the link's
// old image. So a write records only which states the hash is of
// (statePair, the maps themselves: states are replaced, never mutated),
// and the hash is computed when an echo is checked, or when the link is
// stored with other states than those (settleWritten). Until then the row
// says lazyWrittenHash and holds exactly those states. It is not hex, so
// no real hash equals it.
const lazyWrittenHash = "="

// statePair is a contact and client state, as a link held them.
type statePair struct {
	g, r map[string]any
}

// markGHLWrittenLazy records our write to HighLevel of the link's current
// states, made for a change at origin.
func (ls *linkState) markGHLWrittenLazy(origin time.Time) {
	t := origin
	ls.link.GHLWrittenHash, ls.link.GHLWrittenAt = lazyWrittenHash, &t
	ls.ghlWrittenOf = &statePair{g: ls.g, r: ls.r}
}

// loadWritten picks up a lazy hash of a row just read: it is of the row's
// states.
func (ls *linkState) loadWritten() {
	if ls.link.GHLWrittenHash == lazyWrittenHash {
		ls.ghlWrittenOf = &statePair{g: ls.g, r: ls.r}
	}
}

// settleWritten computes a lazy hash before the link is stored with
// states other than those it is of; the row then holds the hash itself.
// A mapping error leaves no hash: the echo is then judged as a change,
// which the field comparison still finds empty.
func (e *Engine) settleWritten(ctx context.Context, ls *linkState) {
	w := ls.ghlWrittenOf
	if ls.link.GHLWrittenHash != lazyWrittenHash || (w != nil && sameMap(w.g, ls.g) && sameMap(w.r, ls.r)) {
		return
	}
	ls.link.GHLWrittenHash = e.ghlWrittenHash(ctx, ls, nil)
	ls.ghlWrittenOf = nil
}

// ghlWrittenHash is the hash of our last HighLevel write ("" when none is
// known). curImg, when not nil, is the image of the link's current states
// (ls.g with ls.r), which a lazy hash of those very states reuses.
func (e *Engine) ghlWrittenHash(ctx context.Context, ls *linkState, curImg record) string {
	if ls.link.GHLWrittenHash != lazyWrittenHash {
		return ls.link.GHLWrittenHash
	}
	w := ls.ghlWrittenOf
	if w == nil {
		return ""
	}
	if curImg != nil && e.spec.ToRepsly != nil && sameMap(w.g, ls.g) && sameMap(w.r, ls.r) {
		return hashOf(curImg)
	}
	h, err := e.repslyHashOf(ctx, w.g, w.r)
	if err != nil {
		return ""
	}
	return h
}
