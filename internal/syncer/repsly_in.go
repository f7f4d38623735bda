package syncer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// BatchOptions tunes one Apply call.
type BatchOptions struct {
	// DryRun computes the outcomes without writing anything anywhere.
	DryRun bool
	// Index, when set, is used to match records to the other side instead
	// of one lookup call per new record (backfill and reconcile preload it).
	Index *Index
	// Commit runs inside the transaction that stores the batch's links,
	// e.g. to advance the polling cursor past the batch (DESIGN invariant
	// 1). It does not run when a transient error leaves work to retry.
	Commit func(tx store.Tx, res Result) error

	// claims holds the contacts linked within this batch, so two clients
	// never take the same contact before their links are committed.
	claims *claimSet
	// sequential marks the batch's second, one-at-a-time pass over
	// records whose create was refused as a duplicate.
	sequential bool
}

// errDeferred sends a record to the batch's sequential pass.
var errDeferred = errors.New("syncer: deferred to the sequential pass")

type claimSet struct {
	mu sync.Mutex
	m  map[string]string // contact id -> client code
}

// claim records that code takes contact id; it fails if another code did.
func (c *claimSet) claim(id, code string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]string{}
	}
	if other, ok := c.m[id]; ok && other != code {
		return other, false
	}
	c.m[id] = code
	return code, true
}

// finishBatch stores every changed link in one transaction with the
// caller's commit hook, unless a transient error means the batch must be
// retried, in which case the links are stored but the hook is not run.
func (e *Engine) finishBatch(ctx context.Context, states []*linkState, outs [][]Outcome, errs []error, opts BatchOptions, res *Result) (Result, error) {
	var transient error
	for i := range states {
		for _, o := range outs[i] {
			res.add(o)
		}
		if errs[i] != nil && Transient(errs[i]) && transient == nil {
			transient = errs[i]
		}
	}
	if opts.DryRun {
		return *res, transient
	}
	err := e.st.InTx(ctx, func(tx store.Tx) error {
		saved := map[*linkState]bool{}
		var updates []store.Link
		for _, ls := range states {
			if ls == nil || !ls.dirty || saved[ls] {
				continue
			}
			saved[ls] = true
			if ls.link.ID != 0 {
				updates = append(updates, ls.row(ctx, e))
				continue
			}
			if err := e.saveLink(ctx, tx, ls); err != nil {
				return err
			}
		}
		if err := e.st.UpdateLinks(ctx, tx, updates, e.now()); err != nil {
			return err
		}
		if transient == nil && opts.Commit != nil {
			return opts.Commit(tx, *res)
		}
		return nil
	})
	if err != nil {
		return *res, err
	}
	if transient != nil {
		return *res, &retryError{err: fmt.Errorf("syncer: batch will be retried: %w", transient)}
	}
	return *res, nil
}

func (e *Engine) saveLink(ctx context.Context, tx store.Tx, ls *linkState) error {
	l := ls.toLink(ctx, e)
	if l.ID == 0 {
		id, err := e.st.InsertLink(ctx, tx, l)
		if err != nil {
			return err
		}
		ls.link.ID = id
		return nil
	}
	return e.st.UpdateLink(ctx, tx, l, e.now())
}

