package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Run is one execution of a flow: a backfill, a poll page, a webhook, a
// reconcile or a replay.
type Run struct {
	ID         int64      `json:"id"`
	Flow       string     `json:"flow"`
	Kind       string     `json:"kind"`
	Status     string     `json:"status"`
	Stats      string     `json:"stats"`
	Error      string     `json:"error,omitempty"`
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at,omitempty"`
}

// RunRecord is what a run did to one record. Summary is redacted by the
// caller: field names and hashes, never secrets.
type RunRecord struct {
	ID         int64     `json:"id"`
	RunID      int64     `json:"run_id"`
	Flow       string    `json:"flow"`
	Side       string    `json:"side"`
	RecordKey  string    `json:"record_key"`
	Action     string    `json:"action"`
	Summary    string    `json:"summary,omitempty"`
	StatusCode int       `json:"status_code,omitempty"`
	Error      string    `json:"error,omitempty"`
	Attempts   int       `json:"attempts"`
	CreatedAt  time.Time `json:"created_at"`
}

// StartRun records the start of a run and returns its id.
func (s *Store) StartRun(ctx context.Context, q Querier, flow, kind string, now time.Time) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO run (flow, kind, status, started_at) VALUES ($1, $2, 'running', $3) RETURNING id`,
		flow, kind, now.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: start run: %w", err)
	}
	return id, nil
}

// FinishRun records the end of a run.
func (s *Store) FinishRun(ctx context.Context, q Querier, id int64, status, stats, errText string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE run SET status = $2, stats = $3, error = $4, finished_at = $5 WHERE id = $1`,
		id, status, or(stats, "{}"), errText, now.UTC())
	if err != nil {
		return fmt.Errorf("store: finish run %d: %w", id, err)
	}
	return nil
}

// InsertRunRecords writes record outcomes, many rows to a statement
// (values.go): a backfill records a thousand at a time.
func (s *Store) InsertRunRecords(ctx context.Context, q Querier, recs []RunRecord) error {
	if len(recs) == 0 {
		return nil
	}
	for start := 0; start < len(recs); start += rowsPerInsert {
		chunk := recs[start:min(start+rowsPerInsert, len(recs))]
		var stmt strings.Builder
		stmt.WriteString(`INSERT INTO run_record (run_id, flow, side, record_key, action, summary, status_code, error, attempts, created_at) VALUES `)
		writeValues(&stmt, s.db.Dialect, len(chunk), 10)
		args := make([]any, 0, 10*len(chunk))
		for _, r := range chunk {
			args = append(args, r.RunID, r.Flow, r.Side, r.RecordKey, r.Action, r.Summary, r.StatusCode, r.Error, max(r.Attempts, 1), r.CreatedAt.UTC())
		}
		if _, err := q.ExecContext(ctx, stmt.String(), args...); err != nil {
			return fmt.Errorf("store: insert run records: %w", err)
		}
	}
	return nil
}

// ListRuns returns the newest runs first; flow "" means every flow.
func (s *Store) ListRuns(ctx context.Context, flow string, limit int) ([]Run, error) {
	return queryAll(ctx, s.db.SQL, "list runs", scanRun, `SELECT id, flow, kind, status, stats, error, started_at, finished_at FROM run
		WHERE ($1 = '' OR flow = $1) ORDER BY id DESC LIMIT $2`, flow, limit)
}

func scanRun(row scanner) (Run, error) {
	var (
		r   Run
		fin sql.NullTime
	)
	if err := row.Scan(&r.ID, &r.Flow, &r.Kind, &r.Status, &r.Stats, &r.Error, &r.StartedAt, &fin); err != nil {
		return Run{}, err
	}
	if fin.Valid {
		r.FinishedAt = &fin.Time
	}
	return r, nil
}

// GetRun returns a run and its record outcomes.
func (s *Store) GetRun(ctx context.Context, id int64) (Run, []RunRecord, error) {
	r, err := scanRun(s.db.SQL.QueryRowContext(ctx, `SELECT id, flow, kind, status, stats, error, started_at, finished_at FROM run WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Run{}, nil, fmt.Errorf("store: run %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Run{}, nil, fmt.Errorf("store: get run %d: %w", id, err)
	}
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id, run_id, flow, side, record_key, action, summary, status_code, error, attempts, created_at
		FROM run_record WHERE run_id = $1 ORDER BY id`, id)
	if err != nil {
		return Run{}, nil, fmt.Errorf("store: run %d records: %w", id, err)
	}
	defer rows.Close()
	var recs []RunRecord
	for rows.Next() {
		var rr RunRecord
		if err := rows.Scan(&rr.ID, &rr.RunID, &rr.Flow, &rr.Side, &rr.RecordKey, &rr.Action, &rr.Summary, &rr.StatusCode, &rr.Error, &rr.Attempts, &rr.CreatedAt); err != nil {
			return Run{}, nil, fmt.Errorf("store: run %d records: %w", id, err)
		}
		recs = append(recs, rr)
	}
	return r, recs, rows.Err()
}
