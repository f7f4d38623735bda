package store

import (
	"context"
	"fmt"
)

// scanner is what both *sql.Row and *sql.Rows offer; the scan* functions
// take it so one function reads a row for Get and for List.
type scanner = interface{ Scan(...any) error }

// queryAll runs query and reads every row with scan. The rows are closed
// before it returns, so callers may use the database again at once (SQLite
// runs on a single connection). what names the query in errors.
func queryAll[T any](ctx context.Context, q Querier, what string, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}
