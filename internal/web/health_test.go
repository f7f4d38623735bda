package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

func newServer(t *testing.T, ready map[string]web.Checker) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(web.Handler(web.Deps{
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:     time.Now,
		Metrics: metrics.New(),
		Ready:   ready,
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	ok := func(context.Context) error { return nil }
	down := func(context.Context) error { return errors.New("database: connection refused") }
	tests := []struct {
		name   string
		ready  map[string]web.Checker
		status int
		body   map[string]string
	}{
		{"all ready", map[string]web.Checker{"database": ok, "queue": ok}, 200, map[string]string{"database": "ok", "queue": "ok"}},
		{"database down", map[string]web.Checker{"database": down, "queue": ok}, 503, map[string]string{"database": "database: connection refused", "queue": "ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := newServer(t, tt.ready)
			res, err := http.Get(srv.URL + "/readyz")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			var body map[string]string
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.body {
				if body[k] != v {
					t.Errorf("%s = %q, want %q", k, body[k], v)
				}
			}
		})
	}
}

func TestHealthzAndMetrics(t *testing.T) {
	t.Parallel()
	srv := newServer(t, nil)
	for range 3 {
		res, err := http.Get(srv.URL + "/healthz")
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
		if res.StatusCode != 200 {
			t.Fatalf("healthz status %d", res.StatusCode)
		}
	}
	res, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	want := `fieldbridge_http_requests_total{code="200",method="GET",route="GET /healthz"} 3`
	if !strings.Contains(string(b), want) {
		t.Fatalf("metrics lack %q:\n%s", want, b)
	}
}
