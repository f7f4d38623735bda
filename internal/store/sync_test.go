package store_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

func TestLinks(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		db := b.store.DB()
		id, err := b.store.InsertLink(b.ctx, db, store.Link{Flow: "f", RepslyCode: "C1", State: store.LinkCreatingGHL, CreatedAt: b.now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.InsertLink(b.ctx, db, store.Link{Flow: "f", RepslyCode: "C1", State: store.LinkLinked, CreatedAt: b.now}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate code: %v", err)
		}
		// Same code in another flow is fine, and two links without a
		// HighLevel id yet do not collide.
		if _, err := b.store.InsertLink(b.ctx, db, store.Link{Flow: "g", RepslyCode: "C1", State: store.LinkLinked, CreatedAt: b.now}); err != nil {
			t.Fatal(err)
		}
		if _, err := b.store.InsertLink(b.ctx, db, store.Link{Flow: "f", RepslyCode: "C2", State: store.LinkCreatingGHL, CreatedAt: b.now}); err != nil {
			t.Fatal(err)
		}
		l, err := b.store.GetLink(b.ctx, db, id)
		if err != nil {
			t.Fatal(err)
		}
		l.GHLID, l.State, l.GHLLast = "g1", store.LinkLinked, `{"email":"a@b.c"}`
		if err := b.store.UpdateLink(b.ctx, db, l, b.now); err != nil {
			t.Fatal(err)
		}
		byCode, err := b.store.LinksByRepslyCodes(b.ctx, db, "f", []string{"C1", "C2", "C3"})
		if err != nil || len(byCode) != 2 || byCode["C1"].GHLID != "g1" {
			t.Fatalf("by code %v %v", byCode, err)
		}
		byID, err := b.store.LinksByGHLIDs(b.ctx, db, "f", []string{"g1"})
		if err != nil || byID["g1"].GHLLast != `{"email":"a@b.c"}` {
			t.Fatalf("by id %v %v", byID, err)
		}
		many := make([]string, 1200)
		for i := range many {
			many[i] = fmt.Sprintf("X%d", i)
		}
		many[1100] = "C2"
		got, err := b.store.LinksByRepslyCodes(b.ctx, db, "f", many)
		if err != nil || len(got) != 1 {
			t.Fatalf("chunked lookup: %d %v", len(got), err)
		}
		// States alone, over several chunks; other flows' links are not
		// this flow's.
		if _, err := b.store.InsertLink(b.ctx, db, store.Link{Flow: "g", RepslyCode: "C9", GHLID: "g9", State: store.LinkLinked, CreatedAt: b.now}); err != nil {
			t.Fatal(err)
		}
		many[700], many[1150] = "g1", "g9"
		states, err := b.store.LinkStatesByGHLIDs(b.ctx, db, "f", many)
		if err != nil || len(states) != 1 || states["g1"] != store.LinkLinked {
			t.Fatalf("states by id %v %v", states, err)
		}
		counts, err := b.store.CountLinks(b.ctx, "f")
		if err != nil || counts[store.LinkLinked] != 1 || counts[store.LinkCreatingGHL] != 1 {
			t.Fatalf("counts %v %v", counts, err)
		}
		n := 0
		if err := b.store.ListLinks(b.ctx, "f", func(store.Link) error { n++; return nil }); err != nil || n != 2 {
			t.Fatalf("list %d %v", n, err)
		}
		// An intent's client state can be rewritten; a link's cannot.
		c2 := byCode["C2"]
		for _, l := range []store.Link{c2, byCode["C1"]} {
			if err := b.store.SetIntentClient(b.ctx, db, l.ID, `{"City":"New"}`, b.now); err != nil {
				t.Fatal(err)
			}
		}
		if got, _ := b.store.GetLink(b.ctx, db, c2.ID); got.RepslyLast != `{"City":"New"}` {
			t.Errorf("intent client state %s", got.RepslyLast)
		}
		if got, _ := b.store.GetLink(b.ctx, db, id); got.RepslyLast == `{"City":"New"}` {
			t.Error("a linked link's client state was rewritten as an intent's")
		}
		// Intents of a batch: existing keys are skipped, not a failure.
		insert := func(links []store.Link) (ids []int64, err error) {
			err = b.store.InTx(b.ctx, func(tx store.Tx) error {
				ids, err = b.store.InsertLinksIfAbsent(b.ctx, tx, links)
				return err
			})
			return ids, err
		}
		ids, err := insert([]store.Link{
			{Flow: "f", RepslyCode: "C1", State: store.LinkCreatingGHL, CreatedAt: b.now},
			{Flow: "f", RepslyCode: "C9", State: store.LinkCreatingGHL, CreatedAt: b.now}})
		if err != nil || len(ids) != 2 || ids[0] != 0 || ids[1] == 0 {
			t.Fatalf("intents %v %v", ids, err)
		}
		// More than one statement's worth, with existing keys, a key
		// twice and links known by their contact: each id is its own
		// link's, whatever order the rows come back in.
		var batch []store.Link
		for i := range 250 {
			l := store.Link{Flow: "f", RepslyCode: fmt.Sprintf("B%03d", i), State: store.LinkCreatingGHL, CreatedAt: b.now}
			switch {
			case i%50 == 7:
				l.RepslyCode = "C9" // exists
			case i%50 == 8:
				l.RepslyCode = fmt.Sprintf("B%03d", i-2) // earlier in this call
			case i%50 == 9:
				l.RepslyCode, l.GHLID, l.State = "", fmt.Sprintf("g%03d", i), store.LinkCreatingRepsly
			}
			batch = append(batch, l)
		}
		ids, err = insert(batch)
		if err != nil || len(ids) != len(batch) {
			t.Fatalf("%d intents: %d ids, %v", len(batch), len(ids), err)
		}
		inserted := 0
		for i, l := range batch {
			skipped := i%50 == 7 || i%50 == 8
			switch {
			case skipped && ids[i] != 0:
				t.Fatalf("intent %d (%s) inserted as %d over an existing key", i, l.RepslyCode, ids[i])
			case skipped:
				continue
			case ids[i] == 0:
				t.Fatalf("intent %d (%s/%s) not inserted", i, l.RepslyCode, l.GHLID)
			}
			inserted++
			got, err := b.store.GetLink(b.ctx, db, ids[i])
			if err != nil || got.RepslyCode != l.RepslyCode || got.GHLID != l.GHLID || got.State != l.State {
				t.Fatalf("intent %d (%s/%s): id %d holds %s/%s %s, %v", i, l.RepslyCode, l.GHLID, ids[i], got.RepslyCode, got.GHLID, got.State, err)
			}
		}
		if inserted != 240 {
			t.Fatalf("%d of 250 intents inserted, want 240", inserted)
		}
	})
}

