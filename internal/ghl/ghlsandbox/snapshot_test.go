package ghlsandbox

import (
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// TestResponsesEncodedOutsideLock runs reads, which encode contact
// snapshots after s.mu is released, against writes that change the same
// contacts in place (followers, business) or replace them. Under -race it
// fails if a response shares memory that a later write changes.
func TestResponsesEncodedOutsideLock(t *testing.T) {
	t.Parallel()
	sb := New(Options{Seed: 3, Tokens: []PrivateToken{{Token: "t", LocationID: "loc"}},
		Locations: []Location{{ID: "loc"}}})
	t.Cleanup(func() { _ = sb.Close() })
	if err := sb.Seed(5); err != nil {
		t.Fatal(err)
	}
	id := sb.Contacts()[0].ID
	do := func(method, path, body string) int {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Version", "2021-07-28")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		return rec.Code
	}
	requests := []struct {
		method, path, body string
	}{
		{"GET", "/contacts/" + id, ""},
		{"POST", "/contacts/search", `{"locationId":"loc","pageLimit":10}`},
		{"POST", "/contacts/" + id + "/followers", `{"followers":["u1","u2"]}`},
		{"DELETE", "/contacts/" + id + "/followers", `{"followers":["u1"]}`},
		{"POST", "/contacts/bulk/business", `{"locationId":"loc","ids":["` + id + `"],"businessId":"b1"}`},
		{"PUT", "/contacts/" + id, `{"tags":["x"],"customFields":[]}`},
		{"POST", "/contacts/upsert", `{"locationId":"loc","email":"snap@example.com","tags":["y"]}`},
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 150 {
				rq := requests[(g+i)%len(requests)]
				if code := do(rq.method, rq.path, rq.body); code >= 300 {
					t.Errorf("%s %s: status %d", rq.method, rq.path, code)
				}
			}
		})
	}
	wg.Wait()
	if got := sb.Calls().Total; got != 8*150 {
		t.Errorf("%d calls counted, want %d", got, 8*150)
	}
}
