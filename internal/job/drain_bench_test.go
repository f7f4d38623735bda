package job_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// BenchmarkQueueDrain measures how fast ten workers drain a queue of short
// jobs (probes: a read and a transaction each, about what the echo of our
// own write costs a webhook job). BENCH_POSTGRES=1 runs it on PostgreSQL
// (TEST_DATABASE_URL).
func BenchmarkQueueDrain(b *testing.B) {
	d := database.SQLite
	if os.Getenv("BENCH_POSTGRES") != "" {
		d = database.Postgres
	}
	const n = 2000
	for range b.N {
		b.StopTimer()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		db := databasetest.Open(b, d)
		st := store.New(db)
		logger := slog.New(slog.NewTextHandler(io.Discard, nil))
		c, err := job.NewClient(db, job.Config{Logger: logger, Workers: job.NewWorkers(job.Deps{Logger: logger, Now: time.Now, Store: st}),
			JobTimeout: time.Minute, MaxWorkers: 10})
		if err != nil {
			b.Fatal(err)
		}
		for range n {
			if _, err := job.EnqueueProbe(ctx, st, c, store.Probe{CreatedAt: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
		events, unsubscribe := c.Subscribe(river.EventKindJobCompleted)
		b.StartTimer()
		start := time.Now()
		if err := c.Start(ctx); err != nil {
			b.Fatal(err)
		}
		for done := 0; done < n; done++ {
			select {
			case <-events:
			case <-ctx.Done():
				b.Fatalf("%d of %d jobs done", done, n)
			}
		}
		b.ReportMetric(n/time.Since(start).Seconds(), "jobs/s")
		b.StopTimer()
		unsubscribe()
		_ = c.Stop(context.Background())
		cancel()
		b.StartTimer()
	}
}
