package ghlspec

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// loadSpec loads the spec once per test binary: loading takes ~100 ms.
var loadSpec = sync.OnceValues(Load)

func testSpec(t *testing.T) *Spec {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	return s
}

func newRequest(method, target, version, contentType, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer test-token")
	if version != "" {
		req.Header.Set("Version", version)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

func TestValidateRequest(t *testing.T) {
	t.Parallel()
	const (
		contacts  = "2021-07-28"
		calendars = "2021-04-15"
		jsonCT    = "application/json"
		formCT    = "application/x-www-form-urlencoded"
	)
	tests := []struct {
		name                    string
		method, target, version string
		contentType, body       string
		wantErr                 string
	}{
		{name: "get contact", method: "GET", target: "/contacts/abc", version: contacts},
		{name: "missing version", method: "GET", target: "/contacts/abc", wantErr: "Version"},
		{name: "calendar version on contacts", method: "GET", target: "/contacts/abc", version: calendars, wantErr: "Version"},
		{name: "create contact", method: "POST", target: "/contacts/", version: contacts, contentType: jsonCT,
			body: `{"locationId":"loc","firstName":"A","dateOfBirth":"1990-09-25","customFields":[{"key":"k","field_value":3}]}`},
		{name: "create contact without location", method: "POST", target: "/contacts/", version: contacts, contentType: jsonCT,
			body: `{"firstName":"A"}`, wantErr: "locationId"},
		{name: "custom field without id or key", method: "POST", target: "/contacts/", version: contacts, contentType: jsonCT,
			body: `{"locationId":"loc","customFields":[{"field_value":"x"}]}`, wantErr: "customFields"},
		{name: "search", method: "POST", target: "/contacts/search", version: contacts, contentType: jsonCT,
			body: `{"locationId":"loc","pageLimit":100,"searchAfter":[1234,"abc"],"sort":[{"field":"dateUpdated","direction":"asc"}]}`},
		{name: "search unknown field", method: "POST", target: "/contacts/search", version: contacts, contentType: jsonCT,
			body: `{"locationId":"loc","pageLimit":100,"limit":3}`, wantErr: "limit"},
		{name: "bulk tags bad type", method: "POST", target: "/contacts/bulk/tags/update/swap", version: contacts, contentType: jsonCT,
			body: `{"contacts":["a"],"tags":["t"],"locationId":"loc"}`, wantErr: "type"},
		{name: "free slots", method: "GET", target: "/calendars/cal/free-slots?startDate=1700000000000&endDate=1700086400000", version: calendars},
		{name: "free slots iso dates", method: "GET", target: "/calendars/cal/free-slots?startDate=2024-01-01&endDate=1700086400000", version: calendars, wantErr: "startDate"},
		{name: "appointment note update", method: "PUT", target: "/calendars/appointments/a/notes/n", version: calendars, contentType: jsonCT, body: `{"body":"hi"}`},
		{name: "oauth token", method: "POST", target: "/oauth/token", contentType: formCT,
			body: "client_id=c&client_secret=s&grant_type=refresh_token&refresh_token=r&user_type=Location"},
		{name: "oauth token bad grant", method: "POST", target: "/oauth/token", contentType: formCT,
			body: "client_id=c&client_secret=s&grant_type=password", wantErr: "grant_type"},
		{name: "unknown path", method: "GET", target: "/nope", version: contacts, wantErr: "no operation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testSpec(t)
			req := newRequest(tt.method, tt.target, tt.version, tt.contentType, tt.body)
			err := s.ValidateRequest(req, []byte(tt.body))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("ValidateRequest: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("ValidateRequest: no error, want one mentioning %q", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("ValidateRequest: %v, want mention of %q", err, tt.wantErr)
			}
		})
	}
}

func TestValidateRequestNeedsBearer(t *testing.T) {
	t.Parallel()
	s := testSpec(t)
	req := newRequest("GET", "/contacts/abc", "2021-07-28", "", "")
	req.Header.Del("Authorization")
	if err := s.ValidateRequest(req, nil); err == nil {
		t.Fatal("request without token validated")
	}
}

func TestValidateResponse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, target string
		status               int
		body                 string
		wantErr              bool
	}{
		{name: "event times are strings", method: "GET", target: "/calendars/events/appointments/e", status: 200,
			body: `{"event":{"id":"e","title":"t","calendarId":"c","locationId":"l","contactId":"x","groupId":"g","appointmentStatus":"confirmed","assignedUserId":"u","users":[],"startTime":"2023-09-25T16:00:00+05:30","endTime":"2023-09-25T17:00:00+05:30","dateAdded":"2023-09-25T16:00:00+05:30","dateUpdated":"2023-09-25T16:00:00+05:30"}}`},
		{name: "search with mixed searchAfter", method: "POST", target: "/contacts/search", status: 200,
			body: `{"contacts":[{"id":"a","searchAfter":[1234,"a"]}],"total":1}`},
		{name: "search without total", method: "POST", target: "/contacts/search", status: 200,
			body: `{"contacts":[]}`, wantErr: true},
		{name: "list with meta", method: "GET", target: "/contacts/?locationId=l", status: 200,
			body: `{"contacts":[],"count":0,"meta":{"total":0,"nextPageUrl":null,"startAfterId":null,"startAfter":null,"currentPage":1,"nextPage":null,"prevPage":null}}`},
		{name: "422 message array", method: "GET", target: "/contacts/abc", status: 422,
			body: `{"statusCode":422,"message":["property x should not exist"],"error":"Unprocessable Entity"}`},
		{name: "undeclared 429", method: "GET", target: "/contacts/abc", status: 429, body: `{"message":"slow down"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := testSpec(t)
			req := newRequest(tt.method, tt.target, "", "", "")
			h := http.Header{"Content-Type": {"application/json"}}
			err := s.ValidateResponse(req, nil, tt.status, h, []byte(tt.body))
			if (err != nil) != tt.wantErr {
				t.Fatalf("ValidateResponse: err=%v, wantErr=%v", err, tt.wantErr)
			}
		})
	}
}

func TestFindRoute(t *testing.T) {
	t.Parallel()
	tests := []struct{ method, target, wantOp string }{
		{"POST", "/contacts/search", "search-contacts-advanced"},
		{"GET", "/contacts/search/duplicate", "get-duplicate-contact"},
		{"DELETE", "/contacts/c/campaigns/removeAll", "remove-contact-from-every-campaign"},
		{"DELETE", "/contacts/c/campaigns/k", "remove-contact-from-campaign"},
		{"POST", "/contacts/upsert", "upsert-contact"},
		{"GET", "/contacts/", "get-contacts"},
		{"POST", "/oauth/locationToken", "get-location-access-token"},
		{"GET", "/locations/l", "get-location"},
	}
	for _, tt := range tests {
		t.Run(tt.wantOp, func(t *testing.T) {
			t.Parallel()
			r, err := testSpec(t).FindRoute(httptest.NewRequest(tt.method, tt.target, nil))
			if err != nil {
				t.Fatalf("FindRoute: %v", err)
			}
			if r.OperationID != tt.wantOp {
				t.Fatalf("FindRoute(%s %s) = %s, want %s", tt.method, tt.target, r.OperationID, tt.wantOp)
			}
		})
	}
}

func TestFindDirFromEnv(t *testing.T) {
	// Not parallel: t.Setenv.
	dir, err := FindDir()
	if err != nil {
		t.Fatalf("FindDir: %v", err)
	}
	t.Setenv(EnvSpecsDir, strings.TrimSuffix(dir, "/ghl"))
	got, err := FindDir()
	if err != nil || got != dir {
		t.Fatalf("FindDir with env = %q, %v; want %q", got, err, dir)
	}
	t.Setenv(EnvSpecsDir, t.TempDir())
	if _, err := FindDir(); err == nil {
		t.Fatal("FindDir with an empty dir: no error")
	}
}

func TestTransportReports(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"contact":{"id":"abc"}}`))
	}))
	defer srv.Close()
	var reported []error
	client := &http.Client{Transport: &Transport{Spec: testSpec(t), Report: func(err error) { reported = append(reported, err) }}}
	req, _ := http.NewRequest("GET", srv.URL+"/contacts/abc", nil)
	req.Header.Set("Authorization", "Bearer t")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if len(reported) != 1 || !strings.Contains(reported[0].Error(), "Version") {
		t.Fatalf("reported %v, want one error about the Version header", reported)
	}
}
