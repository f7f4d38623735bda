package automation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// RunKindWebhook prefixes the run history kind of a delivery, as the sync
// flows' do: "webhook:ContactCreate".
const RunKindWebhook = "webhook:"

// HandleEvent runs every enabled automation whose trigger is a webhook of
// the delivery's event type on the delivery's location (the location of
// the trigger's connection), on the decoded record.
//
// Each flow that handles the delivery writes its run history and marks the
// delivery handled in one transaction, so a retried delivery skips it
// (DESIGN 2). A failure of the record's own (it does not decode, a step
// fails) and an unusable connection are written to the flow's history and
// end there: HighLevel will not send the delivery again either. Transient
// errors are returned, after the other flows ran, for the caller to retry
// the delivery.
func (r *Runner) HandleEvent(ctx context.Context, ev store.InboxEvent, attempt int) error {
	flows, err := r.automations(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, lf := range flows {
		if lf.trigger.Mode != catalog.ModeWebhook || lf.trigger.Event != ev.EventType {
			continue
		}
		if cl, _, err := r.clients.GHL(ctx, lf.conn); err == nil && cl.LocationID() != ev.LocationID {
			continue
		}
		// An unusable connection leaves the location unknown: the flow
		// runs, fails on the connection, and says so in its history.
		if err := r.handle(ctx, lf, ev, attempt); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// handle runs one flow on a delivery.
func (r *Runner) handle(ctx context.Context, lf *loaded, ev store.InboxEvent, attempt int) error {
	st := r.store
	marker := inboxPrefix + strconv.FormatInt(ev.ID, 10)
	if v, err := st.GetCursor(ctx, st.DB(), lf.name, marker); err != nil || v != "" {
		return err
	}
	started := r.now()
	var (
		e   runlog.Entry
		err error
	)
	rec, derr := lf.trigger.Decode([]byte(ev.Body))
	if derr != nil {
		e = runlog.Entry{Side: string(lf.trigger.App), Key: "inbox:" + strconv.FormatInt(ev.ID, 10), Action: ActionError, Error: derr.Error()}
	} else {
		var v any
		if err := json.Unmarshal(rec, &v); err != nil {
			return err
		}
		e, err = r.runRecord(ctx, lf, r.executor(), v)
	}
	var runErr error
	if err != nil { // transient or a connection's: the record's own failures are in e
		if Classify(err) == ClassTransient {
			r.logger.WarnContext(ctx, "automation delivery to retry", slog.String("flow", lf.name), slog.Int64("inbox_id", ev.ID), slog.Any("error", err))
			return fmt.Errorf("automation: flow %s: inbox %d: %w", lf.name, ev.ID, err)
		}
		runErr = fmt.Errorf("automation: flow %s: %w", lf.name, err)
		e.Action, e.Error, e.Status = ActionError, err.Error(), statusOf(err)
	}
	return st.InTx(ctx, func(tx store.Tx) error {
		if err := st.SetCursor(ctx, tx, lf.name, marker, "done", r.now()); err != nil {
			return err
		}
		_, err := runlog.Write(ctx, st, tx, runlog.Run{Flow: lf.name, Kind: RunKindWebhook + ev.EventType, Started: started,
			Finished: r.now(), Entries: []runlog.Entry{e}, Err: runErr, Attempts: attempt})
		return err
	})
}
