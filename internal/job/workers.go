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
}

// NewWorkers registers every worker of Fieldbridge, explicitly, here.
func NewWorkers(d Deps) *river.Workers {
	w := river.NewWorkers()
	river.AddWorker(w, &ProbeWorker{Logger: d.Logger, Now: d.Now, Store: d.Store})
	return w
}
