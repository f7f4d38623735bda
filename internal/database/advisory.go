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
		h := fnv.New64a()
		_, _ = h.Write([]byte(schema))
		_, _ = h.Write([]byte{0})
		_, _ = h.Write([]byte(n))
		keys = append(keys, int64(h.Sum64()))
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
	if a.conn == nil {
		c, err := pgx.ConnectConfig(ctx, db.Pool.Config().ConnConfig.Copy())
		if err != nil {
			return err
		}
		if err := c.QueryRow(ctx, `SELECT coalesce(current_schema(), '')`).Scan(&a.schema); err != nil {
			_ = c.Close(context.Background())
			return err
		}
		a.conn = c
	}
	if err := fn(ctx, a.conn); err != nil {
		_ = a.conn.Close(context.Background())
		a.conn = nil
		return err
	}
	return nil
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
