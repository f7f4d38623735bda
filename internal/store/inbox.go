package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InboxEvent is a webhook delivery as received.
type InboxEvent struct {
	ID          int64
	Source      string
	LocationID  string
	EventID     string
	EventType   string
	Body        string
	ReceivedAt  time.Time
	ProcessedAt *time.Time
	Status      string
	Error       string
}

// ErrDuplicate is returned when an event id was already stored.
var ErrDuplicate = errors.New("duplicate event")

// InsertInboxEvent stores a delivery. A second delivery with the same
// source and event id returns ErrDuplicate and stores nothing.
func (s *Store) InsertInboxEvent(ctx context.Context, tx Tx, e InboxEvent) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO inbox (source, location_id, event_id, event_type, body, received_at, status)
		VALUES ($1, $2, $3, $4, $5, $6, 'pending') ON CONFLICT (source, event_id) DO NOTHING RETURNING id`,
		e.Source, e.LocationID, e.EventID, e.EventType, e.Body, e.ReceivedAt.UTC()).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("store: inbox %s/%s: %w", e.Source, e.EventID, ErrDuplicate)
	}
	if err != nil {
		return 0, fmt.Errorf("store: insert inbox event: %w", err)
	}
	return id, nil
}

// GetInboxEvent reads a delivery.
func (s *Store) GetInboxEvent(ctx context.Context, q Querier, id int64) (InboxEvent, error) {
	var (
		e    InboxEvent
		proc sql.NullTime
	)
	err := q.QueryRowContext(ctx, `SELECT id, source, location_id, event_id, event_type, body, received_at, processed_at, status, error
		FROM inbox WHERE id = $1`, id).Scan(&e.ID, &e.Source, &e.LocationID, &e.EventID, &e.EventType, &e.Body, &e.ReceivedAt, &proc, &e.Status, &e.Error)
	if errors.Is(err, sql.ErrNoRows) {
		return InboxEvent{}, fmt.Errorf("store: inbox event %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return InboxEvent{}, fmt.Errorf("store: get inbox event %d: %w", id, err)
	}
	if proc.Valid {
		e.ProcessedAt = &proc.Time
	}
	return e, nil
}

// PendingInbox lists a location's deliveries from source not processed
// yet, oldest first, at most limit.
func (s *Store) PendingInbox(ctx context.Context, q Querier, source, locationID string, limit int) ([]InboxEvent, error) {
	return queryAll(ctx, q, "pending inbox", func(row scanner) (InboxEvent, error) {
		var e InboxEvent
		err := row.Scan(&e.ID, &e.Source, &e.LocationID, &e.EventID, &e.EventType, &e.Body, &e.ReceivedAt, &e.Status, &e.Error)
		return e, err
	}, `SELECT id, source, location_id, event_id, event_type, body, received_at, status, error
		FROM inbox WHERE location_id = $1 AND status = 'pending' AND source = $2 ORDER BY id LIMIT $3`, locationID, source, limit)
}

// FinishInboxEvent records the outcome of processing a delivery.
func (s *Store) FinishInboxEvent(ctx context.Context, q Querier, id int64, status, errText string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE inbox SET status = $2, error = $3, processed_at = $4 WHERE id = $1`, id, status, errText, now.UTC())
	if err != nil {
		return fmt.Errorf("store: finish inbox event %d: %w", id, err)
	}
	return nil
}

// CountInbox counts deliveries by status.
func (s *Store) CountInbox(ctx context.Context) (map[string]int, error) {
	return countBy[int](ctx, s.db.SQL, "count inbox", `SELECT status, count(*) FROM inbox GROUP BY status`)
}
