package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

type apiBundle struct {
	srv   *httptest.Server
	token string
}

func setupAPI(t *testing.T) *apiBundle {
	t.Helper()
	ctx := context.Background()
	db := databasetest.Open(t, database.SQLite)
	st := store.New(db)
	mk, _ := vault.GenerateKey()
	kr, err := vault.LoadKeyring(ctx, vault.Config{Master: mk, Store: st.VaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	conns := connection.New(connection.Config{Store: st, Vault: kr, Logger: logger})
	if err := st.InsertAPIToken(ctx, "test", web.HashAPIToken("secret-api-token"), time.Now()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.Handler(web.Deps{Logger: logger, Now: time.Now, Metrics: metrics.New(), Store: st, Connections: conns}))
	t.Cleanup(srv.Close)
	return &apiBundle{srv: srv, token: "secret-api-token"}
}

func (b *apiBundle) do(t *testing.T, method, path, body, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, b.srv.URL+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(out)
}

func TestConnectionsAPI(t *testing.T) {
	t.Parallel()
	b := setupAPI(t)
	tests := []struct {
		name, method, path, body, token string
		status                          int
		contains                        string
	}{
		{"no token", "GET", "/api/v1/connections", "", "", 401, "missing API token"},
		{"wrong token", "GET", "/api/v1/connections", "", "nope", 401, "unknown API token"},
		{"malformed json", "POST", "/api/v1/connections", `{"app":`, b.token, 400, "malformed JSON"},
		{"unknown field", "POST", "/api/v1/connections", `{"app":"repsly","nme":"x"}`, b.token, 400, `unknown field \"nme\"`},
		{"wrong type", "POST", "/api/v1/connections", `{"app":"repsly","name":5}`, b.token, 400, `field \"name\" must be string`},
		{"unknown app", "POST", "/api/v1/connections", `{"app":"salesforce","name":"x"}`, b.token, 400, "app must be"},
		{"missing password", "POST", "/api/v1/connections", `{"app":"repsly","name":"r","username":"u"}`, b.token, 400, "username and password"},
		{"add repsly", "POST", "/api/v1/connections", `{"app":"repsly","name":"r","username":"u","password":"pw-XyZ"}`, b.token, 201, `"name": "r"`},
		{"add twice", "POST", "/api/v1/connections", `{"app":"repsly","name":"r","username":"u","password":"pw-XyZ"}`, b.token, 400, "already exists"},
		{"add ghl token", "POST", "/api/v1/connections", `{"app":"ghl","name":"g","location_id":"loc","token":"pit-XyZ","scopes":["contacts.write"]}`, b.token, 201, `"auth_kind": "private_token"`},
		{"list", "GET", "/api/v1/connections", "", b.token, 200, `"name": "g"`},
		{"get missing", "GET", "/api/v1/connections/nope", "", b.token, 404, "not found"},
		{"remove", "DELETE", "/api/v1/connections/r", "", b.token, 204, ""},
		{"remove again", "DELETE", "/api/v1/connections/r", "", b.token, 404, "not found"},
		{"oauth without app config", "POST", "/api/v1/oauth/ghl/install", `{"name":"o"}`, b.token, 400, "client id"},
		{"callback with forged state", "GET", "/oauth/ghl/callback?state=forged&code=c", "", "", 400, "unknown, used or expired OAuth state"},
	}
	// Subtests run in order: later ones depend on earlier adds.
	for _, tt := range tests {
		status, body := b.do(t, tt.method, tt.path, tt.body, tt.token)
		if status != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s: %d %s; want %d containing %q", tt.name, status, body, tt.status, tt.contains)
		}
		if strings.Contains(body, "XyZ") {
			t.Errorf("%s: a secret is echoed: %s", tt.name, body)
		}
	}
	_, body := b.do(t, "GET", "/api/v1/connections", "", b.token)
	var list struct {
		Connections []connection.View `json:"connections"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Connections) != 1 {
		t.Fatalf("final list %s (%v)", body, err)
	}
}
