package connection_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// fakeTokens imitates HighLevel's token endpoint: every refresh token
// works once, and each answer carries a new one.
type fakeTokens struct {
	mu        sync.Mutex
	valid     map[string]bool
	refreshes atomic.Int64
	n         int
	// afterRefresh, if set, runs after a successful refresh (to simulate a
	// crash before the caller commits).
	afterRefresh func()
}

func newFakeTokens(initial string) *fakeTokens {
	return &fakeTokens{valid: map[string]bool{initial: true}}
}

func (f *fakeTokens) issue() connection.Token {
	f.n++
	rt := fmt.Sprintf("refresh-%d-Zq8", f.n)
	f.valid[rt] = true
	return connection.Token{AccessToken: vault.NewSecret(fmt.Sprintf("access-%d-Zq8", f.n)), RefreshToken: vault.NewSecret(rt),
		ExpiresIn: 24 * time.Hour, Scopes: []string{"contacts.write"}, LocationID: "loc1", UserType: "Location"}
}

func (f *fakeTokens) ExchangeCode(_ context.Context, _ string, _ connection.OAuthApp, code string) (connection.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if code != "good-code" {
		return connection.Token{}, fmt.Errorf("invalid code: %w", connection.ErrGrantRefused)
	}
	return f.issue(), nil
}

func (f *fakeTokens) Refresh(_ context.Context, _ string, _ connection.OAuthApp, rt vault.Secret) (connection.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.refreshes.Add(1)
	if !f.valid[rt.Reveal()] {
		return connection.Token{}, fmt.Errorf("invalid_grant: %w", connection.ErrGrantRefused)
	}
	delete(f.valid, rt.Reveal())
	tok := f.issue()
	if f.afterRefresh != nil {
		f.afterRefresh()
	}
	return tok, nil
}

