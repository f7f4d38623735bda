package syncer

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
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
	b := setupInternal(t, database.SQLite, 1, 0)
	ctx, env, st, gc, e := b.ctx, b.env, b.st, b.gc, b.e
	items := b.syncFirstPage(t)
	code := items[0].Code
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
