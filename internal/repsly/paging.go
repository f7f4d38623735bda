package repsly

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strconv"
	"time"
)

// Page is one export response.
type Page[T any] struct {
	// Items are the rows of this page, in the order Repsly sent them.
	Items []T
	// Next is the cursor to persist once Items have been handled, and to
	// pass to the next call. On an empty page it equals the cursor sent.
	Next Cursor
	// More reports whether calling again with Next right away may return
	// more rows. When false, the export is drained for now; poll again later
	// with Next.
	More bool
	// Meta is the response's MetaCollectionResult as sent.
	Meta Meta
}

// PageFunc fetches the page at a cursor; every Export* method with a
// cursor has this shape.
type PageFunc[T any] func(ctx context.Context, cursor Cursor) (Page[T], error)

// Pages calls fetch from cursor on until a page says More is false, and
// yields every page that has rows or moves the cursor. Persist page.Next
// after handling each page. An error is yielded once and ends the sequence.
//
//	for page, err := range repsly.Pages(ctx, c.ExportClients, saved) {
//		if err != nil { return err }
//		handle(page.Items); save(page.Next)
//	}
func Pages[T any](ctx context.Context, fetch PageFunc[T], cursor Cursor) iter.Seq2[Page[T], error] {
	return func(yield func(Page[T], error) bool) {
		for {
			page, err := fetch(ctx, cursor)
			if err != nil {
				yield(Page[T]{Next: cursor}, err)
				return
			}
			if len(page.Items) > 0 || !page.Next.Equal(cursor) {
				if !yield(page, nil) {
					return
				}
			}
			if !page.More {
				return
			}
			if page.Next.Equal(cursor) {
				// exportPage never does this; a custom fetch might, and
				// following it would loop forever.
				yield(page, fmt.Errorf("repsly: pages: %w", ErrCursorStalled))
				return
			}
			cursor = page.Next
		}
	}
}

// rowKey is the cursor field of one row, when the row has it.
type rowKey struct {
	n  int64
	t  time.Time
	ok bool
}

// exportPage fetches one page of a cursor-paged export and computes the next
// cursor with the stop rules of the reference:
//
//   - timestamp and ID exports: the next cursor is LastTimeStamp / LastID
//     (never FirstID), and the export is drained when a page has no rows
//     (TotalCount 0). A short page is not the end: the docs loop until 0.
//   - visit realizations: skip grows by 50 while pages are full; the window
//     ends on a short page.
func exportPage[T any](ctx context.Context, c *Client, name string, cur Cursor) (Page[T], error) {
	ep, err := endpoint(name)
	if err != nil {
		return Page[T]{}, err
	}
	if cur.Kind == CursorNone {
		cur.Kind = ep.Cursor
	}
	if cur.Kind != ep.Cursor {
		return Page[T]{}, fmt.Errorf("repsly: %s: %s cursor for a %s export: %w", name, cur.Kind, ep.Cursor, ErrCursorKind)
	}
	var path string
	switch ep.Cursor {
	case CursorTimestamp, CursorID:
		path, err = ep.expand(strconv.FormatInt(cur.Value, 10))
	case CursorModified:
		// Checked before calling: Repsly answers 400 above the limit.
		if cur.Skip > MaxSkip || cur.Skip < 0 {
			return Page[T]{}, &SkipLimitError{Skip: cur.Skip, Max: MaxSkip}
		}
		path, err = ep.expand(FormatDate(cur.Modified, LayoutISOMillis), strconv.Itoa(cur.Skip))
	default:
		return Page[T]{}, fmt.Errorf("repsly: %s is not a cursor-paged export: %w", name, ErrCursorKind)
	}
	if err != nil {
		return Page[T]{}, err
	}
	body, status, err := c.do(ctx, http.MethodGet, path, nil, true)
	if err != nil {
		return Page[T]{Next: cur}, err
	}
	bodyErr := func(err error) error {
		return &Error{Method: http.MethodGet, Path: path, StatusCode: status, Kind: ErrUnexpectedBody, Err: err}
	}
	env, err := decodeEnvelope(body, ep.Envelope, ep.EnvelopeAlt...)
	if err != nil {
		return Page[T]{Next: cur}, bodyErr(err)
	}
	items, keys, err := decodeRows[T](env.Rows, ep.KeyField, ep.Cursor == CursorModified)
	if err != nil {
		return Page[T]{Next: cur}, bodyErr(err)
	}
	page := Page[T]{Items: items, Meta: env.Meta}
	if ep.Cursor == CursorModified {
		page.Next, page.More, err = nextModified(cur, len(items), keys)
	} else {
		page.Next, page.More, err = nextValue(cur, env, keys)
	}
	if err != nil {
		if errors.Is(err, ErrSkipLimit) {
			return Page[T]{Next: cur}, err
		}
		return Page[T]{Next: cur}, bodyErr(err)
	}
	return page, nil
}

