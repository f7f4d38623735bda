package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// GHLChange is one observed state of a HighLevel contact.
type GHLChange struct {
	Contact ghl.Contact
	// At is the change time (dateUpdated, else the webhook timestamp).
	At time.Time
	// Partial marks a webhook payload: absent fields keep their last known
	// value instead of reading as blanked.
	Partial bool
	// Deleted marks a ContactDelete.
	Deleted bool
}

// ApplyGHL syncs a batch of HighLevel contact changes to Repsly.
func (e *Engine) ApplyGHL(ctx context.Context, changes []GHLChange, opts BatchOptions) (Result, error) {
	var res Result
	if err := e.prepare(ctx); err != nil {
		return res, err
	}
	keys := make([]string, 0, len(changes))
	ids := make([]string, 0, len(changes))
	for _, ch := range changes {
		keys = append(keys, "g:"+ch.Contact.ID)
		ids = append(ids, ch.Contact.ID)
	}
	// Hold every contact's lock until the links are stored; read the links
	// under the locks.
	unlock, err := e.lockRecords(ctx, keys)
	if err != nil {
		return res, err
	}
	defer unlock()
	links, err := e.st.LinksByGHLIDs(ctx, e.st.DB(), e.spec.Flow, ids)
	if err != nil {
		return res, err
	}
	states := make([]*linkState, len(changes))
	outs := make([][]Outcome, len(changes))
	errs := make([]error, len(changes))
	// Changes of one contact in one batch apply in order, one at a time.
	byContact := map[string][]int{}
	var order []string
	for i, ch := range changes {
		if _, seen := byContact[ch.Contact.ID]; !seen {
			order = append(order, ch.Contact.ID)
		}
		byContact[ch.Contact.ID] = append(byContact[ch.Contact.ID], i)
	}
	e.each(len(order), func(n int) {
		id := order[n]
		var ls *linkState
		for _, i := range byContact[id] {
			ch := changes[i]
			ch.At = ch.At.Truncate(time.Millisecond)
			if ls == nil {
				if l, ok := links[id]; ok && l.State != store.LinkCreatingRepsly {
					ls = newLinkState(l)
				}
			}
			if ls == nil {
				// A new lead, or one whose client creation was
				// interrupted (creating_repsly): the import upserts on
				// the lead's Code, so finishing it twice is harmless.
				states[i], outs[i], errs[i] = e.newFromGHL(ctx, ch, opts)
				ls = states[i]
				continue
			}
			outs[i], errs[i] = e.syncGHLRecord(ctx, ls, ch, opts)
			states[i] = ls
		}
	})
	return e.finishBatch(ctx, states, outs, errs, opts, &res)
}

// syncGHLRecord brings Repsly in line with one change of a linked contact.
func (e *Engine) syncGHLRecord(ctx context.Context, ls *linkState, ch GHLChange, opts BatchOptions) ([]Outcome, error) {
	id := ch.Contact.ID
	if ls.link.State == store.LinkDeleted {
		return []Outcome{{Side: Repsly, Key: id, Action: ActSkip}}, nil
	}
	if ch.Deleted {
		ls.dirty = true
		if !e.spec.DeactivateOnGHLDelete || !e.spec.pushesToRepsly() || ls.link.RepslyCode == "" {
			ls.link.State = store.LinkDeleted
			return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActSkip}}, nil
		}
		if opts.DryRun {
			return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActDeactivate}}, nil
		}
		if err := e.writeRepsly(ctx, ls, record{"Active": false}, false); err != nil {
			return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActError, Err: err.Error()}}, err
		}
		ls.link.State = store.LinkDeleted
		return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActDeactivate}}, nil
	}
	g, err := ghlInput(ch.Contact, e.keyOf)
	if err != nil {
		return []Outcome{{Side: Repsly, Key: id, Action: ActError, Err: err.Error()}}, nil
	}
	if ch.Partial {
		g = overlay(ls.g, g)
	}
	// A state older than our own write of a field shows that field as it
	// was before the write, not as a change (stale.go).
	g, unsure := e.settleGHL(ctx, ls, g, ch.At, ch.Partial)
	if unsure && !opts.DryRun {
		if ch, g, err = e.rereadGHL(ctx, ls, id); err != nil {
			return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActError, Err: err.Error()}}, err
		}
	}
	if !ch.Partial && olderThanSeen(ch.Contact.DateUpdated, ls.g) {
		// A full read older than the state already applied (a reconcile
		// poll behind a webhook): never apply an older state over a newer
		// one. HighLevel's own dateUpdated decides; our field times are
		// estimates and must not hide a real edit. Webhooks, which may
		// arrive out of order, go through the field-level change times.
		return []Outcome{{Side: Repsly, Key: ls.link.RepslyCode, Action: ActUnchanged}}, nil
	}
	if ls.link.State == store.LinkCreatingGHL {
		// The contact's create has not been stored as linked yet: this
		// may be its echo or a user's edit right after it. Come back once
		// the link is stored, then the echo check tells them apart.
		return []Outcome{{Side: Repsly, Key: id, Action: ActSkip}}, &retryError{err: fmt.Errorf("contact %s is still being linked", id)}
	}
	return e.updateFromGHL(ctx, ls, id, g, ch.At, true, opts)
}

