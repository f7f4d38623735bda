package syncer_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
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
	// A field the client has no value for counts as well.
	bare := ""
	for _, cl := range b.env.Repsly.Clients() {
		links, err := b.store.LinksByRepslyCodes(b.ctx, b.store.DB(), "two-way", []string{cl.Code})
		if id := links[cl.Code].GHLID; err == nil && cl.Website == "" && id != "" && id != contacts[0].ID && id != contacts[1].ID {
			bare = id
			break
		}
	}
	if bare == "" {
		t.Fatal("no linked client without a website")
	}
	if _, err := b.env.GHL.UserUpdateContact(bare, func(c *ghlsandbox.Contact) { c.Website = "https://only-in-highlevel.example.test" }); err != nil {
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
	differing := map[string]bool{}
	for _, d := range rep.Differing {
		differing[d.ContactID+" "+strings.Join(d.Fields, ",")] = true
	}
	if len(rep.Differing) != 2 || !differing[contacts[0].ID+" city"] || !differing[bare+" website"] ||
		len(rep.Orphaned) != 1 || len(rep.MissingInRepsly) != 1 {
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

// A repair that HighLevel refuses for a record (here an email it does not
// take for one) is reported, by client code, not dropped.
func TestReconcileRepairReportsFailures(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 4})
	b.pollRepsly(t, nil)
	code := b.env.Repsly.Clients()[1].Code
	if _, err := b.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) { c.Email = "not an email" }); err != nil {
		t.Fatal(err)
	}
	rep, err := b.engine.Reconcile(b.ctx, true)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 || !strings.HasPrefix(rep.Failed[0], code+": ") || !strings.Contains(rep.Failed[0], "email") {
		t.Fatalf("repair failures %q, want one for %s naming the email", rep.Failed, code)
	}
}

// A contact that lost a value its client has (an email removed in
// HighLevel, its webhook never delivered) is drift, though mapping the
// contact back to a client (the template's mapping, which keeps the
// client's forms) leaves the email out rather than differing.
func TestReconcileFindsValueMissingOnContact(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 6})
	templateEngine(t, b)
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	stripped := map[string]bool{}
	for _, c := range b.env.GHL.Contacts() {
		if c.Email == "" {
			continue
		}
		if _, err := b.env.GHL.UserUpdateContact(c.ID, func(c *ghlsandbox.Contact) { c.Email = "" }); err != nil {
			t.Fatal(err)
		}
		stripped[c.ID] = true
	}
	rep, err := b.engine.Reconcile(b.ctx, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(stripped) == 0 || len(rep.Differing) != len(stripped) {
		t.Fatalf("%d contacts without their email, differing %+v", len(stripped), rep.Differing)
	}
	for _, d := range rep.Differing {
		if !stripped[d.ContactID] || !slices.Contains(d.Fields, "email") {
			t.Fatalf("differing %+v", d)
		}
	}
	// In a location that refuses duplicates a pair differing by email
	// only is kept as values until every contact is read (it may be a
	// shared one); the repair reads the contact again and writes it.
	if err := b.env.GHL.SetAllowDuplicateContact(sandbox.LocationID, false); err != nil {
		t.Fatal(err)
	}
	if rep, err = b.engine.Reconcile(b.ctx, true); err != nil || rep.Repaired != len(stripped) || len(rep.Failed) != 0 {
		t.Fatalf("repair: %d writes (want %d), failed %v, %v", rep.Repaired, len(stripped), rep.Failed, err)
	}
	if rep, err = b.engine.Reconcile(b.ctx, false); err != nil || !rep.InSync() {
		t.Fatalf("after the repair: %+v %v", rep, err)
	}
}
