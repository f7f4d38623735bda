// Package sandbox runs both API imitations together, seeded and wired:
// the HighLevel sandbox with a location ready for sync (the Repsly code
// custom field exists) and the Repsly sandbox with an account. The demo
// and the end-to-end tests use it; production code never does.
package sandbox

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

// Fixed identities of the sandbox account, printed by the demo.
const (
	LocationID   = "fbSandboxLocation01"
	GHLToken     = "pit-fieldbridge-sandbox-token"
	CodeFieldID  = "fbCodeField000000001"
	CodeFieldKey = "contact.repsly_client_code"
)

// Options shapes the seeded data.
type Options struct {
	// Clients is the number of Repsly clients (with notes and visits).
	Clients int
	// Contacts is the number of HighLevel contacts; Overlap of them match a
	// Repsly client by email or phone.
	Contacts, Overlap int
	// Seed makes the data deterministic.
	Seed int64
	// Logger for both sandboxes.
	Logger *slog.Logger
	// Clock for both sandboxes; default time.Now.
	Clock func() time.Time
	// WebhookURL receives HighLevel's webhooks, if set.
	WebhookURL string
}

// Env is both sandboxes, served over loopback HTTP.
type Env struct {
	GHL          *ghlsandbox.Server
	Repsly       *repslysandbox.Server
	GHLServer    *httptest.Server
	RepslyServer *httptest.Server
}

// Start seeds and serves both sandboxes.
func Start(opts Options) (*Env, error) {
	if opts.Clock == nil {
		opts.Clock = time.Now
	}
	g := ghlsandbox.New(ghlsandbox.Options{
		Clock:  opts.Clock,
		Logger: opts.Logger,
		Seed:   uint64(opts.Seed),
		Locations: []ghlsandbox.Location{{
			// Seeded Repsly accounts share phones between clients (chain
			// stores do); allowing duplicates keeps both contacts whole.
			ID: LocationID, Name: "Fieldbridge Sandbox", Country: "US", AllowDuplicateContact: true,
			CustomFields: []ghlsandbox.CustomField{{ID: CodeFieldID, Name: "Repsly client code", Key: CodeFieldKey, DataType: "TEXT", Model: "contact"}},
		}},
		Tokens:       []ghlsandbox.PrivateToken{{Token: GHLToken, LocationID: LocationID}},
		ClientID:     "fieldbridge-sandbox-app",
		ClientSecret: "fieldbridge-sandbox-secret",
	})
	r := repslysandbox.New(repslysandbox.Options{Clock: opts.Clock, Logger: opts.Logger, PendingPolls: repslysandbox.NoPendingPolls, Seed: opts.Seed})
	env := &Env{GHL: g, Repsly: r, GHLServer: httptest.NewServer(g.Handler()), RepslyServer: httptest.NewServer(r)}
	if opts.WebhookURL != "" {
		g.SetWebhookURLs(opts.WebhookURL)
	}
	if opts.Clients > 0 {
		if err := r.Seed(repslysandbox.SeedOptions{Clients: opts.Clients, Seed: opts.Seed}); err != nil {
			env.Close()
			return nil, fmt.Errorf("sandbox: seed repsly: %w", err)
		}
	}
	if err := env.seedContacts(opts); err != nil {
		env.Close()
		return nil, err
	}
	return env, nil
}

// seedContacts creates Overlap contacts copying Repsly clients' email or
// phone (so first-time matching has work to do) and the rest at random.
// Seeding happens before any integration connects: it emits no webhooks
// because no URL is set yet when it runs.
func (e *Env) seedContacts(opts Options) error {
	overlap := min(opts.Overlap, opts.Contacts)
	clients := e.Repsly.Clients()
	hooks := opts.WebhookURL != ""
	if hooks {
		e.GHL.SetWebhookURLs()
		defer e.GHL.SetWebhookURLs(opts.WebhookURL)
	}
	made := 0
	for i := 0; i < len(clients) && made < overlap; i += 3 {
		c := clients[i]
		first, last, _ := strings.Cut(c.ContactName, " ")
		ct := ghlsandbox.Contact{FirstName: first, LastName: last, Source: "sandbox seed"}
		if i%2 == 0 && c.Email != "" {
			ct.Email = strings.ToUpper(c.Email[:1]) + c.Email[1:] // matching ignores case
		} else if c.Phone != "" {
			ct.Phone = c.Phone
		} else {
			continue
		}
		if _, err := e.GHL.UserCreateContact(ct); err != nil {
			return fmt.Errorf("sandbox: seed overlapping contact: %w", err)
		}
		made++
	}
	if rest := opts.Contacts - made; rest > 0 {
		if err := e.GHL.Seed(rest); err != nil {
			return fmt.Errorf("sandbox: seed contacts: %w", err)
		}
	}
	return nil
}

// Close stops both servers.
func (e *Env) Close() {
	e.GHLServer.Close()
	e.RepslyServer.Close()
	_ = e.GHL.Close()
}

// GHLBaseURL is the HighLevel sandbox root.
func (e *Env) GHLBaseURL() string { return e.GHLServer.URL }

// RepslyBaseURL is the Repsly sandbox API root (".../v3/").
func (e *Env) RepslyBaseURL() string { return e.RepslyServer.URL + "/v3/" }

// Clients builds API clients on the sandboxes; the Repsly one polls
// imports without sleeping.
func (e *Env) Clients(httpClient *http.Client) (*ghl.Client, *repsly.Client) {
	if httpClient == nil {
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 64
		httpClient = &http.Client{Timeout: 30 * time.Second, Transport: t}
	}
	gc := ghl.New(ghl.Options{BaseURL: e.GHLBaseURL(), HTTPClient: httpClient, TokenSource: ghl.StaticToken(GHLToken), LocationID: LocationID,
		Budget: ghl.NewBudget(ghl.BudgetOptions{BurstMax: 1_000_000, BurstInterval: time.Second, DailyLimit: 1_000_000_000})})
	rc := repsly.New(repsly.Options{BaseURL: e.RepslyBaseURL(), Username: repslysandbox.DefaultUsername, Password: repslysandbox.DefaultPassword,
		HTTPClient: httpClient, Sleep: func(ctx context.Context, _ time.Duration) error { return ctx.Err() }})
	return gc, rc
}
