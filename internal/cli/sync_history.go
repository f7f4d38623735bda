package cli

import (
	"context"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// historyRunSize is how many record outcomes one run of a foreground sync
// holds before it is written, as the server's backfill job writes one run
// per slice of pages: history stays browsable and memory bounded.
const historyRunSize = 1000

// syncHistory writes what a foreground `sync run` did to run history, as
// the server's jobs do, so `fieldbridge runs list` shows it and its
// failures can be replayed.
type syncHistory struct {
	st      *store.Store
	flow    string
	kind    string
	started time.Time
	entries []runlog.Entry
}

func newSyncHistory(eng *syncer.Engine, kind string) *syncHistory {
	return &syncHistory{st: eng.Store(), flow: eng.Spec().Flow, kind: kind, started: time.Now()}
}

// add takes a batch's outcomes, writing a run once enough have come.
func (h *syncHistory) add(ctx context.Context, res syncer.Result) error {
	h.entries = append(h.entries, job.Entries(res)...)
	if len(h.entries) < historyRunSize {
		return nil
	}
	return h.flush(ctx, nil)
}

// flush writes the outcomes taken since the last run, and runErr, as one
// run; with neither it writes nothing.
func (h *syncHistory) flush(ctx context.Context, runErr error) error {
	if len(h.entries) == 0 && runErr == nil {
		return nil
	}
	r := runlog.Run{Flow: h.flow, Kind: h.kind, Started: h.started, Finished: time.Now(), Entries: h.entries, Err: runErr, Attempts: 1}
	// A run cut short by Ctrl-C is still recorded.
	ctx = context.WithoutCancel(ctx)
	err := h.st.InTx(ctx, func(tx app.Tx) error {
		_, err := runlog.Write(ctx, h.st, tx, r)
		return err
	})
	h.entries, h.started = nil, time.Now()
	return err
}
