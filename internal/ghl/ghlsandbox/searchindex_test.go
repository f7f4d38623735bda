package ghlsandbox

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestSearchAddedMatchesScan pages through locations with the dateAdded
// index and with a scan of every contact, and requires the same pages:
// contacts, cursors and totals, for both directions, page and cursor
// paging, filters and queries, with contacts sharing a millisecond and
// contacts added, updated and deleted between searches (each kind alone,
// then together: filtered totals are cached per version of the contacts).
func TestSearchAddedMatchesScan(t *testing.T) {
	t.Parallel()
	b := setup(t, func(o *Options) { o.Locations[0].AllowDuplicateContact = true })
	r := rand.New(rand.NewPCG(3, 4))
	var ids []string
	add := func(n int) {
		for range n {
			if r.IntN(3) == 0 {
				b.clock.Advance(time.Millisecond) // else share the millisecond
			}
			loc := loc1
			if r.IntN(4) == 0 {
				loc = loc2
			}
			tags := []string{[]string{"a", "b", "c"}[r.IntN(3)]}
			ct, err := b.sb.UserCreateContact(Contact{LocationID: loc, FirstName: fmt.Sprint("n", r.IntN(50)), Tags: tags})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, ct.ID)
		}
	}
	add(300)
	mid := float64(b.clock.Now().Add(-100 * time.Millisecond).UnixMilli())
	filters := [][]any{
		nil,
		{map[string]any{"field": "tags", "operator": "eq", "value": "a"}},
		{map[string]any{"field": "dateAdded", "operator": "range", "value": map[string]any{"lte": mid}}},
	}
	pages := 0
	for round := range 5 {
		// Change the locations between rounds, one kind of change at a
		// time (a cached total must follow each kind).
		switch round {
		case 1:
			add(40)
		case 2:
			for range 10 {
				_, _ = b.sb.UserUpdateContact(ids[r.IntN(len(ids))], func(c *Contact) { c.Tags = []string{"b"} })
			}
		case 3:
			for range 10 {
				_ = b.sb.UserDeleteContact(ids[r.IntN(len(ids))])
			}
		case 4:
			add(20)
			for range 10 {
				id := ids[r.IntN(len(ids))]
				_, _ = b.sb.UserUpdateContact(id, func(c *Contact) { c.Tags = []string{"a"} })
				if r.IntN(2) == 0 {
					_ = b.sb.UserDeleteContact(id)
				}
			}
		}
		for _, loc := range []string{loc1, loc2} {
			for _, f := range filters {
				for _, query := range []string{"", "n1"} {
					for _, keys := range [][]sortKey{defaultSort, {{name: "dateAdded", get: searchFields["dateAdded"]}}} {
						for _, limit := range []int{1, 7, 100} {
							pages += comparePaging(t, b.sb, loc, f, query, keys, limit)
						}
					}
				}
			}
		}
	}
	if pages < 1000 {
		t.Fatalf("only %d pages compared", pages)
	}
}

// comparePaging pages through one search both ways, by cursor and by page
// number, and returns how many pages it compared.
func comparePaging(t *testing.T, s *Server, loc string, filters []any, query string, keys []sortKey, limit int) int {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	pred, err := compileFilters(s.locs[loc], filters, "AND")
	if err != nil {
		t.Fatal(err)
	}
	q := searchQuery{loc: loc, pred: pred, filters: filters, filtered: len(filters) > 0 || query != "", query: query, keys: keys, limit: limit}
	if !q.byAdded() {
		t.Fatal("not a dateAdded search")
	}
	pages := 0
	for page := 0; page < 1000; page++ {
		if !q.hasAfter {
			q.skip = page * limit
		}
		want, got := s.searchScan(q), s.searchAdded(q)
		pages++
		if got.total != want.total || !slices.EqualFunc(got.contacts, want.contacts, func(a, b Contact) bool { return a.ID == b.ID }) ||
			fmt.Sprint(got.cursors) != fmt.Sprint(want.cursors) {
			t.Fatalf("%s %v %q %v limit %d page %d (after %v): index gives %d %v %v, scan %d %v %v", loc, filters, query, keys[0].desc,
				limit, page, q.after, got.total, contactIDs(got.contacts), got.cursors, want.total, contactIDs(want.contacts), want.cursors)
		}
		if len(want.contacts) < limit {
			break
		}
		if page%2 == 1 { // alternate: cursor paging from here on
			q.after, q.hasAfter, q.skip = want.cursors[len(want.cursors)-1], true, 0
		}
		if q.hasAfter {
			q.after = want.cursors[len(want.cursors)-1]
		}
		if !q.hasAfter && (page+2)*limit > maxWindow {
			break
		}
	}
	return pages
}

func contactIDs(cs []Contact) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}
