package web_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/metrics"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

type manualClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *manualClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *manualClock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// TestOAuthInstallAgainstSandbox drives the whole install with an HTTP
// client that follows redirects, as a browser would: our install URL ->
// the sandbox's authorize page -> our callback -> code exchange. Then the
// token refreshes through the sandbox, whose refresh tokens are
// single-use, on both databases.
func TestOAuthInstallAgainstSandbox(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			testOAuthInstall(t, d)
		})
	}
}

func testOAuthInstall(t *testing.T, d database.Dialect) {
	ctx := context.Background()
	clk := &manualClock{t: time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)}
	sb := ghlsandbox.New(ghlsandbox.Options{Clock: clk.Now, ClientID: "app-1", ClientSecret: "app-secret-Qx9",
		Locations: []ghlsandbox.Location{{ID: "locA", Name: "Acme Foods"}}})
	t.Cleanup(func() { _ = sb.Close() })
	ghlSrv := httptest.NewServer(sb.Handler())
	t.Cleanup(ghlSrv.Close)

	db := databasetest.Open(t, d)
	st := store.New(db)
	mk, _ := vault.GenerateKey()
	kr, err := vault.LoadKeyring(ctx, vault.Config{Master: mk, Store: st.VaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	fb := httptest.NewUnstartedServer(nil)
	conns := connection.New(connection.Config{Store: st, Vault: kr, Logger: logger, Now: clk.Now,
		OAuth: connection.OAuthApp{ClientID: "app-1", ClientSecret: vault.NewSecret("app-secret-Qx9"),
			AuthorizeURL: ghlSrv.URL + "/oauth/chooselocation", RedirectURI: "http://" + fb.Listener.Addr().String() + "/oauth/ghl/callback",
			Scopes: []string{"contacts.readonly", "contacts.write", "locations.readonly"}}})
	fb.Config.Handler = web.Handler(web.Deps{Logger: logger, Now: clk.Now, Metrics: metrics.New(), Store: st, Connections: conns})
	fb.Start()
	t.Cleanup(fb.Close)

	installURL, err := conns.StartOAuth(ctx, "acme", ghlSrv.URL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(installURL) // follows the sandbox's redirect to our callback
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `Connected HighLevel location locA as "acme"`) {
		t.Fatalf("install ended with %d: %s", res.StatusCode, body)
	}
	v, err := conns.Get(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if v.AuthKind != store.AuthOAuth || v.LocationID != "locA" || len(v.Scopes) == 0 {
		t.Fatalf("connection %+v", v)
	}
	result, err := conns.Test(ctx, "acme")
	if err != nil || !result.OK || !strings.Contains(result.Detail, "Acme Foods") {
		t.Fatalf("test call: %+v %v", result, err)
	}

	// A day later the access token has expired: the next use refreshes it
	// once, and the new token works.
	first, err := conns.Token(ctx, v.ID)
	if err != nil {
		t.Fatal(err)
	}
	clk.Add(25 * time.Hour)
	second, err := conns.Token(ctx, v.ID)
	if err != nil {
		t.Fatalf("refresh through the sandbox: %v", err)
	}
	if second.AccessToken == first.AccessToken {
		t.Fatal("token not refreshed")
	}
	if result, err := conns.Test(ctx, "acme"); err != nil || !result.OK {
		t.Fatalf("test call after refresh: %+v %v", result, err)
	}
	// The state cannot be replayed.
	res, err = http.Get(installURL)
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if n, err := conns.List(ctx); err != nil || len(n) != 1 {
		t.Fatalf("connections after a second install of the same location: %v %v", n, err)
	}
	// Someone else spends the stored refresh token (single-use): the next
	// refresh is refused and the connection says it needs re-authorisation,
	// never silently broken.
	rt, err := conns.Secret(ctx, "acme", "refresh_token")
	if err != nil {
		t.Fatal(err)
	}
	creds := ghl.OAuthCredentials{ClientID: "app-1", ClientSecret: "app-secret-Qx9"}
	if _, err := ghl.New(ghl.Options{BaseURL: ghlSrv.URL}).RefreshToken(ctx, creds, rt.Reveal(), ""); err != nil {
		t.Fatal(err)
	}
	clk.Add(25 * time.Hour)
	_, err = conns.Token(ctx, v.ID)
	if !errors.Is(err, connection.ErrNeedsReauth) {
		t.Fatalf("refresh after revocation: %v", err)
	}
}
