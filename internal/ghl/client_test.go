package ghl

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// callCase drives one client method against the fake server.
type callCase struct {
	name  string
	op    string
	path  string // expected request path
	reply reply
	call  func(ctx context.Context, c *Client) (any, error)
	// check inspects the request and the decoded result.
	check func(t *testing.T, req recorded, got any)
}

func ok(body string) reply      { return reply{Status: 200, Body: body} }
func created(body string) reply { return reply{Status: 201, Body: body} }

const contactJSON = `{"id":"c1","locationId":"ve9EPM428h8vShlRW1KT","firstName":"Ada","lastName":"Lovelace","email":"ada@example.com","phone":"+14155550100","tags":["vip"],"customFields":[{"id":"cf1","value":"R-17"}],"dndSettings":{"Email":{"status":"active"}},"dateAdded":"2026-01-02T03:04:05.678Z"}`

func wantBody(want string) func(t *testing.T, req recorded, got any) {
	return func(t *testing.T, req recorded, _ any) {
		t.Helper()
		var a, b any
		if err := json.Unmarshal(req.Body, &a); err != nil {
			t.Fatalf("body %q: %v", req.Body, err)
		}
		if err := json.Unmarshal([]byte(want), &b); err != nil {
			t.Fatalf("want %q: %v", want, err)
		}
		if !reflect.DeepEqual(a, b) {
			t.Errorf("body = %s, want %s", req.Body, want)
		}
	}
}

func wantQuery(want url.Values) func(t *testing.T, req recorded, got any) {
	return func(t *testing.T, req recorded, _ any) {
		t.Helper()
		got, _ := url.ParseQuery(req.Query)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("query = %v, want %v", got, want)
		}
	}
}

// callCases lists one or more calls per operation.
func callCases() []callCase {
	return slices.Concat(contactCallCases(), calendarCallCases(), oauthLocationCallCases())
}

type errFromString string

func (e errFromString) Error() string { return string(e) }

func TestClientCalls(t *testing.T) {
	t.Parallel()
	ops := operationIndex()
	for _, tc := range callCases() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOptions{}, tc.reply)
			got, err := tc.call(t.Context(), b.client)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			req := b.only(t)
			op := ops[tc.op]
			if req.Method != op.Method || req.Path != tc.path {
				t.Errorf("request %s %s, want %s %s", req.Method, req.Path, op.Method, tc.path)
			}
			if v := req.Header.Get("Version"); v != op.Version {
				t.Errorf("Version header %q, want %q", v, op.Version)
			}
			auth := req.Header.Get("Authorization")
			if op.Token == TokenNone && auth != "" {
				t.Errorf("token endpoint got Authorization %q", auth)
			}
			if op.Token != TokenNone && auth != "Bearer "+testToken {
				t.Errorf("Authorization = %q", auth)
			}
			if tc.check != nil {
				tc.check(t, req, got)
			}
		})
	}
}

func TestClientCallsCoverEveryOperation(t *testing.T) {
	t.Parallel()
	covered := make(map[string]bool)
	for _, tc := range callCases() {
		covered[tc.op] = true
	}
	for _, op := range Operations() {
		if !covered[op.ID] {
			t.Errorf("no client test for %s (%s %s)", op.ID, op.Method, op.Path)
		}
	}
}

func TestClientRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts setupOptions
		call func(ctx context.Context, c *Client) error
		want string
	}{
		{name: "empty contact id", call: func(ctx context.Context, c *Client) error {
			_, err := c.GetContact(ctx, "")
			return err
		}, want: "empty contactId"},
		{name: "no location", opts: setupOptions{noLocation: true}, call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateContact(ctx, CreateContactRequest{})
			return err
		}, want: "no location id"},
		{name: "clear non-nullable", call: func(ctx context.Context, c *Client) error {
			_, err := c.UpdateContact(ctx, "c1", UpdateContactRequest{Clear: []string{"tags"}})
			return err
		}, want: "cannot be cleared"},
		{name: "empty note", call: func(ctx context.Context, c *Client) error {
			_, err := c.CreateNote(ctx, "c1", NoteRequest{})
			return err
		}, want: "empty body"},
		{name: "free slots range", call: func(ctx context.Context, c *Client) error {
			_, err := c.GetFreeSlots(ctx, "cal", FreeSlotsQuery{Start: testNow, End: testNow.Add(40 * 24 * time.Hour)})
			return err
		}, want: "31 days"},
		{name: "events without calendar", call: func(ctx context.Context, c *Client) error {
			_, err := c.ListCalendarEvents(ctx, EventsQuery{Start: testNow, End: testNow})
			return err
		}, want: "calendar, user or group"},
		{name: "too many business ids", call: func(ctx context.Context, c *Client) error {
			_, err := c.SetContactsBusiness(ctx, make([]string, 51), "b")
			return err
		}, want: "at most 50"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.opts)
			err := tt.call(t.Context(), b.client)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tt.want)
			}
			if n := len(b.all()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
}

func TestFreeSlotsIgnoresOtherKeys(t *testing.T) {
	t.Parallel()
	// Most HighLevel answers carry a traceId, which the free-slots schema
	// (a map of days) does not foresee.
	b := setup(t, setupOptions{skipResponseValidation: true},
		ok(`{"2026-03-02":{"slots":["2026-03-02T10:00:00+01:00"]},"traceId":"tr","x":{"y":1}}`))
	slots, err := b.client.GetFreeSlots(t.Context(), "cal", FreeSlotsQuery{Start: testNow, End: testNow.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if len(slots) != 1 {
		t.Fatalf("slots = %v, want only 2026-03-02", slots)
	}
}
