package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

const insertLinkColumnsSQL = `INSERT INTO sync_link (flow, repsly_code, ghl_id, state, repsly_last, ghl_last, field_times,
	ghl_written_hash, ghl_written_at, repsly_written_hash, repsly_written_at, created_at, updated_at, write_marks, pending_writes)
	VALUES `

const insertLinkSQL = insertLinkColumnsSQL + `($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`

// insertLinkArgCount is how many arguments a row of insertLinkSQL takes.
const insertLinkArgCount = 15

// appendInsertLinkArgs appends the arguments of insertLinkSQL's row for l.
func appendInsertLinkArgs(args []any, l Link) []any {
	return append(args, l.Flow, nullStr(l.RepslyCode), nullStr(l.GHLID), l.State, or(l.RepslyLast, "{}"), or(l.GHLLast, "{}"), or(l.FieldTimes, "{}"),
		l.GHLWrittenHash, utcPtr(l.GHLWrittenAt), l.RepslyWrittenHash, utcPtr(l.RepslyWrittenAt), l.CreatedAt.UTC(), l.CreatedAt.UTC(), or(l.WriteMarks, "{}"), or(l.PendingWrites, "{}"))
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
	err := q.QueryRowContext(ctx, insertLinkSQL+` RETURNING id`, appendInsertLinkArgs(nil, l)...).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, fmt.Errorf("store: link %s/%s/%s: %w", l.Flow, l.RepslyCode, l.GHLID, ErrConflict)
		}
		return 0, fmt.Errorf("store: insert link: %w", err)
	}
	return id, nil
}

// InsertLinksIfAbsent writes new links and returns their ids; an id is 0
// where a link for the same key already exists, in the table or earlier in
// links (the caller lost a race and must re-read). Unlike a unique
// violation, a skipped row leaves a PostgreSQL transaction usable.
//
// The links go rowsPerInsert to a statement (values.go).
func (s *Store) InsertLinksIfAbsent(ctx context.Context, tx Tx, links []Link) ([]int64, error) {
	ids := make([]int64, len(links))
	for start := 0; start < len(links); start += rowsPerInsert {
		if err := s.insertLinkRows(ctx, tx, links[start:min(start+rowsPerInsert, len(links))], ids[start:]); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// insertLinkRows inserts links in one statement and sets ids[i] to the id
// of links[i] where it was inserted.
func (s *Store) insertLinkRows(ctx context.Context, tx Tx, links []Link, ids []int64) error {
	var q strings.Builder
	q.Grow(len(insertLinkColumnsSQL) + 80*len(links) + 80)
	q.WriteString(insertLinkColumnsSQL)
	args := make([]any, 0, insertLinkArgCount*len(links))
	// Rows come back in no promised order: each is known by its keys.
	// Two links with the same keys: the first is inserted, the second
	// conflicts with it.
	first := make(map[linkKey]int, len(links))
	writeValues(&q, s.db.Dialect, len(links), insertLinkArgCount)
	for i, l := range links {
		args = appendInsertLinkArgs(args, l)
		if _, dup := first[keyOf(l)]; !dup {
			first[keyOf(l)] = i
		}
	}
	q.WriteString(` ON CONFLICT DO NOTHING RETURNING id, flow, repsly_code, ghl_id`)
	rows, err := tx.QueryContext(ctx, q.String(), args...)
	if err != nil {
		return fmt.Errorf("store: insert links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k linkKey
		var code, ghlID sql.NullString
		if err := rows.Scan(&id, &k.flow, &code, &ghlID); err != nil {
			return fmt.Errorf("store: insert links: %w", err)
		}
		k.code, k.ghlID = code.String, ghlID.String
		i, ok := first[k]
		if !ok {
			return fmt.Errorf("store: insert links: row %d (%s/%s/%s) matches no link sent", id, k.flow, k.code, k.ghlID)
		}
		ids[i] = id
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: insert links: %w", err)
	}
	return nil
}

// linkKey is what tells a link's row from another's in one insert.
type linkKey struct{ flow, code, ghlID string }

func keyOf(l Link) linkKey { return linkKey{l.Flow, l.RepslyCode, l.GHLID} }

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
