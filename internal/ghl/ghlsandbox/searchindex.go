package ghlsandbox

import (
	"cmp"
	"encoding/json"
	"slices"
	"sort"
	"strings"
)

// A backfill pages through every contact of a location sorted by
// dateAdded (HighLevel's default order, newest first, or oldest first), and
// a scan of every contact for each page made that quadratic in the
// location's size. Real HighLevel answers from an index; so does this, for
// those two orders, with the same answers as the scan
// (TestSearchAddedMatchesScan).

// addedEntry is one contact in a location's dateAdded order: its cursor.
type addedEntry struct {
	ms float64 // dateAdded as searchAfter carries it
	id string
}

// addedKey names one cached order.
type addedKey struct {
	loc  string
	desc bool
}

// byAdded reports whether q sorts by dateAdded alone.
func (q searchQuery) byAdded() bool {
	return len(q.keys) == 1 && q.keys[0].name == "dateAdded"
}

// addedOrder returns a location's contacts in q's dateAdded order, built
// once and kept until a contact is added to or removed from the location
// (dropAddedOrder). Entries hold ids, so an updated contact (a new
// *Contact) is still found. Callers hold s.mu.
func (s *Server) addedOrder(q searchQuery) []addedEntry {
	key := addedKey{q.loc, q.keys[0].desc}
	if order, ok := s.added[key]; ok {
		return order
	}
	var order []addedEntry
	for _, ct := range s.contacts {
		if ct.LocationID == q.loc {
			order = append(order, addedEntry{ms: cursorValue(ct.DateAdded).(float64), id: ct.ID})
		}
	}
	// compareCursor on the entries' cursors, without building them per
	// comparison: dateAdded in the asked direction, then the id ascending.
	desc := q.keys[0].desc
	slices.SortFunc(order, func(a, b addedEntry) int {
		c := cmp.Compare(a.ms, b.ms)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	if s.added == nil {
		s.added = map[addedKey][]addedEntry{}
	}
	s.added[key] = order
	return order
}

func (e addedEntry) cursor() []any { return []any{e.ms, e.id} }

// dropAddedOrder forgets a location's cached orders. Callers hold s.mu.
func (s *Server) dropAddedOrder(loc string) {
	delete(s.added, addedKey{loc, false})
	delete(s.added, addedKey{loc, true})
}

// searchAdded answers q, sorted by dateAdded, from the location's order:
// a binary search for the cursor, then the page's contacts. The total
// still counts every match, with a pass only when filters narrow it.
func (s *Server) searchAdded(q searchQuery) *searchBody {
	order := s.addedOrder(q)
	match := func(id string) (*Contact, bool) {
		ct := s.contacts[id]
		return ct, ct != nil && q.pred(ct) && matchesQuery(ct, q.query)
	}
	out := &searchBody{total: len(order)}
	if q.filtered {
		out.total = s.filteredTotal(q, order, match)
	}
	i := 0
	if q.hasAfter {
		i = sort.Search(len(order), func(j int) bool { return compareCursor(q.keys, order[j].cursor(), q.after) > 0 })
	}
	skip := q.skip
	for ; i < len(order) && len(out.contacts) < q.limit; i++ {
		ct, ok := match(order[i].id)
		if !ok {
			continue
		}
		if skip > 0 {
			skip--
			continue
		}
		out.contacts = append(out.contacts, snapshotContact(ct))
		out.cursors = append(out.cursors, order[i].cursor())
	}
	return out
}

// totalKey names a filtered search's total: paging through it asks for
// the same total on every page.
type totalKey struct{ loc, filters, query string }

type totalEntry struct {
	version uint64
	n       int
}

// maxTotals bounds the totals kept; the map is emptied when full.
const maxTotals = 1024

// filteredTotal counts the contacts of order that match q, once per
// version of the contacts: a filtered search paged to its end counted
// every contact on every page, quadratic in the location's size.
// Callers hold s.mu.
func (s *Server) filteredTotal(q searchQuery, order []addedEntry, match func(string) (*Contact, bool)) int {
	filters, _ := json.Marshal(q.filters) // keys sorted: the same filters give the same text
	key := totalKey{q.loc, string(filters), q.query}
	if t, ok := s.totals[key]; ok && t.version == s.searchVersion {
		return t.n
	}
	n := 0
	for _, e := range order {
		if _, ok := match(e.id); ok {
			n++
		}
	}
	if s.totals == nil || len(s.totals) >= maxTotals {
		s.totals = map[totalKey]totalEntry{}
	}
	s.totals[key] = totalEntry{version: s.searchVersion, n: n}
	return n
}