// nextValue applies the timestamp/ID rule. The largest of LastTimeStamp /
// LastID and the rows' own keys is taken, so a server that reports a stale
// Last value cannot make the caller see rows twice.
func nextValue(cur Cursor, env envelope, keys []rowKey) (Cursor, bool, error) {
	if len(env.Rows) == 0 {
		if env.Meta.TotalCount > 0 {
			return cur, false, fmt.Errorf("TotalCount is %d but no rows came", env.Meta.TotalCount)
		}
		return cur, false, nil
	}
	last := env.Meta.LastID
	if cur.Kind == CursorTimestamp {
		last = env.Meta.LastTimeStamp
	}
	for _, k := range keys {
		if k.ok && k.n > last {
			last = k.n
		}
	}
	if last <= cur.Value {
		return cur, false, fmt.Errorf("%d rows but next cursor %d does not pass %d: %w", len(env.Rows), last, cur.Value, ErrCursorStalled)
	}
	return Cursor{Kind: cur.Kind, Value: last}, true, nil
}

// nextModified applies the visit realizations rule. Rows are assumed to come
// in ascending ModifiedUTC order, as the skip paging implies. When the skip
// limit is reached the window restarts at the newest ModifiedUTC seen; when
// a window ends, the next poll starts there too. Rows modified exactly at
// that instant may come again (at-least-once), which callers absorb like any
// re-delivered timestamp row.
func nextModified(cur Cursor, n int, keys []rowKey) (Cursor, bool, error) {
	seen := cur.Seen
	for _, k := range keys {
		// Truncated to the filter's millisecond precision, so that the
		// cursor survives its text form; rounding down only re-reads.
		if t := k.t.UTC().Truncate(time.Millisecond); k.ok && t.After(seen) {
			seen = t
		}
	}
	if n >= PageSize {
		if cur.Skip+PageSize <= MaxSkip {
			return Cursor{Kind: CursorModified, Modified: cur.Modified, Skip: cur.Skip + PageSize, Seen: seen}, true, nil
		}
		if !seen.After(cur.Modified) {
			// More than MaxSkip rows share one instant: nothing can move on.
			return cur, false, &SkipLimitError{Skip: cur.Skip + PageSize, Max: MaxSkip}
		}
		return Cursor{Kind: CursorModified, Modified: seen}, true, nil
	}
	next := Cursor{Kind: CursorModified, Modified: cur.Modified}
	if seen.After(cur.Modified) {
		next.Modified = seen
	}
	return next, false, nil
}

// cursorKeyer is a row type that gives its cursor key from its decoded
// fields, sparing decodeRows a second decode of every row (the clients
// export is read row by row on every poll and backfill).
type cursorKeyer interface {
	cursorKey(field string) (key rowKey, handled bool)
}

