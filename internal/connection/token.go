package connection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// refreshAhead is how long before expiry a token counts as stale, so a
// request never leaves with a token that expires on the way.
const refreshAhead = 2 * time.Minute

// TokenSource returns the bearer token source of a HighLevel connection.
// For a Private Integration Token it is the static token; for OAuth it
// refreshes when the token is stale (see Token).
func (s *Service) TokenSource(ctx context.Context, name string) (oauth2.TokenSource, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return nil, err
	}
	if c.App != store.AppGHL {
		return nil, fmt.Errorf("%w: %q is a %s connection, not HighLevel", ErrInvalid, name, c.App)
	}
	return &tokenSource{s: s, id: c.ID, name: c.Name}, nil
}

// tokenReuse is how long a client reuses the access token it last read
// before reading the connection again. Reading it costs a query and a
// decryption, which on every request was a sixth of a backfill's CPU; the
// window bounds how late a client sees a rotated token or a connection
// marked needs_reauth. A token is never reused once it is stale.
const tokenReuse = 10 * time.Second

type tokenSource struct {
	s    *Service
	id   int64
	name string

	mu     sync.Mutex
	last   *oauth2.Token
	readAt time.Time
}

// Token implements oauth2.TokenSource. context.Background is used because
// the interface carries none; the HTTP client's timeout bounds the call.
func (t *tokenSource) Token() (*oauth2.Token, error) {
	now := t.s.now()
	t.mu.Lock()
	defer t.mu.Unlock()
	if tok := t.last; tok != nil && now.Sub(t.readAt) < tokenReuse && now.Sub(t.readAt) >= 0 &&
		(tok.Expiry.IsZero() || now.Add(refreshAhead).Before(tok.Expiry)) {
		return tok, nil
	}
	tok, err := t.s.Token(context.Background(), t.id)
	if err != nil {
		t.last = nil
		return nil, err
	}
	t.last, t.readAt = tok, now
	return tok, nil
}

// Token returns a valid access token for connection id, refreshing it if
// it is stale.
//
// Invariant: a refresh token is used at most once. HighLevel refresh
// tokens are single-use, so two concurrent refreshes would leave one
// caller holding a dead token. The refresh therefore runs inside a
// transaction that locks the connection's row (FOR UPDATE on PostgreSQL;
// the immediate transaction's write lock on SQLite), re-reads it (someone
// may have refreshed meanwhile), calls HighLevel once and stores the new
// pair before committing. In-process callers queue on a per-connection
// mutex first, so ten goroutines cost one refresh and one transaction.
//
// If the process dies after HighLevel answered but before the commit, the
// stored refresh token is the consumed one: the next refresh is refused,
// and the connection is marked needs_reauth with the reason, never left
// silently broken.
func (s *Service) Token(ctx context.Context, id int64) (*oauth2.Token, error) {
	return s.tokenWithin(ctx, id, refreshAhead)
}

