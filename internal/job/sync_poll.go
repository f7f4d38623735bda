package job

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// pollPages bounds the pages one poll job reads; the next tick continues.
const pollPages = 20

// pollBudget bounds how long one poll job starts new pages: a backlog
// (thousands of notes after a long outage, a slow API) is worked over
// several ticks instead of one job running into its timeout and being
// retried with a growing backoff.
const pollBudget = 10 * time.Second

// overBudget reports whether a poll job that began at began should stop
// starting pages.
func overBudget(now func() time.Time, began time.Time) bool { return now().Sub(began) > pollBudget }

// pendingStates are the states in which a second poll of the same flow is
// pointless: one is already waiting or running.
var pendingStates = []rivertype.JobState{rivertype.JobStateAvailable, rivertype.JobStatePending,
	rivertype.JobStateRetryable, rivertype.JobStateRunning, rivertype.JobStateScheduled}

// RepslyPollArgs polls a sync flow's Repsly clients for changes.
type RepslyPollArgs struct {
	Flow string `json:"flow"`
}

// Kind implements river.JobArgs.
func (RepslyPollArgs) Kind() string { return "repsly_poll" }

// InsertOpts keeps one poll per flow pending at a time.
func (RepslyPollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// RepslyPollWorker works RepslyPollArgs.
type RepslyPollWorker struct {
	river.WorkerDefaults[RepslyPollArgs]
	Logger  *slog.Logger
	Now     func() time.Time
	Store   *store.Store
	Engines Engines
	Jobs    func() *Client
}

// Work reads pages from the saved cursor. Invariant (DESIGN 1, nothing
// lost): the cursor moves past a page only in the transaction that stores
// the page's links and run history; if another poll moved it meanwhile,
// this one leaves it alone (its work was idempotent).
func (w *RepslyPollWorker) Work(ctx context.Context, j *river.Job[RepslyPollArgs]) error {
	eng, err := w.Engines.Engine(ctx, j.Args.Flow)
	if err != nil {
		return err
	}
	if state, _ := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, "backfill.state"); state != "done" {
		// The first pass over existing records is the backfill's job.
		_, err := w.Jobs().Insert(ctx, BackfillArgs{Flow: j.Args.Flow}, nil)
		return err
	}
	began := w.Now()
	for range pollPages {
		if overBudget(w.Now, began) {
			return nil
		}
		started := w.Now()
		text, err := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, syncer.CursorRepslyClients)
		if err != nil {
			return err
		}
		cur := repsly.TimestampCursor(0)
		if text != "" {
			if cur, err = repsly.ParseCursor(text); err != nil {
				return river.JobCancel(fmt.Errorf("job: flow %s: bad cursor %q: %w", j.Args.Flow, text, err))
			}
		}
		page, err := eng.Repsly().ExportClients(ctx, cur)
		if err != nil {
			return outcomeOf(err)
		}
		next, _ := page.Next.MarshalText()
		_, err = eng.ApplyRepsly(ctx, page.Items, started, syncer.BatchOptions{Commit: func(tx store.Tx, res syncer.Result) error {
			now, err := w.Store.GetCursor(ctx, tx, j.Args.Flow, syncer.CursorRepslyClients)
			if err != nil {
				return err
			}
			if now == text {
				if err := w.Store.SetCursor(ctx, tx, j.Args.Flow, syncer.CursorRepslyClients, string(next), w.Now()); err != nil {
					return err
				}
			}
			if len(page.Items) == 0 {
				return nil
			}
			_, err = runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: j.Args.Flow, Kind: "repsly_poll", Started: started,
				Finished: w.Now(), Entries: Entries(res), Attempts: j.Attempt})
			return err
		}})
		if err != nil {
			return outcomeOf(err)
		}
		if !page.More {
			return w.checkImports(ctx, eng, j, started)
		}
	}
	return nil
}

// importGrace leaves imports sent this shortly before a caught-up poll's
// last read to the next poll: Repsly may not have run them yet.
const importGrace = 5 * time.Second

// checkImports settles the flow's Repsly imports the poll, now caught up
// from readAt, should have shown and did not (syncer.CheckImports), and
// records what it found.
func (w *RepslyPollWorker) checkImports(ctx context.Context, eng *syncer.Engine, j *river.Job[RepslyPollArgs], readAt time.Time) error {
	started := w.Now()
	res, err := eng.CheckImports(ctx, readAt.Add(-importGrace))
	if len(res.Outcomes) > 0 {
		werr := w.Store.InTx(ctx, func(tx store.Tx) error {
			_, err := runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: j.Args.Flow, Kind: "repsly_import_check", Started: started,
				Finished: w.Now(), Entries: Entries(res), Attempts: j.Attempt})
			return err
		})
		if werr != nil && err == nil {
			err = werr
		}
	}
	if err != nil {
		// The next poll checks again; nothing is lost meanwhile.
		w.Logger.WarnContext(ctx, "repsly import check", "flow", j.Args.Flow, "err", err)
	}
	return nil
}

// GHLPollArgs is the reconcile poll: contacts changed since the last poll,
// to catch what webhooks missed (HighLevel does not retry 5xx or
// timeouts).
type GHLPollArgs struct {
	Flow string `json:"flow"`
}

// Kind implements river.JobArgs.
func (GHLPollArgs) Kind() string { return "ghl_poll" }

