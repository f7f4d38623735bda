// Package databasetest opens migrated, isolated databases for tests: a
// fresh SQLite file per test, and when TEST_DATABASE_URL is set a fresh
// PostgreSQL schema per test in that database.
package databasetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// EnvPostgres names the variable that points the tests at PostgreSQL.
const EnvPostgres = "TEST_DATABASE_URL"

// Dialects lists the dialects tests should cover here: SQLite always,
// PostgreSQL when TEST_DATABASE_URL is set.
func Dialects() []database.Dialect {
	if os.Getenv(EnvPostgres) != "" {
		return []database.Dialect{database.SQLite, database.Postgres}
	}
	return []database.Dialect{database.SQLite}
}

// DSN returns a DSN for a fresh, empty database of dialect d and registers
// its removal with t.Cleanup. The PostgreSQL variant is a new schema in
// TEST_DATABASE_URL's database, selected through search_path, so parallel
// tests and packages never see each other's rows.
func DSN(t testing.TB, d database.Dialect) string {
	t.Helper()
	if d == database.SQLite {
		return "sqlite:" + filepath.Join(t.TempDir(), "fieldbridge.db")
	}
	base := os.Getenv(EnvPostgres)
	if base == "" {
		t.Fatalf("databasetest: %s is not set", EnvPostgres)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "fbtest_" + hex.EncodeToString(b[:])
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, base)
	if err != nil {
		t.Fatalf("databasetest: connect %s: %v", EnvPostgres, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatalf("databasetest: create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), base)
		if err != nil {
			return
		}
		defer c.Close(context.Background())
		_, _ = c.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("databasetest: parse %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated database of dialect d, closed at cleanup.
func Open(t testing.TB, d database.Dialect) *database.DB {
	t.Helper()
	db, err := database.Open(context.Background(), DSN(t, d), database.Options{})
	if err != nil {
		t.Fatalf("databasetest: open: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("databasetest: migrate: %v", err)
	}
	return db
}
