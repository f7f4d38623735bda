package syncer_test

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func TestReconcileFindsAndRepairsDrift(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 30, contacts: 10, overlap: 4})
	if _, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{}); err != nil {
		t.Fatal(err)
	}
	rep, err := b.engine.Reconcile(b.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.InSync() {
		t.Fatalf("after backfill: %+v", rep)
	}
	// Drift behind the engine's back: a contact edited with no webhook
	// delivered, a contact deleted, a new lead never seen.
	contacts := b.env.GHL.Contacts()
	b.env.GHL.SetWebhookURLs() // no deliveries: the edits below stay unseen
	if _, err := b.env.GHL.UserUpdateContact(contacts[0].ID, func(c *ghlsandbox.Contact) { c.City = "Nowhere" }); err != nil {
		t.Fatal(err)
	}
	if err := b.env.GHL.UserDeleteContact(contacts[1].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Late", LastName: "Lead", Email: "late@example.test"}); err != nil {
		t.Fatal(err)
	}
	rep, err = b.engine.Reconcile(b.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Differing) != 1 || rep.Differing[0].Fields[0] != "city" || len(rep.Orphaned) != 1 || len(rep.MissingInRepsly) != 1 {
		t.Fatalf("drift report: %+v", rep)
	}
	rep, err = b.engine.Reconcile(b.ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Repaired < 3 {
		t.Fatalf("repair made %d writes: %+v", rep.Repaired, rep)
	}
	after, err := b.engine.Reconcile(b.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if !after.InSync() {
		t.Fatalf("after repair: %+v", after)
	}
}
