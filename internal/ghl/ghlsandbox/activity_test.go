package ghlsandbox

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestTasks(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"firstName": "Tia"})
	other := b.createContact(map[string]any{"firstName": "Other"})
	p := "/contacts/" + id + "/tasks"
	r := b.api("POST", p, map[string]any{"title": "Call back", "body": "re: order", "dueDate": "2026-03-03T10:00:00Z",
		"completed": false, "assignedTo": "user1"}).must(t, http.StatusCreated)
	task := r.obj("task")
	tid := task["id"].(string)
	if task["dueDate"] != "2026-03-03T10:00:00.000Z" || task["completed"] != false || task["contactId"] != id {
		t.Errorf("task %v", task)
	}
	if r := b.api("GET", p, nil).must(t, 200); len(r.list("tasks")) != 1 {
		t.Errorf("list %s", r.raw)
	}
	b.api("GET", p+"/"+tid, nil).must(t, 200)
	b.api("GET", "/contacts/"+other+"/tasks/"+tid, nil).must(t, 400)
	b.api("PUT", p+"/"+tid, map[string]any{"title": "Call back soon"}).must(t, 200)
	r = b.api("PUT", p+"/"+tid+"/completed", map[string]any{"completed": true}).must(t, 200)
	if r.obj("task")["completed"] != true {
		t.Errorf("not completed: %s", r.raw)
	}
	b.api("PUT", p+"/"+tid, map[string]any{"completed": true}).must(t, 200) // already done: no event
	r = b.api("POST", "/locations/"+loc1+"/tasks/search", map[string]any{"completed": true, "contactId": []string{id}}).must(t, 200)
	if len(r.list("tasks")) != 1 {
		t.Errorf("task search %s", r.raw)
	}
	if r := b.api("DELETE", p+"/"+tid, nil).must(t, 200); r.body["succeded"] != true {
		t.Errorf("delete %s", r.raw)
	}
	b.api("GET", p+"/"+tid, nil).must(t, 400)
	want := []string{"ContactCreate", "ContactCreate", "TaskCreate", "TaskComplete", "TaskDelete"}
	if got := eventTypes(b.sb.Events()); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	ev := b.sb.Events()[3]
	for _, field := range []string{`"type":"TaskComplete"`, `"title":"Call back soon"`, `"contactId":"` + id, `"webhookId":`, `"timestamp":`} {
		if !strings.Contains(string(ev.Body), field) {
			t.Errorf("TaskComplete payload %s lacks %s", ev.Body, field)
		}
	}
}

