package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// GetCursor returns a flow's saved polling cursor for a source, "" if none.
func (s *Store) GetCursor(ctx context.Context, q Querier, flow, source string) (string, error) {
	var c string
	err := q.QueryRowContext(ctx, `SELECT cursor FROM sync_cursor WHERE flow = $1 AND source = $2`, flow, source).Scan(&c)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: get cursor %s/%s: %w", flow, source, err)
	}
	return c, nil
}

// SetCursor saves a polling cursor.
//
// Invariant (DESIGN 1, nothing lost): callers run it in the same
// transaction that records the work of the page the cursor moves past.
func (s *Store) SetCursor(ctx context.Context, tx Tx, flow, source, cursor string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO sync_cursor (flow, source, cursor, updated_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (flow, source) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
		flow, source, cursor, now.UTC())
	if err != nil {
		return fmt.Errorf("store: set cursor %s/%s: %w", flow, source, err)
	}
	return nil
}
