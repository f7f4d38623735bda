package e2e_test

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// flowName is the name the tests give the two-way template's flow.
const flowName = "two-way"

// envSeed overrides the seed of a run (edits, kill moments), to replay a
// failure: FIELDBRIDGE_E2E_SEED=1234 go test ./internal/e2e -run ...
const envSeed = "FIELDBRIDGE_E2E_SEED"

// envKeep names a folder where the tests keep their databases, to read the
// run history after a failure.
const envKeep = "FIELDBRIDGE_E2E_KEEP"

// harness is one end-to-end setup: seeded sandboxes in this process, a
// database prepared with both connections and the two-way flow, and the
// server process that syncs them.
type harness struct {
	t    *testing.T
	seed int64
	env  *sandbox.Env
	vars map[string]string // the server's FIELDBRIDGE_* settings
	srv  *server
	addr string
	// delays draws the moments of kills and pauses; the editor has its
	// own stream, so the edits of a seed do not depend on the delays.
	delays *rand.Rand
	// reader reads the database beside the server (opened on first use).
	reader *app.Core
}

type harnessOptions struct {
	clients, contacts, overlap int
	// dialect of the server's database; SQLite when empty.
	dialect database.Dialect
}

// setup seeds the sandboxes and prepares the database the way an operator
// would before the first `fieldbridge serve`: connections and the flow.
func setup(t *testing.T, o harnessOptions) *harness {
	t.Helper()
	seed := time.Now().UnixNano() % 1_000_000
	if v := os.Getenv(envSeed); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", envSeed, err)
		}
		seed = n
	}
	t.Logf("seed %d (replay with %s=%d)", seed, envSeed, seed)
	// The data seed stays fixed: seeded accounts are a given, the edits
	// and the crash moments are what varies between runs.
	env, err := sandbox.Start(sandbox.Options{Clients: o.clients, Contacts: o.contacts, Overlap: o.overlap, Seed: 1,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	dir := t.TempDir()
	if keep := os.Getenv(envKeep); keep != "" {
		// Debugging: keep the database for a look at the run history.
		dir = filepath.Join(keep, strings.ReplaceAll(t.Name(), "/", "_")+"-"+strconv.FormatInt(seed, 10))
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		t.Logf("keeping the database in %s", dir)
	}
	keyFile := filepath.Join(dir, "ghl-webhook-key.pem")
	if err := os.WriteFile(keyFile, env.GHL.WebhookPublicKeyPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	mk := make([]byte, 32)
	_, _ = crand.Read(mk)
	dsn := "sqlite:" + filepath.Join(dir, "fb.db")
	if o.dialect == database.Postgres {
		dsn = databasetest.DSN(t, database.Postgres)
	}
	h := &harness{t: t, seed: seed, env: env, delays: rand.New(rand.NewPCG(uint64(seed), 2)), vars: map[string]string{
		"FIELDBRIDGE_DB":                   dsn,
		"FIELDBRIDGE_LISTEN":               "127.0.0.1:0",
		"FIELDBRIDGE_MASTER_KEY":           base64.StdEncoding.EncodeToString(mk),
		"FIELDBRIDGE_POLL_INTERVAL":        "1s",
		"FIELDBRIDGE_GHL_RATE_LIMIT":       "off",
		"FIELDBRIDGE_GHL_WEBHOOK_KEY_FILE": keyFile,
		"FIELDBRIDGE_SHUTDOWN_TIMEOUT":     "10s",
		// On PostgreSQL a job left running by a killed process is retried
		// only after the rescue delay (default: job timeout + 1 minute).
		"FIELDBRIDGE_JOB_TIMEOUT":  "30s",
		"FIELDBRIDGE_RESCUE_AFTER": "35s",
	}}
	if os.Getenv(envKeep) != "" {
		// Debugging: the engine's trace of every change and write.
		h.vars["FIELDBRIDGE_LOG_LEVEL"] = "debug"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h.prepare(ctx)
	var list []string
	for k, v := range h.vars {
		list = append(list, k+"="+v)
	}
	h.srv = newServer(t, list, dir)
	return h
}

// openCore opens the server's database beside (or instead of) the server,
// as CLI commands do.
func (h *harness) openCore(ctx context.Context) *app.Core {
	h.t.Helper()
	cfg, err := config.FromEnv(func(k string) string { return h.vars[k] })
	if err != nil {
		h.t.Fatal(err)
	}
	core, err := app.OpenCore(ctx, cfg, slog.New(slog.DiscardHandler), app.CoreOptions{})
	if err != nil {
		h.t.Fatal(err)
	}
	return core
}

// prepare adds both connections and the two-way flow, as the demo does.
func (h *harness) prepare(ctx context.Context) {
	h.t.Helper()
	core := h.openCore(ctx)
	defer core.Close()
	if _, err := core.Connections.AddGHLToken(ctx, connection.GHLTokenInput{Name: "ghl", BaseURL: h.env.GHLBaseURL(),
		LocationID: sandbox.LocationID, Token: vault.NewSecret(sandbox.GHLToken)}); err != nil {
		h.t.Fatal(err)
	}
	if _, err := core.Connections.AddRepsly(ctx, connection.RepslyInput{Name: "repsly", BaseURL: h.env.RepslyBaseURL(),
		Username: repslysandbox.DefaultUsername, Password: vault.NewSecret(repslysandbox.DefaultPassword)}); err != nil {
		h.t.Fatal(err)
	}
	tmpl, err := flow.TemplateByID("repsly-ghl-two-way-sync")
	if err != nil {
		h.t.Fatal(err)
	}
	prog, err := tmpl.Instantiate(flowName, map[string]string{"repsly_connection": "repsly", "ghl_connection": "ghl"}, flow.Options{Now: core.Now})
	if err != nil {
		h.t.Fatal(err)
	}
	src, err := flow.Marshal(prog.Flow())
	if err != nil {
		h.t.Fatal(err)
	}
	err = core.Store.InTx(ctx, func(tx store.Tx) error {
		_, _, err := core.Store.PutFlow(ctx, tx, store.FlowInput{Name: flowName, Kind: prog.Flow().Kind(),
			Description: prog.Flow().Description, YAML: string(src)}, core.Now())
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
}

// linked returns the client codes whose link is committed in state
// linked, read beside the running server.
func (h *harness) linked() map[string]bool {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if h.reader == nil {
		h.reader = h.openCore(ctx)
		h.t.Cleanup(func() { _ = h.reader.Close() })
	}
	out := map[string]bool{}
	err := h.reader.Store.ListLinks(ctx, flowName, func(l store.Link) error {
		if l.State == store.LinkLinked {
			out[l.RepslyCode] = true
		}
		return nil
	})
	if err != nil {
		h.t.Fatalf("read links: %v", err)
	}
	return out
}

// start runs the server and points HighLevel's webhooks at it.
func (h *harness) start(ctx context.Context) {
	h.t.Helper()
	h.addr = h.srv.start(ctx)
	h.env.GHL.SetWebhookURLs("http://" + h.addr + "/hooks/ghl")
}

// slow stretches a deadline under the race detector, which makes the
// server process several times slower.
func slow(d time.Duration) time.Duration {
	if raceEnabled {
		return 4 * d
	}
	return d
}

// shrink divides the seeded data under the race detector: HighLevel
// webhooks reach the server one at a time, and each costs a database
// commit that the race detector makes several times slower.
func shrink(o harnessOptions) harnessOptions {
	if raceEnabled {
		o.clients, o.contacts, o.overlap = o.clients/3, o.contacts/3, o.overlap/3
	}
	return o
}

// pause waits for a moment drawn between lo and hi: the random moment of
// a crash, not a wait for something to happen.
func (h *harness) pause(ctx context.Context, lo, hi time.Duration) time.Duration {
	d := lo + time.Duration(h.delays.Int64N(int64(hi-lo)))
	select {
	case <-time.After(d):
	case <-ctx.Done():
		h.t.Fatalf("seed %d: out of time", h.seed)
	}
	return d
}

// waitBackfill waits until the server's backfill says done.
func (h *harness) waitBackfill(ctx context.Context) {
	h.t.Helper()
	core := h.openCore(ctx)
	defer core.Close()
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		state, err := core.Store.GetCursor(ctx, core.Store.DB(), flowName, "backfill.state")
		if err == nil && state == "done" {
			return
		}
		h.srv.running()
		select {
		case <-tick.C:
		case <-ctx.Done():
			h.t.Fatalf("seed %d: the backfill did not finish (state %q); server log tail:\n%s", h.seed, state, h.srv.tail(40))
		}
	}
}
