package ghlsandbox

import (
	"cmp"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// sortKey is one sort criterion.
type sortKey struct {
	name string
	get  func(*Contact) any
	desc bool
}

// Default order when the search names none: newest first.
var defaultSort = []sortKey{{name: "dateAdded", get: searchFields["dateAdded"], desc: true}}

func parseSort(ls *locState, raw []any) ([]sortKey, error) {
	if len(raw) == 0 {
		return defaultSort, nil
	}
	var keys []sortKey
	for _, r := range raw {
		m, _ := r.(map[string]any)
		name, _ := m["field"].(string)
		dir, _ := m["direction"].(string)
		if dir != "asc" && dir != "desc" {
			return nil, errBadRequest("Invalid sort direction %v", m["direction"])
		}
		get, err := fieldGetter(ls, name)
		if err != nil {
			return nil, err
		}
		keys = append(keys, sortKey{name: name, get: get, desc: dir == "desc"})
	}
	return keys, nil
}

// cursorValue renders a sort value as searchAfter carries it: dates as
// epoch ms numbers, the rest as lower-case strings.
func cursorValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		if v.IsZero() {
			return float64(0)
		}
		return float64(v.UnixMilli())
	case float64:
		return v
	case bool:
		if v {
			return float64(1)
		}
		return float64(0)
	}
	return strings.ToLower(toString(v))
}

// cursor is a contact's searchAfter: its sort values, then its id.
func cursor(keys []sortKey, c *Contact) []any {
	return appendCursor(make([]any, 0, len(keys)+1), keys, c)
}

// appendCursor appends c's cursor to out.
func appendCursor(out []any, keys []sortKey, c *Contact) []any {
	for _, k := range keys {
		out = append(out, cursorValue(k.get(c)))
	}
	return append(out, c.ID)
}