// insertIntents commits creating_ghl links for clients without a link,
// and returns the client states they hold, by code.
func (e *Engine) insertIntents(ctx context.Context, recs []repsly.ClientRecord, links map[string]store.Link) (map[string]map[string]any, error) {
	var missing []repsly.ClientRecord
	for _, r := range recs {
		if _, ok := links[r.Code]; !ok {
			missing = append(missing, r)
		}
	}
	if len(missing) == 0 {
		return nil, nil
	}
	var conflicts []string
	intents := make([]store.Link, len(missing))
	inputs := make(map[string]map[string]any, len(missing))
	for i, r := range missing {
		// The intent keeps the client as it is when its contact is
		// created: a retry after a crash then knows what the create
		// sent, and tells edits made since on each side apart.
		in, _ := repslyInput(r)
		inputs[r.Code] = in
		intents[i] = store.Link{Flow: e.spec.Flow, RepslyCode: r.Code, State: store.LinkCreatingGHL, CreatedAt: e.now(), RepslyLast: jsonOf(in)}
	}
	err := e.st.InTx(ctx, func(tx store.Tx) error {
		ids, err := e.st.InsertLinksIfAbsent(ctx, tx, intents)
		if err != nil {
			return err
		}
		for i, l := range intents {
			if ids[i] == 0 {
				conflicts = append(conflicts, l.RepslyCode)
				continue
			}
			l.ID = ids[i]
			links[l.RepslyCode] = l
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(conflicts) == 0 {
		return inputs, nil
	}
	// Another batch (a new lead's client) made these links meanwhile:
	// work with them, never as if there were none.
	found, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, conflicts)
	if err != nil {
		return nil, err
	}
	for code, l := range found {
		links[code] = l
		delete(inputs, code)
	}
	return inputs, nil
}

// dedupeByCode keeps the last occurrence of each Code: a page can carry a
// client twice if it changed while being exported.
func dedupeByCode(recs []repsly.ClientRecord) []repsly.ClientRecord {
	seen := make(map[string]int, len(recs))
	for _, r := range recs {
		if _, dup := seen[r.Code]; dup || r.Code == "" {
			break
		}
		seen[r.Code] = 0
	}
	if len(seen) == len(recs) {
		return recs // the usual page: every code once, none empty
	}
	clear(seen)
	out := make([]repsly.ClientRecord, 0, len(recs))
	for _, r := range recs {
		if r.Code == "" {
			continue
		}
		if i, ok := seen[r.Code]; ok {
			out[i] = r
			continue
		}
		seen[r.Code] = len(out)
		out = append(out, r)
	}
	return out
}

// imageToGHL maps a Repsly client to the HighLevel fields it implies,
// including the inactive tag for a deactivated client. current is the
// contact as last known (the mapping reads it as `target`, e.g. to keep
// the contact's other tags); diffs compare images made with the same
// current, so it never shows up as a change by itself.
func (e *Engine) imageToGHL(ctx context.Context, client, current map[string]any) (record, error) {
	if len(client) == 0 {
		return record{}, nil
	}
	out, err := e.spec.ToGHL.ApplyTo(ctx, map[string]any{e.spec.RepslyRoot: client}, current)
	if err != nil {
		return nil, err
	}
	img := flatten(out)
	if active, ok := client["Active"].(bool); ok && !active && e.spec.OnRepslyDeactivate == DeactivateTag {
		img["tags"] = sortedStrings(append(asList(img["tags"]), e.spec.InactiveTag))
	}
	return img, nil
}

// imageToRepsly maps a HighLevel contact to the Repsly fields it implies,
// current being the client as last known. In a two-way sync with the
// inactive tag, the tag on the contact means Active=false on the client.
func (e *Engine) imageToRepsly(ctx context.Context, contact, current map[string]any) (record, error) {
	if len(contact) == 0 {
		return record{}, nil
	}
	out, err := e.spec.ToRepsly.ApplyTo(ctx, map[string]any{e.spec.GHLRoot: contact}, current)
	if err != nil {
		return nil, err
	}
	img := flatten(out)
	if e.spec.Direction == TwoWay && e.spec.OnRepslyDeactivate == DeactivateTag {
		if tags, ok := contact["tags"]; ok {
			active := true
			for _, t := range asList(tags) {
				if strings.EqualFold(strings.TrimSpace(fmt.Sprint(t)), e.spec.InactiveTag) {
					active = false
				}
			}
			img["Active"] = active
		}
	}
	return img, nil
}

func (e *Engine) repslyTargets() []string {
	if e.spec.ToRepsly == nil {
		return nil
	}
	return e.spec.ToRepsly.Targets()
}

func (e *Engine) ghlTargets() []string {
	if e.spec.ToGHL == nil {
		return nil
	}
	return e.spec.ToGHL.Targets()
}

// syncRepslyRecord brings HighLevel in line with one Repsly client.
func (e *Engine) syncRepslyRecord(ctx context.Context, ls *linkState, rec repsly.ClientRecord, at time.Time, opts BatchOptions) ([]Outcome, error) {
	fail := func(err error) ([]Outcome, error) {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
	}
	input := ls.r // a fresh intent holds this very client
	if !ls.intent {
		var err error
		if input, err = repslyInput(rec); err != nil {
			return fail(err)
		}
	}
	if ls.link.State == store.LinkDeleted {
		// The contact was deleted in HighLevel and the client deactivated;
		// a reactivation starts a new contact.
		if !rec.Active {
			return []Outcome{{Side: GHL, Key: rec.Code, Action: ActSkip}}, nil
		}
		ls.link.GHLID, ls.link.State, ls.g, ls.r, ls.times = "", store.LinkCreatingGHL, map[string]any{}, map[string]any{}, fieldTimes{}
		ls.dirty = true
	}
	if ls.link.GHLID == "" {
		if !e.spec.pushesToGHL() {
			// One-way to Repsly: remember the client for matching only.
			ls.r, ls.dirty = input, true
			return []Outcome{{Side: GHL, Key: rec.Code, Action: ActSkip}}, nil
		}
		return e.matchOrCreate(ctx, ls, rec, input, at, opts)
	}
	return e.updateFromRepsly(ctx, ls, rec.Code, input, at, opts)
}

// matchOrCreate links a client to an existing contact (by code, email or
// phone) or creates the contact.
func (e *Engine) matchOrCreate(ctx context.Context, ls *linkState, rec repsly.ClientRecord, input map[string]any, at time.Time, opts BatchOptions) ([]Outcome, error) {
	img, err := e.imageToGHL(ctx, input, nil)
	if err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, nil
	}
	fromDuplicate := "" // the field a refused create shared with contact
	contact, err := e.findContact(ctx, rec.Code, img, opts.Index)
	if err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
	}
	if contact == nil {
		if opts.DryRun {
			return []Outcome{{Side: GHL, Key: rec.Code, Action: ActCreate, Fields: keysOf(img)}}, nil
		}
		if err := e.intendCreate(ctx, ls, input); err != nil {
			return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
		}
		// sent is what the create carries, dropped the shared field it
		// leaves out. A location known to refuse duplicates would refuse
		// a value a contact this run created for another client holds
		// (chain stores often share a phone): leave it out from the start
		// rather than spend a refused call on it.
		sent, dropped := img, ""
		if field := opts.Index.heldField(img, rec.Code); field != "" {
			sent, dropped = img.clone(), field
			delete(sent, field)
		}
		created, err := e.createContact(ctx, sent)
		var dup *ghl.DuplicateContactError
		if dropped != "" && errors.As(err, &dup) {
			// Refused all the same: decide as for any other client.
			sent, dropped = img, ""
			created, err = e.createContact(ctx, img)
		}
		if errors.As(err, &dup) && dup.ContactID != "" {
			opts.Index.refused()
		}
		if errors.As(err, &dup) && dup.ContactID != "" && e.heldByOther(ctx, dup.ContactID, rec.Code, opts) {
			// Another client already owns the contact holding this email or
			// phone (chain stores often share a phone). The location refuses
			// duplicates, so this client's contact is created without the
			// shared value, and the outcome says so.
			field := dup.MatchingField
			if field == "" {
				field = "phone"
			}
			sent = img.clone()
			delete(sent, field)
			dropped = field
			created, err = e.createContact(ctx, sent)
			dup = nil
		}
		switch {
		case errors.As(err, &dup) && dup.ContactID != "":
			// The location refuses duplicates and names the holder of the
			// email or phone: link to it rather than fail.
			if !opts.sequential {
				// The holder may be a contact another record of this batch
				// just created and has not claimed yet: decide after the
				// batch's parallel part, when every claim is known.
				return nil, errDeferred
			}
			existing, gerr := e.ghl.GetContact(ctx, dup.ContactID)
			if gerr != nil {
				return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: gerr.Error()}}, gerr
			}
			contact = existing
			fromDuplicate = cmpOr(dup.MatchingField, "phone")
		case err != nil:
			return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
		default:
			if err := e.linkCreated(ctx, ls, created, rec.Code, input, img, at, opts); err != nil {
				return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, nil
			}
			opts.Index.hold(sent, rec.Code)
			out := Outcome{Side: GHL, Key: rec.Code, Action: ActCreate, Fields: keysOf(img)}
			if dropped != "" {
				out.Err = fmt.Sprintf("created without %s: another client's contact holds the same %s and the location refuses duplicates", dropped, dropped)
				g := maps.Clone(ls.g) // states are replaced, never mutated
				delete(g, dropped)
				ls.g = g
				// The write is of the contact as HighLevel holds it, without
				// the field: marked so, the link is stored with the states
				// the lazy hash is of, and never has to compute it.
				ls.markGHLWrittenLazy(at)
			}
			return []Outcome{out}, nil
		}
	}
	if out, done, err := e.relinkOwnCreate(ctx, ls, contact, rec, input, at, opts); done {
		return out, err
	}
	// A first-time match: the contact is a stranger, every field counts.
	ls.r = map[string]any{}
	// Link to the existing contact, then reconcile field by field.
	g, err := ghlInput(*contact, e.keyOf)
	if err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, nil
	}
	other := ""
	if taken, err := e.st.LinksByGHLIDs(ctx, e.st.DB(), e.spec.Flow, []string{contact.ID}); err == nil && len(taken) > 0 && taken[contact.ID].RepslyCode != rec.Code {
		other = taken[contact.ID].RepslyCode
	} else if opts.claims != nil {
		if o, ok := opts.claims.claim(contact.ID, rec.Code); !ok {
			other = o
		}
	}
	if other != "" {
		if fromDuplicate != "" {
			// The holder of the shared value was taken by another client of
			// this batch after the create was refused: create without it.
			return e.createWithout(ctx, ls, rec, input, img, fromDuplicate, other, at, opts)
		}
		msg := fmt.Sprintf("contact %s matches client %s but belongs to client %s: the two clients share an email or phone, and HighLevel keeps one contact per email/phone; fix the duplicate in Repsly", contact.ID, rec.Code, other)
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: msg}}, nil
	}
	ls.link.GHLID, ls.link.State, ls.g, ls.dirty = contact.ID, store.LinkLinked, g, true
	outs, err := e.updateFromRepsly(ctx, ls, rec.Code, input, at, opts)
	outs = append([]Outcome{{Side: GHL, Key: rec.Code, Action: ActLink}}, outs...)
	if err != nil || !e.spec.pushesToRepsly() {
		return outs, err
	}
	// Fields only HighLevel has flow back to Repsly; where both have a
	// value, Repsly's (seen now) is newer than the contact's last update.
	// The contact (as patched) is judged as never seen before, so each of
	// its fields counts; Repsly's own fields carry newer times and win.
	post := ls.g
	ls.g = map[string]any{}
	more, err := e.updateFromGHL(ctx, ls, contact.ID, post, contactTime(contact, at), false, opts)
	return append(outs, more...), err
}

