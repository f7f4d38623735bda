package connection

import (
	"context"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// RotateKey makes a new primary data key and re-encrypts every connection
// secret under it, row by row in short transactions, while the server
// keeps running: values sealed under the old key stay readable until
// they are rewritten, and a running server picks the new key up on first
// sight of it (see open).
func (s *Service) RotateKey(ctx context.Context) (vault.RotateResult, error) {
	res, err := s.vault.Rotate(ctx, s.store.ConnectionSecrets)
	if err != nil {
		return res, fmt.Errorf("connection: rotate key: %w", err)
	}
	s.logger.Info("vault key rotated", "primary", res.PrimaryID, "reencrypted", res.Reencrypted)
	return res, nil
}

// Secret returns the decrypted secret column of a connection, for the API
// clients built from it. Never log or return it to a user.
func (s *Service) Secret(ctx context.Context, name, column string) (vault.Secret, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return vault.Secret{}, err
	}
	var sealed string
	switch column {
	case "access_token":
		sealed = c.AccessToken
	case "refresh_token":
		sealed = c.RefreshToken
	case "password":
		sealed = c.Password
	default:
		return vault.Secret{}, fmt.Errorf("connection: unknown secret column %q", column)
	}
	return s.open(ctx, c, column, sealed)
}
