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

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

// setupOps serves the API with the operations catalog and one HighLevel
// connection "g" to a sandbox holding one contact.
func setupOps(t *testing.T) (*apiBundle, *ghlsandbox.Server, string, string) {
	t.Helper()
	ctx := context.Background()
	sb := ghlsandbox.New(ghlsandbox.Options{Seed: 3})
	t.Cleanup(func() { _ = sb.Close() })
	gsrv := httptest.NewServer(sb)
	t.Cleanup(gsrv.Close)
	loc := sb.DefaultLocationID()
	pit := sb.IssueToken(loc)
	ada, err := sb.UserCreateContact(ghlsandbox.Contact{FirstName: "Ada", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}

	db := databasetest.Open(t, database.SQLite)
	st := store.New(db)
	mk, _ := vault.GenerateKey()
	kr, err := vault.LoadKeyring(ctx, vault.Config{Master: mk, Store: st.VaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	conns := connection.New(connection.Config{Store: st, Vault: kr, Logger: logger})
	if _, err := conns.AddGHLToken(ctx, connection.GHLTokenInput{Name: "g", BaseURL: gsrv.URL, LocationID: loc,
		Token: vault.NewSecret(pit)}); err != nil {
		t.Fatal(err)
	}
	if err := st.InsertAPIToken(ctx, "test", web.HashAPIToken("secret-api-token"), time.Now()); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(catalog.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.Handler(web.Deps{Logger: logger, Now: time.Now, Metrics: metrics.New(), Store: st,
		Connections: conns, Catalog: &web.CatalogDeps{Catalog: cat, Clients: app.CatalogClients{Connections: conns}}}))
	t.Cleanup(srv.Close)
	return &apiBundle{srv: srv, token: "secret-api-token"}, sb, ada.ID, pit
}

func TestOperationsAPI(t *testing.T) {
	t.Parallel()
	b, sb, contact, pit := setupOps(t)
	tests := []struct {
		name, method, path, body, token string
		status                          int
		contains                        string
	}{
		{"no token", "GET", "/api/v1/operations", "", "", 401, "missing API token"},
		{"list", "GET", "/api/v1/operations", "", b.token, 200, `"id": "ghl.contact.find_or_create"`},
		{"filter", "GET", "/api/v1/operations?app=repsly&kind=trigger", "", b.token, 200, `"mode": "poll"`},
		{"bad filter", "GET", "/api/v1/operations?app=hubspot", "", b.token, 400, "app must be"},
		{"describe", "GET", "/api/v1/operations/ghl.contact.create", "", b.token, 200, `"input_schema"`},
		{"describe unknown", "GET", "/api/v1/operations/ghl.nope", "", b.token, 404, "unknown operation"},
		{"call", "POST", "/api/v1/operations/ghl.contact.get/call", `{"connection":"g","input":{"contactId":"` + contact + `"}}`, b.token, 200, `"email": "ada@example.com"`},
		{"call bad input", "POST", "/api/v1/operations/ghl.contact.get/call", `{"connection":"g","input":{"contactId":5}}`, b.token, 400, `field \"contactId\": got number, want string`},
		{"call unknown connection", "POST", "/api/v1/operations/ghl.contact.get/call", `{"connection":"nope","input":{"contactId":"x"}}`, b.token, 404, "not found"},
		{"call refused upstream", "POST", "/api/v1/operations/ghl.contact.get/call", `{"connection":"g","input":{"contactId":"missing"}}`, b.token, 502, "ghl.contact.get"},
		{"call unknown field", "POST", "/api/v1/operations/ghl.contact.get/call", `{"connection":"g","inptu":{}}`, b.token, 400, "unknown field"},
		{"poll", "POST", "/api/v1/operations/ghl.contact.updated.poll/call", `{"connection":"g"}`, b.token, 200, `"next_cursor"`},
	}
	for _, tt := range tests {
		status, body := b.do(t, tt.method, tt.path, tt.body, tt.token)
		if status != tt.status || !strings.Contains(body, tt.contains) {
			t.Errorf("%s: %d %s; want %d containing %q", tt.name, status, body, tt.status, tt.contains)
		}
	}

	_, body := b.do(t, "GET", "/api/v1/operations", "", b.token)
	var list struct {
		Operations []map[string]any `json:"operations"`
	}
	if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Operations) < 126 {
		t.Fatalf("list: %d operations (%v)", len(list.Operations), err)
	}
	for _, k := range []string{"id", "app", "kind", "scopes", "title"} {
		if _, ok := list.Operations[0][k]; !ok {
			t.Errorf("listed operations lack %q", k)
		}
	}

	// A dry run shows the request, sends nothing and shows no secret.
	before := sb.CallCount()
	status, body := b.do(t, "POST", "/api/v1/operations/ghl.contact.create/call",
		`{"connection":"g","input":{"firstName":"Grace"},"dry_run":true}`, b.token)
	if status != http.StatusOK || !strings.Contains(body, `"Authorization": "Bearer REDACTED"`) || !strings.Contains(body, `"method": "POST"`) {
		t.Errorf("dry run: %d %s", status, body)
	}
	if strings.Contains(body, pit) {
		t.Error("the dry run shows the token")
	}
	if sb.CallCount() != before {
		t.Errorf("the dry run sent %d requests", sb.CallCount()-before)
	}
}
