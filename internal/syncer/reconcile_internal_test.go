package syncer

import (
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// A client the export shows twice (it changed while being exported) is
// judged as last read: what the earlier read found is forgotten.
func TestReconcileJudgesClientAsLastRead(t *testing.T) {
	t.Parallel()
	b := setupInternal(t, database.SQLite, 3, 0)
	ctx, e, gc := b.ctx, b.e, b.gc
	items := b.syncFirstPage(t)
	contacts := map[string]ghl.Contact{}
	for p, err := range gc.SearchContactPages(ctx, ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range p.Contacts {
			contacts[c.ID] = c
		}
	}
	same := items[0]
	moved := same
	moved.City = "Elsewhere"
	run := func(reads ...repsly.ClientRecord) Report {
		var rep Report
		c := reconcileRun{e: e, rep: &rep, contacts: contacts, seen: map[string]bool{}, linkedIDs: map[string]bool{},
			orphaned: map[string]store.Link{}, differing: map[string]pair{}, missing: map[string]repsly.ClientRecord{}}
		for _, r := range reads {
			if err := c.clients(ctx, []repsly.ClientRecord{r}); err != nil {
				t.Fatal(err)
			}
		}
		if len(rep.Differing) != len(c.differing) {
			t.Fatalf("%d differing in the report, %d kept for the repair", len(rep.Differing), len(c.differing))
		}
		return rep
	}
	if rep := run(moved); len(rep.Differing) != 1 {
		t.Fatalf("a moved client: differing %+v", rep.Differing)
	}
	if rep := run(moved, same); len(rep.Differing) != 0 {
		t.Fatalf("read moved, then as the contact has it: differing %+v", rep.Differing)
	}
	if rep := run(same, moved, moved); len(rep.Differing) != 1 {
		t.Fatalf("read as the contact has it, then moved twice: differing %+v", rep.Differing)
	}
}
