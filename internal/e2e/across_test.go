package e2e_test

import (
	"context"
	"testing"
	"time"
)

// TestLostUpdateAcrossSides edits different fields of one record on both
// sides at about the same time, with the server up and idle: a rep changes
// a client's email while a HighLevel user changes its contact's website.
// Field-level merging must keep both edits on both sides. This is the
// smallest form of the lost updates TestCrashSafety finds.
func TestLostUpdateAcrossSides(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), slow(2*time.Minute))
	defer cancel()
	h := setup(t, shrink(harnessOptions{clients: 100, contacts: 20, overlap: 5}))
	ed := h.editor()
	h.start(ctx)
	h.waitBackfill(ctx)
	h.converge(ctx, time.Minute)
	ed.apply(burst{both: 10})
	h.converge(ctx, time.Minute)
	h.srv.stop(ctx)
	h.judge(h.verify(ctx, ed.l), mode{})
}
