package store

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// LockRecords keeps other processes off a flow's records (keys such as
// "r:<code>" or "g:<contact id>") until release is called. Several
// `fieldbridge serve` processes may share a PostgreSQL database: there it
// takes a session advisory lock per key, waiting (with backoff, never
// holding some keys while waiting for others) until all are free. On
// SQLite one process owns the file and it does nothing. Within a process
// the caller's own locks come first; this only adds the other processes.
func (s *Store) LockRecords(ctx context.Context, flow string, keys []string) (release func(), err error) {
	if s.db.Dialect != database.Postgres || len(keys) == 0 {
		return func() {}, nil
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = flow + "\x00" + k
	}
	ids, err := s.db.AdvisoryKeys(ctx, names)
	if err != nil {
		return nil, err
	}
	wait := 5 * time.Millisecond
	for {
		got, err := s.db.TryAdvisoryLocks(ctx, ids)
		if err != nil {
			return nil, err
		}
		if len(got) == len(ids) {
			return func() { _ = s.db.ReleaseAdvisoryLocks(context.Background(), ids) }, nil
		}
		// Another process works some of these records: give back what was
		// taken (holding part while waiting for the rest could deadlock),
		// wait a little and try again.
		if err := s.db.ReleaseAdvisoryLocks(ctx, got); err != nil {
			return nil, err
		}
		t := time.NewTimer(wait/2 + rand.N(wait))
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
		wait = min(2*wait, 250*time.Millisecond)
	}
}
