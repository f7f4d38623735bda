package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

const insertLinkSQL = `INSERT INTO sync_link (flow, repsly_code, ghl_id, state, repsly_last, ghl_last, field_times,
	ghl_written_hash, ghl_written_at, repsly_written_hash, repsly_written_at, created_at, updated_at, write_marks, pending_writes)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14)`

func insertLinkArgs(l Link) []any {
	return []any{l.Flow, nullStr(l.RepslyCode), nullStr(l.GHLID), l.State, or(l.RepslyLast, "{}"), or(l.GHLLast, "{}"), or(l.FieldTimes, "{}"),
		l.GHLWrittenHash, utcPtr(l.GHLWrittenAt), l.RepslyWrittenHash, utcPtr(l.RepslyWrittenAt), l.CreatedAt.UTC(), or(l.WriteMarks, "{}"), or(l.PendingWrites, "{}")}
}

const updateLinkSQL = `UPDATE sync_link SET repsly_code = $2, ghl_id = $3, state = $4, repsly_last = $5, ghl_last = $6,
	field_times = $7, ghl_written_hash = $8, ghl_written_at = $9, repsly_written_hash = $10, repsly_written_at = $11, updated_at = $12,
	write_marks = $13, pending_writes = $14 WHERE id = $1`

func updateLinkArgs(l Link, now time.Time) []any {
	return []any{l.ID, nullStr(l.RepslyCode), nullStr(l.GHLID), l.State, or(l.RepslyLast, "{}"), or(l.GHLLast, "{}"), or(l.FieldTimes, "{}"),
		l.GHLWrittenHash, utcPtr(l.GHLWrittenAt), l.RepslyWrittenHash, utcPtr(l.RepslyWrittenAt), now.UTC(), or(l.WriteMarks, "{}"), or(l.PendingWrites, "{}")}
}

// InsertLink writes a new link and returns its id. A link that already
// exists for either key is a conflict (ErrConflict): the caller lost a race
// and must re-read.
func (s *Store) InsertLink(ctx context.Context, q Querier, l Link) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, insertLinkSQL+` RETURNING id`, insertLinkArgs(l)...).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, fmt.Errorf("store: link %s/%s/%s: %w", l.Flow, l.RepslyCode, l.GHLID, ErrConflict)
		}
		return 0, fmt.Errorf("store: insert link: %w", err)
	}
	return id, nil
}

// InsertLinksIfAbsent writes new links through one prepared statement and
// returns their ids; an id is 0 where a link for the same key already
// exists (the caller lost a race and must re-read). Unlike a unique
// violation, a skipped row leaves a PostgreSQL transaction usable.
func (s *Store) InsertLinksIfAbsent(ctx context.Context, tx Tx, links []Link) ([]int64, error) {
	ids := make([]int64, len(links))
	if len(links) == 0 {
		return ids, nil
	}
	stmt, err := tx.PrepareContext(ctx, insertLinkSQL+` ON CONFLICT DO NOTHING RETURNING id`)
	if err != nil {
		return nil, fmt.Errorf("store: insert links: %w", err)
	}
	defer stmt.Close()
	for i, l := range links {
		err := stmt.QueryRowContext(ctx, insertLinkArgs(l)...).Scan(&ids[i])
		if errors.Is(err, sql.ErrNoRows) {
			ids[i] = 0
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("store: insert link %s/%s/%s: %w", l.Flow, l.RepslyCode, l.GHLID, err)
		}
	}
	return ids, nil
}

// SetIntentClient rewrites what a creating_ghl link (an intent) says the
// create sends: the client state a retried create now sends instead.
// Only the intent's client state changes; a link that has moved on is
// left alone.
func (s *Store) SetIntentClient(ctx context.Context, q Querier, id int64, repslyLast string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE sync_link SET repsly_last = $2, updated_at = $3 WHERE id = $1 AND state = $4 AND ghl_id IS NULL`,
		id, or(repslyLast, "{}"), now.UTC(), LinkCreatingGHL)
	if err != nil {
		return fmt.Errorf("store: set intent %d: %w", id, err)
	}
	return nil
}

// UpdateLink rewrites a link's keys, state and states.
func (s *Store) UpdateLink(ctx context.Context, q Querier, l Link, now time.Time) error {
	res, err := q.ExecContext(ctx, updateLinkSQL, updateLinkArgs(l, now)...)
	return updated(l, res, err)
}

// UpdateLinks rewrites many links through one prepared statement (a batch
// stores hundreds at once; preparing each costs more than running it).
func (s *Store) UpdateLinks(ctx context.Context, tx Tx, links []Link, now time.Time) error {
	if len(links) == 0 {
		return nil
	}
	if len(links) == 1 {
		return s.UpdateLink(ctx, tx, links[0], now)
	}
	stmt, err := tx.PrepareContext(ctx, updateLinkSQL)
	if err != nil {
		return fmt.Errorf("store: update links: %w", err)
	}
	defer stmt.Close()
	for _, l := range links {
		res, err := stmt.ExecContext(ctx, updateLinkArgs(l, now)...)
		if err := updated(l, res, err); err != nil {
			return err
		}
	}
	return nil
}

func updated(l Link, res sql.Result, err error) error {
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: link %d: %w", l.ID, ErrConflict)
		}
		return fmt.Errorf("store: update link %d: %w", l.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: link %d: %w", l.ID, ErrNotFound)
	}
	return nil
}
