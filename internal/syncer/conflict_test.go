package syncer_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// linkedPair syncs one client and returns its code and contact id.
func linkedPair(t *testing.T, b *testBundle) (string, string) {
	t.Helper()
	b.pollRepsly(t, nil)
	b.feedWebhooks(t)
	code := b.env.Repsly.Clients()[0].Code
	links, err := b.store.LinksByRepslyCodes(b.ctx, b.store.DB(), "two-way", []string{code})
	if err != nil || links[code].GHLID == "" {
		t.Fatalf("no link for %s: %v", code, err)
	}
	return code, links[code].GHLID
}

// TestConcurrentEditsConverge edits the same field on both sides before
// either change is synced and checks that both sides end with the newer
// value, within a bounded number of writes, and stay quiet afterwards.
func TestConcurrentEditsConverge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		ghlFirst    bool // the HighLevel edit happens before the Repsly edit is polled
		wantWinner  string
		maxWrites   int
		description string
	}{
		{"repsly newer", true, "repsly", 3, "HighLevel edited, then Repsly edited and polled before the webhook is handled"},
		{"highlevel newer", false, "ghl", 2, "Repsly edited and polled, then HighLevel edited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 1})
			code, id := linkedPair(t, b)
			writesBefore := b.calls()
			editGHL := func() {
				if _, err := b.env.GHL.UserUpdateContact(id, func(c *ghlsandbox.Contact) { c.Email = "from-ghl@example.test" }); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := b.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) { c.Email = "from-repsly@example.test" }); err != nil {
				t.Fatal(err)
			}
			if tt.ghlFirst {
				editGHL()
				b.clock.Advance(time.Second)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			} else {
				b.pollRepsly(t, nil)
				b.clock.Advance(time.Second)
				editGHL()
				b.feedWebhooks(t)
			}
			// Let every echo and correction settle.
			for range 3 {
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			}
			want := map[string]string{"repsly": "from-repsly@example.test", "ghl": "from-ghl@example.test"}[tt.wantWinner]
			cl, _ := b.env.Repsly.Client(code)
			ct, _ := b.env.GHL.Contact(id)
			if cl.Email != want || ct.Email != want {
				t.Fatalf("%s: Repsly %q, HighLevel %q, want both %q", tt.description, cl.Email, ct.Email, want)
			}
			// No ping-pong: another round costs nothing.
			quiet := b.calls()
			b.pollRepsly(t, nil)
			b.feedWebhooks(t)
			if got := b.calls() - quiet; got > 2 { // the empty export page and its drained check
				t.Fatalf("still writing after convergence: %d calls", got)
			}
			_ = writesBefore
		})
	}
}

// TestCrashBetweenCreateAndLink makes the link write fail after the
// contacts were created, as a crash would, and checks the retry links the
// created contacts instead of creating them again.
func TestCrashBetweenCreateAndLink(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 8})
	page, err := b.repsly.ExportClients(b.ctx, b.cursor)
	if err != nil {
		t.Fatal(err)
	}
	crash := errors.New("process killed")
	_, err = b.engine.ApplyRepsly(b.ctx, page.Items, b.clock.Now(), syncer.BatchOptions{Commit: func(store.Tx, syncer.Result) error { return crash }})
	if !errors.Is(err, crash) {
		t.Fatalf("apply: %v", err)
	}
	if n := len(b.env.GHL.Contacts()); n != 8 {
		t.Fatalf("%d contacts after the first attempt, want 8", n)
	}
	res, err := b.engine.ApplyRepsly(b.ctx, page.Items, b.clock.Now(), syncer.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.env.GHL.Contacts()); n != 8 {
		t.Fatalf("%d contacts after the retry, want 8: the retry duplicated (%v)", n, res.Counts)
	}
	if res.Counts["ghl.link"] != 8 {
		t.Fatalf("retry: %v", res.Counts)
	}
}

// TestPollCatchesEditAfterLaterNoop: a HighLevel edit whose webhook was
// lost must still reach Repsly through the reconcile poll, even when a
// later Repsly change that wrote nothing moved the link's field times
// past the edit's dateUpdated.
func TestPollCatchesEditAfterLaterNoop(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	code, id := linkedPair(t, b)
	if _, err := b.env.GHL.UserUpdateContact(id, func(c *ghlsandbox.Contact) { c.City = "Lostwebhook" }); err != nil {
		t.Fatal(err)
	}
	b.seen = len(b.env.GHL.Events()) // the webhook never arrives
	b.clock.Advance(time.Second)
	cl, _ := b.env.Repsly.Client(code)
	if _, err := b.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) { c.Email = strings.ToUpper(cl.Email) }); err != nil {
		t.Fatal(err)
	}
	if res := b.pollRepsly(t, nil); res.Writes() != 0 {
		t.Fatalf("a case-only email change wrote: %v", res.Counts)
	}
	ct := contactOf(t, b, id)
	at, err := time.Parse(time.RFC3339Nano, ct.DateUpdated) // as the reconcile poll job passes it
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{{Contact: ct, At: at}}, syncer.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := b.env.Repsly.Client(code); got.City != "Lostwebhook" {
		t.Fatalf("the poll did not bring the edit: Repsly City %q (%v)", got.City, res.Counts)
	}
}