// InsertOpts keeps one poll per flow pending at a time.
func (GHLPollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// GHLPollWorker works GHLPollArgs.
type GHLPollWorker struct {
	river.WorkerDefaults[GHLPollArgs]
	Logger  *slog.Logger
	Now     func() time.Time
	Store   *store.Store
	Engines Engines
}

// Work searches contacts by dateUpdated from the saved cursor. Full reads
// never apply an older state over a newer one (the engine compares change
// times), so overlapping the webhook is harmless.
func (w *GHLPollWorker) Work(ctx context.Context, j *river.Job[GHLPollArgs]) error {
	eng, err := w.Engines.Engine(ctx, j.Args.Flow)
	if err != nil {
		return err
	}
	if state, _ := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, "backfill.state"); state != "done" {
		return nil
	}
	began := w.Now()
	for range pollPages {
		if overBudget(w.Now, began) {
			return nil
		}
		started := w.Now()
		text, err := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, syncer.CursorGHLUpdated)
		if err != nil {
			return err
		}
		since, _ := strconv.ParseInt(text, 10, 64)
		const limit = 100
		res, err := eng.GHL().SearchContacts(ctx, ghl.SearchContactsRequest{PageLimit: limit,
			Filters: []ghl.Filter{{Field: "dateUpdated", Operator: "range", Value: map[string]any{"gte": since}}},
			Sort:    []ghl.Sort{{Field: "dateUpdated", Direction: "asc"}}})
		if err != nil {
			return outcomeOf(err)
		}
		var changes []syncer.GHLChange
		maxMS := since
		for _, c := range res.Contacts {
			at, err := time.Parse(time.RFC3339Nano, c.DateUpdated)
			if err != nil {
				continue
			}
			changes = append(changes, syncer.GHLChange{Contact: c, At: at})
			maxMS = max(maxMS, at.UnixMilli())
		}
		full := len(res.Contacts) == limit
		if full && maxMS == since {
			maxMS++ // a page of one millisecond: step over it rather than loop
		}
		_, err = eng.ApplyGHL(ctx, changes, syncer.BatchOptions{Commit: func(tx store.Tx, r syncer.Result) error {
			if err := w.Store.SetCursor(ctx, tx, j.Args.Flow, syncer.CursorGHLUpdated, strconv.FormatInt(maxMS, 10), w.Now()); err != nil {
				return err
			}
			if r.Writes() == 0 {
				return nil
			}
			_, err := runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: j.Args.Flow, Kind: "ghl_poll", Started: started,
				Finished: w.Now(), Entries: Entries(r), Attempts: j.Attempt})
			return err
		}})
		if err != nil {
			return outcomeOf(err)
		}
		if !full {
			return nil
		}
	}
	return nil
}

// BackfillArgs runs a flow's backfill on the backfill queue, a slice of
// pages per attempt, so live events keep flowing meanwhile.
type BackfillArgs struct {
	Flow string `json:"flow"`
}

// Kind implements river.JobArgs.
func (BackfillArgs) Kind() string { return "backfill" }

// InsertOpts puts backfills on their own queue, one per flow.
func (BackfillArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: QueueBackfill, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// BackfillWorker works BackfillArgs.
type BackfillWorker struct {
	river.WorkerDefaults[BackfillArgs]
	Logger  *slog.Logger
	Now     func() time.Time
	Store   *store.Store
	Engines Engines
}

// Work runs up to 20 pages, then snoozes briefly to continue (yielding
// the worker to other flows); progress is checkpointed per page.
func (w *BackfillWorker) Work(ctx context.Context, j *river.Job[BackfillArgs]) error {
	eng, err := w.Engines.Engine(ctx, j.Args.Flow)
	if err != nil {
		return err
	}
	started := w.Now()
	done, res, err := eng.Backfill(ctx, syncer.BackfillOptions{MaxPages: pollPages})
	if len(res.Outcomes) > 0 || err != nil {
		// One run per slice of pages; the links themselves were committed
		// page by page.
		werr := w.Store.InTx(ctx, func(tx store.Tx) error {
			_, err := runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: j.Args.Flow, Kind: "backfill", Started: started,
				Finished: w.Now(), Entries: Entries(res), Err: err, Attempts: j.Attempt})
			return err
		})
		if werr != nil {
			return werr
		}
	}
	if err != nil {
		return outcomeOf(err)
	}
	w.Logger.InfoContext(ctx, "backfill progress", slog.String("flow", j.Args.Flow), slog.Bool("done", done), slog.Any("counts", res.Counts))
	if !done {
		return river.JobSnooze(time.Millisecond)
	}
	return nil
}

// SchedulePollsArgs enqueues the polls of every enabled sync flow; it runs
// as a periodic job on the leader.
type SchedulePollsArgs struct{}

// Kind implements river.JobArgs.
func (SchedulePollsArgs) Kind() string { return "schedule_polls" }

// SchedulePollsWorker works SchedulePollsArgs.
type SchedulePollsWorker struct {
	river.WorkerDefaults[SchedulePollsArgs]
	Engines Engines
	Jobs    func() *Client
	// Automations, when set, adds the polls of the due automation flows.
	Automations Automations
}

// Work inserts a Repsly poll and a HighLevel reconcile poll per flow.
func (w *SchedulePollsWorker) Work(ctx context.Context, _ *river.Job[SchedulePollsArgs]) error {
	flows, err := w.Engines.SyncFlows(ctx)
	if err != nil {
		return err
	}
	var params []river.InsertManyParams
	for _, f := range flows {
		params = append(params, river.InsertManyParams{Args: RepslyPollArgs{Flow: f}}, river.InsertManyParams{Args: GHLPollArgs{Flow: f}},
			river.InsertManyParams{Args: ActivityPollArgs{Flow: f}})
	}
	autos, err := automationPolls(ctx, w.Automations)
	if err != nil {
		return err
	}
	params = append(params, autos...)
	if len(params) == 0 {
		return nil
	}
	_, err = w.Jobs().InsertMany(ctx, params)
	return err
}
