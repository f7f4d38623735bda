package database

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
)

// advisory is the PostgreSQL session that holds this process's advisory
// locks. Session locks belong to a connection, so one connection of its
// own (outside the pool, which must never run dry while locks are held)
// takes and releases them all, one call at a time.
type advisory struct {
	mu   sync.Mutex
	conn *pgx.Conn
	// schema is the session's current schema. Advisory locks are shared
	// by the whole PostgreSQL database; installations (and tests) living
	// in different schemas of one database must not wait on each other.
	schema string
	// process names the lock that says this process is alive (see
	// HoldProcessLock); the session takes it whenever it connects.
	process string
}

// advisoryKey is the lock key of name in schema (a 64-bit hash: two names
// sharing one only make one wait for the other).
func advisoryKey(schema, name string) int64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(schema))
	_, _ = h.Write([]byte{0})
	_, _ = h.Write([]byte(name))
	return int64(h.Sum64())
}

// AdvisoryKeys turns lock names into the advisory lock keys of this
// database's schema (a 64-bit hash: two names sharing one only make one
// wait for the other).
func (db *DB) AdvisoryKeys(ctx context.Context, names []string) ([]int64, error) {
	if db.Dialect != Postgres {
		return nil, nil
	}
	var schema string
	if err := db.withAdvisory(ctx, func(context.Context, *pgx.Conn) error { schema = db.advisory.schema; return nil }); err != nil {
		return nil, fmt.Errorf("database: record locks: %w", err)
	}
	keys := make([]int64, 0, len(names))
	for _, n := range names {
		keys = append(keys, advisoryKey(schema, n))
	}
	slices.Sort(keys)
	return slices.Compact(keys), nil
}

// TryAdvisoryLocks takes as many of the PostgreSQL advisory locks keys as
// are free right now, without waiting, and returns those it took. On
// SQLite it takes them all: one process owns the file.
func (db *DB) TryAdvisoryLocks(ctx context.Context, keys []int64) ([]int64, error) {
	if db.Dialect != Postgres || len(keys) == 0 {
		return keys, nil
	}
	var got []int64
	err := db.withAdvisory(ctx, func(ctx context.Context, c *pgx.Conn) error {
		return c.QueryRow(ctx, `SELECT coalesce(array_agg(k), '{}') FROM unnest($1::bigint[]) AS k WHERE pg_try_advisory_lock(k)`, keys).Scan(&got)
	})
	if err != nil {
		return nil, fmt.Errorf("database: take record locks: %w", err)
	}
	return got, nil
}

// ReleaseAdvisoryLocks releases locks taken by TryAdvisoryLocks.
func (db *DB) ReleaseAdvisoryLocks(ctx context.Context, keys []int64) error {
	if db.Dialect != Postgres || len(keys) == 0 {
		return nil
	}
	err := db.withAdvisory(ctx, func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SELECT pg_advisory_unlock(k) FROM unnest($1::bigint[]) AS k`, keys)
		return err
	})
	if err != nil {
		return fmt.Errorf("database: release record locks: %w", err)
	}
	return nil
}

// withAdvisory runs fn on the lock session, connecting it first if need
// be. A session whose call fails is dropped: its state is unknown, and
// PostgreSQL releases a session's locks when it ends. Work holding locks
// then runs unguarded until it finishes; the write marks and pending
// writes still keep a stale read from undoing an edit (ADR 0007, 0008).
func (db *DB) withAdvisory(ctx context.Context, fn func(context.Context, *pgx.Conn) error) error {
	// Never the caller's context: pgx closes a connection whose query is
	// cancelled, and with it every lock the session holds for others.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	a := &db.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := db.connectAdvisory(ctx); err != nil {
		return err
	}
	if err := fn(ctx, a.conn); err != nil {
		_ = a.conn.Close(context.Background())
		a.conn = nil
		if a.process != "" {
			// Reconnect now: until the session holds the process lock
			// again, other processes take this one for gone.
			_ = db.connectAdvisory(ctx)
		}
		return err
	}
	return nil
}

// connectAdvisory opens the lock session if there is none, and takes the
// process lock on it. Callers hold advisory.mu.
func (db *DB) connectAdvisory(ctx context.Context) error {
	a := &db.advisory
	if a.conn != nil {
		return nil
	}
	c, err := pgx.ConnectConfig(ctx, db.Pool.Config().ConnConfig.Copy())
	if err != nil {
		return err
	}
	if err := c.QueryRow(ctx, `SELECT coalesce(current_schema(), '')`).Scan(&a.schema); err != nil {
		_ = c.Close(context.Background())
		return err
	}
	if a.process != "" {
		// Waits at most for another process's ProcessAlive check of
		// this name, which holds it for one statement.
		if _, err := c.Exec(ctx, `SELECT pg_advisory_lock($1)`, advisoryKey(a.schema, processLockName(a.process))); err != nil {
			_ = c.Close(context.Background())
			return err
		}
	}
	a.conn = c
	return nil
}

func processLockName(id string) string { return "process\x00" + id }

// HoldProcessLock makes this process's advisory session hold the lock
// named by id (PostgreSQL) for as long as the process lives, taking it
// again whenever the session reconnects. PostgreSQL releases it when the
// session ends, however the process ends: other processes read its
// absence as this process being gone (ProcessAlive). On SQLite it does
// nothing: one process owns the file.
//
// Invariant: a process takes its lock before it starts working jobs, so a
// job attempted by id is never taken for orphaned while id runs.
func (db *DB) HoldProcessLock(ctx context.Context, id string) error {
	if db.Dialect != Postgres {
		return nil
	}
	a := &db.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.process != "" {
		return fmt.Errorf("database: process lock already held as %q", a.process)
	}
	a.process = id
	if a.conn == nil {
		if err := db.connectAdvisory(context.WithoutCancel(ctx)); err != nil {
			a.process = ""
			return fmt.Errorf("database: process lock: %w", err)
		}
		return nil
	}
	if _, err := a.conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_lock($1)`, advisoryKey(a.schema, processLockName(id))); err != nil {
		a.process = ""
		return fmt.Errorf("database: process lock: %w", err)
	}
	return nil
}

// ProcessAlive reports whether the process that holds the lock named by id
// (HoldProcessLock) still runs: whether its lock is taken. On SQLite it
// reports true.
func (db *DB) ProcessAlive(ctx context.Context, id string) (bool, error) {
	if db.Dialect != Postgres {
		return true, nil
	}
	var free bool
	err := db.withAdvisory(ctx, func(ctx context.Context, c *pgx.Conn) error {
		if db.advisory.process == id {
			return nil // this process (a try would succeed: the lock is re-entrant)
		}
		key := advisoryKey(db.advisory.schema, processLockName(id))
		if err := c.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, key).Scan(&free); err != nil || !free {
			return err
		}
		_, err := c.Exec(ctx, `SELECT pg_advisory_unlock($1)`, key)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("database: is process %s alive: %w", id, err)
	}
	return !free, nil
}

func (db *DB) closeAdvisory() {
	a := &db.advisory
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.conn != nil {
		_ = a.conn.Close(context.Background())
		a.conn = nil
	}
}
