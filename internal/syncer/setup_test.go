package syncer_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

type testBundle struct {
	ctx    context.Context
	env    *sandbox.Env
	store  *store.Store
	engine *syncer.Engine
	ghl    *ghl.Client
	repsly *repsly.Client
	seen   int // sandbox events already fed back
	cursor repsly.Cursor
	clock  *clock
}

// clock is a manual clock shared by both sandboxes and the engine, so tests
// order changes in time without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Microsecond) // every reading is distinct, as real time is
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type setupOpts struct {
	clients, contacts, overlap int
	dialect                    database.Dialect
	deferImports               bool      // Config.DeferImportChecks, as the server runs
	match                      []string  // Spec.Match; nil for the default
	dsn                        string    // a database to use (migrated here); "" for a fresh one of dialect
	log                        io.Writer // the engine's debug log; nil discards it
	concurrency                int       // Config.Concurrency; 0 for the default
}

func setup(t *testing.T, o setupOpts) *testBundle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	clk := &clock{t: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}
	env, err := sandbox.Start(sandbox.Options{Clients: o.clients, Contacts: o.contacts, Overlap: o.overlap, Seed: 7, Clock: clk.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	if o.dialect == "" {
		o.dialect = database.SQLite
	}
	var db *database.DB
	if o.dsn != "" {
		db, err = database.Open(ctx, o.dsn, database.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = db.Close() })
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
	} else {
		db = databasetest.Open(t, o.dialect)
	}
	st := store.New(db)
	gc, rc := env.Clients(nil)
	spec, err := syncer.DefaultSpec("two-way", clk.Now)
	if err != nil {
		t.Fatal(err)
	}
	spec.Match = o.match
	logger := slog.New(slog.DiscardHandler)
	if o.log != nil {
		logger = slog.New(slog.NewJSONHandler(o.log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	eng, err := syncer.New(syncer.Config{Logger: logger, Spec: spec, Store: st, GHL: gc, Repsly: rc, Now: clk.Now, DeferImportChecks: o.deferImports, Concurrency: o.concurrency})
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{ctx: ctx, env: env, store: st, engine: eng, ghl: gc, repsly: rc, cursor: repsly.TimestampCursor(0), clock: clk}
	b.seen = len(env.GHL.Events())
	return b
}

// pollRepsly applies every Repsly client change since the last poll, page
// by page, and returns the summed result.
func (b *testBundle) pollRepsly(t *testing.T, idx *syncer.Index) syncer.Result {
	t.Helper()
	var total syncer.Result
	for page, err := range repsly.Pages(b.ctx, b.repsly.ExportClients, b.cursor) {
		if err != nil {
			t.Fatal(err)
		}
		res, err := b.engine.ApplyRepsly(b.ctx, page.Items, b.clock.Now(), syncer.BatchOptions{Index: idx})
		if err != nil {
			t.Fatalf("apply repsly page: %v (%+v)", err, res.Errors())
		}
		addResult(&total, res)
		b.cursor = page.Next
	}
	return total
}

// feedWebhooks applies the HighLevel events emitted since the last call.
func (b *testBundle) feedWebhooks(t *testing.T) syncer.Result {
	t.Helper()
	evs := b.env.GHL.Events()
	var changes []syncer.GHLChange
	for _, ev := range evs[b.seen:] {
		parsed, err := ghl.ParseEvent(ev.Body)
		if err != nil {
			t.Fatal(err)
		}
		if ch, ok := syncer.ChangeFromEvent(parsed, b.clock.Now()); ok {
			changes = append(changes, ch)
		}
	}
	b.seen = len(evs)
	var total syncer.Result
	// One event at a time, as webhook jobs do.
	for _, ch := range changes {
		res, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{ch}, syncer.BatchOptions{})
		if err != nil {
			t.Fatalf("apply ghl change: %v (%+v)", err, res.Errors())
		}
		addResult(&total, res)
	}
	return total
}

func addResult(dst *syncer.Result, src syncer.Result) {
	for _, o := range src.Outcomes {
		dst.Outcomes = append(dst.Outcomes, o)
		if dst.Counts == nil {
			dst.Counts = syncer.Counts{}
		}
		dst.Counts[string(o.Side)+"."+string(o.Action)]++
	}
}

// calls is the number of API requests both sandboxes answered.
func (b *testBundle) calls() int {
	n := b.env.GHL.CallCount()
	for _, v := range b.env.Repsly.Requests() {
		n += int(v)
	}
	return n
}
