package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// testBundle is what every store test gets: a migrated database of one
// dialect and a store on it.
type testBundle struct {
	ctx   context.Context
	db    *database.DB
	store *store.Store
	now   time.Time
}

func setup(t *testing.T, d database.Dialect) *testBundle {
	t.Helper()
	db := databasetest.Open(t, d)
	return &testBundle{
		ctx:   context.Background(),
		db:    db,
		store: store.New(db),
		now:   time.Date(2026, 11, 27, 12, 0, 0, 123_000_000, time.UTC),
	}
}

// forEachDialect runs the conformance test fn on SQLite, and on PostgreSQL
// when TEST_DATABASE_URL is set.
func forEachDialect(t *testing.T, fn func(t *testing.T, b *testBundle)) {
	t.Helper()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fn(t, setup(t, d))
		})
	}
}

func TestProbe(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		id, err := b.store.InsertProbe(b.ctx, b.store.DB(), store.Probe{Note: "n", FailTimes: 2, CreatedAt: b.now})
		if err != nil {
			t.Fatal(err)
		}
		p, err := b.store.GetProbe(b.ctx, b.store.DB(), id)
		if err != nil {
			t.Fatal(err)
		}
		if p.FailTimes != 2 || p.Note != "n" || p.CompletedAt != nil || !p.CreatedAt.Equal(b.now) {
			t.Fatalf("probe read back as %+v", p)
		}
		if err := b.store.CompleteProbe(b.ctx, b.store.DB(), id, b.now.Add(time.Second)); err != nil {
			t.Fatal(err)
		}
		p, _ = b.store.GetProbe(b.ctx, b.store.DB(), id)
		if p.Completions != 1 || p.CompletedAt == nil || !p.CompletedAt.Equal(b.now.Add(time.Second)) {
			t.Fatalf("after complete: %+v", p)
		}
		if _, err := b.store.GetProbe(b.ctx, b.store.DB(), id+100); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing probe: got %v, want ErrNotFound", err)
		}
		if err := b.store.CompleteProbe(b.ctx, b.store.DB(), id+100, b.now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("complete missing probe: got %v, want ErrNotFound", err)
		}
	})
}

func TestInTxRollsBack(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		var id int64
		boom := errors.New("boom")
		err := b.store.InTx(b.ctx, func(tx store.Tx) error {
			var err error
			id, err = b.store.InsertProbe(b.ctx, tx, store.Probe{CreatedAt: b.now})
			if err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("InTx returned %v", err)
		}
		if _, err := b.store.GetProbe(b.ctx, b.store.DB(), id); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("row survived rollback: %v", err)
		}
	})
}

func TestQueueDepthAndOrphans(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		depth, err := b.store.QueueDepth(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(depth) != 0 {
			t.Fatalf("empty queue has depth %v", depth)
		}
		n, err := b.store.RequeueOrphanedJobs(b.ctx, b.now)
		if err != nil {
			t.Fatal(err)
		}
		if n != 0 {
			t.Fatalf("requeued %d jobs from an empty queue", n)
		}
	})
}

func TestPing(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		if err := b.store.Ping(b.ctx); err != nil {
			t.Fatal(err)
		}
	})
}
