package syncer

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Cursor sources kept in sync_cursor per flow.
const (
	CursorRepslyClients = "repsly.clients"           // live poll of Repsly clients
	CursorGHLUpdated    = "ghl.contacts.updated"     // reconcile poll, epoch ms
	cursorBackfillR     = "backfill.repsly"          // backfill phase 1
	cursorBackfillG     = "backfill.ghl"             // backfill phase 2 (searchAfter)
	cursorBackfillState = "backfill.state"           // "", "ghl", "done"
	cursorBackfillStart = "backfill.started_at_ms"   // when the backfill began
	cursorBackfillMade  = "backfill.creates_from_ms" // when phase 1 began creating contacts
)

// backfillPagesPerBatch is how many 50-client export pages one backfill
// batch takes.
const backfillPagesPerBatch = 4

// Progress reports a backfill's advance.
type Progress struct {
	Phase   string // "repsly" (clients to HighLevel) or "ghl" (new contacts to Repsly)
	Pages   int
	Records int
	// Total is HighLevel's count for the ghl phase; 0 when unknown (Repsly
	// does not say how many clients it holds).
	Total  int
	Result Result
}

// BackfillOptions tunes Backfill.
type BackfillOptions struct {
	// MaxPages stops after this many pages (0: run to the end); the next
	// call resumes from the checkpoint.
	MaxPages int
	// Progress is called after each page.
	Progress func(Progress)
	// Index is reused across calls; nil builds one.
	Index *Index
	// Summary keeps only the counts, and the outcomes that carry an
	// error, in the Result Backfill returns (Progress still sees every
	// batch's outcomes): a foreground backfill of 100,000 clients kept
	// every outcome, a fifth of its memory, to print counts and errors.
	Summary bool
}

// total adds a batch's result to the run's.
func (o BackfillOptions) total(total *Result, r Result) {
	if !o.Summary {
		total.merge(r)
		return
	}
	for _, x := range r.Outcomes {
		if x.Err != "" {
			total.add(x)
			continue
		}
		if total.Counts == nil {
			total.Counts = Counts{}
		}
		total.Counts[string(x.Side)+"."+string(x.Action)]++
	}
}

// Backfill syncs everything that exists: every Repsly client to HighLevel
// (matching existing contacts first), then every HighLevel contact no
// client links to, to Repsly. Each page's links and its checkpoint commit
// together, so a crash resumes at the page it was on. done is true once
// both phases finished; the live poll cursors then start where the
// backfill ended.
func (e *Engine) Backfill(ctx context.Context, opts BackfillOptions) (done bool, total Result, err error) {
	if err := e.prepare(ctx); err != nil {
		return false, total, err
	}
	st := e.st
	state, err := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillState)
	if err != nil {
		return false, total, err
	}
	if state == "done" {
		return true, total, nil
	}
	if opts.Index == nil {
		opts.Index = e.NewIndex()
	}
	if started, _ := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillStart); started == "" {
		// The reconcile poll starts from here once the backfill is done.
		// Webhooks sync the flow's contacts from the moment the flow
		// exists, which can be well before its backfill runs (a restarted
		// server rescues the backfill job only after a while): an edit
		// whose webhook was missed in between must still be polled.
		now := e.now()
		start := now
		if f, err := st.GetFlow(ctx, st.DB(), e.spec.Flow); err == nil && f.CreatedAt.Before(start) {
			start = f.CreatedAt
		}
		if err := st.InTx(ctx, func(tx store.Tx) error {
			// The HighLevel phase reads the contacts added until now.
			if err := st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillMade, strconv.FormatInt(now.UnixMilli(), 10), now); err != nil {
				return err
			}
			return st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillStart, strconv.FormatInt(start.UnixMilli(), 10), now)
		}); err != nil {
			return false, total, err
		}
	}
	pages := 0
	budget := func() bool { return opts.MaxPages == 0 || pages < opts.MaxPages }
	if state == "" && e.spec.pushesToGHL() {
		text, err := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillR)
		if err != nil {
			return false, total, err
		}
		cur := repsly.TimestampCursor(0)
		if text != "" {
			if cur, err = repsly.ParseCursor(text); err != nil {
				return false, total, fmt.Errorf("syncer: backfill checkpoint %q: %w", text, err)
			}
		}
		// The next batch's pages are read while this one is worked.
		readCtx, stopReading := context.WithCancel(ctx)
		defer stopReading()
		batches := e.readBatches(readCtx, cur, opts.MaxPages-pages, opts.MaxPages == 0)
		last, err := e.backfillRepsly(ctx, batches, opts, &pages, &total)
		if err != nil {
			return false, total, err
		}
		if !last {
			return false, total, nil
		}
		state = "ghl"
	}
	if !budget() {
		return false, total, nil
	}
	ok, err := e.backfillGHL(ctx, &pages, budget, opts, &total)
	return ok && err == nil, total, err
}

// exportBatch is a few export pages read together for one batch.
type exportBatch struct {
	items  []repsly.ClientRecord
	readAt time.Time // when the first page's read began
	next   repsly.Cursor
	last   bool // the export ends with this batch
	pages  int
	err    error
}

