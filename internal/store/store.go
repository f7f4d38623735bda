// Package store holds every SQL statement of Fieldbridge. Each statement is
// written once in the subset of SQL that SQLite and PostgreSQL share ($n
// placeholders, ON CONFLICT, RETURNING, no casts, times passed in from Go),
// and the conformance suite in this package runs against both.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// Querier is what a statement runs on: the pool or a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

var (
	_ Querier = (*sql.DB)(nil)
	_ Querier = (*sql.Tx)(nil)
)

// Store runs Fieldbridge's statements on one database.
type Store struct {
	db *database.DB
}

// New returns a Store on db.
func New(db *database.DB) *Store { return &Store{db: db} }

// DB returns the pool, for callers that start their own transactions.
func (s *Store) DB() *sql.DB { return s.db.SQL }

// Dialect returns the SQL dialect of the database.
func (s *Store) Dialect() database.Dialect { return s.db.Dialect }

// InTx runs fn in a transaction and commits it when fn returns nil. On
// SQLite the transaction begins IMMEDIATE (see database.Open), so it holds
// the write lock from the start and never fails half-way on a busy upgrade.
func (s *Store) InTx(ctx context.Context, fn func(tx Tx) error) error {
	tx, err := s.db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	if err := s.db.SQL.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// Tx is the transaction type shared by the store, River and every worker.
type Tx = *sql.Tx

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
