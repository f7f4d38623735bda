package catalog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

// bundle is one test's world: both sandboxes served over httptest, seeded
// with known records, and a Clients that reaches them.
type bundle struct {
	cat     *catalog.Catalog
	ghl     *ghlsandbox.Server
	repsly  *repslysandbox.Server
	clients *testClients
	loc     string
	// vars fill {{name}} placeholders in row inputs.
	vars map[string]string
}

// testClients implements catalog.Clients (and catalog.TargetResolver) for
// the sandboxes.
type testClients struct {
	ghlURL, ghlToken, loc string
	repslyURL             string
	repslyUser, repslyPW  string
	// scopes are reported as granted; nil means unknown.
	scopes []string
}

func (c *testClients) GHL(_ context.Context, name string) (*ghl.Client, []string, error) {
	if name != "ghl" {
		return nil, nil, fmt.Errorf("no HighLevel connection %q", name)
	}
	return ghl.New(ghl.Options{BaseURL: c.ghlURL, TokenSource: ghl.StaticToken(c.ghlToken), LocationID: c.loc}), c.scopes, nil
}

func (c *testClients) Repsly(_ context.Context, name string) (*repsly.Client, error) {
	if name != "repsly" {
		return nil, fmt.Errorf("no Repsly connection %q", name)
	}
	return repsly.New(repsly.Options{BaseURL: c.repslyURL, Username: c.repslyUser, Password: c.repslyPW,
		Sleep: func(context.Context, time.Duration) error { return nil }}), nil
}

func (c *testClients) Target(_ context.Context, name string) (catalog.Target, error) {
	switch name {
	case "ghl":
		return catalog.Target{BaseURL: c.ghlURL, LocationID: c.loc}, nil
	case "repsly":
		return catalog.Target{BaseURL: c.repslyURL, Username: c.repslyUser}, nil
	}
	return catalog.Target{}, fmt.Errorf("no connection %q", name)
}

// testCatalog is built once: it is immutable.
var testCatalog = func() *catalog.Catalog {
	c, err := catalog.New(catalog.Options{})
	if err != nil {
		panic(err)
	}
	return c
}()

func setup(t *testing.T) *bundle {
	t.Helper()
	b := &bundle{cat: testCatalog, vars: map[string]string{}}

	// Every reading of the sandbox clock is at least a millisecond after the
	// last, so records made in a row never share a timestamp (search
	// cursors and "oldest first" orders depend on it).
	var tick atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(tick.Add(1)) * time.Millisecond) }
	b.ghl = ghlsandbox.New(ghlsandbox.Options{Seed: 7, Clock: clock})
	t.Cleanup(func() { _ = b.ghl.Close() })
	gsrv := httptest.NewServer(b.ghl)
	t.Cleanup(gsrv.Close)
	b.loc = b.ghl.DefaultLocationID()

	b.repsly = repslysandbox.New(repslysandbox.Options{PendingPolls: repslysandbox.NoPendingPolls, Seed: 1})
	if err := b.repsly.Seed(repslysandbox.SeedOptions{Clients: 12, Seed: 1, Days: 3, Representatives: 2}); err != nil {
		t.Fatal(err)
	}
	rsrv := httptest.NewServer(b.repsly)
	t.Cleanup(rsrv.Close)
	user, pw := b.repsly.Credentials()

	b.clients = &testClients{ghlURL: gsrv.URL, ghlToken: b.ghl.IssueToken(b.loc), loc: b.loc,
		repslyURL: rsrv.URL + "/v3/", repslyUser: user, repslyPW: pw}
	b.fixtures(t)
	b.ghl.ResetCalls()
	b.repsly.ResetRequests()
	return b
}

