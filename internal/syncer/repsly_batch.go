package syncer

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// ApplyRepsly syncs a batch of Repsly clients observed at at (Repsly
// reports no change time, so the poll time stands in for it).
//
// Invariant (nothing duplicated): before any HighLevel create, a link in
// state creating_ghl is committed for the client's Code. A retry after a
// crash finds it and looks the contact up by the code custom field the
// create set, so it links instead of creating again.
func (e *Engine) ApplyRepsly(ctx context.Context, recs []repsly.ClientRecord, at time.Time, opts BatchOptions) (Result, error) {
	b, err := e.beginRepsly(ctx, recs, at, opts)
	if err != nil {
		return Result{}, err
	}
	b.run(ctx)
	return b.finish(ctx)
}

// repslyBatch is a batch of Repsly clients between its three stages:
// begun (links read, records locked, intents committed), run (every record
// worked, API calls made) and finished (links stored, locks released).
// ApplyRepsly runs them in a row; the backfill stores one batch while the
// next one runs (backfill.go).
type repslyBatch struct {
	e       *Engine
	recs    []repsly.ClientRecord
	codes   map[string]bool
	at      time.Time
	opts    BatchOptions
	unlock  func()
	links   map[string]store.Link
	fresh   map[string]map[string]any // intents just written: their client states
	pending map[string][]GHLChange    // webhooks waiting in the inbox, by contact
	states  []*linkState
	outs    [][]Outcome
	errs    []error
}

// beginRepsly reads the batch's links and takes its records' locks; on
// error nothing stays locked.
func (e *Engine) beginRepsly(ctx context.Context, recs []repsly.ClientRecord, at time.Time, opts BatchOptions) (*repslyBatch, error) {
	if err := e.prepare(ctx); err != nil {
		return nil, err
	}
	// HighLevel stamps changes to the millisecond; compare at that grain,
	// or a Repsly poll a few microseconds after a HighLevel edit would
	// look newer than it.
	b := &repslyBatch{e: e, recs: dedupeByCode(recs), at: at.Truncate(time.Millisecond), opts: opts, codes: map[string]bool{}}
	codes := make([]string, len(b.recs))
	keys := make([]string, 0, 2*len(b.recs))
	for i, r := range b.recs {
		codes[i] = r.Code
		b.codes[r.Code] = true
		keys = append(keys, "r:"+r.Code)
	}
	links, err := e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, codes)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		if l.GHLID != "" {
			keys = append(keys, "g:"+l.GHLID)
		}
	}
	// The contact side of a link is worked under "g:<id>" (webhooks):
	// hold both sides of every record until the links are stored, and
	// read the links again under the locks.
	if b.unlock, err = e.lockRecords(ctx, keys); err != nil {
		return nil, err
	}
	if err := b.load(ctx, codes); err != nil {
		b.release()
		return nil, err
	}
	if b.opts.claims == nil {
		b.opts.claims = &claimSet{}
	}
	return b, nil
}

func (b *repslyBatch) load(ctx context.Context, codes []string) error {
	e := b.e
	var err error
	if b.links, err = e.st.LinksByRepslyCodes(ctx, e.st.DB(), e.spec.Flow, codes); err != nil {
		return err
	}
	if !b.opts.DryRun && e.spec.pushesToGHL() {
		if b.fresh, err = e.insertIntents(ctx, b.recs, b.links); err != nil {
			return err
		}
	}
	b.pending, err = e.pendingWebhooks(ctx, b.links, b.opts)
	return err
}

// shares reports whether a batch of recs would wait for this batch's
// locks: a client in both.
func (b *repslyBatch) shares(recs []repsly.ClientRecord) bool {
	return slices.ContainsFunc(recs, func(r repsly.ClientRecord) bool { return b.codes[r.Code] })
}

// run works every record, up to the engine's concurrency at once, then
// one at a time those whose create was refused as a duplicate.
func (b *repslyBatch) run(ctx context.Context) {
	e, n := b.e, len(b.recs)
	b.states, b.outs, b.errs = make([]*linkState, n), make([][]Outcome, n), make([]error, n)
	e.each(n, func(i int) { b.work(ctx, i) })
	seq := b.opts
	seq.sequential = true
	for i, rec := range b.recs {
		if !errors.Is(b.errs[i], errDeferred) {
			continue
		}
		ls := newLinkState(b.link(rec.Code))
		b.outs[i], b.errs[i] = e.syncRepslyRecord(ctx, ls, rec, b.at, seq)
		b.states[i] = ls
	}
}

// work syncs the batch's record i: the contact's webhooks waiting in the
// inbox first, then the client.
func (b *repslyBatch) work(ctx context.Context, i int) {
	e, rec := b.e, b.recs[i]
	l := b.link(rec.Code)
	var ls *linkState
	if in, ok := b.fresh[rec.Code]; ok {
		ls = newIntentState(l, in) // no need to parse back what was just written
	} else {
		ls = newLinkState(l)
	}
	b.states[i] = ls
	// The contact's webhooks still in the inbox first: the contact may
	// have changed since the state the link knows, and a write to it must
	// not go over that unseen change.
	var first []Outcome
	for _, ch := range b.pending[l.GHLID] {
		o, err := e.syncGHLRecord(ctx, ls, ch, b.opts)
		first = append(first, o...)
		if err != nil {
			b.outs[i], b.errs[i] = first, err
			return
		}
	}
	outs, err := e.syncRepslyRecord(ctx, ls, rec, b.at, b.opts)
	b.outs[i], b.errs[i] = append(first, outs...), err
	if !errors.Is(err, errDeferred) {
		ls.seal(ctx, e)
	}
}

func (b *repslyBatch) link(code string) store.Link {
	if l, ok := b.links[code]; ok {
		return l
	}
	return store.Link{Flow: b.e.spec.Flow, RepslyCode: code, State: store.LinkCreatingGHL, CreatedAt: b.e.now()}
}

// finish stores the batch's links with the caller's commit hook and
// releases its locks.
func (b *repslyBatch) finish(ctx context.Context) (Result, error) {
	defer b.release()
	var res Result
	return b.e.finishBatch(ctx, b.states, b.outs, b.errs, b.opts, &res)
}

// release lets go of the batch's locks; what it did not store stays to be
// redone (its intents make that safe).
func (b *repslyBatch) release() {
	if b.unlock != nil {
		b.unlock()
		b.unlock = nil
	}
}
