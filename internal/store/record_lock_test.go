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

// TestLockRecords: on PostgreSQL two processes (two database handles, two
// sessions) never hold the same record at once; on SQLite, which one
// process owns, locking is free.
func TestLockRecords(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			dsn := databasetest.DSN(t, d)
			open := func(dsn string) *store.Store {
				db, err := database.Open(ctx, dsn, database.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = db.Close() })
				return store.New(db)
			}
			if d == database.SQLite {
				s := open(dsn)
				release, err := s.LockRecords(ctx, "f", []string{"r:1"})
				if err != nil {
					t.Fatal(err)
				}
				release()
				return
			}
			a, b := open(dsn), open(dsn)
			releaseA, err := a.LockRecords(ctx, "f", []string{"r:1", "g:x"})
			if err != nil {
				t.Fatal(err)
			}
			// A call whose context is already over must not cost the
			// session (and every lock on it): the records stay held.
			done, cancelDone := context.WithCancel(ctx)
			cancelDone()
			if release, err := a.LockRecords(done, "f", []string{"r:3"}); err == nil {
				release()
			}
			// An overlapping set waits: here, until its context ends.
			short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
			_, err = b.LockRecords(short, "f", []string{"g:x", "r:2"})
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the second process took a held record: %v", err)
			}
			// The waiting attempt left nothing of its set behind: the first
			// process can take the record it did not hold.
			short, cancel = context.WithTimeout(ctx, 5*time.Second)
			release, err := a.LockRecords(short, "f", []string{"r:2"})
			cancel()
			if err != nil {
				t.Fatalf("a record the waiting attempt took stayed locked: %v", err)
			}
			release()
			// Another installation in another schema of the same
			// PostgreSQL database has records of its own.
			elsewhere := open(databasetest.DSN(t, d))
			short, cancel = context.WithTimeout(ctx, 5*time.Second)
			release, err = elsewhere.LockRecords(short, "f", []string{"r:1"})
			cancel()
			if err != nil {
				t.Fatalf("another schema's record was locked: %v", err)
			}
			release()
			// The same key in another flow is another record.
			if release, err = b.LockRecords(ctx, "other", []string{"g:x"}); err != nil {
				t.Fatal(err)
			}
			release()
			got := make(chan error, 1)
			go func() {
				release, err := b.LockRecords(ctx, "f", []string{"g:x", "r:2"})
				if err == nil {
					release()
				}
				got <- err
			}()
			releaseA()
			select {
			case err := <-got:
				if err != nil {
					t.Fatal(err)
				}
			case <-time.After(30 * time.Second):
				t.Fatal("the records were never free for the second process")
			}
		})
	}
}
