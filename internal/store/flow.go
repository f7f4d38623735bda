package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Flow is a stored flow: its current version and state. The YAML of each
// version lives in flow_version.
type Flow struct {
	ID          int64
	Name        string
	Kind        string // "automation" or "sync", as the flow package says
	Description string
	Version     int64 // the current version
	Enabled     bool
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// FlowVersion is one stored version of a flow.
type FlowVersion struct {
	FlowID    int64
	Name      string
	Version   int64
	YAML      string
	CreatedAt time.Time
}

// FlowInput is what PutFlow stores.
type FlowInput struct {
	Name        string
	Kind        string
	Description string
	YAML        string
}

const flowCols = `id, name, kind, description, current_version, enabled, created_at, updated_at`

func scanFlow(row scanner) (Flow, error) {
	var f Flow
	err := row.Scan(&f.ID, &f.Name, &f.Kind, &f.Description, &f.Version, &f.Enabled, &f.CreatedAt, &f.UpdatedAt)
	return f, err
}

// PutFlow stores in.YAML as the next version of the flow named in.Name,
// creating the flow (enabled, version 1) if there is none, and makes it the
// current version. When the YAML equals the current version's text nothing
// is written and changed is false, so applying the same file twice does not
// pile up versions. Run it in a transaction: it writes two tables.
func (s *Store) PutFlow(ctx context.Context, q Querier, in FlowInput, now time.Time) (f Flow, changed bool, err error) {
	cur, err := s.GetFlow(ctx, q, in.Name)
	switch {
	case errors.Is(err, ErrNotFound):
		err = q.QueryRowContext(ctx,
			`INSERT INTO flow (name, kind, description, current_version, enabled, created_at, updated_at)
			 VALUES ($1, $2, $3, 1, TRUE, $4, $4) RETURNING `+flowCols,
			in.Name, in.Kind, in.Description, now.UTC()).Scan(
			&f.ID, &f.Name, &f.Kind, &f.Description, &f.Version, &f.Enabled, &f.CreatedAt, &f.UpdatedAt)
		if err != nil {
			if isUniqueViolation(err) {
				return Flow{}, false, fmt.Errorf("store: flow %q: %w", in.Name, ErrConflict)
			}
			return Flow{}, false, fmt.Errorf("store: insert flow %q: %w", in.Name, err)
		}
	case err != nil:
		return Flow{}, false, err
	default:
		v, err := s.GetFlowVersion(ctx, q, in.Name, cur.Version)
		if err != nil {
			return Flow{}, false, err
		}
		if v.YAML == in.YAML && cur.Kind == in.Kind && cur.Description == in.Description {
			return cur, false, nil
		}
		// The version is bumped from the stored value, not from cur, so two
		// concurrent applies cannot both claim the same number: the second
		// one's flow_version insert fails on the primary key.
		f, err = scanFlow(q.QueryRowContext(ctx,
			`UPDATE flow SET current_version = current_version + 1, kind = $2, description = $3, updated_at = $4
			 WHERE id = $1 RETURNING `+flowCols,
			cur.ID, in.Kind, in.Description, now.UTC()))
		if err != nil {
			return Flow{}, false, fmt.Errorf("store: update flow %q: %w", in.Name, err)
		}
	}
	_, err = q.ExecContext(ctx, `INSERT INTO flow_version (flow_id, version, yaml, created_at) VALUES ($1, $2, $3, $4)`,
		f.ID, f.Version, in.YAML, now.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return Flow{}, false, fmt.Errorf("store: flow %q version %d: %w", in.Name, f.Version, ErrConflict)
		}
		return Flow{}, false, fmt.Errorf("store: insert flow %q version %d: %w", in.Name, f.Version, err)
	}
	return f, true, nil
}

// GetFlow reads a flow by name.
func (s *Store) GetFlow(ctx context.Context, q Querier, name string) (Flow, error) {
	f, err := scanFlow(q.QueryRowContext(ctx, `SELECT `+flowCols+` FROM flow WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Flow{}, fmt.Errorf("store: flow %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Flow{}, fmt.Errorf("store: get flow %q: %w", name, err)
	}
	return f, nil
}

// ListFlows returns every flow, by name.
func (s *Store) ListFlows(ctx context.Context, q Querier) ([]Flow, error) {
	return queryAll(ctx, q, "list flows", scanFlow, `SELECT `+flowCols+` FROM flow ORDER BY name`)
}

// GetFlowVersion reads one version of a flow; version 0 means the current
// one.
func (s *Store) GetFlowVersion(ctx context.Context, q Querier, name string, version int64) (FlowVersion, error) {
	f, err := s.GetFlow(ctx, q, name)
	if err != nil {
		return FlowVersion{}, err
	}
	if version == 0 {
		version = f.Version
	}
	v := FlowVersion{FlowID: f.ID, Name: f.Name, Version: version}
	err = q.QueryRowContext(ctx, `SELECT yaml, created_at FROM flow_version WHERE flow_id = $1 AND version = $2`,
		f.ID, version).Scan(&v.YAML, &v.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return FlowVersion{}, fmt.Errorf("store: flow %q version %d: %w", name, version, ErrNotFound)
	}
	if err != nil {
		return FlowVersion{}, fmt.Errorf("store: get flow %q version %d: %w", name, version, err)
	}
	return v, nil
}

// ListFlowVersions returns a flow's versions, newest first, without their
// YAML.
func (s *Store) ListFlowVersions(ctx context.Context, q Querier, name string) ([]FlowVersion, error) {
	if _, err := s.GetFlow(ctx, q, name); err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx,
		`SELECT v.flow_id, f.name, v.version, v.created_at FROM flow_version v JOIN flow f ON f.id = v.flow_id
		 WHERE f.name = $1 ORDER BY v.version DESC`, name)
	if err != nil {
		return nil, fmt.Errorf("store: list flow %q versions: %w", name, err)
	}
	defer rows.Close()
	var out []FlowVersion
	for rows.Next() {
		var v FlowVersion
		if err := rows.Scan(&v.FlowID, &v.Name, &v.Version, &v.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: list flow %q versions: %w", name, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list flow %q versions: %w", name, err)
	}
	return out, nil
}

// SetFlowEnabled turns a flow on or off.
func (s *Store) SetFlowEnabled(ctx context.Context, q Querier, name string, enabled bool, now time.Time) error {
	res, err := q.ExecContext(ctx, `UPDATE flow SET enabled = $2, updated_at = $3 WHERE name = $1`, name, enabled, now.UTC())
	if err != nil {
		return fmt.Errorf("store: set flow %q enabled: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: flow %q: %w", name, ErrNotFound)
	}
	return nil
}

// DeleteFlow removes a flow and all its versions.
func (s *Store) DeleteFlow(ctx context.Context, q Querier, name string) error {
	// flow_version rows go with the flow (ON DELETE CASCADE); deleting them
	// first keeps that true even where foreign keys are not enforced.
	if _, err := q.ExecContext(ctx, `DELETE FROM flow_version WHERE flow_id IN (SELECT id FROM flow WHERE name = $1)`, name); err != nil {
		return fmt.Errorf("store: delete flow %q versions: %w", name, err)
	}
	res, err := q.ExecContext(ctx, `DELETE FROM flow WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("store: delete flow %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: flow %q: %w", name, ErrNotFound)
	}
	return nil
}