// fixtures creates the records the rows refer to by placeholder.
func (b *bundle) fixtures(t *testing.T) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	cf, err := b.ghl.AddCustomField(b.loc, ghlsandbox.CustomField{Name: "Repsly client code", Key: "contact.repsly_client_code", DataType: "TEXT"})
	must(err)
	ada, err := b.ghl.UserCreateContact(ghlsandbox.Contact{FirstName: "Ada", LastName: "Lovelace", Email: "ada@example.com",
		Phone: "+14155550100", CompanyName: "Analytical Engines", Tags: []string{"repsly"},
		CustomFields: []ghlsandbox.CustomFieldValue{{ID: cf.ID, Value: "C-1001"}}})
	must(err)
	bob, err := b.ghl.UserCreateContact(ghlsandbox.Contact{FirstName: "Bob", LastName: "Byte", Email: "bob@example.com"})
	must(err)
	task, err := b.ghl.UserCreateTask(ada.ID, ghlsandbox.Task{Title: "Call back", Body: "About the order"})
	must(err)
	task2, err := b.ghl.UserCreateTask(ada.ID, ghlsandbox.Task{Title: "Send price list"})
	must(err)
	note, err := b.ghl.UserAddNote(ada.ID, "Met at the fair")
	must(err)
	loc := b.ghl.Locations()[0]
	cal := loc.Calendars[0]
	start := nextWeekday(time.Now().Add(48*time.Hour), 10, loc.Timezone)
	appt, err := b.ghl.UserCreateAppointment(ghlsandbox.Appointment{ContactID: ada.ID, CalendarID: cal.ID, StartTime: start, Title: "Store visit"})
	must(err)

	client := b.repsly.Clients()[0]
	rep := b.repsly.Representatives()[0]
	b.vars = map[string]string{
		"contact": ada.ID, "contact2": bob.ID, "task": task.ID, "task2": task2.ID, "note": note.ID,
		"appointment": appt.ID, "calendar": cal.ID, "field": cf.ID,
		"start": start.Format(time.RFC3339), "weekStart": start.Add(-24 * time.Hour).Format(time.RFC3339),
		"start2": start.Add(2 * time.Hour).Format(time.RFC3339), "block": start.Add(3 * time.Hour).Format(time.RFC3339),
		"blockEnd": start.Add(4 * time.Hour).Format(time.RFC3339),
		"weekEnd":  start.Add(6 * 24 * time.Hour).Format(time.RFC3339),
		"client":   client.Code, "rep": rep.Code, "today": time.Now().UTC().Format(time.DateOnly),
		"tomorrow": time.Now().UTC().AddDate(0, 0, 1).Format(time.DateOnly),
		"product":  b.repsly.Products()[0].Code, "clientName": client.Name,
		"inAWeek": time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly),
	}
	// The seeded pricelists have no read helper; ask the API (before the
	// request counters are reset).
	rc, err := b.clients.Repsly(context.Background(), "repsly")
	must(err)
	pls, err := rc.ExportPricelists(context.Background())
	must(err)
	for _, pl := range pls {
		b.vars["pricelist:"+pl.Name] = strconv.FormatInt(pl.ID, 10)
	}
}

// nextWeekday returns the first weekday at or after t, at hour:00 in zone.
func nextWeekday(t time.Time, hour int, zone string) time.Time {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" {
		loc, _ = time.LoadLocation("America/New_York")
	}
	t = t.In(loc)
	d := time.Date(t.Year(), t.Month(), t.Day(), hour, 0, 0, 0, loc)
	for d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		d = d.AddDate(0, 0, 1)
	}
	return d
}

// expand fills {{name}} placeholders.
func (b *bundle) expand(s string) string {
	pairs := make([]string, 0, 2*len(b.vars))
	for k, v := range b.vars {
		pairs = append(pairs, "{{"+k+"}}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// ghlRequests and repslyRequests count what the sandboxes received.
func (b *bundle) ghlRequests() int { return b.ghl.CallCount() }

func (b *bundle) repslyRequests() int64 {
	var n int64
	for _, c := range b.repsly.Requests() {
		n += c
	}
	return n
}

// get reads a dotted path ("contact.tags.0") from a JSON document.
func get(t *testing.T, doc json.RawMessage, path string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(doc, &v); err != nil {
		t.Fatalf("output is not JSON: %v: %s", err, doc)
	}
	for _, p := range strings.Split(path, ".") {
		if p == "" {
			continue
		}
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			var i int
			if _, err := fmt.Sscan(p, &i); err != nil || i >= len(x) {
				t.Fatalf("path %s: no element %s in %s", path, p, doc)
			}
			v = x[i]
		default:
			t.Fatalf("path %s: %s is not an object or array in %s", path, p, doc)
		}
	}
	return v
}

// str reads a string at path.
func str(t *testing.T, doc json.RawMessage, path string) string {
	t.Helper()
	s, _ := get(t, doc, path).(string)
	return s
}

// count returns the length of the array at path.
func count(t *testing.T, doc json.RawMessage, path string) int {
	t.Helper()
	a, ok := get(t, doc, path).([]any)
	if !ok {
		t.Fatalf("%s is not an array in %s", path, doc)
	}
	return len(a)
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}
