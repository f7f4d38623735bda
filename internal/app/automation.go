package app

import (
	"log/slog"

	"github.com/fieldbridge/fieldbridge/internal/automation"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/job"
)

// automations builds the runner of the automation flows, on the
// operations catalog and the connections. The catalog is static, so an
// error here is a bug its tests catch; the server then runs the sync flows
// without automations rather than not at all. It returns the interface,
// so that a failure gives a nil job.Automations, not a nil runner in one.
func (c *Core) automations() job.Automations {
	cat, err := catalog.New(catalog.Options{Now: c.Now})
	if err != nil {
		c.Logger.Error("automation flows unavailable: operations catalog", slog.Any("error", err))
		return nil
	}
	return automation.New(automation.Config{Store: c.Store, Catalog: cat, Clients: CatalogClients{Connections: c.Connections},
		Logger: c.Logger, Now: c.Now})
}
