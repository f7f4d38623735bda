package ghl

import (
	"context"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"
)

// ListContactsRequest holds the query of the deprecated GET /contacts/.
type ListContactsRequest struct {
	// Query filters by a free-text query.
	Query string
	// Limit is the page size, at most 100; 0 means HighLevel's default (20).
	Limit int
	// After resumes after a cursor; zero starts from the beginning.
	After ListCursor
}

// ListCursor is the position in a GET /contacts/ listing: the id and
// dateAdded (epoch milliseconds) of the last contact seen. Both are needed to
// move on.
type ListCursor struct {
	StartAfterID string `json:"startAfterId,omitzero"`
	StartAfter   int64  `json:"startAfter,omitzero"`
}

// IsZero reports whether the cursor is at the start.
func (c ListCursor) IsZero() bool { return c.StartAfterID == "" && c.StartAfter == 0 }

// ListContactsResult is one page of GET /contacts/.
type ListContactsResult struct {
	Contacts []Contact     `json:"contacts"`
	Count    int           `json:"count"`
	Meta     *ContactsMeta `json:"meta,omitzero"`
}

// ContactsMeta is the paging block GET /contacts/ sends next to the contacts.
type ContactsMeta struct {
	Total        int     `json:"total"`
	NextPageURL  *string `json:"nextPageUrl"`
	StartAfterID *string `json:"startAfterId"`
	StartAfter   *int64  `json:"startAfter"`
	CurrentPage  int     `json:"currentPage"`
	NextPage     *int    `json:"nextPage"`
	PrevPage     *int    `json:"prevPage"`
}

// ListContacts fetches one page of the deprecated GET /contacts/ listing.
// Prefer SearchContacts; this one exists for accounts where search lags.
func (c *Client) ListContacts(ctx context.Context, r ListContactsRequest) (*ListContactsResult, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: list contacts: %w", err)
	}
	q := url.Values{"locationId": {loc}}
	if r.Query != "" {
		q.Set("query", r.Query)
	}
	if r.Limit > 0 {
		q.Set("limit", strconv.Itoa(r.Limit))
	}
	if r.After.StartAfterID != "" {
		q.Set("startAfterId", r.After.StartAfterID)
	}
	if r.After.StartAfter != 0 {
		q.Set("startAfter", strconv.FormatInt(r.After.StartAfter, 10))
	}
	var out ListContactsResult
	if err := c.do(ctx, request{op: OpListContacts, query: q, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list contacts: %w", err)
	}
	return &out, nil
}

// ListPage is one page of the GET /contacts/ listing.
type ListPage struct {
	Contacts []Contact
	// Cursor resumes the listing after this page; zero on the last page.
	Cursor ListCursor
}

// ListContactPages pages through GET /contacts/ starting after r.After. It
// takes the next cursor from meta when HighLevel sends it, else from the last
// contact's id and dateAdded.
func (c *Client) ListContactPages(ctx context.Context, r ListContactsRequest) iter.Seq2[*ListPage, error] {
	return func(yield func(*ListPage, error) bool) {
		limit := r.Limit
		if limit == 0 {
			limit = 20
		}
		for {
			res, err := c.ListContacts(ctx, r)
			if err != nil {
				yield(nil, err)
				return
			}
			page := &ListPage{Contacts: res.Contacts}
			if len(res.Contacts) > 0 {
				page.Cursor = nextListCursor(res)
			}
			last := len(res.Contacts) < limit || page.Cursor.IsZero()
			if !last && page.Cursor == r.After {
				yield(nil, ErrCursorStuck)
				return
			}
			if last {
				page.Cursor = ListCursor{}
			}
			if !yield(page, nil) || last {
				return
			}
			r.After = page.Cursor
		}
	}
}

func nextListCursor(res *ListContactsResult) ListCursor {
	if m := res.Meta; m != nil && m.StartAfterID != nil && *m.StartAfterID != "" && m.StartAfter != nil {
		return ListCursor{StartAfterID: *m.StartAfterID, StartAfter: *m.StartAfter}
	}
	lastContact := res.Contacts[len(res.Contacts)-1]
	cur := ListCursor{StartAfterID: lastContact.ID}
	if t, err := time.Parse(time.RFC3339Nano, lastContact.DateAdded); err == nil {
		cur.StartAfter = t.UnixMilli()
	}
	return cur
}
