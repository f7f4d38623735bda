package job_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// retryNow retries a failed job at once, so tests wait for events, not
// for River's backoff.
type retryNow struct{}

func (retryNow) NextRetry(*rivertype.JobRow) time.Time { return time.Now() }

type testBundle struct {
	ctx    context.Context
	store  *store.Store
	client *job.Client
	events <-chan *river.Event
}

func setup(t *testing.T, d database.Dialect) *testBundle {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	db := databasetest.Open(t, d)
	st := store.New(db)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	c, err := job.NewClient(db, job.Config{
		Logger:            logger,
		Workers:           job.NewWorkers(job.Deps{Logger: logger, Now: time.Now, Store: st}),
		JobTimeout:        time.Minute,
		MaxWorkers:        2,
		RetryPolicy:       retryNow{},
		FetchPollInterval: 20 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	events, unsubscribe := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
	t.Cleanup(unsubscribe)
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stopCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = c.Stop(stopCtx)
	})
	return &testBundle{ctx: ctx, store: st, client: c, events: events}
}

func TestProbeRetriesThenCompletesOnce(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d)
			id, err := job.EnqueueProbe(b.ctx, b.store, b.client, store.Probe{FailTimes: 2, CreatedAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			failures := 0
			for done := false; !done; {
				select {
				case ev := <-b.events:
					switch ev.Kind {
					case river.EventKindJobFailed:
						failures++
					case river.EventKindJobCompleted:
						done = true
						if ev.Job.Attempt != 3 {
							t.Errorf("completed on attempt %d, want 3", ev.Job.Attempt)
						}
					}
				case <-b.ctx.Done():
					t.Fatal("probe never completed")
				}
			}
			if failures != 2 {
				t.Errorf("saw %d failures, want 2", failures)
			}
			p, err := b.store.GetProbe(b.ctx, b.store.DB(), id)
			if err != nil {
				t.Fatal(err)
			}
			if p.Completions != 1 {
				t.Fatalf("probe completed %d times, want 1", p.Completions)
			}
		})
	}
}

// TestEnqueueIsTransactional shows that a job inserted in a transaction
// that rolls back never exists, so a row and its job share one fate.
func TestEnqueueIsTransactional(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d)
			boom := errors.New("boom")
			err := b.store.InTx(b.ctx, func(tx store.Tx) error {
				id, err := b.store.InsertProbe(b.ctx, tx, store.Probe{CreatedAt: time.Now()})
				if err != nil {
					return err
				}
				if _, err := b.client.InsertTx(b.ctx, tx, job.ProbeArgs{ProbeID: id}, nil); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(err, boom) {
				t.Fatalf("InTx: %v", err)
			}
			res, err := b.client.JobList(b.ctx, river.NewJobListParams().Kinds("probe"))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Jobs) != 0 {
				t.Fatalf("rolled-back enqueue left %d jobs", len(res.Jobs))
			}
		})
	}
}