func compareCursor(keys []sortKey, a, b []any) int {
	for i, k := range keys {
		c := compareCursorValue(a[i], b[i])
		if k.desc {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return compareCursorValue(a[len(keys)], b[len(keys)])
}

func compareCursorValue(a, b any) int {
	an, aNum := a.(float64)
	bn, bNum := b.(float64)
	switch {
	case aNum && bNum:
		return cmp.Compare(an, bn)
	case aNum:
		return -1
	case bNum:
		return 1
	}
	return strings.Compare(toString(a), toString(b))
}

// POST /contacts/search (search-contacts-advanced): 200 {contacts, total}.
func (s *Server) hSearchContacts(c *call) (int, any, error) {
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	filters, _ := c.in["filters"].([]any)
	pred, err := compileFilters(ls, filters, "AND")
	if err != nil {
		return 0, nil, err
	}
	sortRaw, _ := c.in["sort"].([]any)
	keys, err := parseSort(ls, sortRaw)
	if err != nil {
		return 0, nil, err
	}
	query, _ := c.in.str("query")
	limitF, _ := c.in.num("pageLimit")
	limit := int(limitF)
	after, hasAfter := c.in["searchAfter"].([]any)
	if hasAfter && len(after) != len(keys)+1 {
		return 0, nil, errBadRequest("searchAfter must have %d values, one per sort field and the id", len(keys)+1)
	}

	q := searchQuery{loc: locID, pred: pred, filters: filters, filtered: len(filters) > 0 || query != "", query: query,
		keys: keys, after: after, hasAfter: hasAfter, limit: limit}
	if !hasAfter {
		page := 1.0
		if p, ok := c.in.num("page"); ok {
			page = p
		}
		q.skip = (int(page) - 1) * limit
		if q.skip+limit > maxWindow {
			return 0, nil, errBadRequest("page × pageLimit may not exceed %d; use searchAfter to go further", maxWindow)
		}
	}
	if q.byAdded() {
		return http.StatusOK, s.searchAdded(q), nil
	}
	return http.StatusOK, s.searchScan(q), nil
}

// searchQuery is a contact search, parsed. Callers hold s.mu.
type searchQuery struct {
	loc      string
	pred     predicate
	filters  []any // as sent, naming the search's cached total
	filtered bool  // filters or a query narrow the search
	query    string
	keys     []sortKey
	after    []any // searchAfter, when hasAfter
	hasAfter bool
	skip     int // matching contacts before the page (page paging)
	limit    int
}

// searchScan answers q with one pass over every contact.
func (s *Server) searchScan(q searchQuery) *searchBody {
	// Only the first want hits in order are kept, in a sorted buffer: a
	// page costs one pass over the contacts, not a sort of all of them.
	want := q.skip + q.limit
	type hit struct {
		c   *Contact
		cur []any
	}
	var hits []hit
	total := 0
	// Most contacts are compared and dropped: their cursor is built in one
	// buffer and copied only for a contact that is kept.
	buf := make([]any, 0, len(q.keys)+1)
	for _, ct := range s.contacts {
		if ct.LocationID != q.loc || !q.pred(ct) || !matchesQuery(ct, q.query) {
			continue
		}
		total++
		if want <= 0 {
			continue
		}
		buf = appendCursor(buf[:0], q.keys, ct)
		if q.hasAfter && compareCursor(q.keys, buf, q.after) <= 0 {
			continue
		}
		if len(hits) == want && compareCursor(q.keys, buf, hits[want-1].cur) >= 0 {
			continue
		}
		cur := slices.Clone(buf)
		i, _ := slices.BinarySearchFunc(hits, cur, func(h hit, t []any) int { return compareCursor(q.keys, h.cur, t) })
		if len(hits) == want {
			hits = hits[:want-1]
		}
		hits = slices.Insert(hits, i, hit{ct, cur})
	}
	out := &searchBody{total: total}
	for i := q.skip; i < len(hits) && len(out.contacts) < q.limit; i++ {
		out.contacts = append(out.contacts, snapshotContact(hits[i].c))
		out.cursors = append(out.cursors, hits[i].cur)
	}
	return out
}

var listContactsQuery = shape{
	{name: "locationId", required: true},
	{name: "startAfterId"},
	{name: "startAfter", kind: kNumber},
	{name: "query"},
	{name: "limit", kind: kNumber, min: ptr(1), max: ptr(100)},
}

// GET /contacts/ (get-contacts, deprecated): 200 {contacts, count, meta}.
// Pages run oldest first; the next page starts after (startAfter,
// startAfterId), the last contact's dateAdded (epoch ms) and id.
func (s *Server) hListContacts(c *call) (int, any, error) {
	locID, _ := c.q.str("locationId")
	if _, err := s.needLocation(c, locID); err != nil {
		return 0, nil, err
	}
	limit := 20
	if n, ok := c.q.num("limit"); ok {
		limit = int(n)
	}
	query, _ := c.q.str("query")
	afterID, _ := c.q.str("startAfterId")
	afterMs, hasAfter := c.q.num("startAfter")
	var all []*Contact
	for _, ct := range s.sortedContacts(locID) {
		if matchesQuery(ct, query) {
			all = append(all, ct)
		}
	}
	start := 0
	if hasAfter || afterID != "" {
		start = len(all)
		for i, ct := range all {
			ms := float64(ct.DateAdded.UnixMilli())
			if ms > afterMs || (ms == afterMs && ct.ID > afterID) {
				start = i
				break
			}
		}
	}
	end := min(start+limit, len(all))
	out := []obj{}
	for _, ct := range all[start:end] {
		out = append(out, contactGetJSON(ct))
	}
	page := start/limit + 1
	meta := obj{"total": len(all), "currentPage": page, "nextPage": nil, "prevPage": nil,
		"startAfterId": nil, "startAfter": nil, "nextPageUrl": nil}
	if page > 1 {
		meta["prevPage"] = page - 1
	}
	if end < len(all) && end > start {
		last := all[end-1]
		meta["nextPage"] = page + 1
		meta["startAfterId"] = last.ID
		meta["startAfter"] = last.DateAdded.UnixMilli()
		q := url.Values{}
		q.Set("locationId", locID)
		q.Set("startAfter", strconv.FormatInt(last.DateAdded.UnixMilli(), 10))
		q.Set("startAfterId", last.ID)
		q.Set("limit", strconv.Itoa(limit))
		if query != "" {
			q.Set("query", query)
		}
		meta["nextPageUrl"] = fmt.Sprintf("%s/contacts/?%s", baseURL(c.r), q.Encode())
	}
	return http.StatusOK, obj{"contacts": out, "count": len(all), "meta": meta}, nil
}

// baseURL is the scheme and host the request reached the sandbox at.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
