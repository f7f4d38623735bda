package connection

import (
	"context"
	"errors"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// GHLTokenInput adds a HighLevel location by Private Integration Token.
type GHLTokenInput struct {
	Name       string
	BaseURL    string // default DefaultGHLBaseURL
	LocationID string
	Token      vault.Secret
	// Scopes the token was created with; optional (see RequireScopes).
	Scopes []string
}

// RepslyInput adds a Repsly account.
type RepslyInput struct {
	Name     string
	BaseURL  string // default DefaultRepslyBaseURL
	Username string
	Password vault.Secret
}

// AddGHLToken stores a HighLevel connection that uses a Private
// Integration Token.
func (s *Service) AddGHLToken(ctx context.Context, in GHLTokenInput) (View, error) {
	if err := checkName(in.Name); err != nil {
		return View{}, err
	}
	if in.LocationID == "" {
		return View{}, fmt.Errorf("%w: a HighLevel location id is required with a token", ErrInvalid)
	}
	if in.Token.Reveal() == "" {
		return View{}, fmt.Errorf("%w: the token is empty", ErrInvalid)
	}
	base, err := checkBaseURL(or(in.BaseURL, DefaultGHLBaseURL))
	if err != nil {
		return View{}, err
	}
	c := store.Connection{Name: in.Name, App: store.AppGHL, AuthKind: store.AuthPrivateToken, BaseURL: base,
		LocationID: in.LocationID, Scopes: in.Scopes, Status: store.StatusActive, CreatedAt: s.now()}
	return s.insert(ctx, c, map[string]vault.Secret{store.ColAccessToken: in.Token})
}

// AddRepsly stores a Repsly connection.
func (s *Service) AddRepsly(ctx context.Context, in RepslyInput) (View, error) {
	if err := checkName(in.Name); err != nil {
		return View{}, err
	}
	if in.Username == "" || in.Password.Reveal() == "" {
		return View{}, fmt.Errorf("%w: Repsly needs the API username and password (Settings > API in Repsly)", ErrInvalid)
	}
	base, err := checkBaseURL(or(in.BaseURL, DefaultRepslyBaseURL))
	if err != nil {
		return View{}, err
	}
	c := store.Connection{Name: in.Name, App: store.AppRepsly, AuthKind: store.AuthBasic, BaseURL: base,
		Username: in.Username, Status: store.StatusActive, CreatedAt: s.now()}
	return s.insert(ctx, c, map[string]vault.Secret{store.ColPassword: in.Password})
}

// insert writes the row, then seals each secret with the new row id bound
// in and stores them, in one transaction: there is never a row with a
// plaintext or missing secret.
func (s *Service) insert(ctx context.Context, c store.Connection, secrets map[string]vault.Secret) (View, error) {
	err := s.store.InTx(ctx, func(tx store.Tx) error {
		id, err := s.store.InsertConnection(ctx, tx, c)
		if err != nil {
			return err
		}
		c.ID = id
		if err := s.seal(&c, secrets); err != nil {
			return err
		}
		return s.store.UpdateConnectionSecrets(ctx, tx, c, s.now())
	})
	if errors.Is(err, store.ErrConflict) {
		return View{}, fmt.Errorf("%w: a connection named %q already exists", ErrInvalid, c.Name)
	}
	if err != nil {
		return View{}, fmt.Errorf("connection: add %q: %w", c.Name, err)
	}
	s.logger.Info("connection added", "name", c.Name, "app", c.App, "auth", c.AuthKind)
	return viewOf(c), nil
}

func (s *Service) seal(c *store.Connection, secrets map[string]vault.Secret) error {
	for col, sec := range secrets {
		sealed, err := s.vault.SealSecret(store.SecretAAD(c.ID, col), sec)
		if err != nil {
			return fmt.Errorf("connection: seal %s: %w", col, err)
		}
		switch col {
		case store.ColAccessToken:
			c.AccessToken = sealed
		case store.ColRefreshToken:
			c.RefreshToken = sealed
		case store.ColPassword:
			c.Password = sealed
		}
	}
	return nil
}

// open decrypts one secret column of c; if the key that sealed it was
// added by another process (a key rotation), the keyring is refreshed once.
func (s *Service) open(ctx context.Context, c store.Connection, col, sealed string) (vault.Secret, error) {
	if sealed == "" {
		return vault.Secret{}, nil
	}
	sec, err := s.vault.OpenSecret(store.SecretAAD(c.ID, col), sealed)
	var unknown *vault.UnknownKeyError
	if errors.As(err, &unknown) {
		if rerr := s.vault.Refresh(ctx); rerr != nil {
			return vault.Secret{}, fmt.Errorf("connection %q: %w", c.Name, rerr)
		}
		sec, err = s.vault.OpenSecret(store.SecretAAD(c.ID, col), sealed)
	}
	if err != nil {
		return vault.Secret{}, fmt.Errorf("connection %q: open %s: %w", c.Name, col, err)
	}
	return sec, nil
}

// List returns every connection without secrets.
func (s *Service) List(ctx context.Context) ([]View, error) {
	cs, err := s.store.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]View, 0, len(cs))
	for _, c := range cs {
		out = append(out, viewOf(c))
	}
	return out, nil
}

// Get returns one connection by name, without secrets.
func (s *Service) Get(ctx context.Context, name string) (View, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return View{}, err
	}
	return viewOf(c), nil
}

// Remove deletes a connection and its secrets.
func (s *Service) Remove(ctx context.Context, name string) error {
	if err := s.store.DeleteConnection(ctx, name); err != nil {
		return err
	}
	s.logger.Info("connection removed", "name", name)
	return nil
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
