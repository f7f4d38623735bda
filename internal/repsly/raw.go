package repsly

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Export fetches one page of any cursor-paged export by endpoint name, with
// the rows left as raw JSON. The catalog uses it to drive triggers straight
// from the Endpoints table.
func (c *Client) Export(ctx context.Context, name string, cursor Cursor) (Page[json.RawMessage], error) {
	return exportPage[json.RawMessage](ctx, c, name, cursor)
}

// ExportAll fetches an export that returns everything in one call
// (representatives, pricelists, document types, pricelist items, one
// client), filling the path's placeholders with values in order.
func (c *Client) ExportAll(ctx context.Context, name string, values ...string) ([]json.RawMessage, error) {
	return exportList[json.RawMessage](ctx, c, name, values...)
}

// ExportRange fetches a date-range export between two dates, both inclusive.
func (c *Client) ExportRange(ctx context.Context, name string, from, to time.Time) ([]json.RawMessage, error) {
	ep, err := endpoint(name)
	if err != nil {
		return nil, err
	}
	if ep.Cursor != CursorDateRange {
		return nil, fmt.Errorf("repsly: %s is not a date-range export: %w", name, ErrCursorKind)
	}
	return exportRange[json.RawMessage](ctx, c, name, from, to)
}

// Import posts raw records to any import endpoint by name and waits for the
// job(s): a list endpoint gets them in batches inside its envelope key, a
// single-record endpoint one at a time. Records are not validated here.
func (c *Client) Import(ctx context.Context, name string, records []json.RawMessage) (ImportResult, error) {
	ep, err := endpoint(name)
	if err != nil {
		return ImportResult{}, err
	}
	if ep.Method != http.MethodPost {
		return ImportResult{}, fmt.Errorf("repsly: %s is not an import", name)
	}
	if ep.Envelope != "" {
		return runImport(ctx, c, "", name, records)
	}
	return runImport(ctx, c, name, "", records)
}
