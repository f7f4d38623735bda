package app_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/job"
)

// TestJobsOfGoneProcessRetriedAtStart: on PostgreSQL a server that starts
// makes the jobs a crashed process left running available at once (its
// process lock is free), instead of leaving them to River's rescuer for
// FIELDBRIDGE_RESCUE_AFTER; and the server holds its own process lock.
func TestJobsOfGoneProcessRetriedAtStart(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		if d != database.Postgres {
			continue
		}
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := databasetest.DSN(t, d)
			db, err := database.Open(ctx, dsn, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = db.Close() })
			if err := db.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var id int64
			if err := db.SQL.QueryRowContext(ctx, `INSERT INTO river_job (kind, args, max_attempts, state, attempt, attempted_at, attempted_by)
				VALUES ('crashed', '{}', 5, 'running', 1, now(), $1) RETURNING id`, []string{job.ClientIDPrefix + "crashed-1-abcd"}).Scan(&id); err != nil {
				t.Fatal(err)
			}
			a, err := app.New(ctx, testConfig(t, map[string]string{"FIELDBRIDGE_DB": dsn}), slog.New(slog.DiscardHandler), app.Options{Now: time.Now})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = a.Stop(context.Background()) })
			var state string
			if err := db.SQL.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = $1`, id).Scan(&state); err != nil {
				t.Fatal(err)
			}
			if state != "available" {
				t.Fatalf("job of the crashed process is %s, want available", state)
			}
			// The server's own jobs are safe from the others' check.
			if alive, err := db.ProcessAlive(ctx, a.ClientID()); err != nil || !alive {
				t.Fatalf("the server's process lock: alive %v, %v", alive, err)
			}
		})
	}
}
