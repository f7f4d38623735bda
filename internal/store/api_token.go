package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// InsertAPIToken stores an admin API token by the hash of its value.
func (s *Store) InsertAPIToken(ctx context.Context, name, tokenHash string, now time.Time) error {
	_, err := s.db.SQL.ExecContext(ctx,
		`INSERT INTO api_token (name, token_hash, created_at) VALUES ($1, $2, $3)`, name, tokenHash, now.UTC())
	if err != nil {
		if isUniqueViolation(err) {
			return fmt.Errorf("store: api token %q: %w", name, ErrConflict)
		}
		return fmt.Errorf("store: insert api token: %w", err)
	}
	return nil
}

// APITokenExists reports whether a token with this hash exists, and
// stamps its last use.
func (s *Store) APITokenExists(ctx context.Context, tokenHash string, now time.Time) (bool, error) {
	var id int64
	err := s.db.SQL.QueryRowContext(ctx, `SELECT id FROM api_token WHERE token_hash = $1`, tokenHash).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("store: find api token: %w", err)
	}
	_, _ = s.db.SQL.ExecContext(ctx, `UPDATE api_token SET last_used_at = $2 WHERE id = $1`, id, now.UTC())
	return true, nil
}
