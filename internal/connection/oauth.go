package connection

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// OAuthApp is the HighLevel marketplace app Fieldbridge installs as.
type OAuthApp struct {
	ClientID     string
	ClientSecret vault.Secret
	// AuthorizeURL is the location chooser; default
	// DefaultGHLAuthorizeURL (the sandbox serves /oauth/chooselocation).
	AuthorizeURL string
	// RedirectURI is this server's callback, registered with the app.
	RedirectURI string
	// Scopes requested at install.
	Scopes []string
}

// Token is what HighLevel's token endpoint answers.
type Token struct {
	AccessToken  vault.Secret
	RefreshToken vault.Secret
	ExpiresIn    time.Duration
	Scopes       []string
	UserType     string // Location or Company
	LocationID   string
	CompanyID    string
}

// TokenEndpoint talks to HighLevel's POST /oauth/token.
type TokenEndpoint interface {
	// ExchangeCode trades an authorization code for tokens.
	ExchangeCode(ctx context.Context, baseURL string, app OAuthApp, code string) (Token, error)
	// Refresh trades a refresh token (single-use) for new tokens. A refused
	// grant must satisfy errors.Is(err, ErrGrantRefused).
	Refresh(ctx context.Context, baseURL string, app OAuthApp, refreshToken vault.Secret) (Token, error)
}

// ErrGrantRefused is what a TokenEndpoint returns when HighLevel refuses a
// refresh token or code (invalid_grant): used, expired or revoked.
var ErrGrantRefused = errors.New("grant refused")

// stateTTL bounds how long a user may take on the authorize page.
const stateTTL = 15 * time.Minute

// StartOAuth begins an install: it records a one-time state and returns
// the URL to send the user to. name is the connection to create;
// baseURL the API the tokens will be used on.
func (s *Service) StartOAuth(ctx context.Context, name, baseURL string) (string, error) {
	if err := checkName(name); err != nil {
		return "", err
	}
	if s.oauth.ClientID == "" || s.oauth.RedirectURI == "" {
		return "", fmt.Errorf("%w: OAuth needs the app's client id and redirect URI configured", ErrInvalid)
	}
	base, err := checkBaseURL(or(baseURL, DefaultGHLBaseURL))
	if err != nil {
		return "", err
	}
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return "", fmt.Errorf("connection: oauth state: %w", err)
	}
	state := base64.RawURLEncoding.EncodeToString(raw[:])
	now := s.now()
	err = s.store.InsertOAuthState(ctx, store.OAuthState{StateHash: hashState(state), ConnectionName: name, BaseURL: base,
		RedirectURI: s.oauth.RedirectURI, CreatedAt: now, ExpiresAt: now.Add(stateTTL)})
	if err != nil {
		return "", err
	}
	q := url.Values{}
	q.Set("response_type", "code")
	q.Set("redirect_uri", s.oauth.RedirectURI)
	q.Set("client_id", s.oauth.ClientID)
	q.Set("scope", strings.Join(s.oauth.Scopes, " "))
	q.Set("state", state)
	return or(s.oauth.AuthorizeURL, DefaultGHLAuthorizeURL) + "?" + q.Encode(), nil
}

func hashState(state string) string {
	sum := sha256.Sum256([]byte(state))
	return hex.EncodeToString(sum[:])
}

// CompleteOAuth handles the callback: it checks state (once, unexpired),
// exchanges the code and stores the connection with its tokens. A second
// install of the same location updates the existing connection's tokens,
// keeping one connection per location.
func (s *Service) CompleteOAuth(ctx context.Context, state, code string) (View, error) {
	if state == "" || code == "" {
		return View{}, fmt.Errorf("%w: the callback lacks state or code", ErrInvalid)
	}
	var pending store.OAuthState
	err := s.store.InTx(ctx, func(tx store.Tx) error {
		var err error
		pending, err = s.store.TakeOAuthState(ctx, tx, hashState(state), s.now())
		return err
	})
	if errors.Is(err, store.ErrNotFound) {
		return View{}, fmt.Errorf("%w: unknown, used or expired OAuth state; start the install again", ErrInvalid)
	}
	if err != nil {
		return View{}, err
	}
	tok, err := s.tokens.ExchangeCode(ctx, pending.BaseURL, s.oauth, code)
	if err != nil {
		return View{}, fmt.Errorf("connection: exchange code for %q: %w", pending.ConnectionName, err)
	}
	now := s.now()
	exp := now.Add(tok.ExpiresIn)
	c := store.Connection{Name: pending.ConnectionName, App: store.AppGHL, AuthKind: store.AuthOAuth, BaseURL: pending.BaseURL,
		LocationID: tok.LocationID, CompanyID: tok.CompanyID, Scopes: tok.Scopes, Status: store.StatusActive,
		TokenExpiresAt: &exp, RefreshedAt: &now, CreatedAt: now}
	secrets := map[string]vault.Secret{store.ColAccessToken: tok.AccessToken, store.ColRefreshToken: tok.RefreshToken}
	existing, err := s.findByLocation(ctx, tok.LocationID, tok.CompanyID)
	if err != nil {
		return View{}, err
	}
	if existing == nil {
		return s.insert(ctx, c, secrets)
	}
	err = s.store.InTx(ctx, func(tx store.Tx) error {
		cur, err := s.store.LockConnection(ctx, tx, existing.ID)
		if err != nil {
			return err
		}
		cur.Scopes, cur.Status, cur.StatusReason, cur.TokenExpiresAt, cur.RefreshedAt = c.Scopes, store.StatusActive, "", &exp, &now
		if err := s.seal(&cur, secrets); err != nil {
			return err
		}
		*existing = cur
		return s.store.UpdateConnectionSecrets(ctx, tx, cur, now)
	})
	if err != nil {
		return View{}, fmt.Errorf("connection: reinstall %q: %w", existing.Name, err)
	}
	s.logger.Info("connection re-authorised", "name", existing.Name, "location_id", existing.LocationID)
	return viewOf(*existing), nil
}

func (s *Service) findByLocation(ctx context.Context, locationID, companyID string) (*store.Connection, error) {
	cs, err := s.store.ListConnections(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		if c.App != store.AppGHL || c.AuthKind != store.AuthOAuth {
			continue
		}
		if (locationID != "" && c.LocationID == locationID) || (locationID == "" && companyID != "" && c.LocationID == "" && c.CompanyID == companyID) {
			return &c, nil
		}
	}
	return nil, nil
}
