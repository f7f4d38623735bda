package store

import (
	"context"
	"fmt"
	"time"
)

// ClaimActivity records that an activity (a Repsly client note or visit)
// is being copied to HighLevel. It returns false if it was claimed before:
// each activity becomes a HighLevel note once. Callers claim and write the
// note id in the same transaction as the rest of their work.
func (s *Store) ClaimActivity(ctx context.Context, q Querier, flow, kind, sourceID string, now time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO activity_link (flow, kind, source_id, created_at) VALUES ($1, $2, $3, $4)
		ON CONFLICT (flow, kind, source_id) DO NOTHING`, flow, kind, sourceID, now.UTC())
	if err != nil {
		return false, fmt.Errorf("store: claim activity %s/%s: %w", kind, sourceID, err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// SetActivityNote records the HighLevel note an activity became.
func (s *Store) SetActivityNote(ctx context.Context, q Querier, flow, kind, sourceID, contactID, noteID string) error {
	_, err := q.ExecContext(ctx, `UPDATE activity_link SET ghl_contact_id = $4, ghl_note_id = $5 WHERE flow = $1 AND kind = $2 AND source_id = $3`,
		flow, kind, sourceID, contactID, noteID)
	if err != nil {
		return fmt.Errorf("store: set activity note %s/%s: %w", kind, sourceID, err)
	}
	return nil
}

// ActivityNote returns the note id recorded for an activity ("" if the
// claim has no note yet).
func (s *Store) ActivityNote(ctx context.Context, q Querier, flow, kind, sourceID string) (string, bool, error) {
	var note string
	err := q.QueryRowContext(ctx, `SELECT ghl_note_id FROM activity_link WHERE flow = $1 AND kind = $2 AND source_id = $3`,
		flow, kind, sourceID).Scan(&note)
	if err != nil {
		if isNoRows(err) {
			return "", false, nil
		}
		return "", false, fmt.Errorf("store: activity %s/%s: %w", kind, sourceID, err)
	}
	return note, true, nil
}
