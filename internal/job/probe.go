package job

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// ProbeArgs is the queue self-check: a probe row written in the same
// transaction as this job, completed exactly once by it. It proves the
// whole loop (transactional enqueue, work, retry, crash recovery) on the
// running database.
type ProbeArgs struct {
	ProbeID int64 `json:"probe_id"`
}

// Kind implements river.JobArgs.
func (ProbeArgs) Kind() string { return "probe" }

// ProbeWorker works ProbeArgs.
type ProbeWorker struct {
	river.WorkerDefaults[ProbeArgs]

	Logger *slog.Logger
	Now    func() time.Time
	Store  *store.Store
}

// Work fails the attempts the probe asks to fail, blocks on the attempts
// it asks to hold (so a test can kill the process mid-job), then records
// the completion and completes the job in one transaction.
func (w *ProbeWorker) Work(ctx context.Context, j *river.Job[ProbeArgs]) error {
	p, err := w.Store.GetProbe(ctx, w.Store.DB(), j.Args.ProbeID)
	if err != nil {
		return err
	}
	if j.Attempt <= p.HoldAttempts {
		w.Logger.InfoContext(ctx, "probe holding", slog.Int64("probe_id", p.ID), slog.Int64("job_id", j.ID), slog.Int("attempt", j.Attempt))
		<-ctx.Done()
		return fmt.Errorf("%w: %w", ErrHeld, ctx.Err())
	}
	if j.Attempt <= p.FailTimes {
		return fmt.Errorf("job: probe %d: planned failure on attempt %d of %d", p.ID, j.Attempt, p.FailTimes)
	}
	err = w.Store.InTx(ctx, func(tx store.Tx) error {
		if err := w.Store.CompleteProbe(ctx, tx, p.ID, w.Now()); err != nil {
			return err
		}
		return completeTx(ctx, tx, j)
	})
	if err != nil {
		return err
	}
	w.Logger.InfoContext(ctx, "probe completed", slog.Int64("probe_id", p.ID), slog.Int64("job_id", j.ID), slog.Int("attempt", j.Attempt))
	return nil
}

// EnqueueProbe writes a probe row and its job in one transaction and
// returns the probe id.
func EnqueueProbe(ctx context.Context, st *store.Store, c *Client, p store.Probe) (int64, error) {
	var id int64
	err := st.InTx(ctx, func(tx store.Tx) error {
		var err error
		if id, err = st.InsertProbe(ctx, tx, p); err != nil {
			return err
		}
		if _, err := c.InsertTx(ctx, tx, ProbeArgs{ProbeID: id}, &river.InsertOpts{MaxAttempts: 25}); err != nil {
			return fmt.Errorf("job: enqueue probe: %w", err)
		}
		return nil
	})
	return id, err
}