func TestNotes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(nil)
	p := "/contacts/" + id + "/notes"
	r := b.api("POST", p, map[string]any{"body": "Met the buyer", "userId": "user1", "pinned": true}).must(t, http.StatusCreated)
	nid := r.obj("note")["id"].(string)
	b.clock.Advance(time.Second)
	b.api("POST", p, map[string]any{"body": "Second"}).must(t, http.StatusCreated)
	r = b.api("GET", p, nil).must(t, 200)
	if notes := r.list("notes"); len(notes) != 2 || notes[0].(map[string]any)["body"] != "Second" {
		t.Errorf("notes, newest first: %s", r.raw)
	}
	b.api("GET", p+"/"+nid, nil).must(t, 200)
	if r := b.api("PUT", p+"/"+nid, map[string]any{"body": "Met the owner"}).must(t, 200); r.obj("note")["body"] != "Met the owner" {
		t.Errorf("update %s", r.raw)
	}
	b.api("DELETE", p+"/"+nid, nil).must(t, 200)
	b.api("GET", p+"/"+nid, nil).must(t, 400)
	want := []string{"ContactCreate", "NoteCreate", "NoteCreate", "NoteUpdate", "NoteDelete"}
	if got := eventTypes(b.sb.Events()); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestAppointments(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cal := b.sb.Locations()[0].Calendars[0].ID
	cid := b.createContact(map[string]any{"firstName": "Ada", "lastName": "King"})
	cal1 := func(method, path string, body any) resp {
		t.Helper()
		return b.req(method, path, tok1, vCalendar, body)
	}
	book := map[string]any{"calendarId": cal, "locationId": loc1, "contactId": cid, "startTime": "2026-03-03T10:00:00-05:00"}
	r := cal1("POST", "/calendars/events/appointments", book).must(t, 200)
	aid := r.body["id"].(string)
	if r.body["startTime"] != "2026-03-03T10:00:00-05:00" || r.body["endTime"] != "2026-03-03T10:30:00-05:00" ||
		r.body["appointmentStatus"] != "confirmed" || r.body["title"] != "Appointment with Ada King" {
		t.Errorf("create %s", r.raw)
	}
	r = cal1("POST", "/calendars/events/appointments", book).must(t, 400)
	if r.body["message"] != "The slot you have selected is no longer available." {
		t.Errorf("double booking: %s", r.raw)
	}
	saturday := map[string]any{"calendarId": cal, "locationId": loc1, "contactId": cid, "startTime": "2026-03-07T10:00:00-05:00"}
	cal1("POST", "/calendars/events/appointments", saturday).must(t, 400)
	saturday["ignoreFreeSlotValidation"] = true
	cal1("POST", "/calendars/events/appointments", saturday).must(t, 200)
	cal1("POST", "/calendars/events/appointments", map[string]any{"calendarId": cal, "locationId": loc1,
		"contactId": cid, "startTime": "2026-03-04T11:00:00-05:00", "appointmentStatus": "maybe"}).must(t, 422)

	r = cal1("GET", "/calendars/events/appointments/"+aid, nil).must(t, 200)
	if r.obj("event")["contactId"] != cid {
		t.Errorf("get %s", r.raw)
	}
	r = cal1("PUT", "/calendars/events/appointments/"+aid, map[string]any{"title": "Visit", "startTime": "2026-03-03T11:00:00-05:00"}).must(t, 200)
	if r.body["endTime"] != "2026-03-03T11:30:00-05:00" {
		t.Errorf("moved appointment keeps its length: %s", r.raw)
	}
	from := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC).UnixMilli()
	to := time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC).UnixMilli()
	window := "?locationId=" + loc1 + "&calendarId=" + cal + "&startTime=" + itoa(from) + "&endTime=" + itoa(to)
	if r := cal1("GET", "/calendars/events"+window, nil).must(t, 200); len(r.list("events")) != 1 {
		t.Errorf("events %s", r.raw)
	}
	cal1("GET", "/calendars/events?locationId="+loc1+"&startTime="+itoa(from)+"&endTime="+itoa(to), nil).must(t, 400)
	r = b.api("GET", "/contacts/"+cid+"/appointments", nil).must(t, 200)
	if ev := r.list("events"); len(ev) != 2 || ev[0].(map[string]any)["startTime"] != "2026-03-03 16:00:00" {
		t.Errorf("contact appointments %s", r.raw)
	}

	// Blocked slots take free slots away and emit nothing.
	r = cal1("POST", "/calendars/events/block-slots", map[string]any{"calendarId": cal, "locationId": loc1,
		"title": "Lunch", "startTime": "2026-03-03T12:00:00-05:00", "endTime": "2026-03-03T13:00:00-05:00"}).must(t, 201)
	bid := r.body["id"].(string)
	cal1("PUT", "/calendars/events/block-slots/"+bid, map[string]any{"locationId": loc1, "title": "Long lunch",
		"endTime": "2026-03-03T13:30:00-05:00"}).must(t, 201)
	if r := cal1("GET", "/calendars/blocked-slots"+window, nil).must(t, 200); len(r.list("events")) != 1 {
		t.Errorf("blocked slots %s", r.raw)
	}
	r = cal1("GET", "/calendars/"+cal+"/free-slots?startDate="+itoa(from)+"&endDate="+itoa(to-1), nil).must(t, 200)
	slots := r.obj("2026-03-03")["slots"].([]any)
	// 16 half-hour slots from 09:00 to 17:00, minus 11:00 (booked) and 12:00-13:30 (blocked).
	if len(slots) != 12 || slices.Contains(slots, any("2026-03-03T11:00:00-05:00")) {
		t.Errorf("free slots %v", slots)
	}
	r = cal1("GET", "/calendars/"+cal+"/free-slots?startDate=2026-03-03&endDate=2026-03-04", nil).must(t, 422)
	if !slices.Contains(r.messages(), "startDate must be a number conforming to the specified constraints") {
		t.Errorf("ISO dates: %s", r.raw)
	}
	cal1("GET", "/calendars/"+cal+"/free-slots?startDate="+itoa(from)+"&endDate="+itoa(to)+"&locationId="+loc1, nil).must(t, 422)
	cal1("GET", "/calendars/"+cal+"/free-slots?startDate="+itoa(from)+"&endDate="+itoa(from+40*86400000), nil).must(t, 400)
	cal1("DELETE", "/calendars/events/"+bid, map[string]any{}).must(t, 201)

	// Appointment notes.
	np := "/calendars/appointments/" + aid + "/notes"
	r = cal1("POST", np, map[string]any{"body": "Bring samples", "userId": "user1"}).must(t, 201)
	nid := r.obj("note")["id"].(string)
	if r := cal1("GET", np+"?limit=10&offset=0", nil).must(t, 200); len(r.list("notes")) != 1 || r.body["hasMore"] != false {
		t.Errorf("notes %s", r.raw)
	}
	cal1("GET", np, nil).must(t, 422)
	cal1("PUT", np+"/"+nid, map[string]any{"body": "Bring more samples"}).must(t, 200)
	if r := cal1("DELETE", np+"/"+nid, nil).must(t, 200); r.body["success"] != true {
		t.Errorf("delete note %s", r.raw)
	}

	b.req("GET", "/calendars/events/appointments/"+aid, tokRead, vCalendar, nil).must(t, 401)
	if r := cal1("DELETE", "/calendars/events/"+aid, map[string]any{}).must(t, 201); r.body["succeeded"] != true {
		t.Errorf("delete %s", r.raw)
	}
	cal1("GET", "/calendars/events/appointments/"+aid, nil).must(t, 400)
	want := []string{"ContactCreate", "AppointmentCreate", "AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"}
	if got := eventTypes(b.sb.Events()); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
	last := string(b.sb.Events()[4].Body)
	if !strings.Contains(last, `"appointment":{`) || !strings.Contains(last, `"type":"AppointmentDelete"`) {
		t.Errorf("appointment payload not nested: %s", last)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
