package connection

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// budgets holds one HighLevel rate budget per location for the whole
// process: HighLevel counts requests per app and location, so every client
// of a location must draw from the same allowance (DESIGN invariant 5).
type budgets struct {
	mu sync.Mutex
	m  map[string]*ghl.Budget
}

func (b *budgets) get(location string, opts ghl.BudgetOptions) *ghl.Budget {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]*ghl.Budget{}
	}
	if bu, ok := b.m[location]; ok {
		return bu
	}
	bu := ghl.NewBudget(opts)
	b.m[location] = bu
	return bu
}

// GHLClient returns a HighLevel client for the named connection, with the
// persisting token source and the location's shared rate budget.
func (s *Service) GHLClient(ctx context.Context, name string) (*ghl.Client, View, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return nil, View{}, err
	}
	if c.App != store.AppGHL {
		return nil, View{}, fmt.Errorf("%w: %q is a %s connection, not HighLevel", ErrInvalid, name, c.App)
	}
	if c.Status == store.StatusNeedsReauth {
		return nil, View{}, fmt.Errorf("connection %q: %w: %s", name, ErrNeedsReauth, c.StatusReason)
	}
	cl := ghl.New(ghl.Options{
		BaseURL:     c.BaseURL,
		HTTPClient:  s.http,
		TokenSource: &tokenSource{s: s, id: c.ID, name: c.Name},
		LocationID:  c.LocationID,
		Logger:      s.logger,
		Clock:       s.now,
		Budget:      s.budgets.get(c.BaseURL+"|"+c.LocationID, s.budgetOpts),
	})
	return cl, viewOf(c), nil
}

// RepslyClient returns a Repsly client for the named connection.
func (s *Service) RepslyClient(ctx context.Context, name string) (*repsly.Client, View, error) {
	c, err := s.store.GetConnectionByName(ctx, s.store.DB(), name)
	if err != nil {
		return nil, View{}, err
	}
	if c.App != store.AppRepsly {
		return nil, View{}, fmt.Errorf("%w: %q is a %s connection, not Repsly", ErrInvalid, name, c.App)
	}
	pw, err := s.open(ctx, c, store.ColPassword, c.Password)
	if err != nil {
		return nil, View{}, err
	}
	cl := repsly.New(repsly.Options{BaseURL: c.BaseURL, Username: c.Username, Password: pw.Reveal(),
		HTTPClient: s.http, Logger: s.logger, Clock: s.now})
	return cl, viewOf(c), nil
}

// GHLTokens is the TokenEndpoint on HighLevel's real (or sandbox) API.
type GHLTokens struct {
	// HTTP options for the token calls.
	Options ghl.Options
}

func (g GHLTokens) client(baseURL string) *ghl.Client {
	o := g.Options
	o.BaseURL = baseURL
	return ghl.New(o)
}

func creds(app OAuthApp) ghl.OAuthCredentials {
	return ghl.OAuthCredentials{ClientID: app.ClientID, ClientSecret: app.ClientSecret.Reveal(), RedirectURL: app.RedirectURI}
}

func tokenOf(t *ghl.TokenResponse, expiresIn int) Token {
	return Token{AccessToken: vault.NewSecret(t.AccessToken), RefreshToken: vault.NewSecret(t.RefreshToken),
		ExpiresIn: secs(expiresIn), Scopes: strings.Fields(t.Scope), UserType: t.UserType, LocationID: t.LocationID, CompanyID: t.CompanyID}
}

// ExchangeCode implements TokenEndpoint.
func (g GHLTokens) ExchangeCode(ctx context.Context, baseURL string, app OAuthApp, code string) (Token, error) {
	t, err := g.client(baseURL).ExchangeCode(ctx, creds(app), code, "")
	if err != nil {
		if errors.Is(err, ghl.ErrInvalidGrant) {
			return Token{}, fmt.Errorf("%w: %w", ErrGrantRefused, err)
		}
		return Token{}, err
	}
	return tokenOf(t, t.ExpiresIn), nil
}

// Refresh implements TokenEndpoint.
func (g GHLTokens) Refresh(ctx context.Context, baseURL string, app OAuthApp, rt vault.Secret) (Token, error) {
	t, err := g.client(baseURL).RefreshToken(ctx, creds(app), rt.Reveal(), "")
	if err != nil {
		if errors.Is(err, ghl.ErrInvalidGrant) {
			return Token{}, fmt.Errorf("%w: %w", ErrGrantRefused, err)
		}
		return Token{}, err
	}
	return tokenOf(t, t.ExpiresIn), nil
}
