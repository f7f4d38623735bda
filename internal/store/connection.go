package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Connection apps and auth kinds.
const (
	AppGHL    = "ghl"
	AppRepsly = "repsly"

	AuthOAuth        = "oauth"         // HighLevel OAuth install
	AuthPrivateToken = "private_token" // HighLevel Private Integration Token
	AuthBasic        = "basic"         // Repsly API username and password

	StatusActive      = "active"
	StatusNeedsReauth = "needs_reauth"
)

// Secret column names; each is sealed with "connection:<id>:<column>".
const (
	ColAccessToken  = "access_token"
	ColRefreshToken = "refresh_token"
	ColPassword     = "password"
)

// Connection is one authenticated account on one app. Its secret fields
// hold vault ciphertexts, never plaintext.
type Connection struct {
	ID             int64
	Name           string
	App            string
	AuthKind       string
	BaseURL        string
	LocationID     string
	CompanyID      string
	Username       string
	Scopes         []string
	Status         string
	StatusReason   string
	AccessToken    string // sealed
	RefreshToken   string // sealed
	Password       string // sealed
	TokenExpiresAt *time.Time
	RefreshedAt    *time.Time
	CreatedAt      time.Time
	UpdatedAt      time.Time
}

// ErrConflict is returned when a unique name is already taken.
var ErrConflict = errors.New("already exists")

const connectionCols = `id, name, app, auth_kind, base_url, location_id, company_id, username, scopes,
	status, status_reason, access_token, refresh_token, password, token_expires_at, refreshed_at, created_at, updated_at`

func scanConnection(row scanner) (Connection, error) {
	var (
		c                  Connection
		scopes             string
		expires, refreshed sql.NullTime
	)
	err := row.Scan(&c.ID, &c.Name, &c.App, &c.AuthKind, &c.BaseURL, &c.LocationID, &c.CompanyID, &c.Username, &scopes,
		&c.Status, &c.StatusReason, &c.AccessToken, &c.RefreshToken, &c.Password, &expires, &refreshed, &c.CreatedAt, &c.UpdatedAt)
	if err != nil {
		return Connection{}, err
	}
	c.Scopes = strings.Fields(scopes)
	if expires.Valid {
		t := expires.Time
		c.TokenExpiresAt = &t
	}
	if refreshed.Valid {
		t := refreshed.Time
		c.RefreshedAt = &t
	}
	return c, nil
}

func utcPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

// InsertConnection writes a connection without its secrets (they are
// sealed with the row id, so they are written next with
// UpdateConnectionSecrets in the same transaction) and returns its id.
func (s *Store) InsertConnection(ctx context.Context, q Querier, c Connection) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx,
		`INSERT INTO connection (name, app, auth_kind, base_url, location_id, company_id, username, scopes,
		   status, status_reason, token_expires_at, created_at, updated_at)
		 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id`,
		c.Name, c.App, c.AuthKind, c.BaseURL, c.LocationID, c.CompanyID, c.Username, strings.Join(c.Scopes, " "),
		c.Status, c.StatusReason, utcPtr(c.TokenExpiresAt), c.CreatedAt.UTC()).Scan(&id)
	if err != nil {
		if isUniqueViolation(err) {
			return 0, fmt.Errorf("store: connection %q: %w", c.Name, ErrConflict)
		}
		return 0, fmt.Errorf("store: insert connection %q: %w", c.Name, err)
	}
	return id, nil
}

