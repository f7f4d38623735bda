package syncer_test

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// TestStaleReadsLoseNothing edits different fields of one record on both
// sides so that one side's read is older than our write to that side but
// is applied after it: the read shows the written field as it was before
// the write, which must not be taken for an edit and synced back over the
// other side's change. Each case ends with both edits on both sides.
func TestStaleReadsLoseNothing(t *testing.T) {
	t.Parallel()
	const repEmail, userSite = "rep-edit@example.test", "https://user-edit.example.test"
	tests := []struct {
		name string
		// run makes the edits and syncs them in the racy order.
		run func(t *testing.T, b *testBundle, code, id string)
		// maxCalls bounds the API calls of the run and the settling after.
		maxCalls int
	}{
		{
			// The Repsly poll reads the rep's email edit; the user edits the
			// website before the poll's write of the email lands; the user's
			// webhook, carrying the old email, is worked after that write.
			name: "webhook older than our contact write",
			run: func(t *testing.T, b *testBundle, code, id string) {
				page, readAt := readThenEditSite(t, b, code, id, repEmail, userSite)
				applyPage(t, b, page.Items, readAt)
				b.cursor = page.Next
				b.feedWebhooks(t)
			},
			// The edits' syncing and the settling rounds, with no
			// correction written back and forth.
			maxCalls: 7,
		},
		{
			// Same, but the webhook is stamped after our write, as a delivery
			// sent late is: only a second read of the contact can tell.
			name: "late-stamped webhook older than our contact write",
			run: func(t *testing.T, b *testBundle, code, id string) {
				page, readAt := readThenEditSite(t, b, code, id, repEmail, userSite)
				pending := b.takeEvents(t)
				applyPage(t, b, page.Items, readAt)
				b.cursor = page.Next
				b.clock.Advance(time.Second)
				for _, ch := range pending {
					ch.At = b.clock.Now().Truncate(time.Millisecond)
					if _, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{ch}, syncer.BatchOptions{}); err != nil {
						t.Fatal(err)
					}
				}
				b.feedWebhooks(t)
			},
			maxCalls: 8, // one more: the second read of the contact
		},
		{
			// The Repsly poll reads the rep's email edit, with the old
			// website; the user's website edit is written to Repsly before
			// that read is applied.
			name: "poll read older than our client write",
			run: func(t *testing.T, b *testBundle, code, id string) {
				editUserSite(t, b, id, userSite)
				editRepEmail(t, b, code, repEmail)
				b.clock.Advance(time.Second)
				readAt := b.clock.Now()
				page, err := b.repsly.ExportClients(b.ctx, b.cursor)
				if err != nil {
					t.Fatal(err)
				}
				b.feedWebhooks(t)
				applyPage(t, b, page.Items, readAt)
				b.cursor = page.Next
			},
			maxCalls: 8, // one more: the second read of the client
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOpts{clients: 1})
			code, id := linkedPair(t, b)
			// Both fields hold a value on both sides before the edits: a
			// webhook carries every field that has one.
			editRepEmail(t, b, code, "before@example.test")
			editUserSite(t, b, id, "https://before.example.test")
			b.pollRepsly(t, nil)
			b.feedWebhooks(t)
			before := b.calls()
			tt.run(t, b, code, id)
			for range 2 {
				b.clock.Advance(time.Second)
				b.pollRepsly(t, nil)
				b.feedWebhooks(t)
			}
			cl, _ := b.env.Repsly.Client(code)
			ct, _ := b.env.GHL.Contact(id)
			if cl.Email != repEmail || ct.Email != repEmail {
				t.Errorf("the rep's email edit was lost: Repsly %q, HighLevel %q", cl.Email, ct.Email)
			}
			if cl.Website != userSite || ct.Website != userSite {
				t.Errorf("the user's website edit was lost: Repsly %q, HighLevel %q", cl.Website, ct.Website)
			}
			if got := b.calls() - before; got > tt.maxCalls {
				t.Errorf("%d API calls, want at most %d", got, tt.maxCalls)
			}
		})
	}
}

// readThenEditSite makes the rep's email edit, reads the Repsly page that
// shows it, and only then lets the user edit the website: the page is
// older than the website edit.
func readThenEditSite(t *testing.T, b *testBundle, code, id, email, site string) (repsly.Page[repsly.ClientRecord], time.Time) {
	t.Helper()
	editRepEmail(t, b, code, email)
	readAt := b.clock.Now()
	page, err := b.repsly.ExportClients(b.ctx, b.cursor)
	if err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Second)
	editUserSite(t, b, id, site)
	return page, readAt
}

