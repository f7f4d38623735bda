package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// OAuthState is a pending OAuth install, keyed by the hash of its state
// parameter (the state itself is a bearer secret while it is pending).
type OAuthState struct {
	StateHash      string
	ConnectionName string
	BaseURL        string
	RedirectURI    string
	CreatedAt      time.Time
	ExpiresAt      time.Time
}

// InsertOAuthState records a pending install.
func (s *Store) InsertOAuthState(ctx context.Context, st OAuthState) error {
	_, err := s.db.SQL.ExecContext(ctx,
		`INSERT INTO oauth_state (state_hash, connection_name, base_url, redirect_uri, created_at, expires_at)
		 VALUES ($1, $2, $3, $4, $5, $6)`,
		st.StateHash, st.ConnectionName, st.BaseURL, st.RedirectURI, st.CreatedAt.UTC(), st.ExpiresAt.UTC())
	if err != nil {
		return fmt.Errorf("store: insert oauth state: %w", err)
	}
	return nil
}

// TakeOAuthState deletes and returns the pending install with this state
// hash, so a state works once. Expired states are not returned.
func (s *Store) TakeOAuthState(ctx context.Context, tx Tx, stateHash string, now time.Time) (OAuthState, error) {
	var st OAuthState
	err := tx.QueryRowContext(ctx,
		`DELETE FROM oauth_state WHERE state_hash = $1
		 RETURNING state_hash, connection_name, base_url, redirect_uri, created_at, expires_at`, stateHash).
		Scan(&st.StateHash, &st.ConnectionName, &st.BaseURL, &st.RedirectURI, &st.CreatedAt, &st.ExpiresAt)
	if errors.Is(err, sql.ErrNoRows) {
		return OAuthState{}, fmt.Errorf("store: oauth state: %w", ErrNotFound)
	}
	if err != nil {
		return OAuthState{}, fmt.Errorf("store: take oauth state: %w", err)
	}
	if now.After(st.ExpiresAt) {
		return OAuthState{}, fmt.Errorf("store: oauth state expired at %s: %w", st.ExpiresAt.UTC().Format(time.RFC3339), ErrNotFound)
	}
	return st, nil
}
