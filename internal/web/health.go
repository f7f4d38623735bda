package web

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"time"
)

// healthz answers 200 while the process serves HTTP at all: a liveness
// probe that never touches dependencies, so a slow database does not get
// the process restarted.
func healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// readyz runs every readiness check with a short deadline and answers 200
// only when all pass, with a JSON body naming each check's state.
func readyz(checks map[string]Checker) http.Handler {
	names := make([]string, 0, len(checks))
	for n := range checks {
		names = append(names, n)
	}
	sort.Strings(names)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		body := map[string]string{}
		status := http.StatusOK
		for _, n := range names {
			if err := checks[n](ctx); err != nil {
				body[n] = err.Error()
				status = http.StatusServiceUnavailable
				continue
			}
			body[n] = "ok"
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(body)
	})
}
