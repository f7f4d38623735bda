package store_test

import (
	"fmt"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestInsertRunRecordsMany: a backfill records a thousand outcomes at once,
// many to a statement; they read back complete, in order, with every
// column (250: two full statements and a part).
func TestInsertRunRecordsMany(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		for _, n := range []int{0, 1, 2, 250} {
			runID, err := b.store.StartRun(b.ctx, b.store.DB(), "f", "backfill", b.now)
			if err != nil {
				t.Fatal(err)
			}
			recs := make([]store.RunRecord, n)
			for i := range recs {
				recs[i] = store.RunRecord{RunID: runID, Flow: "f", Side: "ghl", RecordKey: fmt.Sprintf("C%03d", i), Action: "create",
					Summary: "fields: email", StatusCode: 200 + i%2, Error: fmt.Sprint("e", i), Attempts: i % 3, CreatedAt: b.now}
			}
			if err := b.store.InsertRunRecords(b.ctx, b.store.DB(), recs); err != nil {
				t.Fatalf("%d records: %v", n, err)
			}
			_, got, err := b.store.GetRun(b.ctx, runID)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != n {
				t.Fatalf("%d records written, %d read back", n, len(got))
			}
			for i, r := range got {
				want := recs[i]
				want.ID, want.Attempts = r.ID, max(want.Attempts, 1)
				if !r.CreatedAt.Equal(want.CreatedAt) {
					t.Fatalf("record %d created at %v, want %v", i, r.CreatedAt, want.CreatedAt)
				}
				r.CreatedAt = want.CreatedAt
				if r != want {
					t.Fatalf("record %d read back as %+v, want %+v", i, r, want)
				}
			}
		}
	})
}
