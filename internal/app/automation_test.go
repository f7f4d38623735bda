package app_test

import (
	"context"
	"crypto"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestServerRunsAutomations starts the server on the sandboxes with two
// automation flows: a Repsly note reaches its contact through the
// scheduled poll, and a HighLevel task plans a Repsly visit through the
// signed webhook.
func TestServerRunsAutomations(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Seed: 1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if err := env.Repsly.Seed(repslysandbox.SeedOptions{Seed: 1, Representatives: 1, Days: 1}); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig(t, map[string]string{"FIELDBRIDGE_GHL_RATE_LIMIT": "off"})
	a, err := app.New(ctx, cfg, logger, app.Options{WebhookKeys: []crypto.PublicKey{env.GHL.WebhookPublicKey()},
		FetchPollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	addSandboxConnections(ctx, t, a.Connections, env)
	for name, id := range map[string]string{"notes": "repsly-client-notes-to-ghl-notes", "tasks": "ghl-task-to-repsly-visit"} {
		tmpl, err := flow.TemplateByID(id)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := tmpl.Instantiate(name, nil, flow.Options{})
		if err != nil {
			t.Fatal(err)
		}
		src, err := flow.Marshal(prog.Flow())
		if err != nil {
			t.Fatal(err)
		}
		if err := a.Store.InTx(ctx, func(tx store.Tx) error {
			_, _, err := a.Store.PutFlow(ctx, tx, store.FlowInput{Name: name, Kind: prog.Flow().Kind(), YAML: string(src)}, time.Now())
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	// A client, its contact, and a note waiting for the first poll.
	if _, err := env.Repsly.RepCreateClient("R01", repslysandbox.Client{Code: "C-1", Name: "Corner Deli", Country: "US"}); err != nil {
		t.Fatal(err)
	}
	contact, err := env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Pat", Email: "pat@deli.example",
		CustomFields: []ghlsandbox.CustomFieldValue{{ID: sandbox.CodeFieldID, Value: "C-1"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.Repsly.RepAddNote("R01", "C-1", "Wants the new flavours"); err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := a.Jobs.Subscribe(river.EventKindJobCompleted)
	defer unsubscribe()
	if err := a.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = a.Stop(stopCtx)
	}()
	waitJob := func(kind string) {
		t.Helper()
		for {
			select {
			case ev := <-events:
				if ev.Job.Kind == kind {
					return
				}
			case <-ctx.Done():
				t.Fatalf("no %s job completed", kind)
			}
		}
	}
	// The periodic scheduler runs on start and enqueues the due poll.
	waitJob("automation_poll")
	if notes := env.GHL.Notes(contact.ID); len(notes) != 1 || !strings.Contains(notes[0].Body, "Wants the new flavours") {
		t.Errorf("contact notes = %+v", notes)
	}
	env.GHL.SetWebhookURLs("http://" + a.Addr() + "/hooks/ghl")
	task, err := env.GHL.UserCreateTask(contact.ID, ghlsandbox.Task{Title: "Visit about the endcap", DueDate: time.Date(2031, 5, 6, 15, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	waitJob("ghl_webhook")
	found := false
	for _, s := range env.Repsly.Schedules() {
		found = found || s.ScheduleCode == "GHL-TASK-"+task.ID && s.ScheduledDate == "2031-05-06"
	}
	if !found {
		t.Errorf("no Repsly schedule for task %s; runs: %v", task.ID, runs(ctx, t, a.Store))
	}
}

func runs(ctx context.Context, t *testing.T, st *store.Store) []store.Run {
	t.Helper()
	list, err := st.ListRuns(ctx, "", 20)
	if err != nil {
		t.Fatal(err)
	}
	return list
}