// updateFromGHL pushes a linked contact's changes to its client. With
// echoCheck, a contact state equal to our own last write is recognised as
// its echo and judged at the time of the change that caused it.
func (e *Engine) updateFromGHL(ctx context.Context, ls *linkState, id string, g map[string]any, at time.Time, echoCheck bool, opts BatchOptions) ([]Outcome, error) {
	key := ls.link.RepslyCode
	// A write of ours cut short before its link update (a relink or a
	// first match retried after a crash) is known, not a change
	// (write_ahead.go); settleGHL did this already for webhooks and polls.
	e.adoptGHL(ctx, ls, g, at)
	if reflect.DeepEqual(g, ls.g) {
		return []Outcome{{Side: Repsly, Key: key, Action: ActUnchanged}}, nil
	}
	// Invariant (nothing lost): if the write below fails, the link keeps
	// the state it had, so the retry sees the change again.
	saved := ls.snapshot()
	oldImg, err := e.imageToRepsly(ctx, ls.g, ls.r)
	if err != nil {
		return []Outcome{{Side: Repsly, Key: key, Action: ActError, Err: err.Error()}}, nil
	}
	newImg, err := e.imageToRepsly(ctx, g, ls.r)
	if err != nil {
		return []Outcome{{Side: Repsly, Key: key, Action: ActError, Err: err.Error()}}, nil
	}
	isEcho := false
	if echoCheck && ls.link.GHLWrittenAt != nil {
		if written := e.ghlWrittenHash(ctx, ls, oldImg); written != "" && e.repslyHashOfImage(ctx, g, ls.r, newImg) == written {
			at, isEcho = *ls.link.GHLWrittenAt, true
		}
	}
	ownOld, ownNew := restrict(flatten(ls.g), e.ghlTargets()), restrict(flatten(g), e.ghlTargets())
	ownChanged := diff(ownNew, ownOld)
	for _, k := range ownChanged {
		ls.times.bump(e.ghlKey(k), at)
	}
	e.trace(ctx, "contact changed", ls, restrict(ownNew, ownChanged), slog.Time("at", at), slog.Bool("echo", isEcho))
	ls.g, ls.dirty = g, true
	if !e.spec.pushesToRepsly() {
		return []Outcome{{Side: Repsly, Key: key, Action: ActUnchanged}}, nil
	}
	cur := flatten(ls.r)
	patch := record{}
	rejected := false
	for _, k := range diff(newImg, oldImg) {
		if k == "Code" {
			continue // the link's key never changes
		}
		if !e.wins(ls, e.repslyKey(k), GHL, at) {
			rejected = true
			continue
		}
		ls.times.bump(e.repslyKey(k), at)
		if equal(newImg[k], cur[k]) {
			continue
		}
		patch[k] = newImg[k]
	}
	var outs []Outcome
	switch {
	case len(patch) == 0 && isEcho:
		outs = append(outs, Outcome{Side: Repsly, Key: key, Action: ActEcho})
	case len(patch) == 0:
		outs = append(outs, Outcome{Side: Repsly, Key: key, Action: ActUnchanged})
	case opts.DryRun:
		outs = append(outs, Outcome{Side: Repsly, Key: key, Action: ActUpdate, Fields: keysOf(patch)})
	default:
		if err := e.writeRepsly(ctx, ls, patch, false); err != nil {
			ls.restore(saved)
			return []Outcome{{Side: Repsly, Key: key, Action: ActError, Fields: keysOf(patch), Err: err.Error()}}, err
		}
		if h, err := e.ghlHashOf(ctx, ls.r, ls.g); err == nil {
			ls.markRepslyWritten(h, at)
		}
		outs = append(outs, Outcome{Side: Repsly, Key: key, Action: ActUpdate, Fields: keysOf(patch)})
	}
	if rejected && e.spec.pushesToGHL() {
		corr, err := e.correctGHL(ctx, ls, ownChanged, opts)
		outs = append(outs, corr...)
		if err != nil {
			return outs, err
		}
	}
	return outs, nil
}

