package syncer_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

func TestBackfillResumesAndConverges(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 120, contacts: 40, overlap: 15})
	contacts0 := len(b.env.GHL.Contacts())
	var progress []syncer.Progress
	steps := 0
	for {
		// One page per call: each call resumes from the last checkpoint,
		// as a restarted process would.
		done, res, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{MaxPages: 1, Progress: func(p syncer.Progress) { progress = append(progress, p) }})
		if err != nil {
			t.Fatal(err)
		}
		if errs := res.Errors(); len(errs) > 0 {
			for _, e := range errs {
				t.Logf("record error: %+v", e)
			}
		}
		steps++
		if done {
			break
		}
		if steps > 50 {
			t.Fatal("backfill does not finish")
		}
	}
	if steps < 4 {
		t.Fatalf("backfill took %d steps; 120 clients are 3 pages", steps)
	}
	counts, err := b.store.CountLinks(b.ctx, "two-way")
	if err != nil {
		t.Fatal(err)
	}
	clients, contacts := len(b.env.Repsly.Clients()), len(b.env.GHL.Contacts())
	if counts[store.LinkLinked] != clients || clients != contacts {
		t.Fatalf("links %v, %d clients, %d contacts: both sides must hold the same records", counts, clients, contacts)
	}
	if clients <= 120 || contacts <= contacts0 {
		t.Fatalf("nothing crossed over: %d clients, %d contacts", clients, contacts)
	}
	// Running the whole backfill again changes nothing.
	if err := b.engine.ResetBackfill(b.ctx); err != nil {
		t.Fatal(err)
	}
	b.feedWebhooks(t)
	before := b.env.GHL.CallCount()
	done, res, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{})
	if err != nil || !done {
		t.Fatalf("second backfill: %v %v", done, err)
	}
	if res.Writes() != 0 {
		t.Fatalf("second backfill wrote %d times: %v", res.Writes(), res.Counts)
	}
	// Only the matching index and the contact pages were read.
	if calls := b.env.GHL.CallCount() - before; calls > 4 {
		t.Fatalf("second backfill made %d HighLevel calls", calls)
	}
}

// TestReconcilePollCoversTimeBeforeBackfill: webhooks sync a flow's
// contacts from the moment the flow exists, so the reconcile poll that
// takes over after the backfill must start from then, not from when the
// backfill happened to begin, or an edit whose webhook was missed in
// between is never seen.
func TestReconcilePollCoversTimeBeforeBackfill(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 3, contacts: 2})
	created := b.clock.Now()
	if err := b.store.InTx(b.ctx, func(tx store.Tx) error {
		_, _, err := b.store.PutFlow(b.ctx, tx, store.FlowInput{Name: "two-way", Kind: "sync", YAML: "kind: sync\n"}, created)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Hour) // the backfill begins an hour later
	if done, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{}); err != nil || !done {
		t.Fatalf("backfill: done %t, %v", done, err)
	}
	got, err := b.store.GetCursor(b.ctx, b.store.DB(), "two-way", syncer.CursorGHLUpdated)
	if err != nil {
		t.Fatal(err)
	}
	if want := strconv.FormatInt(created.UnixMilli(), 10); got != want {
		t.Fatalf("reconcile poll starts at %s, want the flow's creation %s", got, want)
	}
}

// TestBackfillSummary: with Summary the result keeps the counts of every
// outcome but only the outcomes that carry an error; Progress still sees
// them all.
func TestBackfillSummary(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 120, contacts: 40, overlap: 15})
	seen := syncer.Counts{}
	all := 0
	done, res, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{Summary: true, Progress: func(p syncer.Progress) {
		for _, o := range p.Result.Outcomes {
			seen[string(o.Side)+"."+string(o.Action)]++
			all++
		}
	}})
	if err != nil || !done {
		t.Fatalf("backfill: %v %v", done, err)
	}
	if all < 120 {
		t.Fatalf("progress saw %d outcomes for 120 clients", all)
	}
	if len(res.Counts) != len(seen) {
		t.Fatalf("counts %v, progress saw %v", res.Counts, seen)
	}
	for k, n := range seen {
		if res.Counts[k] != n {
			t.Fatalf("counts %v, progress saw %v", res.Counts, seen)
		}
	}
	for _, o := range res.Outcomes {
		if o.Err == "" {
			t.Fatalf("summary kept an outcome without an error: %+v", o)
		}
	}
}

// TestBackfillLeavesItsOwnCreatesUnread: the HighLevel phase reads the
// contacts that existed when the first phase began, not the ones that
// phase created (reading those back cost a tenth of a first backfill); a
// contact a user adds meanwhile is the reconcile poll's, which starts no
// later than the backfill.
func TestBackfillLeavesItsOwnCreatesUnread(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOpts{clients: 120, contacts: 40, overlap: 15})
	before := len(b.env.GHL.Contacts())
	if done, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{MaxPages: 1}); err != nil || done {
		t.Fatalf("first page: done %t, %v", done, err)
	}
	b.clock.Advance(time.Minute)
	lead, err := b.env.GHL.UserCreateContact(ghlsandbox.Contact{FirstName: "Mid", LastName: "Lead", Email: "mid@lead.example.test"})
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	done, _, err := b.engine.Backfill(b.ctx, syncer.BackfillOptions{Progress: func(p syncer.Progress) {
		if p.Phase == "ghl" {
			read = p.Records
		}
	}})
	if err != nil || !done {
		t.Fatalf("backfill: done %t, %v", done, err)
	}
	all := b.env.GHL.Contacts()
	made, err := b.store.GetCursor(b.ctx, b.store.DB(), "two-way", "backfill.creates_from_ms")
	if err != nil {
		t.Fatal(err)
	}
	ms, _ := strconv.ParseInt(made, 10, 64)
	want := 0
	for _, c := range all {
		if c.DateAdded.UnixMilli() <= ms {
			want++
		}
	}
	if read != want || want < before || want >= len(all)-1 {
		t.Fatalf("the HighLevel phase read %d contacts; %d were added by %s (%d before the backfill, %d now)", read, want, made, before, len(all))
	}
	links, err := b.store.LinksByGHLIDs(b.ctx, b.store.DB(), "two-way", []string{lead.ID})
	if err != nil || len(links) != 0 {
		t.Fatalf("a contact added during the backfill was linked by it: %v %v", links, err)
	}
	from, _ := b.store.GetCursor(b.ctx, b.store.DB(), "two-way", syncer.CursorGHLUpdated)
	if n, _ := strconv.ParseInt(from, 10, 64); from == "" || n > lead.DateUpdated.UnixMilli() {
		t.Fatalf("reconcile poll starts at %q, after the contact added during the backfill (%s)", from, lead.DateUpdated)
	}
}
