package syncer_test

import (
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// TestBackfillSharedPhones backfills into a location that refuses duplicate
// contacts, from an account whose chain stores share phones: every client
// gets one contact, a shared phone stays on one of them, and once the
// location has refused a duplicate the backfill stops sending shared phones
// it knows a contact holds (one refused call in all, not one per store).
func TestBackfillSharedPhones(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name        string
		concurrency int
	}{
		{"one at a time", 1},
		{"in parallel", 16},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 240, concurrency: tc.concurrency})
			if err := b.env.GHL.SetAllowDuplicateContact(sandbox.LocationID, false); err != nil {
				t.Fatal(err)
			}
			done, res, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{})
			if err != nil || !done {
				t.Fatalf("backfill: %v %v", done, err)
			}
			if errs := res.Errors(); len(errs) > 0 {
				t.Fatalf("record errors: %+v", errs)
			}
			without := 0
			for _, o := range res.Outcomes {
				if o.Action == syncer.ActCreate && strings.HasPrefix(o.Err, "created without phone") {
					without++
				}
			}
			if without < 5 {
				t.Fatalf("%d clients created without their shared phone; the seed should share phones between chain stores", without)
			}
			clients, contacts := len(b.env.Repsly.Clients()), b.env.GHL.Contacts()
			counts, err := b.store.CountLinks(b.ctx, "two-way")
			if err != nil {
				t.Fatal(err)
			}
			if len(contacts) != clients || counts[store.LinkLinked] != clients {
				t.Fatalf("%d clients, %d contacts, links %v", clients, len(contacts), counts)
			}
			holders, noPhone := map[string]int{}, 0
			for _, c := range contacts {
				if c.Phone == "" {
					noPhone++
					continue
				}
				holders[c.Phone]++
				if holders[c.Phone] > 1 {
					t.Fatalf("phone %s on %d contacts in a location that refuses duplicates", c.Phone, holders[c.Phone])
				}
			}
			if noPhone < without {
				t.Fatalf("%d contacts without a phone, %d created without one", noPhone, without)
			}
			// A create without its phone is recorded as written without
			// it: its link keeps the lazy echo hash of those very states
			// (ADR 0013), and its webhook is an echo costing no call.
			if err := b.store.ListLinks(b.ctx, "two-way", func(l store.Link) error {
				if l.GHLWrittenHash != "=" {
					t.Errorf("link %s holds written hash %q, want the lazy marker", l.RepslyCode, l.GHLWrittenHash)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			calls := b.calls()
			if echo := b.feedWebhooks(t); echo.Writes() != 0 || b.calls() != calls {
				t.Fatalf("the creates' webhooks: %v, %d API calls", echo.Counts, b.calls()-calls)
			}
			refused := b.env.GHL.CallCountFor("POST /contacts/") - clients
			t.Logf("%d clients, %d created without their shared phone, %d creates refused", clients, without, refused)
			switch {
			case tc.concurrency == 1 && refused != 1:
				t.Fatalf("%d creates refused; after the first the shared phones are known", refused)
			case refused >= without:
				t.Fatalf("%d creates refused for %d clients created without their phone: every shared phone cost a refused call", refused, without)
			}
		})
	}
}
