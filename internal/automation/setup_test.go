package automation_test

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/automation"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// rep is the sandbox representative the tests act as.
const rep = "R01"

// bundle is one end-to-end setup: both sandboxes (Repsly seeded with its
// users and product catalog but no clients), a migrated SQLite database
// with the connections "ghl" and "repsly" added as the demo adds them, and
// a Runner on them.
type bundle struct {
	t      *testing.T
	ctx    context.Context
	env    *sandbox.Env
	core   *app.Core
	runner *automation.Runner
}

func setup(t *testing.T) *bundle {
	t.Helper()
	ctx := t.Context()
	logger := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Seed: 1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if err := env.Repsly.Seed(repslysandbox.SeedOptions{Seed: 1, Representatives: 2, Days: 1}); err != nil {
		t.Fatal(err)
	}
	mk := make([]byte, 32)
	_, _ = crand.Read(mk)
	vars := map[string]string{
		"FIELDBRIDGE_DB":             "sqlite:" + filepath.Join(t.TempDir(), "fb.db"),
		"FIELDBRIDGE_MASTER_KEY":     base64.StdEncoding.EncodeToString(mk),
		"FIELDBRIDGE_GHL_RATE_LIMIT": "off",
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatal(err)
	}
	core, err := app.OpenCore(ctx, cfg, logger, app.CoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = core.Close() })
	if _, err := core.Connections.AddGHLToken(ctx, connection.GHLTokenInput{Name: "ghl", BaseURL: env.GHLBaseURL(),
		LocationID: sandbox.LocationID, Token: vault.NewSecret(sandbox.GHLToken)}); err != nil {
		t.Fatal(err)
	}
	if _, err := core.Connections.AddRepsly(ctx, connection.RepslyInput{Name: "repsly", BaseURL: env.RepslyBaseURL(),
		Username: repslysandbox.DefaultUsername, Password: vault.NewSecret(repslysandbox.DefaultPassword)}); err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.New(catalog.Options{Now: core.Now})
	if err != nil {
		t.Fatal(err)
	}
	r := automation.New(automation.Config{Store: core.Store, Catalog: cat, Clients: app.CatalogClients{Connections: core.Connections},
		Logger: logger, Now: core.Now})
	return &bundle{t: t, ctx: ctx, env: env, core: core, runner: r}
}

// apply instantiates a template with set over its defaults and stores it
// as the flow name, as `flows create --template` does.
func (b *bundle) apply(id, name string, set map[string]string) *flow.Program {
	b.t.Helper()
	tmpl, err := flow.TemplateByID(id)
	if err != nil {
		b.t.Fatal(err)
	}
	prog, err := tmpl.Instantiate(name, set, flow.Options{Now: b.core.Now})
	if err != nil {
		b.t.Fatalf("template %s: %v", id, err)
	}
	src, err := flow.Marshal(prog.Flow())
	if err != nil {
		b.t.Fatal(err)
	}
	err = b.core.Store.InTx(b.ctx, func(tx store.Tx) error {
		_, _, err := b.core.Store.PutFlow(b.ctx, tx, store.FlowInput{Name: name, Kind: prog.Flow().Kind(),
			Description: prog.Flow().Description, YAML: string(src)}, b.core.Now())
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
	return prog
}

// poll runs the flow's poll job once: pages until the trigger has no more.
func (b *bundle) poll(name string) {
	b.t.Helper()
	b.pollWith(b.runner, name)
}

func (b *bundle) pollWith(r *automation.Runner, name string) {
	b.t.Helper()
	for range 50 {
		more, err := r.PollPage(b.ctx, name, 1)
		if err != nil {
			b.t.Fatalf("poll %s: %v", name, err)
		}
		if !more {
			return
		}
	}
	b.t.Fatalf("poll %s: still more after 50 pages", name)
}

// deliver stores the latest HighLevel event of the type in the inbox, as
// the webhook receiver would, and hands it to the runner.
func (b *bundle) deliver(eventType string) store.InboxEvent {
	b.t.Helper()
	evs := b.env.GHL.Events()
	var ev *ghlsandbox.Event
	for j := len(evs) - 1; j >= 0; j-- {
		if evs[j].Type == eventType {
			ev = &evs[j]
			break
		}
	}
	if ev == nil {
		b.t.Fatalf("the sandbox emitted no %s event", eventType)
	}
	in := store.InboxEvent{Source: "ghl", LocationID: ev.LocationID, EventID: ev.WebhookID, EventType: ev.Type,
		Body: string(ev.Body), ReceivedAt: b.core.Now()}
	err := b.core.Store.InTx(b.ctx, func(tx store.Tx) error {
		id, err := b.core.Store.InsertInboxEvent(b.ctx, tx, in)
		in.ID = id
		return err
	})
	if err != nil {
		b.t.Fatal(err)
	}
	if err := b.runner.HandleEvent(b.ctx, in, 1); err != nil {
		b.t.Fatalf("handle %s: %v", eventType, err)
	}
	return in
}

// runs returns the flow's runs with their records, oldest first.
func (b *bundle) runs(name string) []runWithRecords {
	b.t.Helper()
	list, err := b.core.Store.ListRuns(b.ctx, name, 100)
	if err != nil {
		b.t.Fatal(err)
	}
	var out []runWithRecords
	for _, r := range slices.Backward(list) {
		run, recs, err := b.core.Store.GetRun(b.ctx, r.ID)
		if err != nil {
			b.t.Fatal(err)
		}
		out = append(out, runWithRecords{Run: run, Records: recs})
	}
	return out
}

type runWithRecords struct {
	store.Run
	Records []store.RunRecord
}

// client creates a Repsly client as rep would in the app.
func (b *bundle) client(c repslysandbox.Client) repslysandbox.Client {
	b.t.Helper()
	out, err := b.env.Repsly.RepCreateClient(rep, c)
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}

// contact creates a HighLevel contact as a user would, with the Repsly
// code custom field set when code is not empty.
func (b *bundle) contact(c ghlsandbox.Contact, code string) ghlsandbox.Contact {
	b.t.Helper()
	if code != "" {
		c.CustomFields = append(c.CustomFields, ghlsandbox.CustomFieldValue{ID: sandbox.CodeFieldID, Value: code})
	}
	out, err := b.env.GHL.UserCreateContact(c)
	if err != nil {
		b.t.Fatal(err)
	}
	return out
}
