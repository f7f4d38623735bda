package ghlsandbox

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestUserActionsEmitWebhooks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	sb := b.sb
	c, err := sb.UserCreateContact(Contact{LocationID: loc1, FirstName: "Uma", Email: "uma@example.com",
		Phone: "202 555 0177", AdditionalPhones: []string{"(202) 555-0178"}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Phone != "+12025550177" || c.AdditionalPhones[0] != "+12025550178" || c.Type != "lead" {
		t.Errorf("contact %+v", c)
	}
	_, err = sb.UserCreateContact(Contact{LocationID: loc1, Email: "UMA@example.com"})
	var dup *DuplicateContactError
	if !errors.As(err, &dup) || dup.ContactID != c.ID || dup.MatchingField != "email" {
		t.Errorf("duplicate: %v", err)
	}
	if _, err := sb.UserUpdateContact(c.ID, func(*Contact) {}); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.UserAddTag(c.ID, "Hot"); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.UserSetDND(c.ID, true); err != nil {
		t.Fatal(err)
	}
	b.clock.Advance(time.Minute)
	c, err = sb.UserUpdateContact(c.ID, func(c *Contact) { c.City = "Austin" })
	if err != nil || c.DateUpdated.Sub(c.DateAdded) != time.Minute {
		t.Fatalf("update: %v %+v", err, c)
	}
	n, _ := sb.UserAddNote(c.ID, "note")
	if _, err := sb.UserUpdateNote(n.ID, "note 2"); err != nil {
		t.Fatal(err)
	}
	task, _ := sb.UserCreateTask(c.ID, Task{Title: "Call"})
	if _, err := sb.UserCompleteTask(task.ID); err != nil {
		t.Fatal(err)
	}
	a, err := sb.UserCreateAppointment(Appointment{ContactID: c.ID, StartTime: time.Date(2026, 3, 3, 15, 0, 0, 0, time.UTC)})
	if err != nil || a.EndTime.Sub(a.StartTime) != 30*time.Minute {
		t.Fatalf("appointment %v %+v", err, a)
	}
	if _, err := sb.UserUpdateAppointment(a.ID, func(a *Appointment) { a.Status = "cancelled" }); err != nil {
		t.Fatal(err)
	}
	for _, err := range []error{sb.UserDeleteAppointment(a.ID), sb.UserDeleteTask(task.ID), sb.UserDeleteNote(n.ID), sb.UserDeleteContact(c.ID)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"ContactCreate", "ContactTagUpdate", "ContactDndUpdate", "ContactUpdate", "NoteCreate", "NoteUpdate",
		"TaskCreate", "TaskComplete", "AppointmentCreate", "AppointmentUpdate", "AppointmentDelete", "TaskDelete",
		"NoteDelete", "ContactDelete"}
	evs := sb.Events()
	if got := eventTypes(evs); !slices.Equal(got, want) {
		t.Errorf("events %v\nwant   %v", got, want)
	}
	var dnd map[string]any
	_ = json.Unmarshal(evs[2].Body, &dnd)
	if dnd["dndSettings"].(map[string]any)["SMS"].(map[string]any)["status"] != "active" {
		t.Errorf("ContactDndUpdate payload %s", evs[2].Body)
	}
	if sb.CallCount() != 0 {
		t.Errorf("user actions counted as API calls: %d", sb.CallCount())
	}
	for _, err := range []error{sb.UserDeleteContact("nope"), sb.UserDeleteTask("nope"), sb.UserDeleteNote("nope"), sb.UserDeleteAppointment("nope")} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("err %v, want ErrNotFound", err)
		}
	}
}

func TestSeed(t *testing.T) {
	t.Parallel()
	seeded := func(seed uint64) (*Server, []Contact) {
		sb := New(Options{Seed: seed, Clock: func() time.Time { return time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC) }})
		t.Cleanup(func() { _ = sb.Close() })
		if err := sb.Seed(60); err != nil {
			t.Fatal(err)
		}
		return sb, sb.Contacts()
	}
	sb, a := seeded(3)
	_, b := seeded(3)
	_, c := seeded(4)
	if !reflect.DeepEqual(a, b) {
		t.Error("same seed, different data")
	}
	if reflect.DeepEqual(a, c) {
		t.Error("different seeds, same data")
	}
	if len(a) != 60 || len(sb.Events()) != 0 {
		t.Errorf("%d contacts, %d events", len(a), len(sb.Events()))
	}
	emails := map[string]bool{}
	var notes, tasks int
	for _, ct := range a {
		if emails[ct.Email] || !strings.HasSuffix(ct.Email, ".example") || !strings.HasPrefix(ct.Phone, "+1") || ct.CompanyName == "" {
			t.Errorf("contact %+v", ct)
		}
		emails[ct.Email] = true
		notes += len(sb.Notes(ct.ID))
		tasks += len(sb.Tasks(ct.ID))
	}
	if notes == 0 || tasks == 0 || len(sb.Appointments("")) == 0 {
		t.Errorf("notes %d tasks %d appointments %d", notes, tasks, len(sb.Appointments("")))
	}
	if err := sb.SeedLocation("nope", 1); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown location: %v", err)
	}
}

// TestSeededDataThroughTheAPI pages through seeded contacts with
// searchAfter; every response is checked against the spec.
func TestSeededDataThroughTheAPI(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if err := b.sb.SeedLocation(loc1, 120); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var after []any
	for range 10 {
		body := map[string]any{"locationId": loc1, "pageLimit": 50,
			"sort": []any{map[string]any{"field": "dateUpdated", "direction": "asc"}}}
		if after != nil {
			body["searchAfter"] = after
		}
		r := b.api("POST", "/contacts/search", body).must(t, 200)
		list := r.list("contacts")
		if len(list) == 0 {
			break
		}
		for _, c := range list {
			id := c.(map[string]any)["id"].(string)
			if seen[id] {
				t.Fatalf("%s seen twice", id)
			}
			seen[id] = true
			b.api("GET", "/contacts/"+id+"/notes", nil).must(t, 200)
		}
		after = list[len(list)-1].(map[string]any)["searchAfter"].([]any)
	}
	if len(seen) != 120 {
		t.Errorf("paged through %d contacts, want 120", len(seen))
	}
	for _, a := range b.sb.Appointments(loc1) {
		b.api("GET", "/contacts/"+a.ContactID+"/appointments", nil).must(t, 200)
		b.req("GET", "/calendars/events/appointments/"+a.ID, tok1, vCalendar, nil).must(t, 200)
	}
}