// TestEditDuringInterruptedCreate: a user edits a contact whose create was
// cut short before its link was stored (a crash), on a field the create
// did not send; the retry relinks the contact and must bring the edit to
// Repsly instead of taking it for part of the create.
func TestEditDuringInterruptedCreate(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	page, err := b.repsly.ExportClients(b.ctx, b.cursor)
	if err != nil {
		t.Fatal(err)
	}
	code := page.Items[0].Code
	if page.Items[0].Website != "" {
		t.Fatalf("client %s has a website; the test needs a field the create does not send", code)
	}
	crash := errors.New("process killed")
	if _, err := b.engine.ApplyRepsly(b.ctx, page.Items, b.clock.Now(), syncer.BatchOptions{Commit: func(store.Tx, syncer.Result) error { return crash }}); !errors.Is(err, crash) {
		t.Fatalf("apply: %v", err)
	}
	contacts := b.env.GHL.Contacts()
	if len(contacts) != 1 {
		t.Fatalf("%d contacts after the interrupted create, want 1", len(contacts))
	}
	b.clock.Advance(time.Second)
	editUserSite(t, b, contacts[0].ID, "https://edited-meanwhile.example.test")
	b.takeEvents(t) // the server was down: the webhook is lost
	res, err := b.engine.ApplyRepsly(b.ctx, page.Items, b.clock.Now(), syncer.BatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(b.env.GHL.Contacts()); n != 1 {
		t.Fatalf("%d contacts after the retry, want 1 (%v)", n, res.Counts)
	}
	if cl, _ := b.env.Repsly.Client(code); cl.Website != "https://edited-meanwhile.example.test" {
		t.Fatalf("the edit made during the interrupted create was lost: Repsly website %q (%v)", cl.Website, res.Counts)
	}
}

// TestRepEditDuringInterruptedLeadImport: a new lead's client was imported
// but the link was not stored (a crash); a rep edits the client before the
// retry, which must push the edit to the contact rather than take the
// edited client for what the import made.
func TestRepEditDuringInterruptedLeadImport(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	lead, code, _ := interruptedLeadImport(t, b)
	b.clock.Advance(time.Second)
	if _, err := b.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) { c.City = "Edited Meanwhile" }); err != nil {
		t.Fatalf("the interrupted import made no client %s: %v", code, err)
	}
	// The user edits the contact too; its webhook is the one that finds
	// the link still being created (worked before the echo of the first
	// attempt's code write: webhook jobs run in any order).
	editUserSite(t, b, lead.ID, "https://user-meanwhile.example.test")
	b.clock.Advance(time.Second)
	pending := b.takeEvents(t)
	slices.Reverse(pending)
	for _, ch := range pending {
		if _, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{ch}, syncer.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	b.feedWebhooks(t) // our own writes' echoes
	ct, _ := b.env.GHL.Contact(lead.ID)
	cl, _ := b.env.Repsly.Client(code)
	if ct.City != "Edited Meanwhile" || cl.City != "Edited Meanwhile" {
		t.Errorf("the rep's edit made during the interrupted import was lost: Repsly %q, HighLevel %q", cl.City, ct.City)
	}
	if ct.Website != "https://user-meanwhile.example.test" || cl.Website != ct.Website {
		t.Errorf("the user's edit made during the interrupted import was lost: Repsly %q, HighLevel %q", cl.Website, ct.Website)
	}
}

// TestLeadImportRetriedAfterPoll: a lead's import is cut short; the rep
// edits the new client and the Repsly poll brings the City to the
// contact; then the lead's webhook job is retried, with the contact as it
// was created (no City). That payload is not the contact as it is now:
// taken for it, the City looks cleared by the user and is cleared on both
// sides.
func TestLeadImportRetriedAfterPoll(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	b.pollRepsly(t, nil)
	lead, code, created := interruptedLeadImport(t, b)
	editRep(t, b, code, func(c *repslysandbox.Client) { c.City = "Edited Meanwhile" })
	b.pollRepsly(t, nil)
	if ct, _ := b.env.GHL.Contact(lead.ID); ct.City != "Edited Meanwhile" {
		t.Fatalf("the poll did not bring the rep's City to the contact: %q", ct.City)
	}
	b.takeEvents(t) // the echoes of the poll's writes: they come after the retry here
	b.clock.Advance(time.Second)
	for _, ch := range created {
		// Stamped after the poll's write (a payload's time says when it
		// was sent, not what it knew): only a fresh read tells.
		ch.At = b.clock.Now().Truncate(time.Millisecond)
		if _, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{ch}, syncer.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	b.feedWebhooks(t)
	b.pollRepsly(t, nil)
	ct, _ := b.env.GHL.Contact(lead.ID)
	cl, _ := b.env.Repsly.Client(code)
	if ct.City != "Edited Meanwhile" || cl.City != "Edited Meanwhile" {
		t.Errorf("the rep's City was lost: Repsly %q, HighLevel %q", cl.City, ct.City)
	}
}

// interruptedLeadImport has a HighLevel user create a lead and works its
// webhook until the batch's links would be stored, then "kills" the
// process: the client is imported, the link is left being created. It
// returns the lead, its client's code and the webhook changes.
func interruptedLeadImport(t *testing.T, b *testBundle) (ghlsandbox.Contact, string, []syncer.GHLChange) {
	t.Helper()
	lead, err := b.env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Lee", LastName: "Ad", Email: "lee@lead.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	changes := b.takeEvents(t)
	crash := errors.New("process killed")
	if _, err := b.engine.ApplyGHL(b.ctx, changes, syncer.BatchOptions{Commit: func(store.Tx, syncer.Result) error { return crash }}); !errors.Is(err, crash) {
		t.Fatalf("apply: %v", err)
	}
	return lead, "GHL-" + lead.ID, changes
}
