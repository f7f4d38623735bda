package syncer

import (
	"context"
	"encoding/json"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// A write to one side and the link update that records it are two steps
// no transaction spans: the API call cannot roll back. A crash between
// them leaves the write on the record and the link still holding the
// value before it. Read back later, the written value would look like a
// user's edit of that side, stamped with the write's time, and be synced
// back to the other side, over any edit made there since (a lost update,
// and an earlier value returning on both sides).
//
// Write-ahead settles it. Before the call, the values about to be written
// are committed on the link as pending writes (one small update). After
// the call the link update that records the write drops them. A pending
// write found on a later read is either ours, when the read shows its
// value (the link adopts it as written, without syncing it anywhere), or
// did not land or was written over, when a read well after it shows
// another value (the entry is dropped and the read is taken as it is).
// A write that failed is kept pending too: a timed-out call may still
// have landed.

// pendingSettle is how long after a write was sent a read showing
// another value proves the write did not land or was changed since.
// Repsly applies imports asynchronously and webhooks are stamped by their
// delivery, so a read shortly after the write may still predate it.
const pendingSettle = time.Minute

// pendingWrite is one field of a write sent whose outcome the link does
// not hold yet.
type pendingWrite struct {
	Value any       `json:"v"`
	At    time.Time `json:"at"`
	// Job is the Repsly import job of a write sent without waiting for
	// it (import_check.go); zero for a write whose call was cut short.
	Job int64 `json:"job,omitempty"`
	// Old is the value the link held before the write, put back if the
	// import job fails.
	Old any `json:"old,omitempty"`
	// Held records that a read showed another value while the job was
	// unsettled: once it settles the client is read again.
	Held bool `json:"held,omitempty"`
}

// pendingWrites holds the pending writes of a link per "side:field".
type pendingWrites map[string]pendingWrite

func parsePending(s string) pendingWrites {
	p := pendingWrites{}
	if s == "" || s == "{}" {
		return p
	}
	_ = json.Unmarshal([]byte(s), &p)
	return p
}

func (p pendingWrites) json() string {
	if len(p) == 0 {
		return "{}"
	}
	b, _ := json.Marshal(map[string]pendingWrite(p))
	return string(b)
}

// writeAhead commits the fields of patch as pending writes to side, sent
// at sent, before the API call that writes them. A link not stored yet
// needs none: creates are guarded by their creating_* link states.
func (e *Engine) writeAhead(ctx context.Context, ls *linkState, side Side, patch record, sent time.Time) error {
	if ls.link.ID == 0 || len(patch) == 0 {
		return nil
	}
	ls.addAhead(side, patch, sent)
	return e.st.SetPendingWrites(ctx, e.st.DB(), ls.link.ID, ls.ahead.json(), e.now())
}

// maxAlternates bounds the earlier values kept pending per field.
const maxAlternates = 4

// addAhead adds the fields of patch to the pending writes, in memory and
// in the set the row is to hold (ahead).
//
// Invariant: a value written ahead stays in the row's set until a link
// update drops it, even when a later write of the same field replaces it
// as the field's pending write. The earlier write may have landed while
// the later one will not (a crash between them), and a read showing the
// earlier value must still be known as ours; it is kept under an
// alternate key ("ghl:city#1"). Without it a crash test lost a rep's edit:
// the contact showed our earlier write, taken for a HighLevel edit.
func (ls *linkState) addAhead(side Side, patch record, sent time.Time) {
	if ls.pending == nil {
		ls.pending = pendingWrites{}
	}
	if ls.ahead == nil {
		ls.ahead = pendingWrites{}
	}
	for k, v := range patch {
		key := string(side) + ":" + k
		p := pendingWrite{Value: v, At: sent}
		if side == Repsly {
			p.Old = ls.r[k]
		}
		if old, ok := ls.ahead[key]; ok && !equal(old.Value, v) {
			for n := 1; n <= maxAlternates; n++ {
				alt := key + "#" + strconv.Itoa(n)
				if cur, taken := ls.ahead[alt]; !taken || n == maxAlternates || equal(cur.Value, old.Value) {
					ls.ahead[alt] = old
					break
				}
			}
		}
		ls.pending[key] = p
		ls.ahead[key] = p
	}
}

// pendingField is the field of a pending-writes key of side ("ghl:city"
// and its alternates "ghl:city#1" are both "city").
func pendingField(key string, side Side) (string, bool) {
	k, ok := strings.CutPrefix(key, string(side)+":")
	if !ok {
		return "", false
	}
	if i := strings.IndexByte(k, '#'); i >= 0 {
		k = k[:i]
	}
	return k, true
}

// wrote drops the pending entries of a write whose result ls now holds
// (the caller's link update commits it), earlier values of its fields
// included.
func (ls *linkState) wrote(side Side, fields []string) {
	for _, k := range fields {
		for key := range ls.pending {
			if f, ok := pendingField(key, side); ok && f == k {
				delete(ls.pending, key)
			}
		}
	}
	ls.dirty = true
}

// adoptPending resolves side's pending writes against a read of that side
// (flat input in, as of at): a field showing the pending value is our
// write, returned to be taken into the known state; a field showing
// another value in a read well after the write ends the entry, and the
// read is judged as any other. A field of an import job not settled yet
// that shows another value is held: the read may predate the job, so it
// says nothing about the field until the job settles.
func (ls *linkState) adoptPending(side Side, in record, at time.Time) (adopted record, sent map[string]time.Time, held []string) {
	for key, p := range ls.pending {
		k, ok := pendingField(key, side)
		if !ok {
			continue
		}
		switch {
		case equal(in[k], p.Value):
			if adopted == nil {
				adopted, sent = record{}, map[string]time.Time{}
			}
			adopted[k], sent[k] = p.Value, p.At
			delete(ls.pending, key)
			ls.dirty = true
		case p.Job != 0 && at.Before(p.At.Add(importSettleLimit)):
			held = append(held, k)
			if !p.Held {
				p.Held = true
				ls.pending[key] = p
				ls.dirty = true
			}
		case at.After(p.At.Add(pendingSettle)):
			delete(ls.pending, key)
			ls.dirty = true
		}
	}
	return adopted, sent, held
}

// adoptGHL takes the pending writes a contact read shows into the known
// contact (see adoptPending).
func (e *Engine) adoptGHL(ctx context.Context, ls *linkState, g map[string]any, at time.Time) {
	if len(ls.pending) == 0 {
		return
	}
	adopted, sent, _ := ls.adoptPending(GHL, flatten(g), at)
	if len(adopted) == 0 {
		return
	}
	ls.g = applyGHLPatch(ls.g, adopted, e.idOf)
	for k, t := range sent {
		ls.markWrites(GHL, []string{k}, t)
	}
	e.trace(ctx, "contact shows our pending write", ls, adopted, slog.Time("at", at))
}

// adoptRepsly takes the pending writes a client read (begun at at) shows
// into the known client, and returns the input with held fields set to
// their known values (see adoptPending). Repsly applies imports after
// answering, so the read, not the send, is when the write was surely in:
// an older read may still show the field as it was.
func (e *Engine) adoptRepsly(ctx context.Context, ls *linkState, input map[string]any, at time.Time) map[string]any {
	if len(ls.pending) == 0 {
		return input
	}
	adopted, _, held := ls.adoptPending(Repsly, flatten(input), at)
	if len(adopted) > 0 {
		ls.r = overlay(ls.r, adopted)
		ls.markWrites(Repsly, keysOf(adopted), at)
		e.trace(ctx, "client shows our pending write", ls, adopted, slog.Time("at", at))
	}
	if len(held) == 0 {
		return input
	}
	known := make(map[string]any, len(held))
	for _, k := range held {
		known[k] = ls.r[k]
	}
	e.trace(ctx, "client read held for an unsettled import", ls, restrict(flatten(input), held), slog.Time("at", at))
	return overlay(input, known)
}
