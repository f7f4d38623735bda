package ghl

import (
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"
)

func searchReply(ids ...string) reply {
	var parts []string
	for i, id := range ids {
		parts = append(parts, `{"id":"`+id+`","searchAfter":[`+string(rune('1'+i))+`000,"`+id+`"]}`)
	}
	return ok(`{"contacts":[` + strings.Join(parts, ",") + `],"total":5}`)
}

func TestSearchContactPages(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOptions{}, searchReply("a", "b"), searchReply("c", "d"), searchReply("e"))
	var got []string
	var cursors []string
	for page, err := range b.client.SearchContactPages(t.Context(), SearchContactsRequest{PageLimit: 2,
		Sort: []Sort{{Field: "dateUpdated", Direction: "asc"}}}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Contacts {
			got = append(got, c.ID)
		}
		cursors = append(cursors, string(page.Cursor))
	}
	if strings.Join(got, "") != "abcde" {
		t.Fatalf("contacts = %v", got)
	}
	if want := []string{`[2000,"b"]`, `[2000,"d"]`, ""}; strings.Join(cursors, "|") != strings.Join(want, "|") {
		t.Fatalf("cursors = %q, want %q", cursors, want)
	}
	reqs := b.all()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	if _, ok := jsonBody(t, reqs[0].Body)["searchAfter"]; ok {
		t.Error("first request sent a searchAfter")
	}
	if sa := jsonBody(t, reqs[2].Body)["searchAfter"]; sa == nil || sa.([]any)[1] != "d" {
		t.Errorf("third request searchAfter = %v, want the cursor of d", sa)
	}
}

func TestSearchContactPagesResumes(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOptions{}, searchReply("e"))
	saved := json.RawMessage(`[2000,"d"]`)
	for _, err := range b.client.SearchContactPages(t.Context(), SearchContactsRequest{PageLimit: 2, SearchAfter: saved}) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if sa := jsonBody(t, b.only(t).Body)["searchAfter"]; sa == nil || sa.([]any)[1] != "d" {
		t.Fatalf("searchAfter = %v, want the saved cursor", sa)
	}
}

func TestSearchContactPagesStops(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		start   json.RawMessage
		replies []reply
		wantErr string
	}{
		{name: "cursor does not move", start: json.RawMessage(`[2000,"b"]`), replies: []reply{searchReply("a", "b")}, wantErr: ErrCursorStuck.Error()},
		{name: "full page without cursor", replies: []reply{ok(`{"contacts":[{"id":"a"},{"id":"b"}],"total":3}`)}, wantErr: "without a searchAfter"},
		{name: "server error", replies: []reply{{Status: 500, Body: `{"statusCode":500,"message":"boom"}`}}, wantErr: "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOptions{}, tt.replies...)
			var lastErr error
			n := 0
			for _, err := range b.client.SearchContactPages(t.Context(), SearchContactsRequest{PageLimit: 2, SearchAfter: tt.start}) {
				n++
				lastErr = err
			}
			if lastErr == nil || !strings.Contains(lastErr.Error(), tt.wantErr) {
				t.Fatalf("last error = %v, want %q", lastErr, tt.wantErr)
			}
			if n != 1 {
				t.Fatalf("%d iterations, want 1", n)
			}
		})
	}
}

func TestSearchContactPagesBreak(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOptions{}, searchReply("a", "b"), searchReply("c", "d"))
	for range b.client.SearchContactPages(t.Context(), SearchContactsRequest{PageLimit: 2}) {
		break
	}
	if n := len(b.all()); n != 1 {
		t.Fatalf("%d requests after break, want 1", n)
	}
}

func TestListContactPages(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOptions{},
		ok(`{"contacts":[{"id":"a","dateAdded":"2026-01-01T00:00:00.000Z"},{"id":"b","dateAdded":"2026-01-02T00:00:00.000Z"}],"count":5,
			"meta":{"total":5,"startAfterId":"b","startAfter":1767312000000,"currentPage":1,"nextPage":2,"prevPage":null}}`),
		// Without meta the cursor comes from the last contact.
		ok(`{"contacts":[{"id":"c","dateAdded":"2026-01-03T00:00:00.000Z"},{"id":"d","dateAdded":"2026-01-04T00:00:00.000Z"}],"count":5}`),
		ok(`{"contacts":[{"id":"e","dateAdded":"2026-01-05T00:00:00.000Z"}],"count":5}`))
	var ids []string
	for page, err := range b.client.ListContactPages(t.Context(), ListContactsRequest{Limit: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range page.Contacts {
			ids = append(ids, c.ID)
		}
	}
	if strings.Join(ids, "") != "abcde" {
		t.Fatalf("contacts = %v", ids)
	}
	reqs := b.all()
	q2, _ := url.ParseQuery(reqs[1].Query)
	q3, _ := url.ParseQuery(reqs[2].Query)
	if q2.Get("startAfterId") != "b" || q2.Get("startAfter") != "1767312000000" {
		t.Errorf("second query = %v", q2)
	}
	if q3.Get("startAfterId") != "d" || q3.Get("startAfter") != "1767484800000" {
		t.Errorf("third query = %v", q3)
	}
}

func TestListContactPagesStuck(t *testing.T) {
	t.Parallel()
	page := ok(`{"contacts":[{"id":"a","dateAdded":"2026-01-01T00:00:00.000Z"}],"count":2}`)
	b := setup(t, setupOptions{}, page, page)
	var errs []error
	for _, err := range b.client.ListContactPages(t.Context(), ListContactsRequest{Limit: 1}) {
		errs = append(errs, err)
	}
	if len(errs) != 2 || !errors.Is(errs[1], ErrCursorStuck) {
		t.Fatalf("errors = %v, want nil then ErrCursorStuck", errs)
	}
}
