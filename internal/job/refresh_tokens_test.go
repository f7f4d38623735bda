package job_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

type countingRefresher struct {
	calls atomic.Int64
	ahead atomic.Int64
}

func (c *countingRefresher) RefreshDue(_ context.Context, ahead time.Duration) (int, error) {
	c.calls.Add(1)
	c.ahead.Store(int64(ahead))
	return 1, nil
}

// TestRefreshTokensRunsOnStart checks the periodic token refresh is
// scheduled and asks for tokens due within hours, not minutes.
func TestRefreshTokensRunsOnStart(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	db := databasetest.Open(t, database.SQLite)
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	ref := &countingRefresher{}
	c, err := job.NewClient(db, job.Config{Logger: logger, MaxWorkers: 1, RefreshTokens: true, FetchPollInterval: 20 * time.Millisecond,
		Workers: job.NewWorkers(job.Deps{Logger: logger, Now: time.Now, Store: store.New(db), Tokens: ref})})
	if err != nil {
		t.Fatal(err)
	}
	events, unsub := c.Subscribe(river.EventKindJobCompleted)
	defer unsub()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = c.Stop(context.Background()) }()
	for {
		select {
		case ev := <-events:
			if ev.Job.Kind != "refresh_tokens" {
				continue
			}
			if ref.calls.Load() != 1 || time.Duration(ref.ahead.Load()) < time.Hour {
				t.Fatalf("refresher called %d times with ahead %v", ref.calls.Load(), time.Duration(ref.ahead.Load()))
			}
			return
		case <-ctx.Done():
			t.Fatal("refresh_tokens never ran")
		}
	}
}
