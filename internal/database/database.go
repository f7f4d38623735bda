// Package database opens Fieldbridge's database, SQLite or PostgreSQL, and
// migrates it. Both dialects are used through one *sql.DB so that the store,
// River and every worker share the *sql.Tx type.
package database

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/fieldbridge/fieldbridge/internal/config"
)

// Dialect names the SQL dialect of an open database.
type Dialect string

// The two dialects Fieldbridge speaks.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Options tunes Open.
type Options struct {
	// Exclusive takes a lock file next to a SQLite database so that a second
	// server process on the same file fails at start instead of fighting
	// over the writer. CLI commands that only run short transactions leave it
	// false. Ignored on PostgreSQL, where many processes may share the
	// database.
	Exclusive bool

	// Logger receives connection and migration logs. Defaults to discarding.
	Logger *slog.Logger
}

// DB is an open database.
type DB struct {
	// SQL is the pool every statement goes through. On SQLite it holds a
	// single connection (see openSQLite).
	SQL *sql.DB

	// Dialect says which SQL dialect SQL speaks.
	Dialect Dialect

	// Pool is the pgx pool behind SQL on PostgreSQL, used by River for
	// LISTEN/NOTIFY. Nil on SQLite.
	Pool *pgxpool.Pool

	// Path is the SQLite file path; empty on PostgreSQL.
	Path string

	logger   *slog.Logger
	lock     *fileLock
	advisory advisory // PostgreSQL only: the session holding record locks
}

// ErrLocked is returned by Open when another process holds the SQLite file.
var ErrLocked = errors.New("database: the SQLite file is in use by another fieldbridge process")

// Open connects to the database named by dsn ("sqlite:PATH" or
// "postgres://..."), checks that it answers and returns it. It does not
// migrate; call Migrate.
func Open(ctx context.Context, dsn string, opts Options) (*DB, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	driver, addr, err := config.ParseDSN(dsn)
	if err != nil {
		return nil, fmt.Errorf("FIELDBRIDGE_DB: %w", err)
	}
	switch driver {
	case config.DriverSQLite:
		return openSQLite(ctx, addr, opts.Exclusive, logger)
	default:
		return openPostgres(ctx, addr, logger)
	}
}

// openSQLite opens the file with WAL, a busy timeout and immediate
// transactions.
//
// The pool is capped at one connection. River's own SQLite tests do the
// same: with more, concurrent writers hit SQLITE_BUSY under load, and app
// code must be able to enqueue a job in the same transaction that wrote its
// row, which requires River and the store to share the writer.
func openSQLite(ctx context.Context, path string, exclusive bool, logger *slog.Logger) (*DB, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("FIELDBRIDGE_DB: sqlite path %q: %w", path, err)
	}
	if dir := filepath.Dir(abs); dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("FIELDBRIDGE_DB: folder %s does not exist", dir)
		}
	}
	var lock *fileLock
	if exclusive {
		lock, err = lockFile(abs + ".lock")
		if err != nil {
			return nil, err
		}
	}
	q := url.Values{}
	// An 8 MB page cache instead of SQLite's 2 MB: a backfill inserts into
	// the link table's indexes all over, and at 100,000 links the default
	// cache re-read their pages from the file (a tenth less CPU for
	// `sync run`, 11 MB more RSS; docs/benchmarks.md).
	for _, p := range []string{"journal_mode(WAL)", "busy_timeout(10000)", "foreign_keys(1)", "synchronous(NORMAL)", "cache_size(-8000)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+abs+"?"+q.Encode())
	if err != nil {
		lock.release()
		return nil, fmt.Errorf("database: open sqlite %s: %w", abs, err)
	}
	db.SetMaxOpenConns(1)
	db.SetConnMaxIdleTime(0)
	db.SetConnMaxLifetime(0)
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := db.PingContext(pingCtx); err != nil {
		_ = db.Close()
		lock.release()
		return nil, fmt.Errorf("FIELDBRIDGE_DB: cannot open sqlite file %s: %w", abs, err)
	}
	logger.Debug("database opened", slog.String("dialect", "sqlite"), slog.String("path", abs))
	return &DB{SQL: db, Dialect: SQLite, Path: abs, logger: logger, lock: lock}, nil
}

func openPostgres(ctx context.Context, dsn string, logger *slog.Logger) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("FIELDBRIDGE_DB: not a valid PostgreSQL URL (%s)", config.RedactDSN(dsn))
	}
	where := fmt.Sprintf("%s:%d", cfg.ConnConfig.Host, cfg.ConnConfig.Port)
	if cfg.ConnConfig.ConnectTimeout == 0 {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("FIELDBRIDGE_DB: cannot connect to PostgreSQL at %s: %w", where, err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("FIELDBRIDGE_DB: cannot reach PostgreSQL at %s: %s", where, pgReason(err))
	}
	db := stdlib.OpenDBFromPool(pool)
	logger.Debug("database opened", slog.String("dialect", "postgres"), slog.String("addr", where))
	return &DB{SQL: db, Dialect: Postgres, Pool: pool, logger: logger}, nil
}

// pgReason shortens a pgx connection error to its last cause, which names
// what went wrong (refused, no such database, auth) without the DSN.
func pgReason(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	// pgx joins one line per address it tried; the first says enough.
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return msg
}

// Close closes the pools and releases the file lock.
func (db *DB) Close() error {
	db.closeAdvisory()
	err := db.SQL.Close()
	if db.Pool != nil {
		db.Pool.Close()
	}
	db.lock.release()
	return err
}

// Exclusive reports whether this process holds the SQLite lock file, which
// means no other Fieldbridge process can be working on this database.
func (db *DB) Exclusive() bool { return db.lock != nil }
