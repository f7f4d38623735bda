package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Link states.
const (
	LinkLinked         = "linked"
	LinkCreatingGHL    = "creating_ghl"    // a HighLevel create may be in flight
	LinkCreatingRepsly = "creating_repsly" // a Repsly import may be in flight
	LinkDeleted        = "deleted"         // the HighLevel contact was deleted
)

// Link pairs a Repsly client and a HighLevel contact within a flow.
type Link struct {
	ID                int64
	Flow              string
	RepslyCode        string // "" until known
	GHLID             string // "" until known
	State             string
	RepslyLast        string // JSON
	GHLLast           string // JSON
	FieldTimes        string // JSON
	WriteMarks        string // JSON: per side:field, when our last write of it landed
	PendingWrites     string // JSON: per side:field, a write sent whose outcome the link does not hold yet
	GHLWrittenHash    string
	GHLWrittenAt      *time.Time
	RepslyWrittenHash string
	RepslyWrittenAt   *time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

const linkCols = `id, flow, repsly_code, ghl_id, state, repsly_last, ghl_last, field_times,
	ghl_written_hash, ghl_written_at, repsly_written_hash, repsly_written_at, created_at, updated_at, write_marks, pending_writes`

func scanLink(row scanner) (Link, error) {
	var (
		l          Link
		code, gid  sql.NullString
		gwAt, rwAt sql.NullTime
	)
	err := row.Scan(&l.ID, &l.Flow, &code, &gid, &l.State, &l.RepslyLast, &l.GHLLast, &l.FieldTimes,
		&l.GHLWrittenHash, &gwAt, &l.RepslyWrittenHash, &rwAt, &l.CreatedAt, &l.UpdatedAt, &l.WriteMarks, &l.PendingWrites)
	if err != nil {
		return Link{}, err
	}
	l.RepslyCode, l.GHLID = code.String, gid.String
	if gwAt.Valid {
		l.GHLWrittenAt = &gwAt.Time
	}
	if rwAt.Valid {
		l.RepslyWrittenAt = &rwAt.Time
	}
	return l, nil
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// SetPendingWrites commits a link's pending writes alone, before the API
// call they describe (write-ahead; see syncer's write_ahead.go).
func (s *Store) SetPendingWrites(ctx context.Context, q Querier, id int64, pending string, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE sync_link SET pending_writes = $2, updated_at = $3 WHERE id = $1`, id, or(pending, "{}"), now.UTC())
	if err != nil {
		return fmt.Errorf("store: set pending writes of link %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: link %d: %w", id, ErrNotFound)
	}
	return nil
}

// LinksByRepslyCodes returns the flow's links for the given client codes,
// keyed by code.
func (s *Store) LinksByRepslyCodes(ctx context.Context, q Querier, flow string, codes []string) (map[string]Link, error) {
	return s.linksBy(ctx, q, flow, "repsly_code", codes, func(l Link) string { return l.RepslyCode })
}

// LinksByGHLIDs returns the flow's links for the given contact ids, keyed
// by id.
func (s *Store) LinksByGHLIDs(ctx context.Context, q Querier, flow string, ids []string) (map[string]Link, error) {
	return s.linksBy(ctx, q, flow, "ghl_id", ids, func(l Link) string { return l.GHLID })
}

func (s *Store) linksBy(ctx context.Context, q Querier, flow, col string, keys []string, key func(Link) string) (map[string]Link, error) {
	out := make(map[string]Link, len(keys))
	err := inChunks(flow, keys, func(in string, args []any) error {
		links, err := queryAll(ctx, q, "links by "+col, scanLink,
			`SELECT `+linkCols+` FROM sync_link WHERE flow = $1 AND `+col+` IN (`+in+`)`, args...)
		for _, l := range links {
			out[key(l)] = l
		}
		return err
	})
	return out, err
}

// LinkStatesByGHLIDs returns the state of the flow's links for the given
// contact ids, keyed by id: whether a contact is linked, without reading
// and decoding the records the links hold (a backfill asks this of every
// contact of a location).
func (s *Store) LinkStatesByGHLIDs(ctx context.Context, q Querier, flow string, ids []string) (map[string]string, error) {
	out := make(map[string]string, len(ids))
	type idState struct{ id, state string }
	err := inChunks(flow, ids, func(in string, args []any) error {
		rows, err := queryAll(ctx, q, "link states by ghl_id", func(r scanner) (idState, error) {
			var v idState
			return v, r.Scan(&v.id, &v.state)
		}, `SELECT ghl_id, state FROM sync_link WHERE flow = $1 AND ghl_id IN (`+in+`)`, args...)
		for _, r := range rows {
			out[r.id] = r.state
		}
		return err
	})
	return out, err
}

// inChunks calls fn with the placeholders ($2, $3, ...) and arguments
// (flow first) of each chunk of keys, small enough for both dialects'
// parameter limits.
func inChunks(flow string, keys []string, fn func(in string, args []any) error) error {
	for start := 0; start < len(keys); start += 500 {
		chunk := keys[start:min(start+500, len(keys))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, flow)
		ph := make([]string, len(chunk))
		for i, k := range chunk {
			args = append(args, k)
			ph[i] = "$" + strconv.Itoa(i+2)
		}
		if err := fn(strings.Join(ph, ","), args); err != nil {
			return err
		}
	}
	return nil
}

// GetLink reads one link by id.
func (s *Store) GetLink(ctx context.Context, q Querier, id int64) (Link, error) {
	l, err := scanLink(q.QueryRowContext(ctx, `SELECT `+linkCols+` FROM sync_link WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Link{}, fmt.Errorf("store: link %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Link{}, fmt.Errorf("store: get link %d: %w", id, err)
	}
	return l, nil
}

// LinksWithPendingWrites returns the flow's links holding pending writes
// (a partial index keeps this cheap: almost every link holds none).
func (s *Store) LinksWithPendingWrites(ctx context.Context, q Querier, flow string) ([]Link, error) {
	return queryAll(ctx, q, "links with pending writes", scanLink,
		`SELECT `+linkCols+` FROM sync_link WHERE flow = $1 AND pending_writes <> '{}' ORDER BY id`, flow)
}

// ListLinks calls fn for every link of a flow, in id order.
func (s *Store) ListLinks(ctx context.Context, flow string, fn func(Link) error) error {
	links, err := queryAll(ctx, s.db.SQL, "list links", scanLink, `SELECT `+linkCols+` FROM sync_link WHERE flow = $1 ORDER BY id`, flow)
	if err != nil {
		return err
	}
	// fn runs after the rows are closed: on SQLite's single connection it
	// may need the database itself.
	for _, l := range links {
		if err := fn(l); err != nil {
			return err
		}
	}
	return nil
}

// DeleteLink removes a link.
func (s *Store) DeleteLink(ctx context.Context, q Querier, id int64) error {
	_, err := q.ExecContext(ctx, `DELETE FROM sync_link WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: delete link %d: %w", id, err)
	}
	return nil
}

// CountLinks counts a flow's links by state.
func (s *Store) CountLinks(ctx context.Context, flow string) (map[string]int, error) {
	return countBy[int](ctx, s.db.SQL, "count links",
		`SELECT state, count(*) FROM sync_link WHERE flow = $1 GROUP BY state`, flow)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
