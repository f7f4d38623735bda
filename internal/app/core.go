package app

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// Core is what every command that touches data needs: the migrated
// database, the vault and the connections. The server builds on it; CLI
// commands use it alone, beside a running server.
type Core struct {
	Config      config.Config
	Logger      *slog.Logger
	Now         func() time.Time
	DB          *database.DB
	Store       *store.Store
	Vault       *vault.Keyring
	Connections *connection.Service
	// Metrics is the process's registry; API calls are counted in it.
	Metrics *metrics.Metrics
}

// CoreOptions tunes OpenCore.
type CoreOptions struct {
	// Exclusive takes the SQLite lock (the server does; CLI commands don't).
	Exclusive bool
	// Now overrides the clock (tests).
	Now func() time.Time
	// GHLBudget overrides HighLevel's per-location limits (zero: the real
	// 100 / 10 s and 200,000 / day); the demo lifts them for its sandbox.
	GHLBudget ghl.BudgetOptions
}

// OpenCore validates cfg, loads the master key, opens and migrates the
// database and loads the vault.
func OpenCore(ctx context.Context, cfg config.Config, logger *slog.Logger, opts CoreOptions) (*Core, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	mk, err := LoadMasterKey(cfg)
	if err != nil {
		return nil, err
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	if cfg.GHLRateLimit == "off" && opts.GHLBudget.BurstMax == 0 {
		opts.GHLBudget = ghl.BudgetOptions{BurstMax: 1_000_000, BurstInterval: time.Second, DailyLimit: 1_000_000_000}
	}
	db, err := database.Open(ctx, cfg.DB, database.Options{Exclusive: opts.Exclusive, Logger: logger})
	if err != nil {
		return nil, err
	}
	c := &Core{Config: cfg, Logger: logger, Now: now, DB: db, Store: store.New(db), Metrics: metrics.New()}
	if err := c.init(ctx, mk, opts); err != nil {
		_ = db.Close()
		return nil, err
	}
	return c, nil
}

func (c *Core) init(ctx context.Context, mk vault.MasterKey, opts CoreOptions) error {
	if err := c.DB.Migrate(ctx); err != nil {
		return err
	}
	kr, err := vault.LoadKeyring(ctx, vault.Config{Master: mk, Store: c.Store.VaultKeys(), Now: c.Now})
	if err != nil {
		return fmt.Errorf("FIELDBRIDGE_MASTER_KEY: %w", err)
	}
	c.Vault = kr
	httpClient := connection.NewHTTPClient()
	httpClient.Transport = c.Metrics.Transport(httpClient.Transport)
	c.Connections = connection.New(connection.Config{
		HTTPClient: httpClient,
		Store:      c.Store,
		Vault:      kr,
		Logger:     c.Logger,
		Now:        c.Now,
		Budget:     opts.GHLBudget,
		OAuth: connection.OAuthApp{
			ClientID:     c.Config.GHLClientID,
			ClientSecret: vault.NewSecret(c.Config.GHLClientSecret),
			AuthorizeURL: c.Config.GHLAuthorizeURL,
			RedirectURI:  c.Config.EffectivePublicURL() + "/oauth/ghl/callback",
			Scopes:       strings.Fields(c.Config.GHLScopes),
		},
	})
	return nil
}

// Close closes the database.
func (c *Core) Close() error { return c.DB.Close() }
