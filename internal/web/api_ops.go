package web

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// CatalogDeps is what the operations API needs: the catalog and clients
// for the stored connections (app.CatalogClients).
type CatalogDeps struct {
	Catalog *catalog.Catalog
	Clients catalog.Clients
}

type opsAPI struct {
	logger *slog.Logger
	deps   *CatalogDeps
}

func (a *opsAPI) routes(mux *http.ServeMux, guard func(http.Handler) http.Handler) {
	mux.Handle("GET /api/v1/operations", guard(http.HandlerFunc(a.list)))
	mux.Handle("GET /api/v1/operations/{id}", guard(http.HandlerFunc(a.get)))
	mux.Handle("POST /api/v1/operations/{id}/call", guard(http.HandlerFunc(a.call)))
}

// list answers GET /api/v1/operations?app=ghl|repsly&kind=action|trigger.
func (a *opsAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	app, kind := catalog.App(q.Get("app")), catalog.Kind(q.Get("kind"))
	if app != "" && app != catalog.AppGHL && app != catalog.AppRepsly {
		writeError(w, http.StatusBadRequest, errors.New(`app must be "ghl" or "repsly"`))
		return
	}
	if kind != "" && kind != catalog.KindAction && kind != catalog.KindTrigger {
		writeError(w, http.StatusBadRequest, errors.New(`kind must be "action" or "trigger"`))
		return
	}
	ops := []catalog.Summary{}
	for _, e := range a.deps.Catalog.Filter(app, kind) {
		ops = append(ops, e.Summary())
	}
	writeJSON(w, http.StatusOK, map[string]any{"operations": ops})
}

// get answers GET /api/v1/operations/{id} with the whole entry, schemas
// and example included.
func (a *opsAPI) get(w http.ResponseWriter, r *http.Request) {
	e, err := a.deps.Catalog.Get(r.PathValue("id"))
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, e)
}

// callRequest is the body of POST /api/v1/operations/{id}/call.
type callRequest struct {
	Connection string          `json:"connection"`
	Input      json.RawMessage `json:"input"`
	DryRun     bool            `json:"dry_run"`
}

// call runs a test call: the action's output, a poll's records, a webhook
// body's record, or with dry_run the request that would be sent (secrets
// redacted).
func (a *opsAPI) call(w http.ResponseWriter, r *http.Request) {
	var req callRequest
	if err := decodeJSON(r, &req); err != nil {
		fail(a.logger, w, r, err)
		return
	}
	res, err := a.deps.Catalog.Call(r.Context(), a.deps.Clients, r.PathValue("id"), req.Connection, req.Input, req.DryRun)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// fail maps catalog and upstream API errors to statuses; the rest goes
// through the shared mapping.
func (a *opsAPI) fail(w http.ResponseWriter, r *http.Request, err error) {
	var apiErr *ghl.APIError
	var repslyErr *repsly.Error
	switch {
	case errors.Is(err, catalog.ErrUnknownEntry):
		writeError(w, http.StatusNotFound, err)
	case errors.Is(err, catalog.ErrInvalidInput), errors.Is(err, catalog.ErrMissingScope), errors.Is(err, catalog.ErrWrongKind):
		writeError(w, http.StatusBadRequest, err)
	case errors.Is(err, catalog.ErrNotFound):
		writeError(w, http.StatusNotFound, err)
	case errors.As(err, &apiErr), errors.As(err, &repslyErr), errors.Is(err, repsly.ErrImportFailed):
		// The call reached the API and it said no: that is the test
		// call's answer, not a fault of this server. Client errors never
		// carry secrets.
		writeError(w, http.StatusBadGateway, err)
	default:
		fail(a.logger, w, r, err)
	}
}
