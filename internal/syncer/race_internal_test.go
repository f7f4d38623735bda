package syncer

import (
	"context"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestContactLinkedWhileWaiting: the webhook of a contact a Repsly batch
// is creating finds no link by the contact's id, then waits for the
// client's lock while the batch stores the link. Under the lock it must
// see the contact linked and treat the change as one of a linked contact,
// not as a new lead to import over the client (which undid a rep's edit
// made since the create).
func TestContactLinkedWhileWaiting(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	env, err := sandbox.Start(sandbox.Options{Clients: 1, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	st := store.New(databasetest.Open(t, database.SQLite))
	gc, rc := env.Clients(nil)
	spec, err := DefaultSpec("two-way", time.Now)
	if err != nil {
		t.Fatal(err)
	}
	e, err := New(Config{Spec: spec, Store: st, GHL: gc, Repsly: rc})
	if err != nil {
		t.Fatal(err)
	}
	page, err := rc.ExportClients(ctx, repsly.TimestampCursor(0))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.ApplyRepsly(ctx, page.Items, time.Now(), BatchOptions{}); err != nil {
		t.Fatal(err)
	}
	code := page.Items[0].Code
	links, err := st.LinksByRepslyCodes(ctx, st.DB(), "two-way", []string{code})
	if err != nil || links[code].State != store.LinkLinked {
		t.Fatalf("link of %s: %+v, %v", code, links[code], err)
	}
	c, err := gc.GetContact(ctx, links[code].GHLID)
	if err != nil {
		t.Fatal(err)
	}
	before := env.Repsly.Requests()
	_, outs, err := e.newFromGHL(ctx, GHLChange{Contact: *c, At: time.Now(), Partial: true}, BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range outs {
		if o.Action == ActCreate {
			t.Fatalf("the linked contact was imported as a new lead: %+v", outs)
		}
	}
	after := env.Repsly.Requests()
	for k, v := range after {
		if v != before[k] {
			t.Fatalf("Repsly was called (%s: %d -> %d) for the echo of a linked contact", k, before[k], v)
		}
	}
}