type testBundle struct {
	ctx    context.Context
	db     *database.DB
	store  *store.Store
	svc    *connection.Service
	tokens *fakeTokens
	clock  *clock
	logs   *bytes.Buffer
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

func setup(t *testing.T, d database.Dialect) *testBundle {
	t.Helper()
	ctx := context.Background()
	db := databasetest.Open(t, d)
	st := store.New(db)
	mk, err := vault.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	kr, err := vault.LoadKeyring(ctx, vault.Config{Master: mk, Store: st.VaultKeys()})
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	logs := &bytes.Buffer{}
	tokens := newFakeTokens("initial-refresh-Zq8")
	svc := connection.New(connection.Config{
		Store: st, Vault: kr, Now: clk.Now, Tokens: tokens,
		Logger: slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OAuth: connection.OAuthApp{ClientID: "client", ClientSecret: vault.NewSecret("client-secret-Zq8"),
			AuthorizeURL: "http://sandbox/oauth/chooselocation", RedirectURI: "http://fb/oauth/callback", Scopes: []string{"contacts.write"}},
	})
	return &testBundle{ctx: ctx, db: db, store: st, svc: svc, tokens: tokens, clock: clk, logs: logs}
}

func forEachDialect(t *testing.T, fn func(t *testing.T, b *testBundle)) {
	t.Helper()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

// install runs the OAuth install against the fake endpoint and returns the
// connection, whose refresh token is the fake's first one.
func install(t *testing.T, b *testBundle, name string) connection.View {
	t.Helper()
	u, err := b.svc.StartOAuth(b.ctx, name, "http://sandbox")
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(u, "state=")
	state := u[i+len("state="):]
	if j := strings.IndexByte(state, '&'); j >= 0 {
		state = state[:j]
	}
	v, err := b.svc.CompleteOAuth(b.ctx, state, "good-code")
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestTenWorkersOneRefresh(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		v := install(t, b, "acme")
		b.clock.Add(24*time.Hour - time.Minute) // inside the refresh-ahead window
		var wg sync.WaitGroup
		tokens := make([]string, 10)
		errs := make([]error, 10)
		for i := range 10 {
			wg.Go(func() {
				tok, err := b.svc.Token(b.ctx, v.ID)
				if err == nil {
					tokens[i] = tok.AccessToken
				}
				errs[i] = err
			})
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		if got := b.tokens.refreshes.Load(); got != 1 {
			t.Fatalf("%d refreshes, want exactly 1", got)
		}
		for _, tok := range tokens {
			if tok != "access-2-Zq8" {
				t.Fatalf("worker got %q, want the refreshed token", tok)
			}
		}
		// The stored refresh token is the newest: another refresh works.
		b.clock.Add(24 * time.Hour)
		if _, err := b.svc.Token(b.ctx, v.ID); err != nil {
			t.Fatalf("second refresh with the stored token: %v", err)
		}
	})
}

func TestCrashBetweenRefreshAndCommit(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		v := install(t, b, "acme")
		b.clock.Add(25 * time.Hour)
		ctx, cancel := context.WithCancel(b.ctx)
		// HighLevel answers, then the process "dies" before commit: the
		// context is cancelled so the transaction rolls back.
		b.tokens.afterRefresh = cancel
		if _, err := b.svc.Token(ctx, v.ID); err == nil {
			t.Fatal("refresh that never committed reported success")
		}
		b.tokens.afterRefresh = nil
		_, err := b.svc.Token(b.ctx, v.ID)
		if !errors.Is(err, connection.ErrNeedsReauth) {
			t.Fatalf("next use: got %v, want ErrNeedsReauth", err)
		}
		got, err := b.svc.Get(b.ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.StatusNeedsReauth || !strings.Contains(got.StatusReason, "refused the refresh token") {
			t.Fatalf("connection left as %s: %q", got.Status, got.StatusReason)
		}
		alerts, err := b.store.ListAlertEvents(b.ctx, 10)
		if err != nil || len(alerts) != 1 || alerts[0].Kind != "connection_needs_reauth" {
			t.Fatalf("alerts %+v %v", alerts, err)
		}
		// Later uses fail fast with the reason, without calling HighLevel.
		before := b.tokens.refreshes.Load()
		if _, err := b.svc.Token(b.ctx, v.ID); !errors.Is(err, connection.ErrNeedsReauth) {
			t.Fatalf("third use: %v", err)
		}
		if b.tokens.refreshes.Load() != before {
			t.Fatal("a needs_reauth connection called the token endpoint")
		}
	})
}

// TestSecretsNeverInPlaintext adds connections and refreshes tokens, then
// searches the database (file or tables), the logs and the listing for
// every secret.
func TestSecretsNeverInPlaintext(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		v := install(t, b, "acme")
		if _, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: "repsly", Username: "api-user",
			Password: vault.NewSecret("repsly-password-Zq8")}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.svc.AddGHLToken(b.ctx, connection.GHLTokenInput{Name: "pit", LocationID: "loc2",
			Token: vault.NewSecret("pit-token-Zq8")}); err != nil {
			t.Fatal(err)
		}
		b.clock.Add(25 * time.Hour)
		if _, err := b.svc.Token(b.ctx, v.ID); err != nil {
			t.Fatal(err)
		}
		list, err := b.svc.List(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		haystacks := map[string]string{"logs": b.logs.String(), "listing": fmt.Sprintf("%+v", list), "database": dump(t, b)}
		for where, hay := range haystacks {
			// Every secret ends in "-Zq8". Sealed secrets are standard
			// base64, which has no '-': "Zq8" alone turned up by chance
			// in a ciphertext (about one run in 400).
			if strings.Contains(hay, "-Zq8") {
				t.Errorf("a secret appears in the %s", where)
			}
		}
	})
}

// dump returns everything the database holds as text: the raw file(s) on
// SQLite, every connection and vault_key row on PostgreSQL.
func dump(t *testing.T, b *testBundle) string {
	t.Helper()
	if b.db.Dialect == database.SQLite {
		var all []byte
		for _, suffix := range []string{"", "-wal"} {
			data, err := os.ReadFile(b.db.Path + suffix)
			if err == nil {
				all = append(all, data...)
			}
		}
		return string(all)
	}
	rows, err := b.db.SQL.QueryContext(b.ctx, `SELECT access_token || refresh_token || password || username FROM connection`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var sb strings.Builder
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		sb.WriteString(s)
	}
	return sb.String()
}

func TestOAuthStateChecked(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		if _, err := b.svc.CompleteOAuth(b.ctx, "forged-state", "good-code"); !errors.Is(err, connection.ErrInvalid) {
			t.Fatalf("forged state: %v", err)
		}
		v := install(t, b, "acme")
		again := install(t, b, "acme-again")
		if again.ID != v.ID {
			t.Fatalf("second install of the same location made a new connection %d (first %d)", again.ID, v.ID)
		}
		u, _ := b.svc.StartOAuth(b.ctx, "late", "http://sandbox")
		state := u[strings.Index(u, "state=")+6:]
		if j := strings.IndexByte(state, '&'); j >= 0 {
			state = state[:j]
		}
		b.clock.Add(time.Hour)
		if _, err := b.svc.CompleteOAuth(b.ctx, state, "good-code"); !errors.Is(err, connection.ErrInvalid) {
			t.Fatalf("expired state: %v", err)
		}
	})
}

