package ghlsandbox

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzContactBody feeds arbitrary bodies to the create-contact validation
// and input mapping: they must answer or refuse, never panic.
func FuzzContactBody(f *testing.F) {
	for _, seed := range []string{
		`{"locationId":"l","firstName":"A","tags":["x"],"customFields":[{"key":"k","field_value":[1,{"a":null}]}]}`,
		`{"dndSettings":{"SMS":{"status":"active"},"Nope":1},"inboundDndSettings":{"all":{"status":"x"}}}`,
		`{"dateOfBirth":"1990/01/02","email":"a@b.co","name":"Ann Lee"}`,
		`[1,2]`, `{"locationId":`, `null`, ``,
	} {
		f.Add([]byte(seed))
	}
	sb := New(Options{Locations: []Location{{ID: "l", CustomFields: []CustomField{{Name: "k"}}}}})
	defer sb.Close()
	ls := sb.locs["l"]
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, op := range []string{"create", "update", "upsert"} {
			in, err := bindBody("application/json", body, contactShape(op))
			if err != nil {
				continue
			}
			ct := &Contact{}
			_ = applyContactInput(ls, ct, in)
			normalizeContact(ls, ct)
		}
	})
}

// FuzzSearch sends arbitrary search bodies through the whole handler.
func FuzzSearch(f *testing.F) {
	for _, seed := range []string{
		`{"locationId":"l","pageLimit":10,"filters":[{"field":"tags","operator":"eq","value":["a"]}]}`,
		`{"locationId":"l","pageLimit":1,"filters":[{"group":"OR","filters":[{"field":"dateAdded","operator":"range","value":{"gt":1}}]}],"sort":[{"field":"email","direction":"asc"}],"searchAfter":["a","b"]}`,
		`{"locationId":"l","pageLimit":5,"filters":[{"group":"AND","filters":null}],"query":"x"}`,
		`{"locationId":"l","pageLimit":2,"page":3,"filters":[{"field":"customFields.k","operator":"contains","value":1}]}`,
	} {
		f.Add(seed)
	}
	sb := New(Options{
		Locations: []Location{{ID: "l", CustomFields: []CustomField{{Name: "k"}}}},
		Tokens:    []PrivateToken{{Token: "t", LocationID: "l"}},
	})
	defer sb.Close()
	if err := sb.Seed(20); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest("POST", "/contacts/search", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer t")
		req.Header.Set("Version", "2021-07-28")
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		sb.ServeHTTP(rec, req)
		if rec.Code >= http.StatusInternalServerError {
			t.Errorf("status %d for %s: %s", rec.Code, body, rec.Body)
		}
	})
}

func TestRouteMatching(t *testing.T) {
	t.Parallel()
	sb := New(Options{})
	defer sb.Close()
	tests := []struct {
		method, path, want string
	}{
		{"POST", "/contacts/search", "POST /contacts/search"},
		{"GET", "/contacts/search/duplicate", "GET /contacts/search/duplicate"},
		{"GET", "/contacts/business/b1", "GET /contacts/business/{businessId}"},
		{"GET", "/contacts/c1/tasks", "GET /contacts/{contactId}/tasks"},
		{"DELETE", "/contacts/c1/campaigns/removeAll", "DELETE /contacts/{contactId}/campaigns/removeAll"},
		{"DELETE", "/contacts/c1/campaigns/k1", "DELETE /contacts/{contactId}/campaigns/{campaignId}"},
		{"POST", "/contacts/", "POST /contacts/"},
		{"POST", "/contacts", "POST /contacts/"},
		{"POST", "/contacts/upsert", "POST /contacts/upsert"},
		{"GET", "/contacts/upsert", "GET /contacts/{contactId}"},
		{"DELETE", "/calendars/events/e1", "DELETE /calendars/events/{eventId}"},
		{"GET", "/calendars/events", "GET /calendars/events"},
		{"GET", "/calendars/cal1/free-slots", "GET /calendars/{calendarId}/free-slots"},
		{"GET", "/contacts//tasks", ""},
		{"PATCH", "/contacts/c1", ""},
	}
	for _, tt := range tests {
		rt, _, _ := match(sb.routes, tt.method, tt.path)
		got := ""
		if rt != nil {
			got = rt.name
		}
		if got != tt.want {
			t.Errorf("%s %s: %q, want %q", tt.method, tt.path, got, tt.want)
		}
	}
}
