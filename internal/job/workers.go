package job

import (
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Deps is what the workers need from the composition root.
type Deps struct {
	Logger *slog.Logger
	Now    func() time.Time
	Store  *store.Store
	// Engines enables the sync workers; nil leaves them out.
	Engines Engines
	// Jobs returns the River client, for workers that enqueue (it is built
	// after the workers, hence a func).
	Jobs func() *Client
	// Tokens enables the periodic OAuth token refresh; nil leaves it out.
	Tokens TokenRefresher
	// Automations enables the automation flows (polls and webhooks); nil
	// leaves them out.
	Automations Automations
}

// NewWorkers registers every worker of Fieldbridge, explicitly, here.
func NewWorkers(d Deps) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &ProbeWorker{Logger: d.Logger, Now: d.Now, Store: d.Store})
	if d.Tokens != nil {
		river.AddWorker(w, &RefreshTokensWorker{Logger: d.Logger, Tokens: d.Tokens})
	}
	if d.Engines != nil {
		river.AddWorker(w, &GHLWebhookWorker{Logger: d.Logger, Now: d.Now, Store: d.Store, Engines: d.Engines, Automations: d.Automations})
		river.AddWorker(w, &RepslyPollWorker{Logger: d.Logger, Now: d.Now, Store: d.Store, Engines: d.Engines, Jobs: d.Jobs})
		river.AddWorker(w, &GHLPollWorker{Logger: d.Logger, Now: d.Now, Store: d.Store, Engines: d.Engines})
		river.AddWorker(w, &BackfillWorker{Logger: d.Logger, Now: d.Now, Store: d.Store, Engines: d.Engines})
		river.AddWorker(w, &ActivityPollWorker{Logger: d.Logger, Now: d.Now, Store: d.Store, Engines: d.Engines})
		river.AddWorker(w, &SchedulePollsWorker{Engines: d.Engines, Jobs: d.Jobs, Automations: d.Automations})
	}
	if d.Automations != nil {
		river.AddWorker(w, &AutomationPollWorker{Logger: d.Logger, Automations: d.Automations, Now: d.Now})
	}
	return w
}
