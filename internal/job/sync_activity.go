package job

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// Cursor sources of the activity poll.
const (
	cursorClientNotes = "repsly.client_notes"
	cursorVisits      = "repsly.visits"
)

// ActivityPollArgs copies new Repsly client notes and finished visits to
// notes on the linked HighLevel contacts.
type ActivityPollArgs struct {
	Flow string `json:"flow"`
}

// Kind implements river.JobArgs.
func (ActivityPollArgs) Kind() string { return "activity_poll" }

// InsertOpts keeps one activity poll per flow pending at a time.
func (ActivityPollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// ActivityPollWorker works ActivityPollArgs.
type ActivityPollWorker struct {
	river.WorkerDefaults[ActivityPollArgs]
	Logger  *slog.Logger
	Now     func() time.Time
	Store   *store.Store
	Engines Engines
}

// Work pages client notes (by id) and visits (by timestamp: an unfinished
// visit comes again when it ends) from their saved cursors; each cursor
// moves only in the transaction after its page's notes were made.
func (w *ActivityPollWorker) Work(ctx context.Context, j *river.Job[ActivityPollArgs]) error {
	eng, err := w.Engines.Engine(ctx, j.Args.Flow)
	if err != nil {
		return err
	}
	if state, _ := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, "backfill.state"); state != "done" {
		return nil // activity needs the clients linked first
	}
	rc := eng.Repsly()
	began := w.Now()
	for _, src := range []struct {
		source string
		start  repsly.Cursor
		fetch  func(context.Context, repsly.Cursor) ([]syncer.Activity, repsly.Cursor, bool, error)
	}{
		{cursorClientNotes, repsly.IDCursor(0), func(ctx context.Context, c repsly.Cursor) ([]syncer.Activity, repsly.Cursor, bool, error) {
			p, err := rc.ExportClientNotes(ctx, c)
			acts := make([]syncer.Activity, 0, len(p.Items))
			for _, n := range p.Items {
				acts = append(acts, syncer.NoteActivity(n))
			}
			return acts, p.Next, p.More, err
		}},
		{cursorVisits, repsly.TimestampCursor(0), func(ctx context.Context, c repsly.Cursor) ([]syncer.Activity, repsly.Cursor, bool, error) {
			p, err := rc.ExportVisits(ctx, c)
			acts := make([]syncer.Activity, 0, len(p.Items))
			for _, v := range p.Items {
				acts = append(acts, syncer.VisitActivity(v))
			}
			return acts, p.Next, p.More, err
		}},
	} {
		for range pollPages {
			if overBudget(w.Now, began) {
				return nil
			}
			started := w.Now()
			text, err := w.Store.GetCursor(ctx, w.Store.DB(), j.Args.Flow, src.source)
			if err != nil {
				return err
			}
			cur := src.start
			if text != "" {
				if cur, err = repsly.ParseCursor(text); err != nil {
					return river.JobCancel(fmt.Errorf("job: flow %s: bad %s cursor %q: %w", j.Args.Flow, src.source, text, err))
				}
			}
			acts, next, more, err := src.fetch(ctx, cur)
			if err != nil {
				return outcomeOf(err)
			}
			nextText, _ := next.MarshalText()
			_, err = eng.ApplyActivity(ctx, acts, syncer.BatchOptions{Commit: func(tx store.Tx, res syncer.Result) error {
				if err := w.Store.SetCursor(ctx, tx, j.Args.Flow, src.source, string(nextText), w.Now()); err != nil {
					return err
				}
				if res.Writes() == 0 {
					return nil
				}
				_, err := runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: j.Args.Flow, Kind: "activity", Started: started,
					Finished: w.Now(), Entries: Entries(res), Attempts: j.Attempt})
				return err
			}})
			if err != nil {
				return outcomeOf(err)
			}
			if !more {
				break
			}
		}
	}
	return nil
}
