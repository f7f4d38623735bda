package job

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Automations runs automation flows (trigger -> steps); the composition
// root hands in package automation's Runner. It is an interface so that
// job needs nothing of how flows run.
type Automations interface {
	// DuePolls lists the enabled automation flows with a poll trigger
	// whose poll interval has passed.
	DuePolls(ctx context.Context) ([]string, error)
	// PollPage polls a flow's trigger once and runs the flow on each
	// record; more reports that another page is ready. A flow that is
	// gone, disabled or not polled does nothing and reports no error.
	PollPage(ctx context.Context, flow string, attempt int) (more bool, err error)
	// HandleEvent runs the automation flows whose webhook trigger matches
	// a stored HighLevel delivery; an error means it should be retried.
	HandleEvent(ctx context.Context, ev store.InboxEvent, attempt int) error
}

// AutomationPollArgs polls an automation flow's trigger.
type AutomationPollArgs struct {
	Flow string `json:"flow"`
}

// Kind implements river.JobArgs.
func (AutomationPollArgs) Kind() string { return "automation_poll" }

// InsertOpts keeps one poll per flow pending at a time.
func (AutomationPollArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: pendingStates}}
}

// AutomationPollWorker works AutomationPollArgs.
type AutomationPollWorker struct {
	river.WorkerDefaults[AutomationPollArgs]
	Logger      *slog.Logger
	Automations Automations
	// Now is the clock of the page budget; nil uses time.Now.
	Now func() time.Time
}

// Work polls up to pollPages pages; the next scheduled poll continues.
// Invariant (DESIGN 1): the runner moves the trigger's cursor past a page
// only in the transaction of the page's run history; a failed page is
// read again on the retry. Rate limits snooze the job (DESIGN 5).
func (w *AutomationPollWorker) Work(ctx context.Context, j *river.Job[AutomationPollArgs]) error {
	now := w.Now
	if now == nil {
		now = time.Now
	}
	began := now()
	for range pollPages {
		if overBudget(now, began) {
			return nil
		}
		more, err := w.Automations.PollPage(ctx, j.Args.Flow, j.Attempt)
		if err != nil {
			w.Logger.WarnContext(ctx, "automation poll failed", slog.String("flow", j.Args.Flow), slog.Int("attempt", j.Attempt), slog.Any("error", err))
			return outcomeOf(err)
		}
		if !more {
			return nil
		}
	}
	return nil
}

// automationPolls returns the polls to insert for the automation flows
// that are due (none when a is nil).
func automationPolls(ctx context.Context, a Automations) ([]river.InsertManyParams, error) {
	if a == nil {
		return nil, nil
	}
	flows, err := a.DuePolls(ctx)
	if err != nil {
		return nil, err
	}
	params := make([]river.InsertManyParams, 0, len(flows))
	for _, f := range flows {
		params = append(params, river.InsertManyParams{Args: AutomationPollArgs{Flow: f}})
	}
	return params, nil
}

// handleAutomations hands a delivery to the automation flows (nothing
// when a is nil), turning a failure into the job's outcome.
func handleAutomations(ctx context.Context, a Automations, ev store.InboxEvent, attempt int) error {
	if a == nil {
		return nil
	}
	return outcomeOf(a.HandleEvent(ctx, ev, attempt))
}
