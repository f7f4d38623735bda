package job

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// GHLWebhookArgs processes one stored HighLevel webhook delivery.
type GHLWebhookArgs struct {
	InboxID int64 `json:"inbox_id"`
}

// Kind implements river.JobArgs.
func (GHLWebhookArgs) Kind() string { return "ghl_webhook" }

// GHLWebhookWorker applies a delivery to every sync flow of its location.
type GHLWebhookWorker struct {
	river.WorkerDefaults[GHLWebhookArgs]
	Logger  *slog.Logger
	Now     func() time.Time
	Store   *store.Store
	Engines Engines
	// Automations, when set, also runs the automation flows of the event.
	Automations Automations
}

// Work reads the inbox row, so a replay always runs with the current flow
// version and mapping.
func (w *GHLWebhookWorker) Work(ctx context.Context, j *river.Job[GHLWebhookArgs]) error {
	started := w.Now()
	ev, err := w.Store.GetInboxEvent(ctx, w.Store.DB(), j.Args.InboxID)
	if err != nil {
		return err
	}
	if ev.Status == "done" || ev.Status == "ignored" {
		return nil
	}
	parsed, err := ghl.ParseEvent([]byte(ev.Body))
	if err != nil {
		// A body that verified but does not parse will never parse.
		_ = w.Store.FinishInboxEvent(ctx, w.Store.DB(), ev.ID, "failed", err.Error(), w.Now())
		return river.JobCancel(fmt.Errorf("job: inbox %d: %w", ev.ID, err))
	}
	// Automations first, for every event type (sync flows only take
	// contact events); each marks the delivery done for itself, so a
	// retry caused by a sync flow does not run them again.
	if err := handleAutomations(ctx, w.Automations, ev, j.Attempt); err != nil {
		return err
	}
	change, ok := syncer.ChangeFromEvent(parsed, ev.ReceivedAt)
	if !ok {
		return w.Store.FinishInboxEvent(ctx, w.Store.DB(), ev.ID, "ignored", "", w.Now())
	}
	flows, err := w.Engines.ForLocation(ctx, ev.LocationID)
	if err != nil {
		return err
	}
	for i, name := range flows {
		eng, err := w.Engines.Engine(ctx, name)
		if err != nil {
			return err
		}
		last := i == len(flows)-1
		_, err = eng.ApplyGHL(ctx, []syncer.GHLChange{change}, syncer.BatchOptions{Commit: func(tx store.Tx, res syncer.Result) error {
			if _, err := runlog.Write(ctx, w.Store, tx, runlog.Run{Flow: name, Kind: "webhook:" + ev.EventType, Started: started,
				Finished: w.Now(), Entries: Entries(res), Attempts: j.Attempt}); err != nil {
				return err
			}
			if last {
				return w.Store.FinishInboxEvent(ctx, tx, ev.ID, "done", "", w.Now())
			}
			return nil
		}})
		if err != nil {
			w.Logger.WarnContext(ctx, "webhook sync failed", slog.String("flow", name), slog.Int64("inbox_id", ev.ID), slog.Any("error", err))
			return outcomeOf(err)
		}
	}
	if len(flows) == 0 {
		return w.Store.FinishInboxEvent(ctx, w.Store.DB(), ev.ID, "ignored", "no sync flow for this location", w.Now())
	}
	return nil
}
