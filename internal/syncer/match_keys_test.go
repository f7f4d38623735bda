package syncer_test

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// TestMatchKeys: a client without a link is matched to an existing
// contact only by the keys the flow's match list names.
func TestMatchKeys(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		match    []string // "shared" and "other": the key the seeded contact shares, and the other
		backfill bool     // through the backfill's contact index, else the live poll's lookups
		// wantContacts after syncing 3 clients, one of whose email an
		// existing contact holds: 3 when matched, 4 when not.
		wantContacts int
	}{
		{name: "default keys, poll", wantContacts: 3},
		{name: "default keys, backfill", backfill: true, wantContacts: 3},
		{name: "shared key left out, poll", match: []string{syncer.MatchCode, "other"}, wantContacts: 4},
		{name: "shared key left out, backfill", match: []string{syncer.MatchCode, "other"}, backfill: true, wantContacts: 4},
		{name: "shared key named, poll", match: []string{syncer.MatchCode, "shared"}, wantContacts: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// The seeded contact shares one client's email or phone.
			probe := setup(t, setupOpts{clients: 3, contacts: 1, overlap: 1})
			shared, other := syncer.MatchEmail, syncer.MatchPhone
			if probe.env.GHL.Contacts()[0].Email == "" {
				shared, other = other, shared
			}
			var match []string
			for _, k := range tt.match {
				switch k {
				case "shared":
					k = shared
				case "other":
					k = other
				}
				match = append(match, k)
			}
			b := setup(t, setupOpts{clients: 3, contacts: 1, overlap: 1, match: match})
			if tt.backfill {
				// Phase 1 only: phase 2 would also import the unmatched
				// contact as a new client.
				if _, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{MaxPages: 1}); err != nil {
					t.Fatal(err)
				}
			} else {
				b.pollRepsly(t, nil)
			}
			if got := len(b.env.GHL.Contacts()); got != tt.wantContacts {
				t.Errorf("%d contacts, want %d", got, tt.wantContacts)
			}
		})
	}
}
