package store

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// RequeueOrphanedJobs makes every job left in the running state available
// again and clears River's leader row.
//
// Invariant: call it only while holding the SQLite file lock
// (database.DB.Exclusive). The lock proves that no other process is
// working jobs, so a running job can only be the leftover of a process that
// crashed. Without this, River's rescuer would wait RescueAfter (minutes)
// before retrying it. On PostgreSQL several processes share the queue:
// see RequeueJobsOfGoneProcesses.
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

// RequeueJobsOfGoneProcesses makes the jobs left running by processes that
// are gone available again, and hands on the queue leadership a gone
// process held (PostgreSQL; it does nothing on SQLite, see
// RequeueOrphanedJobs). A job's last attempt names the River client that
// took it; a client whose id starts with prefix holds its process lock
// while it runs (database.DB.HoldProcessLock), so a free lock proves the
// process gone, whereas River's rescuer can only wait
// FIELDBRIDGE_RESCUE_AFTER to be sure, and a dead leader's row holds the
// leadership (the periodic polls) for River's leader TTL (15 s). Jobs and
// leadership of clients named otherwise (another program, an older
// version) are left to River. self is the caller's own client id.
func (s *Store) RequeueJobsOfGoneProcesses(ctx context.Context, now time.Time, self, prefix string, logger *slog.Logger) (int64, error) {
	if s.db.Dialect != database.Postgres {
		return 0, nil
	}
	name := func(r scanner) (string, error) {
		var w string
		err := r.Scan(&w)
		return w, err
	}
	workers, err := queryAll(ctx, s.db.SQL, "running job clients", name, `SELECT DISTINCT attempted_by[array_length(attempted_by, 1)] FROM river_job
		WHERE state = 'running' AND array_length(attempted_by, 1) > 0`)
	if err != nil {
		return 0, err
	}
	leaders, err := queryAll(ctx, s.db.SQL, "queue leader", name, `SELECT leader_id FROM river_leader`)
	if err != nil {
		return 0, err
	}
	gone := func(w string) (bool, error) {
		if w == self || !strings.HasPrefix(w, prefix) {
			return false, nil
		}
		alive, err := s.db.ProcessAlive(ctx, w)
		return err == nil && !alive, err
	}
	for _, l := range leaders {
		g, err := gone(l)
		if err != nil {
			return 0, err
		}
		if !g {
			continue
		}
		if _, err := s.db.SQL.ExecContext(ctx, `DELETE FROM river_leader WHERE leader_id = $1`, l); err != nil {
			return 0, fmt.Errorf("store: hand on the leadership of process %s: %w", l, err)
		}
		logger.Warn("the queue leader is gone; leadership is open again", slog.String("process", l))
	}
	var total int64
	for _, w := range workers {
		g, err := gone(w)
		if err != nil {
			return total, err
		}
		if !g {
			continue
		}
		res, err := s.db.SQL.ExecContext(ctx, `UPDATE river_job SET state = 'available', scheduled_at = $1
			WHERE state = 'running' AND attempted_by[array_length(attempted_by, 1)] = $2`, now.UTC(), w)
		if err != nil {
			return total, fmt.Errorf("store: requeue jobs of process %s: %w", w, err)
		}
		n, _ := res.RowsAffected()
		total += n
		if n > 0 {
			logger.Warn("requeued jobs left running by a process that is gone", slog.String("process", w), slog.Int64("jobs", n))
		}
	}
	return total, nil
}
