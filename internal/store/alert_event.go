package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// AlertEvent is something an operator must hear about (a connection that
// needs re-authorisation, a flow that keeps failing). Events are stored
// first and delivered by the alert part, so none is lost when a channel
// is down.
type AlertEvent struct {
	ID           int64
	Kind         string
	ConnectionID *int64
	Message      string
	CreatedAt    time.Time
	DeliveredAt  *time.Time
}

// InsertAlertEvent records an alert event.
func (s *Store) InsertAlertEvent(ctx context.Context, q Querier, e AlertEvent) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx,
		`INSERT INTO alert_event (kind, connection_id, message, created_at) VALUES ($1, $2, $3, $4) RETURNING id`,
		e.Kind, e.ConnectionID, e.Message, e.CreatedAt.UTC()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: insert alert event: %w", err)
	}
	return id, nil
}

// ListAlertEvents returns the newest events first, at most limit.
func (s *Store) ListAlertEvents(ctx context.Context, limit int) ([]AlertEvent, error) {
	rows, err := s.db.SQL.QueryContext(ctx,
		`SELECT id, kind, connection_id, message, created_at, delivered_at FROM alert_event ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list alert events: %w", err)
	}
	defer rows.Close()
	var out []AlertEvent
	for rows.Next() {
		var (
			e         AlertEvent
			conn      sql.NullInt64
			delivered sql.NullTime
		)
		if err := rows.Scan(&e.ID, &e.Kind, &conn, &e.Message, &e.CreatedAt, &delivered); err != nil {
			return nil, fmt.Errorf("store: list alert events: %w", err)
		}
		if conn.Valid {
			e.ConnectionID = &conn.Int64
		}
		if delivered.Valid {
			e.DeliveredAt = &delivered.Time
		}
		out = append(out, e)
	}
	return out, rows.Err()
}
