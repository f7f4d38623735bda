package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
)

// TestCrashSafety kills the server with SIGKILL at random moments, ten
// times, while it syncs 2,000 Repsly clients and a few hundred HighLevel
// contacts both ways and users edit both sides (also while it is down, when
// HighLevel's webhooks fail and are not retried). After a restart both
// sides must converge with zero duplicates and zero lost updates
// (issue 8, test 1).
func TestCrashSafety(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			crashSafety(t, d)
		})
	}
}

func crashSafety(t *testing.T, dialect database.Dialect) {
	ctx, cancel := context.WithTimeout(context.Background(), slow(4*time.Minute))
	defer cancel()
	size := harnessOptions{clients: 2000, contacts: 300, overlap: 100}
	live := burst{repslyCity: 10, repslyEmail: 10, ghlWebsite: 10, ghlCity: 8, both: 4, newClients: 2, newLeads: 2}
	down := burst{repslyCity: 3, repslyEmail: 2, ghlWebsite: 3, ghlCity: 2, both: 1, newClients: 1, newLeads: 1}
	if raceEnabled {
		// The same kills over less data: the race detector slows the
		// server down several times.
		size = harnessOptions{clients: 150, contacts: 30, overlap: 10}
		live = burst{repslyCity: 3, repslyEmail: 3, ghlWebsite: 3, ghlCity: 2, both: 1, newClients: 1, newLeads: 1}
	}
	size.dialect = dialect
	h := setup(t, size)
	ed := h.editor()
	started := time.Now()
	h.start(ctx)
	for round := 1; round <= 10; round++ {
		ed.apply(live)
		d := h.pause(ctx, 50*time.Millisecond, 2500*time.Millisecond)
		h.srv.kill()
		ed.apply(down)
		t.Logf("round %d: SIGKILL %s after the burst (%.1fs in)", round, d.Round(time.Millisecond), time.Since(started).Seconds())
		h.start(ctx)
	}
	c := h.settle(ctx, 2*time.Minute)
	t.Logf("settled %.1fs after the last restart (in sync: %t; %d starts, %.1fs in all)", c.took.Seconds(), c.ok, h.srv.starts, time.Since(started).Seconds())
	errs := h.srv.stop(ctx)
	t.Logf("last run logged %d ERROR lines", errs)
	h.judge(h.verify(ctx, ed.l), mode{crashes: true})
}