// correctRepsly sets Repsly's losing values back to the winning ones, so
// both sides converge after a conflict.
func (e *Engine) correctRepsly(ctx context.Context, ls *linkState, code string, changed []string, opts BatchOptions) ([]Outcome, error) {
	corr, err := e.imageToRepsly(ctx, ls.g, ls.r)
	if err != nil {
		return nil, nil
	}
	cur := flatten(ls.r)
	patch := record{}
	for _, k := range changed {
		if k != "Code" && corr[k] != nil && !equal(corr[k], cur[k]) {
			patch[k] = corr[k]
		}
	}
	if len(patch) == 0 {
		return nil, nil
	}
	if opts.DryRun {
		return []Outcome{{Side: Repsly, Key: code, Action: ActCorrect, Fields: keysOf(patch)}}, nil
	}
	if err := e.writeRepsly(ctx, ls, patch, false); err != nil {
		return []Outcome{{Side: Repsly, Key: code, Action: ActError, Fields: keysOf(patch), Err: err.Error()}}, err
	}
	if h, err := e.ghlHashOf(ctx, ls.r, ls.g); err == nil {
		ls.markRepslyWritten(h, latest(ls.times))
	}
	return []Outcome{{Side: Repsly, Key: code, Action: ActCorrect, Fields: keysOf(patch)}}, nil
}

// correctGHL sets HighLevel's losing values back to the winning ones.
func (e *Engine) correctGHL(ctx context.Context, ls *linkState, changed []string, opts BatchOptions) ([]Outcome, error) {
	corr, err := e.imageToGHL(ctx, ls.r, ls.g)
	if err != nil {
		return nil, nil
	}
	cur := flatten(ls.g)
	patch := record{}
	for _, k := range changed {
		if corr[k] != nil && !equal(corr[k], cur[k]) {
			patch[k] = corr[k]
		}
	}
	if len(patch) == 0 {
		return nil, nil
	}
	key := ls.link.RepslyCode
	if opts.DryRun {
		return []Outcome{{Side: GHL, Key: key, Action: ActCorrect, Fields: keysOf(patch)}}, nil
	}
	if err := e.writeGHL(ctx, ls, patch, cur); err != nil {
		return []Outcome{{Side: GHL, Key: key, Action: ActError, Fields: keysOf(patch), Err: err.Error()}}, err
	}
	ls.markGHLWrittenLazy(latest(ls.times))
	return []Outcome{{Side: GHL, Key: key, Action: ActCorrect, Fields: keysOf(patch)}}, nil
}

// olderThanSeen reports whether a contact state stamped dateUpdated is
// strictly older than the last state applied, g.
func olderThanSeen(dateUpdated string, g map[string]any) bool {
	seenText, _ := g["dateUpdated"].(string)
	if dateUpdated == "" || seenText == "" {
		return false
	}
	at, err1 := time.Parse(time.RFC3339Nano, dateUpdated)
	seen, err2 := time.Parse(time.RFC3339Nano, seenText)
	return err1 == nil && err2 == nil && at.Before(seen)
}

