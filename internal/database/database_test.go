package database_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
)

func TestMigrationFoldersHaveSameVersions(t *testing.T) {
	t.Parallel()
	names := func(d database.Dialect) []string {
		fsys, err := database.Migrations(d)
		if err != nil {
			t.Fatal(err)
		}
		entries, err := fs.ReadDir(fsys, ".")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names(database.SQLite), names(database.Postgres)
	if len(lite) == 0 {
		t.Fatal("no migrations found")
	}
	if !slices.Equal(lite, pg) {
		t.Fatalf("migration files differ:\nsqlite:   %v\npostgres: %v", lite, pg)
	}
}

// TestSchemasMatch migrates both dialects and compares our tables and their
// columns, so a migration written for one dialect only is caught.
func TestSchemasMatch(t *testing.T) {
	t.Parallel()
	if os.Getenv(databasetest.EnvPostgres) == "" {
		t.Skip("TEST_DATABASE_URL not set; CI sets it and runs this comparison")
	}
	lite := schemaOf(t, databasetest.Open(t, database.SQLite))
	pg := schemaOf(t, databasetest.Open(t, database.Postgres))
	if len(lite) < 1 {
		t.Fatal("no tables in sqlite schema")
	}
	for table, cols := range lite {
		if !slices.Equal(cols, pg[table]) {
			t.Errorf("table %s: sqlite columns %v, postgres columns %v", table, cols, pg[table])
		}
	}
	for table := range pg {
		if _, ok := lite[table]; !ok {
			t.Errorf("table %s exists only on postgres", table)
		}
	}
}

// schemaOf lists our tables (not River's or goose's) with sorted columns.
func schemaOf(t *testing.T, db *database.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	var q string
	if db.Dialect == database.SQLite {
		q = `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	} else {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := db.SQL.QueryContext(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(table, "river_") || strings.HasPrefix(table, "goose_") {
			continue
		}
		out[table] = append(out[table], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for k := range out {
		slices.Sort(out[k])
	}
	return out
}

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			db := databasetest.Open(t, d)
			if err := db.Migrate(context.Background()); err != nil {
				t.Fatalf("second migrate: %v", err)
			}
		})
	}
}

// TestConcurrentMigrate starts several migrations of one PostgreSQL schema
// at once, as several `serve` processes starting together would; the
// advisory lock must make exactly one do the work and the others succeed.
func TestConcurrentMigrate(t *testing.T) {
	t.Parallel()
	if os.Getenv(databasetest.EnvPostgres) == "" {
		t.Skip("TEST_DATABASE_URL not set")
	}
	dsn := databasetest.DSN(t, database.Postgres)
	ctx := context.Background()
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			db, err := database.Open(ctx, dsn, database.Options{})
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			errs[i] = db.Migrate(ctx)
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent migrate: %v", err)
	}
	db, err := database.Open(ctx, dsn, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var applied int
	if err := db.SQL.QueryRowContext(ctx, "SELECT count(*) FROM goose_db_version WHERE version_id = 1").Scan(&applied); err != nil {
		t.Fatal(err)
	}
	if applied != 1 {
		t.Fatalf("version 1 recorded %d times, want 1", applied)
	}
}

func TestExclusiveLock(t *testing.T) {
	t.Parallel()
	dsn := "sqlite:" + filepath.Join(t.TempDir(), "fb.db")
	ctx := context.Background()
	first, err := database.Open(ctx, dsn, database.Options{Exclusive: true})
	if err != nil {
		t.Fatal(err)
	}
	if !first.Exclusive() {
		t.Fatal("first open should hold the lock")
	}
	_, err = database.Open(ctx, dsn, database.Options{Exclusive: true})
	if !errors.Is(err, database.ErrLocked) {
		t.Fatalf("second exclusive open: got %v, want ErrLocked", err)
	}
	shared, err := database.Open(ctx, dsn, database.Options{})
	if err != nil {
		t.Fatalf("non-exclusive open beside a server must work: %v", err)
	}
	_ = shared.Close()
	_ = first.Close()
	again, err := database.Open(ctx, dsn, database.Options{Exclusive: true})
	if err != nil {
		t.Fatalf("lock not released on close: %v", err)
	}
	_ = again.Close()
}

func TestOpenErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, dsn, want string
	}{
		{"empty", "", "FIELDBRIDGE_DB: empty"},
		{"unknown scheme", "mysql://x", `FIELDBRIDGE_DB: unknown scheme "mysql"`},
		{"missing folder", "sqlite:/nonexistent/dir/fb.db", "FIELDBRIDGE_DB: folder /nonexistent/dir does not exist"},
		{"unreachable postgres", "postgres://u:secretpw@127.0.0.1:1/db?connect_timeout=2", "FIELDBRIDGE_DB: cannot reach PostgreSQL at 127.0.0.1:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := database.Open(context.Background(), tt.dsn, database.Options{})
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Fatalf("got %v, want prefix %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "secretpw") {
				t.Fatalf("error leaks the password: %v", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error spans several lines: %q", err)
			}
		})
	}
}
