package syncer_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// TestRecordsLockedAcrossServers: with several servers on one PostgreSQL
// database, the engine waits while another process works a record (the
// other process is played by a second database session holding the
// record's lock), and goes on once it is free. SQLite has one process.
func TestRecordsLockedAcrossServers(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		if d != database.Postgres {
			continue
		}
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			dsn := databasetest.DSN(t, d)
			b := setup(t, setupOpts{clients: 1, dsn: dsn})
			code, id := linkedPair(t, b)
			db, err := database.Open(b.ctx, dsn, database.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			release, err := store.New(db).LockRecords(b.ctx, "two-way", []string{"r:" + code})
			if err != nil {
				t.Fatal(err)
			}
			editRepCity(t, b, code, "Lockton")
			page := exportAll(t, b)
			short, cancel := context.WithTimeout(b.ctx, 300*time.Millisecond)
			_, err = b.engine.ApplyRepsly(short, page, b.clock.Now(), syncer.BatchOptions{})
			cancel()
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("the engine worked a record another server held: %v", err)
			}
			if ct, _ := b.env.GHL.Contact(id); ct.City == "Lockton" {
				t.Fatal("the contact was written while another server held its client")
			}
			release()
			if _, err := b.engine.ApplyRepsly(b.ctx, page, b.clock.Now(), syncer.BatchOptions{}); err != nil {
				t.Fatal(err)
			}
			if ct, _ := b.env.GHL.Contact(id); ct.City != "Lockton" {
				t.Fatalf("contact City %q once the record was free, want Lockton", ct.City)
			}
		})
	}
}