// readBatches reads the client export from cur in batches of
// backfillPagesPerBatch pages, at most maxPages pages unless unlimited,
// one batch ahead of the consumer: the next pages are on their way while
// a batch is worked. The channel closes after the last batch, an error or
// ctx's end.
func (e *Engine) readBatches(ctx context.Context, cur repsly.Cursor, maxPages int, unlimited bool) <-chan exportBatch {
	out := make(chan exportBatch, 1)
	go func() {
		defer close(out)
		read := 0
		for unlimited || read < maxPages {
			// A batch is judged as of its first read: a client written by
			// a webhook job while the pages were read shows its old
			// values, and only a time before the read tells that (stale.go).
			b := exportBatch{readAt: e.now(), next: cur}
			for b.pages < backfillPagesPerBatch && (unlimited || read < maxPages) {
				page, err := e.rep.ExportClients(ctx, b.next)
				if err != nil {
					b.err = fmt.Errorf("syncer: backfill: export clients: %w", err)
					break
				}
				b.items = append(b.items, page.Items...)
				b.next, b.last = page.Next, !page.More
				b.pages++
				read++
				if b.last {
					break
				}
			}
			select {
			case out <- b:
			case <-ctx.Done():
				return
			}
			if b.err != nil || b.last {
				return
			}
			cur = b.next
		}
	}()
	return out
}

// backfillGHL pages through every contact and syncs those no link knows.
func (e *Engine) backfillGHL(ctx context.Context, pages *int, budget func() bool, opts BackfillOptions, total *Result) (bool, error) {
	st := e.st
	text, err := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillG)
	if err != nil {
		return false, err
	}
	req := ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit, Sort: []ghl.Sort{{Field: "dateAdded", Direction: "asc"}}}
	// Contacts added after the first phase began are the ones it created,
	// and any a user added meanwhile; the reconcile poll, which covers
	// every change since the backfill began (dateUpdated is never before
	// dateAdded), syncs the latter. Reading the former back cost a search
	// page per 500 records created and a tenth of a first backfill's time.
	if made, _ := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillMade); made != "" && e.spec.pushesToGHL() {
		ms, err := strconv.ParseInt(made, 10, 64)
		if err != nil {
			return false, fmt.Errorf("syncer: backfill checkpoint %q: %w", made, err)
		}
		req.Filters = []ghl.Filter{{Field: "dateAdded", Operator: "range", Value: map[string]any{"lte": ms}}}
	}
	if text != "" {
		req.SearchAfter = json.RawMessage(text)
	}
	records := 0
	// The next page is read while one is worked (each page's cursor is
	// the last contact of the one before, so pages come one by one).
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	pagesIn := e.readContactPages(readCtx, req)
	for budget() {
		in, ok := <-pagesIn
		if !ok {
			return false, ctx.Err()
		}
		res, err := in.res, in.err
		if err != nil {
			return false, fmt.Errorf("syncer: backfill: search contacts: %w", err)
		}
		ids := make([]string, len(res.Contacts))
		for i, c := range res.Contacts {
			ids[i] = c.ID
		}
		linked, err := st.LinkStatesByGHLIDs(ctx, st.DB(), e.spec.Flow, ids)
		if err != nil {
			return false, err
		}
		var changes []GHLChange
		for _, c := range res.Contacts {
			// New contacts, and those whose client creation a crash cut
			// short.
			if state, ok := linked[c.ID]; !ok || state == store.LinkCreatingRepsly {
				changes = append(changes, GHLChange{Contact: c, At: contactTime(&c, e.now())})
			}
		}
		last := len(res.Contacts) < req.PageLimit
		var next json.RawMessage
		if !last {
			next = res.Contacts[len(res.Contacts)-1].SearchAfter
		}
		startMS, _ := st.GetCursor(ctx, st.DB(), e.spec.Flow, cursorBackfillStart)
		r, err := e.ApplyGHL(ctx, changes, BatchOptions{Commit: func(tx store.Tx, _ Result) error {
			if !last {
				return st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillG, string(next), e.now())
			}
			// The reconcile poll covers every change since the backfill began.
			if cur, _ := st.GetCursor(ctx, tx, e.spec.Flow, CursorGHLUpdated); cur == "" && startMS != "" {
				if err := st.SetCursor(ctx, tx, e.spec.Flow, CursorGHLUpdated, startMS, e.now()); err != nil {
					return err
				}
			}
			return st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillState, "done", e.now())
		}})
		opts.total(total, r)
		if err != nil {
			return false, err
		}
		*pages++
		records += len(res.Contacts)
		if opts.Progress != nil {
			opts.Progress(Progress{Phase: "ghl", Pages: *pages, Records: records, Total: res.Total, Result: r})
		}
		if last {
			return true, nil
		}
		req.SearchAfter = next
	}
	return false, nil
}

// contactPage is one answer of the HighLevel phase's search.
type contactPage struct {
	res *ghl.SearchContactsResult
	err error
}

// readContactPages searches contacts from req on, one page ahead of the
// consumer, until a short page, an error or ctx's end.
func (e *Engine) readContactPages(ctx context.Context, req ghl.SearchContactsRequest) <-chan contactPage {
	out := make(chan contactPage, 1)
	go func() {
		defer close(out)
		for {
			res, err := e.ghl.SearchContacts(ctx, req)
			select {
			case out <- contactPage{res: res, err: err}:
			case <-ctx.Done():
				return
			}
			if err != nil || len(res.Contacts) < req.PageLimit {
				return
			}
			req.SearchAfter = res.Contacts[len(res.Contacts)-1].SearchAfter
		}
	}()
	return out
}

// ResetBackfill forgets a finished or partial backfill, so the next one
// starts from the beginning (links are kept: records already linked are
// compared, not created again).
func (e *Engine) ResetBackfill(ctx context.Context) error {
	return e.st.InTx(ctx, func(tx store.Tx) error {
		for _, src := range []string{cursorBackfillR, cursorBackfillG, cursorBackfillState, cursorBackfillStart, cursorBackfillMade} {
			if err := e.st.SetCursor(ctx, tx, e.spec.Flow, src, "", e.now()); err != nil {
				return err
			}
		}
		return nil
	})
}
