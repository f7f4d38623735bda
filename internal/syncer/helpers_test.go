package syncer_test

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func zeroCursor() repsly.Cursor { return repsly.TimestampCursor(0) }

func contactOf(t *testing.T, b *testBundle, id string) ghl.Contact {
	t.Helper()
	c, err := b.ghl.GetContact(b.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return *c
}

// applyFullRead reads the contact and applies it as the reconcile poll
// does: a full state stamped with its dateUpdated.
func (b *testBundle) applyFullRead(t *testing.T, id string) {
	t.Helper()
	ct := contactOf(t, b, id)
	at, err := time.Parse(time.RFC3339Nano, ct.DateUpdated)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{{Contact: ct, At: at}}, syncer.BatchOptions{}); err != nil {
		t.Fatal(err)
	}
}

// editRep makes a rep's edit of a client in Repsly, a second before the
// next step.
func editRep(t *testing.T, b *testBundle, code string, edit func(*repslysandbox.Client)) {
	t.Helper()
	if _, err := b.env.Repsly.RepUpdateClient(code, edit); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Second)
}

// editUser makes a HighLevel user's edit of a contact, a second before the
// next step.
func editUser(t *testing.T, b *testBundle, id string, edit func(*ghlsandbox.Contact)) {
	t.Helper()
	if _, err := b.env.GHL.UserUpdateContact(id, edit); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Second)
}

func editRepEmail(t *testing.T, b *testBundle, code, email string) {
	t.Helper()
	editRep(t, b, code, func(c *repslysandbox.Client) { c.Email = email })
}

func editRepCity(t *testing.T, b *testBundle, code, city string) {
	t.Helper()
	editRep(t, b, code, func(c *repslysandbox.Client) { c.City = city })
}

func editUserSite(t *testing.T, b *testBundle, id, site string) {
	t.Helper()
	editUser(t, b, id, func(c *ghlsandbox.Contact) { c.Website = site })
}

func editUserCity(t *testing.T, b *testBundle, id, city string) {
	t.Helper()
	editUser(t, b, id, func(c *ghlsandbox.Contact) { c.City = city })
}
