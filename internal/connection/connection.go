// Package connection manages the accounts Fieldbridge talks to: HighLevel
// locations (OAuth install or Private Integration Token) and Repsly
// accounts (API username and password). Secrets are sealed in the vault
// with the row bound in; tokens refresh under a row lock because HighLevel
// refresh tokens are single-use.
package connection

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// Default base URLs of the real services.
const (
	DefaultGHLBaseURL    = "https://services.leadconnectorhq.com"
	DefaultRepslyBaseURL = "https://api.repsly.com/v3/"
	// DefaultGHLAuthorizeURL is HighLevel's location chooser (moved under
	// /v2/ in 2026).
	DefaultGHLAuthorizeURL = "https://marketplace.gohighlevel.com/v2/oauth/chooselocation"
)

// Service adds, lists, tests and removes connections and hands out
// authenticated API clients for them.
type Service struct {
	store  *store.Store
	vault  *vault.Keyring
	logger *slog.Logger
	now    func() time.Time
	http   *http.Client
	oauth  OAuthApp
	tokens TokenEndpoint
	locks  *keyedMutex

	budgets    budgets
	budgetOpts ghl.BudgetOptions
}

// Config wires a Service.
type Config struct {
	Store  *store.Store
	Vault  *vault.Keyring
	Logger *slog.Logger
	Now    func() time.Time
	// HTTPClient is used for every API call; default 60 s timeout.
	HTTPClient *http.Client
	// OAuth is the HighLevel marketplace app, for OAuth installs; optional.
	OAuth OAuthApp
	// Tokens talks to HighLevel's token endpoint; default GHLTokens.
	Tokens TokenEndpoint
	// Budget sets HighLevel's per-location limits; zero means the real ones.
	Budget ghl.BudgetOptions
}

// New returns a Service.
func New(cfg Config) *Service {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = NewHTTPClient()
	}
	if cfg.Tokens == nil {
		cfg.Tokens = GHLTokens{Options: ghl.Options{HTTPClient: cfg.HTTPClient, Logger: cfg.Logger, Clock: cfg.Now}}
	}
	if cfg.Budget.Clock == nil {
		cfg.Budget.Clock = cfg.Now
	}
	return &Service{store: cfg.Store, vault: cfg.Vault, logger: cfg.Logger, now: cfg.Now, http: cfg.HTTPClient,
		oauth: cfg.OAuth, tokens: cfg.Tokens, locks: newKeyedMutex(), budgetOpts: cfg.Budget}
}

// View is a connection as shown to users: no secrets, ever.
type View struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	App            string     `json:"app"`
	AuthKind       string     `json:"auth_kind"`
	BaseURL        string     `json:"base_url"`
	LocationID     string     `json:"location_id,omitempty"`
	CompanyID      string     `json:"company_id,omitempty"`
	Username       string     `json:"username,omitempty"`
	Scopes         []string   `json:"scopes"`
	Status         string     `json:"status"`
	StatusReason   string     `json:"status_reason,omitempty"`
	TokenExpiresAt *time.Time `json:"token_expires_at,omitempty"`
	CreatedAt      time.Time  `json:"created_at"`
}

// NewHTTPClient returns the HTTP client API calls use: a 60 s timeout and
// enough idle connections per host for the sync's parallel calls (Go's
// default keeps 2, so the rest would open a new connection each time).
func NewHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 64
	return &http.Client{Timeout: 60 * time.Second, Transport: t}
}

func viewOf(c store.Connection) View {
	scopes := c.Scopes
	if scopes == nil {
		scopes = []string{}
	}
	return View{ID: c.ID, Name: c.Name, App: c.App, AuthKind: c.AuthKind, BaseURL: c.BaseURL, LocationID: c.LocationID,
		CompanyID: c.CompanyID, Username: c.Username, Scopes: scopes, Status: c.Status, StatusReason: c.StatusReason,
		TokenExpiresAt: c.TokenExpiresAt, CreatedAt: c.CreatedAt}
}

// Errors callers branch on.
var (
	// ErrNeedsReauth means the connection's grant is gone (refresh refused,
	// token revoked) and a person must connect it again.
	ErrNeedsReauth = errors.New("connection needs to be re-authorised")
	// ErrInvalid means the input to add a connection is incomplete or wrong.
	ErrInvalid = errors.New("invalid connection")
)

// MissingScopeError names the scope a connection lacks for an operation.
type MissingScopeError struct {
	Connection string
	Scope      string
	For        string
}

func (e *MissingScopeError) Error() string {
	return fmt.Sprintf("connection %q lacks the scope %s needed for %s; reconnect it with that scope", e.Connection, e.Scope, e.For)
}

// RequireScopes fails, before any API call, when the connection was granted
// scopes and they do not include every one in need. what names the
// operation or flow for the message. A connection with no recorded scopes
// (a Private Integration Token added without --scopes) is not checked here;
// HighLevel answers 401 if a scope is missing.
func RequireScopes(c View, what string, need ...string) error {
	if len(c.Scopes) == 0 {
		return nil
	}
	have := map[string]bool{}
	for _, s := range c.Scopes {
		have[s] = true
	}
	for _, s := range need {
		if have[s] {
			continue
		}
		// A write scope implies nothing about readonly in HighLevel, but a
		// readonly need is met by the matching write scope in practice
		// (the API accepts either for reads).
		if base, ok := strings.CutSuffix(s, ".readonly"); ok && have[base+".write"] {
			continue
		}
		return &MissingScopeError{Connection: c.Name, Scope: s, For: what}
	}
	return nil
}

func checkName(name string) error {
	if name == "" {
		return fmt.Errorf("%w: a name is required", ErrInvalid)
	}
	if len(name) > 100 || strings.ContainsAny(name, " \t\n/\\") {
		return fmt.Errorf("%w: name %q must be at most 100 characters without spaces or slashes", ErrInvalid, name)
	}
	return nil
}

func checkBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("%w: base URL %q must be an http(s) URL", ErrInvalid, raw)
	}
	return raw, nil
}
