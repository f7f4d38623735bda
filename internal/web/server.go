// Package web serves Fieldbridge over HTTP: health and readiness probes,
// metrics, and (in later files) the REST API and the admin UI.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// Checker reports whether a dependency is ready; nil means ready.
type Checker func(ctx context.Context) error

// Deps is what the HTTP layer needs from the composition root.
type Deps struct {
	Logger  *slog.Logger
	Now     func() time.Time
	Metrics *metrics.Metrics
	// Ready maps a dependency name (database, queue) to its check.
	Ready map[string]Checker
	// Store checks admin API tokens.
	Store *store.Store
	// Connections serves the connections API and the OAuth callback.
	Connections *connection.Service
	// Routes are extra handlers by ServeMux pattern (the webhook receiver).
	Routes map[string]http.Handler
	// Catalog serves the operations API (list, describe, test calls).
	Catalog *CatalogDeps
}

// Handler returns the root handler with every route registered.
func Handler(d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz)
	mux.Handle("GET /readyz", readyz(d.Ready))
	mux.Handle("GET /metrics", d.Metrics.Handler())
	for pattern, h := range d.Routes {
		mux.Handle(pattern, h)
	}
	if d.Store != nil {
		guard := func(h http.Handler) http.Handler { return requireToken(d.Store, d.Now, h) }
		if d.Connections != nil {
			(&connectionsAPI{logger: d.Logger, conns: d.Connections}).routes(mux, guard)
		}
		if d.Catalog != nil {
			(&opsAPI{logger: d.Logger, deps: d.Catalog}).routes(mux, guard)
		}
	}
	return d.Metrics.Middleware(d.Now, logRequests(d.Logger, d.Now, mux))
}

func logRequests(logger *slog.Logger, now func() time.Time, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := now()
		next.ServeHTTP(w, r)
		// Success paths log at debug; the query string is left out because
		// OAuth callbacks carry codes in it.
		logger.DebugContext(r.Context(), "http request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Duration("took", now().Sub(start)))
	})
}