// tokenWithin is Token with a configurable staleness window: a token that
// expires within ahead is refreshed.
func (s *Service) tokenWithin(ctx context.Context, id int64, ahead time.Duration) (*oauth2.Token, error) {
	c, err := s.store.GetConnection(ctx, s.store.DB(), id)
	if err != nil {
		return nil, err
	}
	if tok, ok, err := s.freshToken(ctx, c, ahead); ok || err != nil {
		return tok, err
	}
	unlock := s.locks.lock(id)
	defer unlock()
	var out *oauth2.Token
	err = s.store.InTx(ctx, func(tx store.Tx) error {
		cur, err := s.store.LockConnection(ctx, tx, id)
		if err != nil {
			return err
		}
		if tok, ok, err := s.freshToken(ctx, cur, ahead); ok || err != nil {
			out = tok
			return err
		}
		rt, err := s.open(ctx, cur, store.ColRefreshToken, cur.RefreshToken)
		if err != nil {
			return err
		}
		if rt.Reveal() == "" {
			return fmt.Errorf("connection %q: %w: no refresh token stored", cur.Name, ErrNeedsReauth)
		}
		tok, err := s.tokens.Refresh(ctx, cur.BaseURL, s.oauth, rt)
		if err != nil {
			return &refreshError{conn: cur, err: err}
		}
		now := s.now()
		exp := now.Add(tok.ExpiresIn)
		cur.TokenExpiresAt, cur.RefreshedAt = &exp, &now
		if len(tok.Scopes) > 0 {
			cur.Scopes = tok.Scopes
		}
		secrets := map[string]vault.Secret{store.ColAccessToken: tok.AccessToken}
		if tok.RefreshToken.Reveal() != "" {
			secrets[store.ColRefreshToken] = tok.RefreshToken
		}
		if err := s.seal(&cur, secrets); err != nil {
			return err
		}
		if err := s.store.UpdateConnectionSecrets(ctx, tx, cur, now); err != nil {
			return err
		}
		s.logger.Info("refreshed HighLevel token", slog.String("connection", cur.Name), slog.Time("expires", exp))
		out = &oauth2.Token{AccessToken: tok.AccessToken.Reveal(), TokenType: "Bearer", Expiry: exp}
		return nil
	})
	var re *refreshError
	if errors.As(err, &re) {
		return nil, s.refreshFailed(ctx, re)
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// freshToken returns the stored token when it is usable as is. ok is
// false when a refresh is needed.
func (s *Service) freshToken(ctx context.Context, c store.Connection, ahead time.Duration) (*oauth2.Token, bool, error) {
	if c.Status == store.StatusNeedsReauth {
		return nil, false, fmt.Errorf("connection %q: %w: %s", c.Name, ErrNeedsReauth, c.StatusReason)
	}
	if c.AuthKind == store.AuthOAuth && (c.TokenExpiresAt == nil || s.now().Add(ahead).After(*c.TokenExpiresAt)) {
		return nil, false, nil
	}
	at, err := s.open(ctx, c, store.ColAccessToken, c.AccessToken)
	if err != nil {
		return nil, false, err
	}
	tok := &oauth2.Token{AccessToken: at.Reveal(), TokenType: "Bearer"}
	if c.TokenExpiresAt != nil {
		tok.Expiry = *c.TokenExpiresAt
	}
	return tok, true, nil
}

type refreshError struct {
	conn store.Connection
	err  error
}

func (e *refreshError) Error() string { return e.err.Error() }

// refreshFailed decides what a failed refresh means. A refused grant is
// final: the connection is marked needs_reauth and an alert event is
// recorded, in one transaction. Anything else (network, 5xx) is
// transient and returned for the caller's retry.
func (s *Service) refreshFailed(ctx context.Context, re *refreshError) error {
	if !errors.Is(re.err, ErrGrantRefused) {
		return fmt.Errorf("connection %q: refresh token: %w", re.conn.Name, re.err)
	}
	reason := "HighLevel refused the refresh token (already used, expired or revoked); connect this location again"
	id := re.conn.ID
	err := s.store.InTx(ctx, func(tx store.Tx) error {
		if err := s.store.SetConnectionStatus(ctx, tx, id, store.StatusNeedsReauth, reason, s.now()); err != nil {
			return err
		}
		_, err := s.store.InsertAlertEvent(ctx, tx, store.AlertEvent{Kind: "connection_needs_reauth", ConnectionID: &id,
			Message: fmt.Sprintf("connection %q: %s", re.conn.Name, reason), CreatedAt: s.now()})
		return err
	})
	if err != nil {
		return fmt.Errorf("connection %q: record needs_reauth: %w", re.conn.Name, err)
	}
	s.logger.Warn("connection needs re-authorisation", slog.String("connection", re.conn.Name))
	return fmt.Errorf("connection %q: %w: %s", re.conn.Name, ErrNeedsReauth, reason)
}

// RefreshDue refreshes every OAuth connection whose token expires within
// ahead, so idle connections never lose their grant. It returns how many
// were refreshed; failures are logged and recorded, not returned, so one
// broken connection does not stop the others.
func (s *Service) RefreshDue(ctx context.Context, ahead time.Duration) (int, error) {
	cs, err := s.store.ListConnections(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range cs {
		if c.AuthKind != store.AuthOAuth || c.Status != store.StatusActive || c.TokenExpiresAt == nil ||
			s.now().Add(ahead).Before(*c.TokenExpiresAt) {
			continue
		}
		if _, err := s.tokenWithin(ctx, c.ID, ahead); err != nil {
			s.logger.Warn("scheduled token refresh failed", slog.String("connection", c.Name), slog.Any("error", err))
			continue
		}
		n++
	}
	return n, nil
}

func secs(n int) time.Duration { return time.Duration(n) * time.Second }