// heldByOther reports whether contact id is linked, or claimed in this
// batch, by a client other than code.
func (e *Engine) heldByOther(ctx context.Context, id, code string, opts BatchOptions) bool {
	if taken, err := e.st.LinksByGHLIDs(ctx, e.st.DB(), e.spec.Flow, []string{id}); err == nil && len(taken) > 0 {
		return taken[id].RepslyCode != code
	}
	if opts.claims != nil {
		opts.claims.mu.Lock()
		other, ok := opts.claims.m[id]
		opts.claims.mu.Unlock()
		return ok && other != code
	}
	return false
}

// updateFromRepsly pushes a linked client's changes to its contact.
func (e *Engine) updateFromRepsly(ctx context.Context, ls *linkState, code string, input map[string]any, at time.Time, opts BatchOptions) ([]Outcome, error) {
	// A write of ours cut short before its link update shows here as
	// the value we sent: known, not a change (write_ahead.go).
	input = e.adoptRepsly(ctx, ls, input, at)
	if reflect.DeepEqual(input, ls.r) {
		// The very record we last saw: nothing to map, nothing to store.
		return []Outcome{{Side: GHL, Key: code, Action: ActUnchanged}}, nil
	}
	if unsureRepsly(ls, input, at) && !opts.DryRun {
		// The read may predate our own write of a field it shows
		// otherwise (stale.go): only a second read can tell.
		fresh, readAt, same, err := e.rereadRepsly(ctx, ls, code)
		if err != nil {
			return []Outcome{{Side: GHL, Key: code, Action: ActError, Err: err.Error()}}, err
		}
		if same {
			return []Outcome{{Side: GHL, Key: code, Action: ActUnchanged}}, nil
		}
		input, at = fresh, readAt
	}
	// Invariant (nothing lost): if the write below fails, the link keeps
	// the state it had, so the retry sees the change again.
	saved := ls.snapshot()
	isEcho := false
	if ls.link.RepslyWrittenHash != "" && ls.link.RepslyWrittenAt != nil {
		// Our own write coming back through the poll is judged at the time
		// of the change that caused it.
		if h, err := e.ghlHashOf(ctx, input, ls.g); err == nil && h == ls.link.RepslyWrittenHash {
			at, isEcho = *ls.link.RepslyWrittenAt, true
		}
	}
	oldImg, err := e.imageToGHL(ctx, ls.r, ls.g)
	if err != nil {
		return []Outcome{{Side: GHL, Key: code, Action: ActError, Err: err.Error()}}, nil
	}
	newImg, err := e.imageToGHL(ctx, input, ls.g)
	if err != nil {
		return []Outcome{{Side: GHL, Key: code, Action: ActError, Err: err.Error()}}, nil
	}
	ownOld, ownNew := restrict(flatten(ls.r), e.repslyTargets()), restrict(flatten(input), e.repslyTargets())
	ownChanged := diff(ownNew, ownOld)
	for _, k := range ownChanged {
		ls.times.bump(e.repslyKey(k), at)
	}
	e.trace(ctx, "client changed", ls, restrict(ownNew, ownChanged), slog.Time("at", at), slog.Bool("echo", isEcho))
	wasActive := activeOf(ls.r, true)
	ls.r, ls.dirty = input, true
	if len(oldImg) > 0 && !activeOf(input, true) && wasActive && e.spec.OnRepslyDeactivate == DeactivateDelete {
		if opts.DryRun {
			return []Outcome{{Side: GHL, Key: code, Action: ActDelete}}, nil
		}
		if err := e.ghl.DeleteContact(ctx, ls.link.GHLID); err != nil && !errors.Is(err, ghl.ErrNotFound) {
			ls.restore(saved)
			return []Outcome{{Side: GHL, Key: code, Action: ActError, Err: err.Error()}}, err
		}
		ls.link.State = store.LinkDeleted
		return []Outcome{{Side: GHL, Key: code, Action: ActDelete}}, nil
	}
	cur := flatten(ls.g)
	patch := record{}
	rejected := false
	for _, k := range diff(newImg, oldImg) {
		if !e.wins(ls, e.ghlKey(k), Repsly, at) {
			rejected = true
			continue
		}
		v := newImg[k]
		if k == "tags" {
			v = mergeTagsPatch(cur["tags"], oldImg["tags"], newImg["tags"])
		}
		ls.times.bump(e.ghlKey(k), at)
		if equal(v, cur[k]) {
			continue
		}
		if v == nil {
			patch[k] = nil
		} else {
			patch[k] = v
		}
	}
	var outs []Outcome
	switch {
	case len(patch) == 0 && isEcho:
		outs = append(outs, Outcome{Side: GHL, Key: code, Action: ActEcho})
	case len(patch) == 0:
		outs = append(outs, Outcome{Side: GHL, Key: code, Action: ActUnchanged})
	default:
		act := ActUpdate
		if tagsOnly(patch) && slices.Contains(asStrings(patch["tags"]), e.spec.InactiveTag) && !activeOf(input, true) {
			act = ActDeactivate
		}
		out := Outcome{Side: GHL, Key: code, Action: act, Fields: keysOf(patch)}
		if !opts.DryRun {
			written, held, err := e.writeGHLHeld(ctx, ls, patch, cur)
			if err != nil {
				ls.restore(saved)
				if errors.Is(err, ghl.ErrNotFound) {
					ls.link.State, ls.dirty = store.LinkDeleted, true
				}
				return []Outcome{{Side: GHL, Key: code, Action: ActError, Fields: keysOf(patch), Err: err.Error()}}, err
			}
			if held != nil {
				out.Fields, out.Err = keysOf(written), held.note()
				if len(written) == 0 {
					out.Action = ActUnchanged
				}
			}
			if len(written) > 0 {
				ls.markGHLWrittenLazy(at)
			}
		}
		outs = append(outs, out)
	}
	if rejected && e.spec.pushesToRepsly() {
		corr, err := e.correctRepsly(ctx, ls, code, ownChanged, opts)
		outs = append(outs, corr...)
		if err != nil {
			return outs, err
		}
	}
	return outs, nil
}

