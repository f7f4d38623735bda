package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Probe is one run of the queue self-check: a row written in the same
// transaction as its job, completed exactly once by that job.
type Probe struct {
	ID           int64
	Note         string
	FailTimes    int // the job fails this many attempts before it succeeds
	HoldAttempts int // the job blocks until cancelled on attempts up to this one
	Completions  int
	CreatedAt    time.Time
	CompletedAt  *time.Time
}

// ErrNotFound is returned when a row asked for by id does not exist.
var ErrNotFound = errors.New("not found")

// InsertProbe writes a probe row and returns its id.
func (s *Store) InsertProbe(ctx context.Context, q Querier, p Probe) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx,
		`INSERT INTO probe (note, fail_times, hold_attempts, completions, created_at)
		 VALUES ($1, $2, $3, 0, $4) RETURNING id`,
		p.Note, p.FailTimes, p.HoldAttempts, p.CreatedAt.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert probe: %w", err)
	}
	return id, nil
}

// GetProbe reads a probe row.
func (s *Store) GetProbe(ctx context.Context, q Querier, id int64) (Probe, error) {
	var (
		p         Probe
		completed sql.NullTime
	)
	err := q.QueryRowContext(ctx,
		`SELECT id, note, fail_times, hold_attempts, completions, created_at, completed_at
		 FROM probe WHERE id = $1`, id).
		Scan(&p.ID, &p.Note, &p.FailTimes, &p.HoldAttempts, &p.Completions, &p.CreatedAt, &completed)
	if errors.Is(err, sql.ErrNoRows) {
		return Probe{}, fmt.Errorf("store: probe %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Probe{}, fmt.Errorf("store: get probe %d: %w", id, err)
	}
	if completed.Valid {
		t := completed.Time
		p.CompletedAt = &t
	}
	return p, nil
}

// CompleteProbe records one completion of a probe.
func (s *Store) CompleteProbe(ctx context.Context, q Querier, id int64, now time.Time) error {
	res, err := q.ExecContext(ctx,
		`UPDATE probe SET completions = completions + 1, completed_at = $2 WHERE id = $1`, id, now.UTC())
	if err != nil {
		return fmt.Errorf("store: complete probe %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: complete probe %d: %w", id, ErrNotFound)
	}
	return nil
}