func latest(t fieldTimes) time.Time {
	var m time.Time
	for _, v := range t {
		if v.After(m) {
			m = v
		}
	}
	return m
}

// newFromGHL handles a contact no link knows: a new lead becomes a Repsly
// client with the deterministic Code GHL-<contact id>.
//
// Invariant (nothing duplicated): the creating_repsly link is committed
// before the import, and the import upserts on that Code, so a retry after
// a crash updates the same client instead of adding one.
func (e *Engine) newFromGHL(ctx context.Context, ch GHLChange, opts BatchOptions) (*linkState, []Outcome, error) {
	id := ch.Contact.ID
	if ch.Deleted || !e.spec.pushesToRepsly() {
		return nil, []Outcome{{Side: Repsly, Key: id, Action: ActSkip}}, nil
	}
	g, err := ghlInput(ch.Contact, e.keyOf)
	if err != nil {
		return nil, []Outcome{{Side: Repsly, Key: id, Action: ActError, Err: err.Error()}}, nil
	}
	img, err := e.imageToRepsly(ctx, g, nil)
	if err != nil {
		return nil, []Outcome{{Side: Repsly, Key: id, Action: ActError, Err: err.Error()}}, nil
	}
	code, _ := img["Code"].(string)
	if code == "" {
		code = e.spec.NewCodePrefix + id
	}
	// The client side of the new link is worked under "r:<code>": hold it,
	// so a Repsly batch never takes this code for a client without a link.
	// ("g:" sorts before "r:", the order every batch takes its locks in.)
	unlock, err := e.lockRecords(ctx, []string{"r:" + code})
	if err != nil {
		return nil, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, err
	}
	defer unlock()
	byCode, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, []string{code})
	if err != nil {
		return nil, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, err
	}
	if l, ok := byCode[code]; ok {
		switch {
		case l.State == store.LinkCreatingGHL && l.GHLID == "":
			// A contact we are creating from this client, not linked yet:
			// its echo, or a user's edit right after the create. Come back
			// once the link is stored.
			return nil, []Outcome{{Side: Repsly, Key: code, Action: ActSkip}}, &retryError{err: fmt.Errorf("contact %s is still being linked to client %s", id, code)}
		case l.GHLID != "" && l.GHLID != id:
			msg := fmt.Sprintf("contact %s carries client code %s, which is linked to contact %s", id, code, l.GHLID)
			return nil, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: msg}}, nil
		case l.GHLID == id && l.State != store.LinkCreatingRepsly:
			// Linked to this very contact while this change waited for
			// the client's lock (a Repsly batch created the contact and
			// stored its link): a change of a linked contact, not a new
			// lead to import over the client.
			ls := newLinkState(l)
			outs, err := e.syncGHLRecord(ctx, ls, ch, opts)
			return ls, outs, err
		}
	}
	if opts.DryRun {
		return nil, []Outcome{{Side: Repsly, Key: code, Action: ActCreate, Fields: keysOf(img)}}, nil
	}
	ls := newLinkState(store.Link{Flow: e.spec.Flow, RepslyCode: code, GHLID: id, State: store.LinkCreatingRepsly, CreatedAt: e.now()})
	if l, ok := byCode[code]; ok {
		ls = newLinkState(l)
		ls.link.GHLID, ls.link.State = id, store.LinkCreatingRepsly
	}
	retry := false
	if l, ok := byCode[code]; ok && l.State == store.LinkCreatingRepsly {
		retry = true
	}
	delete(img, "Code")
	// What an import now sends. The intent records it, and the contact
	// it came from, before the import: a retry after a crash then knows
	// what the client was made as, and tells the edits made since on
	// each side apart.
	body := record(importBody(&linkState{link: ls.link}, img))
	var existing map[string]any
	readAt := e.now().Truncate(time.Millisecond)
	if retry {
		// An interrupted creation. The change that brought us here may be
		// a webhook's partial payload from before it (a retried job):
		// judge the contact as it is now, read in full.
		c, err := e.ghl.GetContact(ctx, id)
		if errors.Is(err, ghl.ErrNotFound) {
			return nil, []Outcome{{Side: Repsly, Key: code, Action: ActSkip}}, nil
		}
		if err != nil {
			return ls, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, err
		}
		ch = GHLChange{Contact: *c, At: contactTime(c, e.now()).Truncate(time.Millisecond)}
		if g, err = ghlInput(*c, e.keyOf); err != nil {
			return ls, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, nil
		}
		g, _ = e.settleGHL(ctx, ls, g, ch.At, false)
		if img, err = e.imageToRepsly(ctx, g, nil); err != nil {
			return ls, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, nil
		}
		delete(img, "Code")
		body = record(importBody(&linkState{link: ls.link}, img))
		// If the client was made, a rep may have edited it since; read it
		// rather than import the lead over it.
		if cl, err := e.rep.GetClient(ctx, code); err == nil {
			if in, err := repslyInput(cl); err == nil {
				existing = in
			}
		} else if !errors.Is(err, repsly.ErrNotFound) {
			return ls, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, err
		}
	}
	at := ch.At
	switch {
	case existing != nil && len(ls.r) > 0:
		// Made by an earlier attempt, as its intent recorded (ls.r, ls.g):
		// the edits since on both sides are synced once linked, below.
		at = ls.link.CreatedAt.Truncate(time.Millisecond)
	case existing != nil:
		// An intent that recorded nothing (an older version): take the
		// client as it is.
		ls.r, ls.g, existing = existing, g, nil
	default:
		ls.r, ls.g = map[string]any(body), g
		if err := e.st.InTx(ctx, func(tx store.Tx) error { return e.saveLink(ctx, tx, ls) }); err != nil {
			return nil, []Outcome{{Side: Repsly, Key: code, Action: ActError, Err: err.Error()}}, err
		}
		if err := e.writeRepsly(ctx, ls, body, true); err != nil {
			return ls, []Outcome{{Side: Repsly, Key: code, Action: ActError, Fields: keysOf(img), Err: err.Error()}}, err
		}
	}
	for k := range ls.r {
		ls.times.bump(e.repslyKey(k), at)
	}
	for k := range restrict(flatten(ls.g), e.ghlTargets()) {
		ls.times.bump(e.ghlKey(k), at)
	}
	ls.dirty = true
	if h, err := e.ghlHashOf(ctx, ls.r, ls.g); err == nil {
		ls.markRepslyWritten(h, at)
	}
	outs := []Outcome{{Side: Repsly, Key: code, Action: ActCreate, Fields: keysOf(img)}}
	// Put the code on the contact, so it can always be found by it.
	if e.spec.pushesToGHL() {
		if cf := flatten(g)["customFields."+e.spec.CodeField]; cf != code {
			patch := record{"customFields." + e.spec.CodeField: code}
			if err := e.writeGHL(ctx, ls, patch, flatten(g)); err != nil {
				if errors.Is(err, ghl.ErrNotFound) {
					ls.link.State = store.LinkDeleted
					return ls, outs, nil
				}
				// Left creating_repsly: the retry imports again (an upsert
				// on the same Code) and writes the code.
				return ls, append(outs, Outcome{Side: GHL, Key: code, Action: ActError, Err: err.Error()}), err
			}
			ls.markGHLWrittenLazy(at)
		}
	}
	ls.link.State = store.LinkLinked
	if existing != nil {
		// Edits made while the creation was cut short: the user's on the
		// contact, then the rep's on the client.
		more, err := e.updateFromGHL(ctx, ls, id, g, ch.At, false, opts)
		outs = append(outs, more...)
		if err != nil {
			return ls, outs, err
		}
		if e.spec.pushesToGHL() {
			// Judged as of the read: the contact's edits just written to
			// the client are newer than it (stale.go).
			more, err := e.updateFromRepsly(ctx, ls, code, existing, readAt, opts)
			outs = append(outs, more...)
			if err != nil {
				return ls, outs, err
			}
		}
	}
	return ls, outs, nil
}
