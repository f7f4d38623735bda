package store

import (
	"context"
	"fmt"
)

// countBy runs a "SELECT key, count(*) ... GROUP BY key" query and returns
// the counts by key. what names the count in errors.
func countBy[N int | int64](ctx context.Context, q Querier, what, query string, args ...any) (map[string]N, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	defer rows.Close()
	out := map[string]N{}
	for rows.Next() {
		var (
			key string
			n   N
		)
		if err := rows.Scan(&key, &n); err != nil {
			return nil, fmt.Errorf("store: %s: %w", what, err)
		}
		out[key] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}
