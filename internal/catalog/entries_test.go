package catalog_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

// row is one entry's test: an input (with {{placeholders}}), an optional
// preparation, and a check of the output and of the sandboxes' state.
// Poll triggers get {"id","records","next","more"} of a first poll from the
// start; webhook triggers get the record decoded from the last event of
// their type the sandbox emitted after prep.
type row struct {
	id    string
	input string
	prep  func(t *testing.T, b *bundle)
	check func(t *testing.T, b *bundle, out json.RawMessage)
}

func allRows() []row {
	var rows []row
	for _, g := range [][]row{ghlActionRows(), ghlCompositeRows(), ghlWebhookRows(), ghlPollRows(),
		repslyListRows(), repslyImportRows(), repslyCompositeRows(), repslyTriggerRows()} {
		rows = append(rows, g...)
	}
	return rows
}

// TestEveryEntryHasARow fails when an entry has no row in TestEntries, or a
// row names no entry.
func TestEveryEntryHasARow(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, r := range allRows() {
		if seen[r.id] {
			t.Errorf("two rows for %s", r.id)
		}
		seen[r.id] = true
		if _, err := testCatalog.Get(r.id); err != nil {
			t.Errorf("row for %s: %v", r.id, err)
		}
	}
	for _, e := range testCatalog.All() {
		if !seen[e.ID] {
			t.Errorf("%s has no test row: add one to the rows in *_rows_test.go", e.ID)
		}
	}
}

// TestEntries runs every entry against fresh sandboxes and checks its real
// effect or the shape of its output.
func TestEntries(t *testing.T) {
	t.Parallel()
	for _, r := range allRows() {
		t.Run(r.id, func(t *testing.T) {
			t.Parallel()
			e, err := testCatalog.Get(r.id)
			if err != nil {
				t.Fatal(err)
			}
			b := setup(t)
			if r.prep != nil {
				r.prep(t, b)
			}
			r.check(t, b, b.execute(t, e, r.input))
		})
	}
}

// execute runs an entry the way its kind demands.
func (b *bundle) execute(t *testing.T, e *catalog.Entry, input string) json.RawMessage {
	t.Helper()
	ctx := context.Background()
	conn := string(e.App)
	switch {
	case e.Kind == catalog.KindAction:
		out, err := e.Run(ctx, b.clients, conn, json.RawMessage(b.expand(input)))
		if err != nil {
			t.Fatalf("run: %v", err)
		}
		if !json.Valid(out) {
			t.Fatalf("output is not JSON: %s", out)
		}
		return out
	case e.Mode == catalog.ModePoll:
		recs, next, more, err := e.Poll(ctx, b.clients, conn, "")
		if err != nil {
			t.Fatalf("poll: %v", err)
		}
		out, _ := json.Marshal(map[string]any{"id": e.ID, "records": recs, "next": next, "more": more})
		return out
	}
	events := b.ghl.Events()
	for i := len(events) - 1; i >= 0; i-- {
		if events[i].Type != e.Event {
			continue
		}
		out, err := e.Decode(events[i].Body)
		if err != nil {
			t.Fatalf("decode %s: %v", events[i].Body, err)
		}
		return out
	}
	t.Fatalf("the sandbox emitted no %s event", e.Event)
	return nil
}
