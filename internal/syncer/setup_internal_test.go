package syncer

import (
	"context"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// internalBundle is an engine of the default two-way spec on both
// sandboxes and a store, for tests that reach inside the engine.
type internalBundle struct {
	ctx context.Context
	env *sandbox.Env
	st  *store.Store
	gc  *ghl.Client
	rc  *repsly.Client
	e   *Engine
}

// setupInternal starts the sandboxes with clients Repsly clients and an
// engine of concurrency conc (0: the default) on a d database.
func setupInternal(t *testing.T, d database.Dialect, clients, conc int) internalBundle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	env, err := sandbox.Start(sandbox.Options{Clients: clients, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	st := store.New(databasetest.Open(t, d))
	gc, rc := env.Clients(nil)
	spec, err := DefaultSpec("two-way", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{Spec: spec, Store: st, GHL: gc, Repsly: rc, Concurrency: conc})
	if err != nil {
		t.Fatal(err)
	}
	return internalBundle{ctx: ctx, env: env, st: st, gc: gc, rc: rc, e: e}
}

// syncFirstPage exports the first page of clients and syncs it.
func (b internalBundle) syncFirstPage(t *testing.T) []repsly.ClientRecord {
	t.Helper()
	page, err := b.rc.ExportClients(b.ctx, repsly.TimestampCursor(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.e.ApplyRepsly(b.ctx, page.Items, time.Now(), BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	return page.Items
}