// UpdateConnectionSecrets stores sealed tokens, password, expiry, scopes
// and status of a connection.
func (s *Store) UpdateConnectionSecrets(ctx context.Context, q Querier, c Connection, now time.Time) error {
	res, err := q.ExecContext(ctx,
		`UPDATE connection SET access_token = $2, refresh_token = $3, password = $4, token_expires_at = $5,
		   refreshed_at = $6, scopes = $7, status = $8, status_reason = $9, location_id = $10, company_id = $11, updated_at = $12
		 WHERE id = $1`,
		c.ID, c.AccessToken, c.RefreshToken, c.Password, utcPtr(c.TokenExpiresAt), utcPtr(c.RefreshedAt),
		strings.Join(c.Scopes, " "), c.Status, c.StatusReason, c.LocationID, c.CompanyID, now.UTC())
	if err != nil {
		return fmt.Errorf("store: update connection %d: %w", c.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: update connection %d: %w", c.ID, ErrNotFound)
	}
	return nil
}

// SetConnectionStatus records a connection's status and the reason.
func (s *Store) SetConnectionStatus(ctx context.Context, q Querier, id int64, status, reason string, now time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE connection SET status = $2, status_reason = $3, updated_at = $4 WHERE id = $1`,
		id, status, reason, now.UTC())
	if err != nil {
		return fmt.Errorf("store: set connection %d status: %w", id, err)
	}
	return nil
}

// GetConnection reads a connection by id.
func (s *Store) GetConnection(ctx context.Context, q Querier, id int64) (Connection, error) {
	c, err := scanConnection(q.QueryRowContext(ctx, `SELECT `+connectionCols+` FROM connection WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, fmt.Errorf("store: connection %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("store: get connection %d: %w", id, err)
	}
	return c, nil
}

// GetConnectionByName reads a connection by its unique name.
func (s *Store) GetConnectionByName(ctx context.Context, q Querier, name string) (Connection, error) {
	c, err := scanConnection(q.QueryRowContext(ctx, `SELECT `+connectionCols+` FROM connection WHERE name = $1`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, fmt.Errorf("store: connection %q: %w", name, ErrNotFound)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("store: get connection %q: %w", name, err)
	}
	return c, nil
}

// LockConnection reads a connection inside tx and locks its row until tx
// ends, so that only one refresh of a single-use refresh token runs at a
// time across every process. On SQLite the immediate transaction already
// holds the database's write lock, which serialises the same way.
func (s *Store) LockConnection(ctx context.Context, tx Tx, id int64) (Connection, error) {
	q := `SELECT ` + connectionCols + ` FROM connection WHERE id = $1`
	if s.db.Dialect == "postgres" {
		q += ` FOR UPDATE`
	}
	c, err := scanConnection(tx.QueryRowContext(ctx, q, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Connection{}, fmt.Errorf("store: connection %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return Connection{}, fmt.Errorf("store: lock connection %d: %w", id, err)
	}
	return c, nil
}

// ListConnections returns every connection ordered by name.
func (s *Store) ListConnections(ctx context.Context) ([]Connection, error) {
	return queryAll(ctx, s.db.SQL, "list connections", scanConnection, `SELECT `+connectionCols+` FROM connection ORDER BY name`)
}

// DeleteConnection removes a connection by name.
func (s *Store) DeleteConnection(ctx context.Context, name string) error {
	res, err := s.db.SQL.ExecContext(ctx, `DELETE FROM connection WHERE name = $1`, name)
	if err != nil {
		return fmt.Errorf("store: delete connection %q: %w", name, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: connection %q: %w", name, ErrNotFound)
	}
	return nil
}

// ConnectionSecrets visits every sealed secret of every connection, for
// key rotation: fn gets the associated data and the sealed value and
// returns the value to store. Each row is re-read and written in its own
// short transaction, so the server keeps running and a concurrent token
// refresh is never overwritten with a stale value.
func (s *Store) ConnectionSecrets(ctx context.Context, fn func(aad, sealed string) (string, error)) error {
	rows, err := s.db.SQL.QueryContext(ctx, `SELECT id FROM connection ORDER BY id`)
	if err != nil {
		return fmt.Errorf("store: list connection ids: %w", err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fmt.Errorf("store: list connection ids: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: list connection ids: %w", err)
	}
	for _, id := range ids {
		err := s.InTx(ctx, func(tx Tx) error {
			c, err := s.LockConnection(ctx, tx, id)
			if errors.Is(err, ErrNotFound) {
				return nil // removed meanwhile
			}
			if err != nil {
				return err
			}
			changed := false
			for _, f := range []struct {
				col string
				v   *string
			}{{ColAccessToken, &c.AccessToken}, {ColRefreshToken, &c.RefreshToken}, {ColPassword, &c.Password}} {
				if *f.v == "" {
					continue
				}
				nv, err := fn(SecretAAD(id, f.col), *f.v)
				if err != nil {
					return fmt.Errorf("store: connection %d %s: %w", id, f.col, err)
				}
				if nv != *f.v {
					*f.v, changed = nv, true
				}
			}
			if !changed {
				return nil
			}
			_, err = tx.ExecContext(ctx, `UPDATE connection SET access_token = $2, refresh_token = $3, password = $4 WHERE id = $1`,
				id, c.AccessToken, c.RefreshToken, c.Password)
			return err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// SecretAAD is the associated data a connection secret is sealed with: it
// binds the ciphertext to its row and column, so a value copied elsewhere
// does not decrypt.
func SecretAAD(connectionID int64, column string) string {
	return fmt.Sprintf("connection:%d:%s", connectionID, column)
}

// isUniqueViolation reports a unique-constraint error from either driver.
func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || strings.Contains(msg, "SQLSTATE 23505") ||
		strings.Contains(msg, "duplicate key value")
}
