package app

import (
	"context"
	"log/slog"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

// CatalogClients adapts the connection service to catalog.Clients, so the
// catalog needs no knowledge of where connections live (it sits below
// connection in the import order). It also describes connections for dry
// runs, without their secrets.
type CatalogClients struct {
	Connections *connection.Service
}

// GHL implements catalog.Clients. A connection added without scopes (a
// Private Integration Token without --scopes) reports nil: unknown, so the
// catalog leaves the check to HighLevel.
func (c CatalogClients) GHL(ctx context.Context, name string) (*ghl.Client, []string, error) {
	cl, v, err := c.Connections.GHLClient(ctx, name)
	if err != nil {
		return nil, nil, err
	}
	if len(v.Scopes) == 0 {
		return cl, nil, nil
	}
	return cl, v.Scopes, nil
}

// Repsly implements catalog.Clients.
func (c CatalogClients) Repsly(ctx context.Context, name string) (*repsly.Client, error) {
	cl, _, err := c.Connections.RepslyClient(ctx, name)
	return cl, err
}

// Target implements catalog.TargetResolver.
func (c CatalogClients) Target(ctx context.Context, name string) (catalog.Target, error) {
	v, err := c.Connections.Get(ctx, name)
	if err != nil {
		return catalog.Target{}, err
	}
	return catalog.Target{BaseURL: v.BaseURL, LocationID: v.LocationID, Username: v.Username}, nil
}

// operations builds what the operations REST API needs. The catalog is
// static, so an error here is a bug its tests catch; the server then runs
// without the operations API rather than not at all.
func (c *Core) operations() *web.CatalogDeps {
	cat, err := catalog.New(catalog.Options{Now: c.Now})
	if err != nil {
		c.Logger.Error("operations catalog unavailable", slog.Any("error", err))
		return nil
	}
	return &web.CatalogDeps{Catalog: cat, Clients: CatalogClients{Connections: c.Connections}}
}
