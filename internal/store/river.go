package store

import (
	"context"
	"fmt"
	"time"
)

// RequeueOrphanedJobs makes every job left in the running state available
// again and clears River's leader row.
//
// Invariant: call it only while holding the SQLite file lock
// (database.DB.Exclusive). The lock proves that no other process is
// working jobs, so a running job can only be the leftover of a process that
// crashed. Without this, River's rescuer would wait RescueAfter (minutes)
// before retrying it. On PostgreSQL several processes share the queue and
// River's rescuer is the only safe way.
func (s *Store) RequeueOrphanedJobs(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.InTx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx,
			`UPDATE river_job SET state = 'available', scheduled_at = $1 WHERE state = 'running'`, now.UTC())
		if err != nil {
			return fmt.Errorf("store: requeue orphaned jobs: %w", err)
		}
		n, _ = res.RowsAffected()
		if _, err := tx.ExecContext(ctx, `DELETE FROM river_leader`); err != nil {
			return fmt.Errorf("store: clear river leader: %w", err)
		}
		return nil
	})
	return n, err
}

// QueueDepth counts jobs waiting to run (available, scheduled or retryable)
// per queue.
func (s *Store) QueueDepth(ctx context.Context) (map[string]int64, error) {
	return countBy[int64](ctx, s.db.SQL, "queue depth",
		`SELECT queue, count(*) FROM river_job WHERE state IN ('available', 'scheduled', 'retryable') GROUP BY queue`)
}
