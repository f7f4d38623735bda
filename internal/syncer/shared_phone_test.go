package syncer_test

import (
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
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

// TestReconcileSharedPhones: clients created without a phone another
// client's contact holds are no drift while the location refuses
// duplicates (reconcile lists them apart and its repair writes nothing);
// once the location allows duplicates they are drift, and a repair gives
// each contact its phone.
func TestReconcileSharedPhones(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 240})
	if err := b.env.GHL.SetAllowDuplicateContact(sandbox.LocationID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	rep, err := b.engine.Reconcile(b.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Shared) < 5 || len(rep.Differing) != 0 || !rep.InSync() {
		t.Fatalf("%d shared values, differing %v, in sync %v", len(rep.Shared), rep.Differing, rep.InSync())
	}
	for _, sv := range rep.Shared {
		holder, ok := b.env.GHL.Contact(sv.HeldBy)
		own, _ := b.env.GHL.Contact(sv.ContactID)
		client, _ := b.env.Repsly.Client(sv.Code)
		if sv.Field != "phone" || !ok || sv.HeldBy == sv.ContactID || holder.Phone == "" || own.Phone != "" || client.Phone == "" {
			t.Fatalf("shared value %+v: holder %q, own %q, client %q", sv, holder.Phone, own.Phone, client.Phone)
		}
	}
	updates := b.env.GHL.CallCountFor("PUT /contacts/{contactId}")
	if rep, err = b.engine.Reconcile(b.ctx, true); err != nil || rep.Repaired != 0 || len(rep.Failed) != 0 {
		t.Fatalf("repair of shared values: %d writes, failed %v, %v", rep.Repaired, rep.Failed, err)
	}
	if n := b.env.GHL.CallCountFor("PUT /contacts/{contactId}") - updates; n != 0 {
		t.Fatalf("the repair sent %d updates for shared values", n)
	}

	// Duplicates allowed: the phones can be written, so they are drift.
	if err := b.env.GHL.SetAllowDuplicateContact(sandbox.LocationID, true); err != nil {
		t.Fatal(err)
	}
	shared := len(rep.Shared)
	if rep, err = b.engine.Reconcile(b.ctx, false); err != nil || len(rep.Shared) != 0 || len(rep.Differing) != shared {
		t.Fatalf("duplicates allowed: %d shared, %d differing (want %d), %v", len(rep.Shared), len(rep.Differing), shared, err)
	}
	if rep, err = b.engine.Reconcile(b.ctx, true); err != nil || rep.Repaired != shared || len(rep.Failed) != 0 {
		t.Fatalf("repair: %d writes (want %d), failed %v, %v", rep.Repaired, shared, rep.Failed, err)
	}
	if rep, err = b.engine.Reconcile(b.ctx, false); err != nil || !rep.InSync() {
		t.Fatalf("after the repair: %+v %v", rep, err)
	}
}

// TestUpdateToSharedPhone: a client whose phone changes to one another
// client's contact holds, in a location that refuses duplicates, has the
// rest of its change written and its contact's old phone cleared; the
// outcome says so, nothing is retried, and reconcile lists the phone as
// shared.
func TestUpdateToSharedPhone(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 6})
	if err := b.env.GHL.SetAllowDuplicateContact(sandbox.LocationID, false); err != nil {
		t.Fatal(err)
	}
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	phones := map[string]string{} // client code -> its contact's phone
	for _, c := range b.env.GHL.Contacts() {
		for _, cf := range c.CustomFields {
			if code, _ := cf.Value.(string); code != "" && c.Phone != "" {
				phones[code] = c.Phone
			}
		}
	}
	var holder, mover string
	for code := range phones {
		switch {
		case holder == "":
			holder = code
		case mover == "" && phones[code] != phones[holder]:
			mover = code
		}
	}
	if mover == "" {
		t.Fatalf("no two contacts with different phones: %v", phones)
	}
	// In E.164, so that the mover's country does not change the number.
	if _, err := b.env.Repsly.RepUpdateClient(mover, func(c *repslysandbox.Client) { c.Phone, c.City = phones[holder], "Springfield" }); err != nil {
		t.Fatal(err)
	}
	res := b.pollRepsly(t, nil)
	var out *syncer.Outcome
	for i, o := range res.Outcomes {
		if o.Key == mover {
			out = &res.Outcomes[i]
		}
	}
	if out == nil || out.Action != syncer.ActUpdate || !strings.HasPrefix(out.Err, "updated without phone") || len(res.Errors()) != 0 {
		t.Fatalf("outcome %+v (errors %+v)", out, res.Errors())
	}
	var contact ghlsandbox.Contact
	for _, c := range b.env.GHL.Contacts() {
		for _, cf := range c.CustomFields {
			if cf.Value == mover {
				contact = c
			}
		}
	}
	if contact.City != "Springfield" || contact.Phone != "" {
		t.Fatalf("contact of %s: city %q, phone %q; want the city written and the old phone cleared", mover, contact.City, contact.Phone)
	}
	b.feedWebhooks(t)
	calls := b.calls()
	if again := b.pollRepsly(t, nil); again.Writes() != 0 || b.calls()-calls > 2 {
		t.Fatalf("next poll: %v, %d calls", again.Counts, b.calls()-calls)
	}
	rep, err := b.engine.Reconcile(b.ctx, false)
	if err != nil || !rep.InSync() || len(rep.Shared) != 1 || rep.Shared[0].Code != mover {
		t.Fatalf("reconcile: %+v %v", rep, err)
	}
}