// decodeRows decodes every row into T and reads its cursor key field.
func decodeRows[T any](rows []json.RawMessage, keyField string, keyIsTime bool) ([]T, []rowKey, error) {
	items := make([]T, 0, len(rows))
	var keys []rowKey
	if keyField != "" {
		keys = make([]rowKey, len(rows))
	}
	for i, raw := range rows {
		var v T
		if err := decodeJSON(raw, &v); err != nil {
			return nil, nil, fmt.Errorf("row %d: %w", i, err)
		}
		items = append(items, v)
		if keyField == "" {
			continue
		}
		if k, ok := any(&v).(cursorKeyer); ok {
			if key, handled := k.cursorKey(keyField); handled {
				keys[i] = key
				continue
			}
		}
		var fields map[string]json.RawMessage
		if decodeJSON(raw, &fields) != nil {
			continue
		}
		f, ok := lookupKey(fields, keyField)
		if !ok {
			continue
		}
		if keyIsTime {
			var t Time
			if t.UnmarshalJSON(f) == nil && !t.IsZero() {
				keys[i] = rowKey{t: t.Time, ok: true}
			}
			continue
		}
		var n flexInt
		if n.UnmarshalJSON(f) == nil {
			keys[i] = rowKey{n: int64(n), ok: true}
		}
	}
	return items, keys, nil
}

// exportList fetches an export that returns everything in one call.
func exportList[T any](ctx context.Context, c *Client, name string, values ...string) ([]T, error) {
	ep, err := endpoint(name)
	if err != nil {
		return nil, err
	}
	path, err := ep.expand(values...)
	if err != nil {
		return nil, err
	}
	body, status, err := c.do(ctx, http.MethodGet, path, nil, false)
	if err != nil {
		return nil, err
	}
	env, err := decodeEnvelope(body, ep.Envelope, ep.EnvelopeAlt...)
	if err == nil {
		var items []T
		items, _, err = decodeRows[T](env.Rows, "", false)
		if err == nil {
			return items, nil
		}
	}
	return nil, &Error{Method: http.MethodGet, Path: path, StatusCode: status, Kind: ErrUnexpectedBody, Err: err}
}

// scheduleWindow is how many days one date-range call covers; third-party
// clients walk visit schedules week by week.
const scheduleWindow = 7

// exportRange fetches a date-range export from one date to another (both
// inclusive) in week windows. A window that comes back with a full page may
// have been cut at 50 rows, so it is split in halves until it is one day.
func exportRange[T any](ctx context.Context, c *Client, name string, from, to time.Time) ([]T, error) {
	from, to = civilDate(from), civilDate(to)
	if to.Before(from) {
		return nil, fmt.Errorf("repsly: %s: end %s before begin %s", name, to.Format(time.DateOnly), from.Format(time.DateOnly))
	}
	var all []T
	for d := from; !d.After(to); d = d.AddDate(0, 0, scheduleWindow) {
		end := d.AddDate(0, 0, scheduleWindow-1)
		if end.After(to) {
			end = to
		}
		items, err := exportWindow[T](ctx, c, name, d, end)
		if err != nil {
			return all, err
		}
		all = append(all, items...)
	}
	return all, nil
}

func exportWindow[T any](ctx context.Context, c *Client, name string, from, to time.Time) ([]T, error) {
	items, err := exportList[T](ctx, c, name, from.Format(time.DateOnly), to.Format(time.DateOnly))
	if err != nil || len(items) < PageSize || !to.After(from) {
		if err == nil && len(items) >= PageSize {
			c.logger.WarnContext(ctx, "repsly: one-day window returned a full page; rows may be missing",
				"endpoint", name, "date", from.Format(time.DateOnly))
		}
		return items, err
	}
	days := int(to.Sub(from).Hours()/24) + 1
	mid := from.AddDate(0, 0, days/2-1)
	first, err := exportWindow[T](ctx, c, name, from, mid)
	if err != nil {
		return first, err
	}
	second, err := exportWindow[T](ctx, c, name, mid.AddDate(0, 0, 1), to)
	return append(first, second...), err
}

// civilDate keeps the calendar date of t (in t's own zone) at midnight UTC.
func civilDate(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
