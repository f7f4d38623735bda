package syncer

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// Each side read twice (a record that changed while being read) is judged
// as last read.
func TestReconcileJudgesRecordsAsLastRead(t *testing.T) {
	t.Parallel()
	b := setupInternal(t, database.SQLite, 3, 0)
	ctx, e, gc := b.ctx, b.e, b.gc
	items := b.syncFirstPage(t)
	clients := map[string]repsly.ClientRecord{}
	var contacts []ghl.Contact
	for p, err := range gc.SearchContactPages(ctx, ghl.SearchContactsRequest{PageLimit: ghl.MaxSearchPageLimit}) {
		if err != nil {
			t.Fatal(err)
		}
		contacts = append(contacts, p.Contacts...)
	}
	for _, cl := range items {
		clients[cl.Code] = cl
	}
	same := contacts[0]
	moved := same
	moved.City = "Elsewhere"
	run := func(reads ...ghl.Contact) Report {
		c := newReconcileRun(e, clients, nil)
		for _, r := range reads {
			if err := c.contacts(ctx, []ghl.Contact{r}); err != nil {
				t.Fatal(err)
			}
		}
		rep, err := c.report(ctx, Report{}, time.Now(), false)
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if rep := run(moved); len(rep.Differing) != 1 {
		t.Fatalf("a moved contact: differing %+v", rep.Differing)
	}
	if rep := run(moved, same); len(rep.Differing) != 0 {
		t.Fatalf("read moved, then as the client has it: differing %+v", rep.Differing)
	}
	if rep := run(same, moved, moved); len(rep.Differing) != 1 {
		t.Fatalf("read as the client has it, then moved twice: differing %+v", rep.Differing)
	}
}
