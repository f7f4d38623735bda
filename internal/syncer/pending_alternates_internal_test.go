package syncer

import (
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestEarlierWriteStaysPending: a write cut short, adopted by a retry that
// is itself cut short after writing the field ahead again, must still be
// known as ours by the next retry. The row kept only the later value, and
// the contact showing the earlier one was taken for a HighLevel edit and
// written over a rep's newer value in Repsly (a crash test, seed 6062).
func TestEarlierWriteStaysPending(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		reads []string // what retries read on the contact, in turn
	}{
		{"earlier value landed", []string{"Salem", "Salem"}},
		{"later value landed", []string{"Salem", "Boston"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// First attempt: city Salem written ahead, the call landed, the
			// process died before the link update.
			ls := newLinkState(store.Link{ID: 1, State: store.LinkLinked})
			ls.addAhead(GHL, record{"city": "Salem"}, t0)
			row := ls.ahead.json()
			// Second attempt: reads Salem (ours), then writes Boston ahead
			// and dies before the call lands.
			ls = newLinkState(store.Link{ID: 1, State: store.LinkLinked, PendingWrites: row})
			if adopted, _, _ := ls.adoptPending(GHL, record{"city": tc.reads[0]}, t0.Add(time.Second)); adopted["city"] != "Salem" {
				t.Fatalf("second attempt adopted %v", adopted)
			}
			ls.addAhead(GHL, record{"city": "Boston"}, t0.Add(2*time.Second))
			row = ls.ahead.json()
			// Third attempt: either value on the contact is ours.
			ls = newLinkState(store.Link{ID: 1, State: store.LinkLinked, PendingWrites: row})
			adopted, _, _ := ls.adoptPending(GHL, record{"city": tc.reads[1]}, t0.Add(3*time.Second))
			if adopted["city"] != tc.reads[1] {
				t.Fatalf("third attempt read %q: adopted %v from pending %s", tc.reads[1], adopted, row)
			}
			// The link update that records the write drops every value.
			ls.wrote(GHL, []string{"city"})
			if len(ls.pending) != 0 {
				t.Fatalf("pending after the write is recorded: %v", ls.pending)
			}
		})
	}
}