func applyPage(t *testing.T, b *testBundle, items []repsly.ClientRecord, at time.Time) {
	t.Helper()
	if res, err := b.engine.ApplyRepsly(b.ctx, items, at, syncer.BatchOptions{}); err != nil {
		t.Fatalf("apply repsly page: %v (%+v)", err, res.Errors())
	}
}

// takeEvents returns the HighLevel changes emitted since the last feed
// without applying them.
func (b *testBundle) takeEvents(t *testing.T) []syncer.GHLChange {
	t.Helper()
	evs := b.env.GHL.Events()
	var out []syncer.GHLChange
	for _, ev := range evs[b.seen:] {
		parsed, err := ghl.ParseEvent(ev.Body)
		if err != nil {
			t.Fatal(err)
		}
		if ch, ok := syncer.ChangeFromEvent(parsed, b.clock.Now()); ok {
			out = append(out, ch)
		}
	}
	b.seen = len(evs)
	return out
}

// TestLateWebhookKeepsLaterEdit delivers a contact's webhooks out of order
// (a job retried after a crash): the older state, worked last, must not be
// taken for an edit and "corrected" over an edit the user made since, whose
// own webhook was lost and which only the reconcile poll brings.
func TestLateWebhookKeepsLaterEdit(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	code, id := linkedPair(t, b)
	editUserSite(t, b, id, "https://first.example.test")
	older := b.takeEvents(t)
	editUserSite(t, b, id, "https://second.example.test")
	b.feedWebhooks(t)
	editUserSite(t, b, id, "https://third.example.test")
	b.takeEvents(t) // this delivery is lost
	before := b.calls()
	for _, ch := range older {
		if _, err := b.engine.ApplyGHL(b.ctx, []syncer.GHLChange{ch}, syncer.BatchOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if got := b.calls() - before; got != 0 {
		t.Errorf("the late webhook cost %d API calls, want 0", got)
	}
	if ct, _ := b.env.GHL.Contact(id); ct.Website != "https://third.example.test" {
		t.Fatalf("the late webhook overwrote the user's later edit: HighLevel website %q", ct.Website)
	}
	// The reconcile poll brings the edit whose webhook was lost.
	b.applyFullRead(t, id)
	if cl, _ := b.env.Repsly.Client(code); cl.Website != "https://third.example.test" {
		t.Fatalf("Repsly website %q, want the user's last edit", cl.Website)
	}
}

// TestPendingWebhookBeforeRepslyWrite: a webhook job wrote a contact's new
// website to Repsly and was killed before it committed, so its delivery is
// still pending in the inbox; the user then edits the website again, and
// that webhook is lost. The Repsly poll sees the first value as a Repsly
// change: pushed to the contact, it would overwrite the user's later edit.
// The pending delivery must be applied first, which makes the Repsly value
// no change at all.
func TestPendingWebhookBeforeRepslyWrite(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 1})
	code, id := linkedPair(t, b)
	editUserSite(t, b, id, "https://first.example.test")
	evs := b.env.GHL.Events()
	ev := evs[len(evs)-1]
	b.seen = len(evs)
	if err := b.store.InTx(b.ctx, func(tx store.Tx) error {
		_, err := b.store.InsertInboxEvent(b.ctx, tx, store.InboxEvent{Source: "ghl", LocationID: sandbox.LocationID,
			EventID: ev.WebhookID, EventType: ev.Type, Body: string(ev.Body), ReceivedAt: b.clock.Now()})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	// What the killed job wrote before it died.
	if _, err := b.env.Repsly.RepUpdateClient(code, func(c *repslysandbox.Client) { c.Website = "https://first.example.test" }); err != nil {
		t.Fatal(err)
	}
	editUserSite(t, b, id, "https://second.example.test")
	b.takeEvents(t) // lost
	b.pollRepsly(t, nil)
	if ct, _ := b.env.GHL.Contact(id); ct.Website != "https://second.example.test" {
		t.Fatalf("the Repsly poll wrote over the user's later edit: HighLevel website %q", ct.Website)
	}
}
