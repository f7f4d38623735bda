package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

type connectionsAPI struct {
	logger *slog.Logger
	conns  *connection.Service
}

func (a *connectionsAPI) routes(mux *http.ServeMux, guard func(http.Handler) http.Handler) {
	mux.Handle("GET /api/v1/connections", guard(http.HandlerFunc(a.list)))
	mux.Handle("POST /api/v1/connections", guard(http.HandlerFunc(a.add)))
	mux.Handle("GET /api/v1/connections/{name}", guard(http.HandlerFunc(a.get)))
	mux.Handle("DELETE /api/v1/connections/{name}", guard(http.HandlerFunc(a.remove)))
	mux.Handle("POST /api/v1/connections/{name}/test", guard(http.HandlerFunc(a.test)))
	mux.Handle("POST /api/v1/oauth/ghl/install", guard(http.HandlerFunc(a.install)))
	mux.HandleFunc("GET /oauth/ghl/callback", a.callback)
}

func (a *connectionsAPI) list(w http.ResponseWriter, r *http.Request) {
	list, err := a.conns.List(r.Context())
	if err != nil {
		fail(a.logger, w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"connections": list})
}

func (a *connectionsAPI) get(w http.ResponseWriter, r *http.Request) {
	v, err := a.conns.Get(r.Context(), r.PathValue("name"))
	if err != nil {
		fail(a.logger, w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// addRequest is the body of POST /api/v1/connections. Secrets arrive here
// and go straight into the vault; they are never echoed back.
type addRequest struct {
	App        string   `json:"app"`
	Name       string   `json:"name"`
	BaseURL    string   `json:"base_url"`
	LocationID string   `json:"location_id"`
	Token      string   `json:"token"`
	Scopes     []string `json:"scopes"`
	Username   string   `json:"username"`
	Password   string   `json:"password"`
}

func (a *connectionsAPI) add(w http.ResponseWriter, r *http.Request) {
	var req addRequest
	if err := decodeJSON(r, &req); err != nil {
		fail(a.logger, w, r, err)
		return
	}
	var (
		v   connection.View
		err error
	)
	switch req.App {
	case "ghl":
		v, err = a.conns.AddGHLToken(r.Context(), connection.GHLTokenInput{Name: req.Name, BaseURL: req.BaseURL,
			LocationID: req.LocationID, Token: vault.NewSecret(req.Token), Scopes: req.Scopes})
	case "repsly":
		v, err = a.conns.AddRepsly(r.Context(), connection.RepslyInput{Name: req.Name, BaseURL: req.BaseURL,
			Username: req.Username, Password: vault.NewSecret(req.Password)})
	default:
		err = fmt.Errorf("%w: app must be \"ghl\" or \"repsly\" (HighLevel OAuth installs use POST /api/v1/oauth/ghl/install)", connection.ErrInvalid)
	}
	if err != nil {
		fail(a.logger, w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, v)
}

func (a *connectionsAPI) remove(w http.ResponseWriter, r *http.Request) {
	if err := a.conns.Remove(r.Context(), r.PathValue("name")); err != nil {
		fail(a.logger, w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (a *connectionsAPI) test(w http.ResponseWriter, r *http.Request) {
	res, err := a.conns.Test(r.Context(), r.PathValue("name"))
	if err != nil {
		fail(a.logger, w, r, err)
		return
	}
	status := http.StatusOK
	if !res.OK {
		status = http.StatusBadGateway
	}
	writeJSON(w, status, res)
}

func (a *connectionsAPI) install(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Name    string `json:"name"`
		BaseURL string `json:"base_url"`
	}
	if err := decodeJSON(r, &req); err != nil {
		fail(a.logger, w, r, err)
		return
	}
	u, err := a.conns.StartOAuth(r.Context(), req.Name, req.BaseURL)
	if err != nil {
		fail(a.logger, w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"authorize_url": u})
}

// callback is where HighLevel sends the user back after the install. The
// one-time state is the authentication here. The answer is a small page,
// as a browser lands on it.
func (a *connectionsAPI) callback(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if e := q.Get("error"); e != "" {
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, "HighLevel did not authorise the install: %s\n", strings.TrimSpace(e))
		return
	}
	v, err := a.conns.CompleteOAuth(r.Context(), q.Get("state"), q.Get("code"))
	if err != nil {
		st := statusOf(err)
		if st == http.StatusInternalServerError {
			st = http.StatusBadGateway
			a.logger.ErrorContext(r.Context(), "oauth callback failed", slog.Any("error", err))
		}
		w.WriteHeader(st)
		fmt.Fprintf(w, "Install failed: %s\n", err)
		return
	}
	fmt.Fprintf(w, "Connected HighLevel location %s as %q. You can close this page.\n", v.LocationID, v.Name)
}
