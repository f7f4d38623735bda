package syncer

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestBackfillPipeline: the Repsly phase stores its batches in order, one
// progress report each, even when a batch shares clients with the one
// running before it (its locks make it wait: the pipeline must store the
// running batch first rather than deadlock), and every client ends up
// with exactly one contact.
func TestBackfillPipeline(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setupInternal(t, d, 300, 4)
			ctx, env, st, rc, e := b.ctx, b.env, b.st, b.rc, b.e
			var all []repsly.ClientRecord
			for page, err := range repsly.Pages(ctx, rc.ExportClients, repsly.TimestampCursor(0)) {
				if err != nil {
					t.Fatal(err)
				}
				all = append(all, page.Items...)
			}
			if len(all) != 300 {
				t.Fatalf("%d clients exported", len(all))
			}
			batches := make(chan exportBatch, 4)
			for i, r := range [][2]int{{0, 100}, {50, 150}, {150, 160}, {140, 300}} {
				batches <- exportBatch{items: all[r[0]:r[1]], readAt: time.Now(), pages: 1, next: repsly.TimestampCursor(int64(i + 1)), last: i == 3}
			}
			close(batches)
			var reports []Progress
			pages := 0
			var total Result
			last, err := e.backfillRepsly(ctx, batches, BackfillOptions{Index: e.NewIndex(), Progress: func(p Progress) { reports = append(reports, p) }}, &pages, &total)
			if err != nil || !last {
				t.Fatalf("backfillRepsly: last %v, %v", last, err)
			}
			if len(reports) != 4 || pages != 4 {
				t.Fatalf("%d progress reports, %d pages; want 4 each", len(reports), pages)
			}
			for i, p := range reports {
				if p.Pages != i+1 {
					t.Fatalf("report %d says page %d: batches stored out of order", i, p.Pages)
				}
			}
			if errs := total.Errors(); len(errs) > 0 {
				t.Fatalf("record errors: %+v", errs)
			}
			if n := len(env.GHL.Contacts()); n != 300 {
				t.Fatalf("%d contacts for 300 clients (%v)", n, total.Counts)
			}
			counts, err := st.CountLinks(ctx, "two-way")
			if err != nil || counts[store.LinkLinked] != 300 {
				t.Fatalf("links %v, %v", counts, err)
			}
			cur, err := st.GetCursor(ctx, st.DB(), "two-way", cursorBackfillR)
			if want, _ := repsly.TimestampCursor(4).MarshalText(); err != nil || cur != string(want) {
				t.Fatalf("checkpoint %q (%v), want the last batch's %q", cur, err, want)
			}
		})
	}
}