// wins decides whether a change from side from at time at may overwrite
// the field key ("ghl:email"): a side priority set in the flow decides
// first, then the newer change time.
func (e *Engine) wins(ls *linkState, key string, from Side, at time.Time) bool {
	if p, ok := e.spec.Priority[key]; ok {
		return p == from
	}
	cur, ok := ls.times[key]
	return !ok || !at.Before(cur)
}

func (e *Engine) repslyHashOf(ctx context.Context, contact, current map[string]any) (string, error) {
	if e.spec.ToRepsly == nil {
		return hashOf(flatten(contact)), nil
	}
	img, err := e.imageToRepsly(ctx, contact, current)
	if err != nil {
		return "", err
	}
	return hashOf(img), nil
}

// repslyHashOfImage is repslyHashOf for a contact whose image img (with
// current) is already made.
func (e *Engine) repslyHashOfImage(ctx context.Context, contact, current map[string]any, img record) string {
	if e.spec.ToRepsly != nil {
		return hashOf(img)
	}
	h, _ := e.repslyHashOf(ctx, contact, current)
	return h
}

func (e *Engine) ghlHashOf(ctx context.Context, client, current map[string]any) (string, error) {
	if e.spec.ToGHL == nil {
		return hashOf(flatten(client)), nil
	}
	img, err := e.imageToGHL(ctx, client, current)
	if err != nil {
		return "", err
	}
	return hashOf(img), nil
}

