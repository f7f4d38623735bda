package syncer_test

import (
	"testing"
	"time"
)

// TestClearedFieldReachesOtherSide empties a synced field on one side: the
// other side must end empty too (an import leaves the fields it is not
// given as they are, so a blank must be sent, not left out), and the
// sides stay quiet afterwards.
func TestClearedFieldReachesOtherSide(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		deferImports bool
		clear        func(t *testing.T, b *testBundle, code, id string)
	}{
		{name: "HighLevel user clears", clear: userClearsCity},
		{name: "HighLevel user clears, imports deferred", deferImports: true, clear: userClearsCity},
		{name: "rep clears", clear: func(t *testing.T, b *testBundle, code, _ string) { editRepCity(t, b, code, "") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 1, deferImports: tt.deferImports})
			code, id := linkedPair(t, b)
			editRepCity(t, b, code, "Somewhere")
			b.pollRepsly(t, nil)
			b.feedWebhooks(t)
			tt.clear(t, b, code, id)
			for range 2 {
				b.clock.Advance(time.Second)
				b.feedWebhooks(t)
				b.pollRepsly(t, nil)
			}
			cl, _ := b.env.Repsly.Client(code)
			ct, _ := b.env.GHL.Contact(id)
			if cl.City != "" || ct.City != "" {
				t.Fatalf("Repsly City %q, HighLevel City %q; want both empty", cl.City, ct.City)
			}
			before := b.calls()
			b.clock.Advance(time.Second)
			b.feedWebhooks(t)
			b.pollRepsly(t, nil)
			if got := b.calls() - before; got > 1 { // the poll's page read
				t.Errorf("%d calls after both sides were empty, want 1 (no write)", got)
			}
			if got := pendingLinks(t, b); got != 0 {
				t.Errorf("%d links hold pending writes", got)
			}
		})
	}
}

// userClearsCity empties the contact's City. Its webhook leaves the field
// out (HighLevel sends only fields with a value), which says nothing; the
// reconcile poll's full read of the contact shows it empty.
func userClearsCity(t *testing.T, b *testBundle, _, id string) {
	t.Helper()
	editUserCity(t, b, id, "")
	b.feedWebhooks(t)
	b.applyFullRead(t, id)
}
