package syncer_test

import (
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func TestBackfillCreatesLinksAndIsIdempotent(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 60, contacts: 30, overlap: 10})
	contactsBefore := len(b.env.GHL.Contacts())
	res := b.pollRepsly(t, b.engine.NewIndex())
	if errs := res.Errors(); len(errs) > 0 {
		t.Fatalf("errors: %+v", errs)
	}
	created, linked := res.Counts["ghl.create"], res.Counts["ghl.link"]
	if created+linked != 60 {
		t.Fatalf("created %d + linked %d, want 60 (%v)", created, linked, res.Counts)
	}
	if linked == 0 {
		t.Fatalf("no client matched an existing contact (%v)", res.Counts)
	}
	if got := len(b.env.GHL.Contacts()); got != contactsBefore+created {
		t.Fatalf("%d contacts, want %d: duplicates were made", got, contactsBefore+created)
	}
	// Every contact now carries its client's code.
	codes := map[string]bool{}
	for _, c := range b.env.GHL.Contacts() {
		for _, cf := range c.CustomFields {
			if cf.ID != "" && strings.HasPrefix(cf.ID, "fbCodeField") {
				codes[cf.Value.(string)] = true
			}
		}
	}
	if len(codes) != 60 {
		t.Fatalf("%d contacts carry a client code, want 60", len(codes))
	}
	// A second run with nothing changed makes no write call at all.
	b.feedWebhooks(t) // our own creates and updates coming back
	before := b.env.GHL.CallCount()
	b.cursor = zeroCursor()
	again := b.pollRepsly(t, b.engine.NewIndex())
	if w := again.Writes(); w != 0 {
		t.Fatalf("second run wrote %d times: %v", w, again.Counts)
	}
	if n := b.env.GHL.CallCount() - before; n != 0 {
		t.Fatalf("second run made %d HighLevel calls", n)
	}
}

func TestEchoCostsNoCall(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 5})
	b.pollRepsly(t, nil)
	before := b.calls()
	if creates := b.feedWebhooks(t); creates.Counts["repsly.echo"] != 5 || b.calls() != before {
		t.Fatalf("the echoes of 5 creates: %v, %d API calls", creates.Counts, b.calls()-before)
	}
	client := b.env.Repsly.Clients()[0]
	if _, err := b.env.Repsly.RepUpdateClient(client.Code, func(c *repslysandbox.Client) { c.City = "Springfield" }); err != nil {
		t.Fatal(err)
	}
	res := b.pollRepsly(t, nil)
	if res.Counts["ghl.update"] != 1 {
		t.Fatalf("city edit: %v", res.Counts)
	}
	before = b.calls()
	echo := b.feedWebhooks(t)
	if n := b.calls() - before; n != 0 {
		t.Fatalf("the echo of our write cost %d API calls (%v)", n, echo.Counts)
	}
	if echo.Counts["repsly.echo"] == 0 {
		t.Fatalf("echo not recognised: %v", echo.Counts)
	}
}

func TestGHLEditReachesRepslyOnce(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 5})
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	var contactID, code string
	for _, c := range b.env.GHL.Contacts() {
		contactID = c.ID
		for _, cf := range c.CustomFields {
			code, _ = cf.Value.(string)
		}
		break
	}
	if _, err := b.env.GHL.UserUpdateContact(contactID, func(c *ghlsandbox.Contact) { c.City = "Shelbyville" }); err != nil {
		t.Fatal(err)
	}
	res := b.feedWebhooks(t)
	if res.Counts["repsly.update"] != 1 {
		t.Fatalf("edit in HighLevel: %v", res.Counts)
	}
	cl, _ := b.env.Repsly.Client(code)
	if cl.City != "Shelbyville" {
		t.Fatalf("Repsly city %q", cl.City)
	}
	// Our import comes back through the poll: no HighLevel call.
	before := b.env.GHL.CallCount()
	back := b.pollRepsly(t, nil)
	if b.env.GHL.CallCount() != before || back.Writes() != 0 {
		t.Fatalf("Repsly echo wrote: %v", back.Counts)
	}
}

func TestNewLeadBecomesClient(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{})
	ct, err := b.env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Nora", LastName: "Lead", Email: "nora@example.test", CompanyName: "Nora's Deli"})
	if err != nil {
		t.Fatal(err)
	}
	res := b.feedWebhooks(t)
	if res.Counts["repsly.create"] != 1 {
		t.Fatalf("new lead: %v %+v", res.Counts, res.Errors())
	}
	cl, ok := b.env.Repsly.Client("GHL-" + ct.ID)
	if !ok || cl.Name != "Nora's Deli" || cl.Email != "nora@example.test" {
		t.Fatalf("client %+v %v", cl, ok)
	}
	// The duplicate webhook of the same event changes nothing.
	again, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{{Contact: contactOf(t, b, ct.ID), Partial: true}}, syncer.BatchOptions{})
	if err != nil || again.Writes() != 0 {
		t.Fatalf("replayed event wrote: %v %v", again.Counts, err)
	}
	if n := len(b.env.Repsly.Clients()); n != 1 {
		t.Fatalf("%d clients, want 1", n)
	}
}

func TestDeleteDeactivatesClient(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 3})
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	c := b.env.GHL.Contacts()[0]
	if err := b.env.GHL.UserDeleteContact(c.ID); err != nil {
		t.Fatal(err)
	}
	res := b.feedWebhooks(t)
	if res.Counts["repsly.deactivate"] != 1 {
		t.Fatalf("delete: %v %+v", res.Counts, res.Errors())
	}
	inactive := 0
	for _, cl := range b.env.Repsly.Clients() {
		if !cl.Active {
			inactive++
		}
	}
	if inactive != 1 {
		t.Fatalf("%d inactive clients, want 1", inactive)
	}
}

func TestRepslyDeactivationTagsContact(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 3})
	b.pollRepsly(t, nil)
	code := b.env.Repsly.Clients()[0].Code
	if _, err := b.env.Repsly.RepDeactivateClient(code); err != nil {
		t.Fatal(err)
	}
	res := b.pollRepsly(t, nil)
	if res.Counts["ghl.deactivate"] != 1 {
		t.Fatalf("deactivation: %v", res.Counts)
	}
	tagged := 0
	for _, c := range b.env.GHL.Contacts() {
		for _, tag := range c.Tags {
			if tag == "repsly-inactive" {
				tagged++
			}
		}
	}
	if tagged != 1 {
		t.Fatalf("%d contacts tagged inactive", tagged)
	}
}