func activeOf(m map[string]any, def bool) bool {
	if a, ok := m["Active"].(bool); ok {
		return a
	}
	return def
}

func tagsOnly(p record) bool {
	_, ok := p["tags"]
	return ok && len(p) == 1
}

func asStrings(v any) []string {
	var out []string
	for _, x := range asList(v) {
		out = append(out, fmt.Sprint(x))
	}
	return out
}

func keysOf(r record) []string {
	out := make([]string, 0, len(r))
	for k := range r {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// contactTime is the contact's last change time, or def.
func contactTime(c *ghl.Contact, def time.Time) time.Time {
	for _, s := range []string{c.DateUpdated, c.DateAdded} {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t
		}
	}
	return def
}

// intendCreate makes the client's intent say what the create about to be
// sent is made from. An intent written by an earlier attempt (one a crash
// cut short before it created anything) holds the client as it was then;
// a relink after this create would take every field the client changed
// since for an edit made in HighLevel, and push the earlier values back
// over the rep's. A fresh intent already holds input: no write.
func (e *Engine) intendCreate(ctx context.Context, ls *linkState, input map[string]any) error {
	if ls.intent || ls.link.ID == 0 || ls.link.State != store.LinkCreatingGHL || reflect.DeepEqual(ls.r, input) {
		return nil
	}
	if err := e.st.SetIntentClient(ctx, e.st.DB(), ls.link.ID, jsonOf(input), e.now()); err != nil {
		return err
	}
	ls.r = input
	return nil
}

// createWithout creates the client's contact without field, whose value
// another client's contact holds in a location that refuses duplicates;
// the outcome says so.
func (e *Engine) createWithout(ctx context.Context, ls *linkState, rec repsly.ClientRecord, input map[string]any, img record, field, other string, at time.Time, opts BatchOptions) ([]Outcome, error) {
	trimmed := img.clone()
	delete(trimmed, field)
	if err := e.intendCreate(ctx, ls, input); err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
	}
	created, err := e.createContact(ctx, trimmed)
	if err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, err
	}
	if err := e.linkCreated(ctx, ls, created, rec.Code, input, trimmed, at, opts); err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, nil
	}
	return []Outcome{{Side: GHL, Key: rec.Code, Action: ActCreate, Fields: keysOf(trimmed),
		Err: fmt.Sprintf("created without %s: client %s's contact holds the same %s and the location refuses duplicates", field, other, field)}}, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// linkCreated records a contact just created from a client: both sides'
