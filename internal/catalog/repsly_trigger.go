package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// pollNote is said of every Repsly trigger.
const pollNote = " Repsly has no webhooks: this trigger polls, 50 rows per request."

// exportTriggers makes the poll triggers of one export.
func exportTriggers(d exportDef, ep repsly.Endpoint) []*Entry {
	s := func(verb, title, desc string) spec {
		return spec{id: "repsly." + d.object + "." + verb, app: AppRepsly, title: title, desc: desc + d.note + pollNote,
			ops: []string{d.endpoint}, output: d.row}
	}
	switch ep.Cursor {
	case repsly.CursorTimestamp:
		out := []*Entry{pollTrigger(s("updated", "New or updated "+d.noun,
			"Yields each "+d.noun+" created or changed after the cursor, oldest change first; the first poll yields them all. "+
				"A record changed twice between polls comes once, in its latest state."),
			cursorPoll(d.endpoint, nil))}
		switch d.object {
		case "client":
			out = append(out, pollTrigger(s("created", "New client",
				"Yields each client once, when it first appears (its ClientID is above any seen before); later edits do not fire it."),
				newRowPoll(d.endpoint, "ClientID")))
		case "visit":
			out = append(out,
				pollTrigger(s("created", "New visit",
					"Yields each visit once, when the rep checks in (its VisitID is above any seen before); it may still be open."),
					newRowPoll(d.endpoint, "VisitID")),
				pollTrigger(s("ended", "Visit ended",
					"Yields visits that have ended (VisitEnded), when they come through the export: at check-out, and again if the "+
						"ended visit is edited later."),
					cursorPoll(d.endpoint, func(m map[string]json.RawMessage) bool { return string(m["VisitEnded"]) == "true" })))
		}
		return out
	case repsly.CursorID:
		return []*Entry{pollTrigger(s("created", "New "+d.noun,
			"Yields each new "+d.noun+" once, in ID order; the first poll yields them all."), cursorPoll(d.endpoint, nil))}
	case repsly.CursorModified:
		return []*Entry{pollTrigger(s("updated", "New or updated "+d.noun,
			"Yields visit realizations (what became of planned visits: Planned, Unplanned, Missing) modified since the cursor."),
			cursorPoll(d.endpoint, nil))}
	case repsly.CursorDateRange:
		return []*Entry{pollTrigger(s("changed", "New or changed "+d.noun,
			fmt.Sprintf("Reads the %s from today through the next %d days and yields those that are new or changed since the "+
				"last poll (the cursor keeps a short hash of each); cancelled ones are not reported.", d.plural, windowDays)),
			func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
				prev, err := parseSnapshot(cursor)
				if err != nil {
					return nil, "", false, err
				}
				today := x.now()
				rows, err := x.repsly.ExportRange(ctx, d.endpoint, today, today.AddDate(0, 0, windowDays))
				if err != nil {
					return nil, "", false, err
				}
				return snapshotRaw(prev, rows, d.key)
			})}
	}
	return []*Entry{pollTrigger(s("updated", "New or changed "+d.noun,
		"Reads all "+d.plural+" and yields those that are new or changed since the last poll (the cursor keeps a short hash "+
			"of each); removed ones are not reported."),
		func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
			prev, err := parseSnapshot(cursor)
			if err != nil {
				return nil, "", false, err
			}
			rows, err := readAll(ctx, x.repsly, d.endpoint)
			if err != nil {
				return nil, "", false, err
			}
			return snapshotRaw(prev, rows, d.key)
		})}
}

// readAll reads a whole-list export; pricelist items are read for every
// pricelist.
func readAll(ctx context.Context, c *repsly.Client, endpoint string) ([]json.RawMessage, error) {
	if endpoint != "export_pricelist_items" {
		return c.ExportAll(ctx, endpoint)
	}
	lists, err := c.ExportPricelists(ctx)
	if err != nil {
		return nil, err
	}
	var all []json.RawMessage
	for _, pl := range lists {
		items, err := pricelistItems(ctx, c, pl.ID)
		if err != nil {
			return nil, err
		}
		all = append(all, items...)
	}
	return all, nil
}

func snapshotRaw(prev snapshot, rows []json.RawMessage, key []string) ([]json.RawMessage, string, bool, error) {
	changed, next, err := diff(prev, rows, fieldKey(key...))
	if err != nil {
		return nil, "", false, err
	}
	return changed, next.String(), false, nil
}

// cursorPoll reads one page after the cursor, keeping the rows keep accepts
// (all when nil). The cursor is the export's own (repsly.Cursor text).
func cursorPoll(endpoint string, keep func(map[string]json.RawMessage) bool) pollFunc {
	return func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
		cur, err := parseCursor(cursor)
		if err != nil {
			return nil, "", false, err
		}
		page, err := x.repsly.Export(ctx, endpoint, cur)
		if err != nil {
			return nil, "", false, err
		}
		rows := page.Items
		if keep != nil {
			rows = nil
			for _, r := range page.Items {
				var m map[string]json.RawMessage
				if json.Unmarshal(r, &m) == nil && keep(m) {
					rows = append(rows, r)
				}
			}
		}
		return rows, page.Next.String(), page.More, nil
	}
}

// newRowPoll yields rows of a timestamp export whose idField is above every
// id known when the last catch-up ended: new records only. The threshold
// moves up only once the export is drained (more is false), because while
// catching up a record created earlier but edited later comes after one
// created later. Its cursor is "<export cursor>|<threshold>|<highest id>".
func newRowPoll(endpoint, idField string) pollFunc {
	return func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error) {
		inner, threshold, top, err := parseNewRowCursor(cursor)
		if err != nil {
			return nil, "", false, err
		}
		cur, err := parseCursor(inner)
		if err != nil {
			return nil, "", false, err
		}
		page, err := x.repsly.Export(ctx, endpoint, cur)
		if err != nil {
			return nil, "", false, err
		}
		var rows []json.RawMessage
		for _, r := range page.Items {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(r, &m); err != nil {
				return nil, "", false, fmt.Errorf("row: %w", err)
			}
			id, err := strconv.ParseInt(string(m[idField]), 10, 64)
			if err != nil {
				return nil, "", false, fmt.Errorf("row without a numeric %s", idField)
			}
			if id > threshold {
				rows = append(rows, r)
			}
			top = max(top, id)
		}
		if !page.More {
			threshold = top
		}
		return rows, fmt.Sprintf("%s|%d|%d", page.Next, threshold, top), page.More, nil
	}
}

func parseNewRowCursor(cursor string) (inner string, threshold, top int64, err error) {
	if cursor == "" {
		return "", 0, 0, nil
	}
	parts := strings.Split(cursor, "|")
	if len(parts) != 3 {
		return "", 0, 0, fmt.Errorf("%w: cursor %.40q is not a new-record cursor", ErrInvalidInput, cursor)
	}
	threshold, err1 := strconv.ParseInt(parts[1], 10, 64)
	top, err2 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil {
		return "", 0, 0, fmt.Errorf("%w: cursor %.40q: bad id part", ErrInvalidInput, cursor)
	}
	return parts[0], threshold, top, nil
}
