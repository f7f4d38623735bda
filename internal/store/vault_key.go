package store

import (
	"context"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// VaultKeys is the vault_key table as a vault.KeyStore.
type VaultKeys struct{ s *Store }

// VaultKeys returns the vault's key store on this database.
func (s *Store) VaultKeys() *VaultKeys { return &VaultKeys{s: s} }

var _ vault.KeyStore = (*VaultKeys)(nil)

// ListKeys implements vault.KeyStore.
func (v *VaultKeys) ListKeys(ctx context.Context) ([]vault.WrappedKey, error) {
	rows, err := v.s.db.SQL.QueryContext(ctx, `SELECT id, wrapped, is_primary, created_at FROM vault_key ORDER BY created_at, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list vault keys: %w", err)
	}
	defer rows.Close()
	var out []vault.WrappedKey
	for rows.Next() {
		var k vault.WrappedKey
		if err := rows.Scan(&k.ID, &k.Wrapped, &k.Primary, &k.CreatedAt); err != nil {
			return nil, fmt.Errorf("store: list vault keys: %w", err)
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddKey implements vault.KeyStore.
func (v *VaultKeys) AddKey(ctx context.Context, k vault.WrappedKey) error {
	_, err := v.s.db.SQL.ExecContext(ctx,
		`INSERT INTO vault_key (id, wrapped, is_primary, created_at) VALUES ($1, $2, FALSE, $3)`,
		k.ID, k.Wrapped, k.CreatedAt.UTC())
	if err != nil {
		return fmt.Errorf("store: add vault key %s: %w", k.ID, err)
	}
	return nil
}

// SetPrimary implements vault.KeyStore: one transaction clears the old
// primary and sets the new one, so there is never zero or two.
func (v *VaultKeys) SetPrimary(ctx context.Context, id string) error {
	return v.s.InTx(ctx, func(tx Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE vault_key SET is_primary = (id = $1)`, id)
		if err != nil {
			return fmt.Errorf("store: set primary vault key %s: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: set primary vault key %s: %w", id, ErrNotFound)
		}
		var found int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM vault_key WHERE id = $1`, id).Scan(&found); err != nil {
			return fmt.Errorf("store: set primary vault key %s: %w", id, err)
		}
		if found == 0 {
			return fmt.Errorf("store: set primary vault key %s: %w", id, ErrNotFound)
		}
		return nil
	})
}