// states (what HighLevel answered may omit fields, so what was sent is
// kept), the field times, the echo marker of the create, and the claim.
func (e *Engine) linkCreated(ctx context.Context, ls *linkState, created *ghl.Contact, code string, input map[string]any, sent record, at time.Time, opts BatchOptions) error {
	g, err := ghlInput(*created, e.keyOf)
	if err != nil {
		return err
	}
	ls.g, ls.r = patchGHL(g, sent, e.idOf), input // g was just made from the answer
	for k := range sent {
		ls.times.bump(e.ghlKey(k), at)
	}
	for k := range restrict(flatten(input), e.repslyTargets()) {
		ls.times.bump(e.repslyKey(k), at)
	}
	ls.markGHLWrittenLazy(at)
	ls.link.GHLID, ls.link.State, ls.dirty = created.ID, store.LinkLinked, true
	e.trace(ctx, "linked created contact", ls, sent, slog.Time("at", at))
	if opts.Index != nil {
		opts.Index.claim(created.ID)
	}
	if opts.claims != nil {
		opts.claims.claim(created.ID, code)
	}
	return nil
}

// relinkOwnCreate handles the retry of a create whose link was never
// stored (the process died in between): the contact carries this client's
// code, so it is our own create, not a stranger to merge with. The intent
// kept the client as it was at the create, so what the create sent is
// known: edits made since on HighLevel flow to Repsly, edits made since
// on Repsly flow to HighLevel, each judged by its change time. done is
// false when the contact is not our own create.
func (e *Engine) relinkOwnCreate(ctx context.Context, ls *linkState, contact *ghl.Contact, rec repsly.ClientRecord, input map[string]any, at time.Time, opts BatchOptions) ([]Outcome, bool, error) {
	if ls.link.State != store.LinkCreatingGHL || len(ls.r) == 0 {
		return nil, false, nil
	}
	g, err := ghlInput(*contact, e.keyOf)
	if err != nil {
		return nil, false, nil
	}
	if code, _ := flatten(g)["customFields."+e.spec.CodeField].(string); code != rec.Code {
		return nil, false, nil
	}
	atCreate := ls.r
	sent, err := e.imageToGHL(ctx, atCreate, nil)
	if err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, true, nil
	}
	createdAt := ls.link.CreatedAt.Truncate(time.Millisecond)
	// Link the contact as the create made it, not as it is now: every
	// field edited since, including ones the create did not send, must
	// show up as a change below and reach Repsly.
	made := &ghl.Contact{ID: contact.ID, LocationID: contact.LocationID, DateAdded: contact.DateAdded}
	if err := e.linkCreated(ctx, ls, made, rec.Code, atCreate, sent, createdAt, opts); err != nil {
		return []Outcome{{Side: GHL, Key: rec.Code, Action: ActError, Err: err.Error()}}, true, nil
	}
	outs := []Outcome{{Side: GHL, Key: rec.Code, Action: ActLink}}
	if e.spec.pushesToRepsly() {
		more, err := e.updateFromGHL(ctx, ls, contact.ID, g, contactTime(contact, createdAt).Truncate(time.Millisecond), false, opts)
		outs = append(outs, more...)
		if err != nil {
			return outs, true, err
		}
	}
	more, err := e.updateFromRepsly(ctx, ls, rec.Code, input, at, opts)
	return append(outs, more...), true, err
}
