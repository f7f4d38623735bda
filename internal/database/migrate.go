package database

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
)

//go:embed migrations
var migrationsFS embed.FS

// migrationLockID is the PostgreSQL advisory lock key that serialises
// migrations across processes ("fbmigrat" in ASCII).
const migrationLockID int64 = 0x66626d6967726174

// Migrations returns the embedded migration folder of a dialect. Both
// folders hold the same versions; a test keeps them in step.
func Migrations(d Dialect) (fs.FS, error) {
	return fs.Sub(migrationsFS, "migrations/"+string(d))
}

// Migrate brings River's tables and ours up to date: River's migrations
// first (our tables may refer to jobs), then ours with goose.
//
// On PostgreSQL several processes may start at once; a session-level
// advisory lock makes them migrate one after the other, and the later ones
// find nothing left to do. On SQLite the single writer connection already
// serialises everything.
func (db *DB) Migrate(ctx context.Context) error {
	if db.Dialect == SQLite {
		// Two processes creating a fresh file at once (a server and a CLI
		// command) would both try to create River's tables; a blocking
		// lock beside the file makes the second wait and find them made.
		unlock, err := lockBlocking(db.Path + ".migrate.lock")
		if err != nil {
			return err
		}
		defer unlock()
	}
	if db.Dialect == Postgres {
		conn, err := db.Pool.Acquire(ctx)
		if err != nil {
			return fmt.Errorf("database: migrate: acquire lock connection: %w", err)
		}
		defer conn.Release()
		if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockID); err != nil {
			return fmt.Errorf("database: migrate: take advisory lock: %w", err)
		}
		defer func() {
			_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLockID)
		}()
	}
	if err := db.migrateRiver(ctx); err != nil {
		return err
	}
	return db.migrateOwn(ctx)
}

func (db *DB) migrateRiver(ctx context.Context) error {
	cfg := &rivermigrate.Config{Logger: db.logger}
	var (
		res *rivermigrate.MigrateResult
		err error
	)
	if db.Dialect == SQLite {
		m, merr := rivermigrate.New(riversqlite.New(db.SQL), cfg)
		if merr != nil {
			return fmt.Errorf("database: river migrator: %w", merr)
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	} else {
		m, merr := rivermigrate.New(riverdatabasesql.New(db.SQL), cfg)
		if merr != nil {
			return fmt.Errorf("database: river migrator: %w", merr)
		}
		res, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	}
	if err != nil {
		return fmt.Errorf("database: river migrations: %w", err)
	}
	for _, v := range res.Versions {
		db.logger.Info("applied river migration", slog.Int("version", v.Version))
	}
	return nil
}

func (db *DB) migrateOwn(ctx context.Context) error {
	fsys, err := Migrations(db.Dialect)
	if err != nil {
		return fmt.Errorf("database: migrations folder: %w", err)
	}
	dialect := goose.DialectSQLite3
	if db.Dialect == Postgres {
		dialect = goose.DialectPostgres
	}
	p, err := goose.NewProvider(dialect, db.SQL, fsys, goose.WithDisableGlobalRegistry(true))
	if err != nil {
		return fmt.Errorf("database: goose provider: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("database: migrations: %w", err)
	}
	for _, r := range results {
		db.logger.Info("applied migration", slog.Int64("version", r.Source.Version), slog.String("file", r.Source.Path))
	}
	return nil
}