func TestRequireScopes(t *testing.T) {
	t.Parallel()
	v := connection.View{Name: "acme", Scopes: []string{"contacts.write", "calendars.readonly"}}
	tests := []struct {
		need    []string
		missing string
	}{
		{[]string{"contacts.write"}, ""},
		{[]string{"contacts.readonly"}, ""},
		{[]string{"calendars/events.write"}, "calendars/events.write"},
	}
	for _, tt := range tests {
		err := connection.RequireScopes(v, "ghl.contact.create", tt.need...)
		var ms *connection.MissingScopeError
		if tt.missing == "" && err != nil {
			t.Errorf("%v: unexpected %v", tt.need, err)
		}
		if tt.missing != "" && (!errors.As(err, &ms) || ms.Scope != tt.missing || !strings.Contains(err.Error(), tt.missing)) {
			t.Errorf("%v: got %v, want missing %s", tt.need, err, tt.missing)
		}
	}
	if err := connection.RequireScopes(connection.View{Name: "pit"}, "x", "contacts.write"); err != nil {
		t.Errorf("undeclared scopes must not be checked locally: %v", err)
	}
}

func TestAddValidation(t *testing.T) {
	t.Parallel()
	b := setup(t, database.SQLite)
	tests := []struct {
		name string
		add  func() error
	}{
		{"no name", func() error {
			_, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Username: "u", Password: vault.NewSecret("p")})
			return err
		}},
		{"no password", func() error {
			_, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: "r", Username: "u"})
			return err
		}},
		{"bad url", func() error {
			_, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: "r", BaseURL: "ftp://x", Username: "u", Password: vault.NewSecret("p")})
			return err
		}},
		{"no location", func() error {
			_, err := b.svc.AddGHLToken(b.ctx, connection.GHLTokenInput{Name: "g", Token: vault.NewSecret("t")})
			return err
		}},
	}
	for _, tt := range tests {
		if err := tt.add(); !errors.Is(err, connection.ErrInvalid) {
			t.Errorf("%s: got %v, want ErrInvalid", tt.name, err)
		}
	}
	if _, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: "r", Username: "u", Password: vault.NewSecret("p")}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.AddRepsly(b.ctx, connection.RepslyInput{Name: "r", Username: "u", Password: vault.NewSecret("p")}); !errors.Is(err, connection.ErrInvalid) {
		t.Fatalf("duplicate name: %v", err)
	}
}

func TestRefreshDue(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		install(t, b, "acme")
		if n, err := b.svc.RefreshDue(b.ctx, time.Hour); err != nil || n != 0 {
			t.Fatalf("fresh token refreshed: %d %v", n, err)
		}
		b.clock.Add(21 * time.Hour) // 3 hours left
		if n, err := b.svc.RefreshDue(b.ctx, 4*time.Hour); err != nil || n != 1 {
			t.Fatalf("due token: %d %v", n, err)
		}
		if got := b.tokens.refreshes.Load(); got != 1 {
			t.Fatalf("%d refresh calls", got)
		}
		if n, _ := b.svc.RefreshDue(b.ctx, 4*time.Hour); n != 0 {
			t.Fatalf("refreshed again right after: %d", n)
		}
	})
}

// TestTokenSourceReuse: a client's token source reads the connection at
// most once per reuse window, and never hands out a stale token.
func TestTokenSourceReuse(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		install(t, b, "acme")
		ts, err := b.svc.TokenSource(b.ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		token := func() string {
			t.Helper()
			tok, err := ts.Token()
			if err != nil {
				t.Fatal(err)
			}
			return tok.AccessToken
		}
		if got := token(); got != "access-1-Zq8" {
			t.Fatalf("first token %q", got)
		}
		// Another worker refreshes the connection: inside the window the
		// source keeps the token it read (still valid for a day)...
		if n, err := b.svc.RefreshDue(b.ctx, 25*time.Hour); err != nil || n != 1 {
			t.Fatalf("refresh: %d %v", n, err)
		}
		b.clock.Add(5 * time.Second)
		if got := token(); got != "access-1-Zq8" {
			t.Fatalf("inside the reuse window: %q, want the token read before", got)
		}
		// ...and after it, reads the connection again.
		b.clock.Add(6 * time.Second)
		if got := token(); got != "access-2-Zq8" {
			t.Fatalf("after the reuse window: %q, want the stored token", got)
		}
		// A token about to expire is never reused, even inside the window.
		b.clock.Add(24*time.Hour - 11*time.Second - time.Minute)
		if got := token(); got != "access-3-Zq8" {
			t.Fatalf("stale token: %q, want a refreshed one", got)
		}
		if got := b.tokens.refreshes.Load(); got != 2 {
			t.Fatalf("%d refreshes, want 2", got)
		}
	})
}
