package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

// TestFailedWriteIsRetried makes every write to one side fail for a moment
// while a user edits the other side, then lets writes succeed again: the
// job's retry must carry the change over. This is the smallest form of the
// drift TestFaults finds.
func TestFailedWriteIsRetried(t *testing.T) {
	t.Parallel()
	const ghlUpdate = "PUT /contacts/{contactId}"
	for _, tc := range []struct {
		name   string
		edit   burst
		fail   func(h *harness)
		writes func(h *harness) int64 // write attempts to the failing side so far
	}{{
		name: "HighLevel edit, Repsly import fails",
		edit: burst{ghlWebsite: 3},
		fail: func(h *harness) {
			h.env.Repsly.SetFaults(repslysandbox.Faults{ServerErrorRate: 1, Endpoints: []string{"import/client"}})
		},
		writes: func(h *harness) int64 { return h.env.Repsly.RequestCount("import/client") },
	}, {
		name: "Repsly edit, HighLevel update fails",
		edit: burst{repslyEmail: 3},
		fail: func(h *harness) {
			h.env.GHL.SetFaults(ghlsandbox.Faults{ErrorRate: 1, Routes: []string{ghlUpdate}})
		},
		writes: func(h *harness) int64 { return int64(h.env.GHL.CallCountFor(ghlUpdate)) },
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithTimeout(context.Background(), slow(2*time.Minute))
			defer cancel()
			h := setup(t, shrink(harnessOptions{clients: 60, contacts: 10, overlap: 3}))
			ed := h.editor()
			h.start(ctx)
			h.waitBackfill(ctx)
			h.converge(ctx, time.Minute)
			before := tc.writes(h)
			tc.fail(h)
			ed.apply(tc.edit)
			for tc.writes(h) == before {
				h.srv.running()
				select {
				case <-time.After(50 * time.Millisecond):
				case <-ctx.Done():
					t.Fatalf("seed %d: the server never tried to write the edits", h.seed)
				}
			}
			h.env.Repsly.SetFaults(repslysandbox.Faults{})
			h.env.GHL.SetFaults(ghlsandbox.Faults{})
			h.settle(ctx, time.Minute)
			h.srv.stop(ctx)
			h.judge(h.verify(ctx, ed.l), mode{failedWrites: true})
		})
	}
}
