package store_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestRequeueJobsOfGoneProcesses: on PostgreSQL a job left running by a
// process whose lock is free is made available at once, and its queue
// leadership opened; jobs of a live process, of the caller and of clients
// that hold no such lock stay running (River's rescuer has those). On
// SQLite it does nothing.
func TestRequeueJobsOfGoneProcesses(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := databasetest.DSN(t, d)
			open := func() *database.DB {
				db, err := database.Open(ctx, dsn, database.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				return db
			}
			self, other := open(), open()
			if err := self.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			st := store.New(self)
			now := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
			logger := slog.New(slog.DiscardHandler)
			if d == database.SQLite {
				n, err := st.RequeueJobsOfGoneProcesses(ctx, now, "fieldbridge-self", "fieldbridge-", logger)
				if err != nil || n != 0 {
					t.Fatalf("sqlite: %d %v", n, err)
				}
				return
			}
			if err := self.HoldProcessLock(ctx, "fieldbridge-self"); err != nil {
				t.Fatal(err)
			}
			if err := other.HoldProcessLock(ctx, "fieldbridge-alive"); err != nil {
				t.Fatal(err)
			}
			gone := open()
			if err := gone.HoldProcessLock(ctx, "fieldbridge-gone"); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				id   string
				want bool
			}{{"fieldbridge-self", true}, {"fieldbridge-alive", true}, {"fieldbridge-gone", true}, {"fieldbridge-never", false}} {
				if alive, err := self.ProcessAlive(ctx, c.id); err != nil || alive != c.want {
					t.Fatalf("ProcessAlive(%s) = %v %v, want %v", c.id, alive, err, c.want)
				}
			}
			// The process ends: PostgreSQL ends its session and its lock.
			if err := gone.Close(); err != nil {
				t.Fatal(err)
			}
			jobs := map[string][]string{
				"gone":        {"fieldbridge-alive", "fieldbridge-gone"}, // the last attempt counts
				"alive":       {"fieldbridge-gone", "fieldbridge-alive"},
				"self":        {"fieldbridge-self"},
				"other-app":   {"some-host_2026_11_28"},
				"gone-2":      {"fieldbridge-gone"},
				"never-taken": nil,
			}
			ids := map[string]int64{}
			for kind, by := range jobs {
				var id int64
				if err := self.SQL.QueryRowContext(ctx, `INSERT INTO river_job (kind, args, max_attempts, state, attempt, attempted_at, attempted_by)
					VALUES ($1, '{}', 5, 'running', 1, now(), $2) RETURNING id`, kind, by).Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids[kind] = id
			}
			// A live leader keeps its leadership.
			if _, err := self.SQL.ExecContext(ctx, `INSERT INTO river_leader (leader_id, elected_at, expires_at) VALUES ('fieldbridge-alive', now(), now() + interval '15 seconds')`); err != nil {
				t.Fatal(err)
			}
			n, err := st.RequeueJobsOfGoneProcesses(ctx, now, "fieldbridge-self", "fieldbridge-", logger)
			if err != nil {
				t.Fatal(err)
			}
			leader := func() string {
				t.Helper()
				var id string
				if err := self.SQL.QueryRowContext(ctx, `SELECT coalesce(max(leader_id), '') FROM river_leader`).Scan(&id); err != nil {
					t.Fatal(err)
				}
				return id
			}
			if got := leader(); got != "fieldbridge-alive" {
				t.Fatalf("leader %q after the check, want the live one kept", got)
			}
			// A gone one's leadership is opened at once, not after its TTL.
			if _, err := self.SQL.ExecContext(ctx, `UPDATE river_leader SET leader_id = 'fieldbridge-gone'`); err != nil {
				t.Fatal(err)
			}
			if _, err := st.RequeueJobsOfGoneProcesses(ctx, now, "fieldbridge-self", "fieldbridge-", logger); err != nil {
				t.Fatal(err)
			}
			if got := leader(); got != "" {
				t.Fatalf("leader %q after the check, want the gone one's row removed", got)
			}
			if n != 2 {
				t.Fatalf("requeued %d jobs, want the 2 of the gone process", n)
			}
			for kind, id := range ids {
				var state string
				if err := self.SQL.QueryRowContext(ctx, `SELECT state FROM river_job WHERE id = $1`, id).Scan(&state); err != nil {
					t.Fatal(err)
				}
				want := "running"
				if kind == "gone" || kind == "gone-2" {
					want = "available"
				}
				if state != want {
					t.Errorf("job %s: %s, want %s", kind, state, want)
				}
			}
		})
	}
}