func TestCursorInboxActivityRuns(t *testing.T) {
	t.Parallel()
	forEachDialect(t, func(t *testing.T, b *testBundle) {
		db := b.store.DB()
		if c, err := b.store.GetCursor(b.ctx, db, "f", "repsly.clients"); err != nil || c != "" {
			t.Fatalf("empty cursor %q %v", c, err)
		}
		for _, v := range []string{"10", "20"} {
			if err := b.store.InTx(b.ctx, func(tx store.Tx) error {
				return b.store.SetCursor(b.ctx, tx, "f", "repsly.clients", v, b.now)
			}); err != nil {
				t.Fatal(err)
			}
		}
		if c, _ := b.store.GetCursor(b.ctx, db, "f", "repsly.clients"); c != "20" {
			t.Fatalf("cursor %q", c)
		}
		var first int64
		err := b.store.InTx(b.ctx, func(tx store.Tx) error {
			var err error
			first, err = b.store.InsertInboxEvent(b.ctx, tx, store.InboxEvent{Source: "ghl", EventID: "w1", Body: "{}", ReceivedAt: b.now})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		err = b.store.InTx(b.ctx, func(tx store.Tx) error {
			_, err := b.store.InsertInboxEvent(b.ctx, tx, store.InboxEvent{Source: "ghl", EventID: "w1", Body: "{}", ReceivedAt: b.now})
			return err
		})
		if !errors.Is(err, store.ErrDuplicate) {
			t.Fatalf("duplicate delivery: %v", err)
		}
		if err := b.store.FinishInboxEvent(b.ctx, db, first, "done", "", b.now); err != nil {
			t.Fatal(err)
		}
		ev, err := b.store.GetInboxEvent(b.ctx, db, first)
		if err != nil || ev.Status != "done" || ev.ProcessedAt == nil {
			t.Fatalf("inbox %+v %v", ev, err)
		}
		ok, err := b.store.ClaimActivity(b.ctx, db, "f", "visit", "V1", b.now)
		if err != nil || !ok {
			t.Fatalf("claim %v %v", ok, err)
		}
		if ok, _ := b.store.ClaimActivity(b.ctx, db, "f", "visit", "V1", b.now); ok {
			t.Fatal("activity claimed twice")
		}
		if err := b.store.SetActivityNote(b.ctx, db, "f", "visit", "V1", "c1", "n1"); err != nil {
			t.Fatal(err)
		}
		if note, found, _ := b.store.ActivityNote(b.ctx, db, "f", "visit", "V1"); !found || note != "n1" {
			t.Fatalf("activity note %q %v", note, found)
		}
		runID, err := b.store.StartRun(b.ctx, db, "f", "backfill", b.now)
		if err != nil {
			t.Fatal(err)
		}
		if err := b.store.InsertRunRecords(b.ctx, db, []store.RunRecord{{RunID: runID, Flow: "f", Side: "ghl", RecordKey: "C1", Action: "create", CreatedAt: b.now}}); err != nil {
			t.Fatal(err)
		}
		if err := b.store.FinishRun(b.ctx, db, runID, "succeeded", `{"created":1}`, "", b.now); err != nil {
			t.Fatal(err)
		}
		runs, err := b.store.ListRuns(b.ctx, "", 10)
		if err != nil || len(runs) != 1 || runs[0].Status != "succeeded" {
			t.Fatalf("runs %+v %v", runs, err)
		}
		r, recs, err := b.store.GetRun(b.ctx, runID)
		if err != nil || r.FinishedAt == nil || len(recs) != 1 || recs[0].Action != "create" {
			t.Fatalf("run %+v %+v %v", r, recs, err)
		}
	})
}
