package ghl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
)

// MaxSearchPageLimit is the largest pageLimit POST /contacts/search accepts.
const MaxSearchPageLimit = 500

// SearchContactsRequest is the body of POST /contacts/search.
type SearchContactsRequest struct {
	// LocationID defaults to the client's location.
	LocationID string `json:"locationId"`
	// PageLimit is the page size, 1..500; 0 means 100.
	PageLimit int `json:"pageLimit"`
	// Page selects a page by number (standard paging, up to 10,000 records).
	// Do not combine with SearchAfter.
	Page int `json:"page,omitzero"`
	// SearchAfter is the cursor: the searchAfter of the last contact seen.
	SearchAfter json.RawMessage `json:"searchAfter,omitzero"`
	// Filters are ANDed at the top level.
	Filters []Filter `json:"filters,omitzero"`
	// Sort orders the results; cursor paging needs a stable sort, so the
	// pager adds none itself but HighLevel breaks ties by id.
	Sort []Sort `json:"sort,omitzero"`
	// Query is a full-text query (at most 75 characters).
	Query string `json:"query,omitzero"`
}

// Filter is a search filter: a leaf {Field, Operator, Value} or a group
// {Group: "AND"|"OR", Filters}.
type Filter struct {
	// Field is a contact field ("email", "tags", "dateUpdated") or
	// "customFields.<key>".
	Field string `json:"field,omitzero"`
	// Operator is eq, not_eq, contains, not_contains, exists, not_exists or range.
	Operator string `json:"operator,omitzero"`
	// Value is the operand; for range a map like {"gte": epochMillis}; nil
	// for exists/not_exists.
	Value any `json:"value,omitzero"`
	// Group and Filters make a nested group.
	Group   string   `json:"group,omitzero"`
	Filters []Filter `json:"filters,omitzero"`
}

// Sort orders search results.
type Sort struct {
	Field string `json:"field"`
	// Direction is "asc" or "desc".
	Direction string `json:"direction"`
}

// SearchContactsResult is one page of search results.
type SearchContactsResult struct {
	Contacts []Contact `json:"contacts"`
	Total    int       `json:"total"`
	TraceID  string    `json:"traceId,omitzero"`
}

// SearchContacts runs one search request. HighLevel's search index is
// eventually consistent: a change may take seconds to show up.
func (c *Client) SearchContacts(ctx context.Context, r SearchContactsRequest) (*SearchContactsResult, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: search contacts: %w", err)
		}
		r.LocationID = loc
	}
	if r.PageLimit == 0 {
		r.PageLimit = 100
	}
	var out SearchContactsResult
	if err := c.do(ctx, request{op: OpSearchContacts, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: search contacts: %w", err)
	}
	return &out, nil
}

// ContactPage is one page of a cursor-paged contact search.
type ContactPage struct {
	Contacts []Contact
	// Total is the number of matches HighLevel reports.
	Total int
	// Cursor resumes the search after this page: store it with whatever the
	// page's contacts caused, and pass it as SearchContactsRequest.SearchAfter
	// to continue. Nil on the last page.
	Cursor json.RawMessage
}

// ErrCursorStuck is returned when HighLevel answers a page whose cursor does
// not move forward, which would otherwise loop forever.
var ErrCursorStuck = errors.New("ghl: search cursor did not advance")

// SearchContactPages pages through a search with searchAfter cursors,
// starting after r.SearchAfter (nil: from the start). It stops after the last
// page or at the first error, which it yields. r.Page must be zero.
func (c *Client) SearchContactPages(ctx context.Context, r SearchContactsRequest) iter.Seq2[*ContactPage, error] {
	return func(yield func(*ContactPage, error) bool) {
		if r.Page != 0 {
			yield(nil, errors.New("ghl: search contact pages: page and searchAfter cannot be combined"))
			return
		}
		if r.PageLimit == 0 {
			r.PageLimit = 100
		}
		for {
			res, err := c.SearchContacts(ctx, r)
			if err != nil {
				yield(nil, err)
				return
			}
			page := &ContactPage{Contacts: res.Contacts, Total: res.Total}
			if n := len(res.Contacts); n == r.PageLimit {
				page.Cursor = res.Contacts[n-1].SearchAfter
				if len(page.Cursor) == 0 || string(page.Cursor) == "null" {
					// Stopping here would silently drop the rest of the result.
					yield(nil, fmt.Errorf("ghl: search contacts: full page without a searchAfter cursor"))
					return
				}
			}
			if page.Cursor != nil && bytes.Equal(page.Cursor, r.SearchAfter) {
				yield(nil, ErrCursorStuck)
				return
			}
			if !yield(page, nil) || page.Cursor == nil {
				return
			}
			r.SearchAfter = page.Cursor
		}
	}
}
