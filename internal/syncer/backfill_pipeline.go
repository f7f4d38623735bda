package syncer

import (
	"context"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// begunBatch is an export batch whose first stage ran (beginRepsly).
type begunBatch struct {
	b   *repslyBatch
	eb  exportBatch
	err error
}

// backfillRepsly works the Repsly phase's batches three at a time: while
// one batch makes its API calls, the one before it is stored and the one
// after it begun (links read, records locked, intents committed). The
// database work of one batch then overlaps another's calls instead of
// following them (on SQLite the two database stages share one connection
// and a third of a backfill's time went to them with the calls idle).
//
// Invariant: batches are stored in export order, each with its checkpoint,
// so the checkpoint only moves past stored work; a batch begun or run but
// not stored when the process dies is redone from its intents. A batch
// that shares a record with the running one waits for that one's locks:
// the running batch is then stored before the wait.
//
// last reports that the export's last batch was stored.
func (e *Engine) backfillRepsly(ctx context.Context, batches <-chan exportBatch, opts BackfillOptions, pages *int, total *Result) (last bool, err error) {
	eb, ok := <-batches
	if !ok {
		return false, nil
	}
	records := 0
	stored := func(x begunBatch) error {
		res, err := x.b.finish(ctx)
		opts.total(total, res)
		if err != nil {
			return err
		}
		*pages += x.eb.pages
		records += len(x.eb.items)
		if opts.Progress != nil {
			opts.Progress(Progress{Phase: "repsly", Pages: *pages, Records: records, Result: res})
		}
		last = x.eb.last
		return nil
	}
	cur := e.beginBackfillBatch(ctx, eb, opts)
	var prev *begunBatch // run, not stored yet
	for {
		if cur.err != nil {
			if prev != nil {
				if err := stored(*prev); err != nil {
					return false, err
				}
			}
			return false, cur.err
		}
		ran := make(chan struct{})
		go func(b *repslyBatch) {
			defer close(ran)
			b.run(ctx)
		}(cur.b)
		var err error
		if prev != nil {
			err = stored(*prev)
			prev = nil
		}
		var next chan begunBatch
		if err == nil && !cur.eb.last {
			if eb, ok := <-batches; ok {
				next = make(chan begunBatch, 1)
				go func() { next <- e.beginBackfillBatch(ctx, eb, opts) }()
			}
		}
		<-ran
		done := cur
		if next == nil {
			if err == nil {
				err = stored(done)
			} else {
				done.b.release()
			}
			return last && err == nil, err
		}
		var nb begunBatch
		select {
		case nb = <-next:
			prev = &done
		default:
			// The next batch may be waiting for this one's locks (a
			// client in both): store this one first.
			if err == nil {
				err = stored(done)
			} else {
				done.b.release()
			}
			nb = <-next
		}
		if err != nil {
			if nb.b != nil {
				nb.b.release()
			}
			if prev != nil {
				prev.b.release()
			}
			return false, err
		}
		cur = nb
	}
}

// beginBackfillBatch begins one export batch of the backfill, with the
// commit hook that moves the checkpoint past it (and, after the last one,
// hands over to the live poll and the HighLevel phase).
func (e *Engine) beginBackfillBatch(ctx context.Context, eb exportBatch, opts BackfillOptions) begunBatch {
	if eb.err != nil {
		return begunBatch{eb: eb, err: eb.err}
	}
	st := e.st
	nextText, _ := eb.next.MarshalText()
	last := eb.last
	b, err := e.beginRepsly(ctx, eb.items, eb.readAt, BatchOptions{Index: opts.Index, Commit: func(tx store.Tx, _ Result) error {
		if err := st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillR, string(nextText), e.now()); err != nil {
			return err
		}
		if !last {
			return nil
		}
		// Phase 1 done: the live poll continues from here.
		if err := st.SetCursor(ctx, tx, e.spec.Flow, CursorRepslyClients, string(nextText), e.now()); err != nil {
			return err
		}
		return st.SetCursor(ctx, tx, e.spec.Flow, cursorBackfillState, "ghl", e.now())
	}})
	return begunBatch{b: b, eb: eb, err: err}
}
