package ghl

import (
	"context"
	"encoding/json"
	"net/url"
	"reflect"
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

func callCases() []callCase {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(7 * 24 * time.Hour)
	return []callCase{
		{name: "get contact", op: OpGetContact, path: "/contacts/c1", reply: ok(`{"contact":` + contactJSON + `}`),
			call: func(ctx context.Context, c *Client) (any, error) { return c.GetContact(ctx, "c1") },
			check: func(t *testing.T, _ recorded, got any) {
				c := got.(*Contact)
				if c.ID != "c1" || c.Email != "ada@example.com" || c.DNDSettings.Email.Status != "active" {
					t.Errorf("contact = %+v", c)
				}
				if v, _ := c.CustomField("cf1"); v != "R-17" {
					t.Errorf("custom field cf1 = %v", v)
				}
			}},
		{name: "create contact", op: OpCreateContact, path: "/contacts/", reply: created(`{"contact":` + contactJSON + `}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateContact(ctx, CreateContactRequest{ContactFields: ContactFields{
					FirstName: "Ada", Email: "ada@example.com", DND: new(false),
					CustomFields: []CustomFieldInput{{Key: "contact.repsly_client_code", FieldValue: "R-17"}},
				}, CompanyName: "Acme"})
			},
			check: wantBody(`{"locationId":"ve9EPM428h8vShlRW1KT","firstName":"Ada","email":"ada@example.com","dnd":false,"companyName":"Acme","customFields":[{"key":"contact.repsly_client_code","field_value":"R-17"}]}`)},
		{name: "update contact with clear", op: OpUpdateContact, path: "/contacts/c1",
			reply: ok(`{"succeded":true,"contact":` + contactJSON + `}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateContact(ctx, "c1", UpdateContactRequest{ContactFields: ContactFields{City: "Paris", Tags: []string{}}, Clear: []string{"email"}})
			},
			check: wantBody(`{"city":"Paris","tags":[],"email":null}`)},
		{name: "delete contact", op: OpDeleteContact, path: "/contacts/c1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteContact(ctx, "c1") }},
		{name: "upsert contact", op: OpUpsertContact, path: "/contacts/upsert",
			reply: ok(`{"new":false,"contact":` + contactJSON + `,"traceId":"tr-1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpsertContact(ctx, UpsertContactRequest{ContactFields: ContactFields{Email: "ada@example.com"}})
			},
			check: func(t *testing.T, req recorded, got any) {
				wantBody(`{"locationId":"ve9EPM428h8vShlRW1KT","email":"ada@example.com"}`)(t, req, got)
				if r := got.(*UpsertResult); r.New || r.Contact.ID != "c1" || r.TraceID != "tr-1" {
					t.Errorf("upsert = %+v", r)
				}
			}},
		{name: "find duplicate", op: OpGetDuplicateContact, path: "/contacts/search/duplicate",
			reply: ok(`{"contact":` + contactJSON + `}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.FindDuplicateContact(ctx, "ada@example.com", "+14155550100")
			},
			check: wantQuery(url.Values{"locationId": {testLocation}, "email": {"ada@example.com"}, "number": {"+14155550100"}})},
		{name: "find duplicate none", op: OpGetDuplicateContact, path: "/contacts/search/duplicate",
			reply: ok(`{"contact":null}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.FindDuplicateContact(ctx, "x@example.com", "")
			},
			check: func(t *testing.T, _ recorded, got any) {
				if got.(*Contact) != nil {
					t.Errorf("duplicate = %+v, want nil", got)
				}
			}},
		{name: "contacts by business", op: OpListContactsByBusiness, path: "/contacts/business/b1",
			reply: ok(`{"contacts":[{"id":"c1","locationId":"ve9EPM428h8vShlRW1KT"}],"count":1}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListContactsByBusiness(ctx, "b1", "ada", 10, 20)
			},
			check: wantQuery(url.Values{"locationId": {testLocation}, "query": {"ada"}, "limit": {"10"}, "skip": {"20"}})},
		{name: "search contacts", op: OpSearchContacts, path: "/contacts/search",
			reply: ok(`{"contacts":[{"id":"c1","searchAfter":[1767323045678,"c1"]}],"total":1}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SearchContacts(ctx, SearchContactsRequest{
					Filters: []Filter{{Field: "dateUpdated", Operator: "range", Value: map[string]any{"gte": 1767323045678}},
						{Group: "OR", Filters: []Filter{{Field: "tags", Operator: "eq", Value: "vip"}, {Field: "email", Operator: "exists"}}}},
					Sort: []Sort{{Field: "dateUpdated", Direction: "asc"}},
				})
			},
			check: wantBody(`{"locationId":"ve9EPM428h8vShlRW1KT","pageLimit":100,"filters":[{"field":"dateUpdated","operator":"range","value":{"gte":1767323045678}},{"group":"OR","filters":[{"field":"tags","operator":"eq","value":"vip"},{"field":"email","operator":"exists"}]}],"sort":[{"field":"dateUpdated","direction":"asc"}]}`)},
		{name: "list contacts", op: OpListContacts, path: "/contacts/",
			reply: ok(`{"contacts":[{"id":"c1"}],"count":1}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListContacts(ctx, ListContactsRequest{Limit: 100, After: ListCursor{StartAfterID: "c0", StartAfter: 1767323045678}})
			},
			check: wantQuery(url.Values{"locationId": {testLocation}, "limit": {"100"}, "startAfterId": {"c0"}, "startAfter": {"1767323045678"}})},

		{name: "list tasks", op: OpListTasks, path: "/contacts/c1/tasks",
			reply: ok(`{"tasks":[{"id":"t1","title":"Call","completed":false,"contactId":"c1"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListTasks(ctx, "c1") },
			check: func(t *testing.T, _ recorded, got any) {
				if ts := got.([]Task); len(ts) != 1 || ts[0].Title != "Call" {
					t.Errorf("tasks = %+v", ts)
				}
			}},
		{name: "get task", op: OpGetTask, path: "/contacts/c1/tasks/t1", reply: ok(`{"task":{"id":"t1"}}`),
			call: func(ctx context.Context, c *Client) (any, error) { return c.GetTask(ctx, "c1", "t1") }},
		{name: "create task", op: OpCreateTask, path: "/contacts/c1/tasks", reply: created(`{"task":{"id":"t1","title":"Call"}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateTask(ctx, "c1", CreateTaskRequest{Title: "Call", DueDate: "2026-03-05T09:00:00Z"})
			},
			check: wantBody(`{"title":"Call","dueDate":"2026-03-05T09:00:00Z","completed":false}`)},
		{name: "update task", op: OpUpdateTask, path: "/contacts/c1/tasks/t1", reply: ok(`{"task":{"id":"t1"}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateTask(ctx, "c1", "t1", UpdateTaskRequest{Body: "x", Completed: new(true)})
			},
			check: wantBody(`{"body":"x","completed":true}`)},
		{name: "complete task", op: OpCompleteTask, path: "/contacts/c1/tasks/t1/completed", reply: ok(`{"task":{"id":"t1","completed":true}}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.CompleteTask(ctx, "c1", "t1", true) },
			check: wantBody(`{"completed":true}`)},
		{name: "delete task", op: OpDeleteTask, path: "/contacts/c1/tasks/t1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteTask(ctx, "c1", "t1") }},

		{name: "list notes", op: OpListNotes, path: "/contacts/c1/notes", reply: ok(`{"notes":[{"id":"n1","body":"hi"}]}`),
			call: func(ctx context.Context, c *Client) (any, error) { return c.ListNotes(ctx, "c1") }},
		{name: "get note", op: OpGetNote, path: "/contacts/c1/notes/n1", reply: ok(`{"note":{"id":"n1","body":"hi"}}`),
			call: func(ctx context.Context, c *Client) (any, error) { return c.GetNote(ctx, "c1", "n1") }},
		{name: "create note", op: OpCreateNote, path: "/contacts/c1/notes", reply: created(`{"note":{"id":"n1","body":"Visit: 30 min"}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateNote(ctx, "c1", NoteRequest{Body: "Visit: 30 min", Pinned: new(true)})
			},
			check: wantBody(`{"body":"Visit: 30 min","pinned":true}`)},
		{name: "update note", op: OpUpdateNote, path: "/contacts/c1/notes/n1", reply: ok(`{"note":{"id":"n1"}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateNote(ctx, "c1", "n1", NoteRequest{Body: "new"})
			}},
		{name: "delete note", op: OpDeleteNote, path: "/contacts/c1/notes/n1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteNote(ctx, "c1", "n1") }},

		{name: "add tags", op: OpAddTags, path: "/contacts/c1/tags", reply: created(`{"tags":["a","vip"]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.AddTags(ctx, "c1", []string{"a"}) },
			check: wantBody(`{"tags":["a"]}`)},
		{name: "remove tags", op: OpRemoveTags, path: "/contacts/c1/tags", reply: ok(`{"tags":["vip"]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.RemoveTags(ctx, "c1", []string{"a"}) },
			check: wantBody(`{"tags":["a"]}`)},
		{name: "bulk add tags", op: OpBulkUpdateTags, path: "/contacts/bulk/tags/update/add",
			reply: created(`{"succeded":true,"errorCount":1,"responses":[{"contactId":"c1","message":"Tags updated","type":"success","oldTags":[],"tagsAdded":["a"],"tagsRemoved":[]},{"contactId":"x","message":"contact is deleted","type":"error"}]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.BulkAddTags(ctx, BulkTagsRequest{Contacts: []string{"c1", "x"}, Tags: []string{"a"}})
			},
			check: func(t *testing.T, req recorded, got any) {
				wantBody(`{"contacts":["c1","x"],"tags":["a"],"locationId":"ve9EPM428h8vShlRW1KT"}`)(t, req, got)
				if r := got.(*BulkTagsResult); r.ErrorCount != 1 || r.Responses[1].Type != "error" {
					t.Errorf("bulk = %+v", r)
				}
			}},
		{name: "bulk remove all tags", op: OpBulkUpdateTags, path: "/contacts/bulk/tags/update/remove",
			reply: created(`{"succeded":true,"errorCount":0,"responses":[]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.BulkRemoveTags(ctx, BulkTagsRequest{Contacts: []string{"c1"}, RemoveAllTags: true})
			},
			check: wantBody(`{"contacts":["c1"],"tags":[],"locationId":"ve9EPM428h8vShlRW1KT","removeAllTags":true}`)},
		{name: "set business", op: OpBulkUpdateBusiness, path: "/contacts/bulk/business", reply: ok(`{"success":true,"ids":["c1"]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SetContactsBusiness(ctx, []string{"c1"}, "")
			},
			check: wantBody(`{"locationId":"ve9EPM428h8vShlRW1KT","ids":["c1"],"businessId":null}`)},
		{name: "add followers", op: OpAddFollowers, path: "/contacts/c1/followers",
			reply: created(`{"followers":["u1","u2"],"followersAdded":["u2"]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.AddFollowers(ctx, "c1", []string{"u2"}) },
			check: wantBody(`{"followers":["u2"]}`)},
		{name: "remove followers", op: OpRemoveFollowers, path: "/contacts/c1/followers",
			reply: ok(`{"followers":["u1"],"followersRemoved":["u2"]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.RemoveFollowers(ctx, "c1", []string{"u2"}) }},
		{name: "add to campaign", op: OpAddToCampaign, path: "/contacts/c1/campaigns/k1", reply: created(`{"succeded":true}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return nil, c.AddToCampaign(ctx, "c1", "k1") },
			check: wantBody(`{}`)},
		{name: "remove from campaign", op: OpRemoveFromCampaign, path: "/contacts/c1/campaigns/k1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.RemoveFromCampaign(ctx, "c1", "k1") }},
		{name: "remove from all campaigns", op: OpRemoveFromAllCampaigns, path: "/contacts/c1/campaigns/removeAll", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) { return nil, c.RemoveFromAllCampaigns(ctx, "c1") }},
		{name: "add to workflow", op: OpAddToWorkflow, path: "/contacts/c1/workflow/w1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.AddToWorkflow(ctx, "c1", "w1", time.Date(2026, 3, 5, 9, 0, 0, 0, time.FixedZone("", 5*3600+1800)))
			},
			check: wantBody(`{"eventStartTime":"2026-03-05T09:00:00+05:30"}`)},
		{name: "remove from workflow", op: OpRemoveFromWorkflow, path: "/contacts/c1/workflow/w1", reply: ok(`{"succeded":true}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.RemoveFromWorkflow(ctx, "c1", "w1", time.Time{})
			},
			check: wantBody(`{}`)},
		{name: "contact appointments", op: OpListContactAppointments, path: "/contacts/c1/appointments",
			reply: ok(`{"events":[{"id":"e1","calendarId":"cal","startTime":"2021-07-16 11:00:00","appointmentStatus":"confirmed"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListContactAppointments(ctx, "c1") }},

		{name: "create appointment", op: OpCreateAppointment, path: "/calendars/events/appointments",
			reply: ok(`{"id":"e1","calendarId":"cal","locationId":"ve9EPM428h8vShlRW1KT","contactId":"c1","startTime":"2026-03-05T09:00:00+01:00","appointmentStatus":"confirmed"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateAppointment(ctx, CreateAppointmentRequest{CalendarID: "cal", ContactID: "c1",
					AppointmentFields: AppointmentFields{StartTime: "2026-03-05T09:00:00+01:00", AppointmentStatus: AppointmentConfirmed, IgnoreFreeSlotValidation: new(true)}})
			},
			check: wantBody(`{"calendarId":"cal","locationId":"ve9EPM428h8vShlRW1KT","contactId":"c1","startTime":"2026-03-05T09:00:00+01:00","appointmentStatus":"confirmed","ignoreFreeSlotValidation":true}`)},
		{name: "update appointment", op: OpUpdateAppointment, path: "/calendars/events/appointments/e1",
			reply: ok(`{"id":"e1","calendarId":"cal","locationId":"ve9EPM428h8vShlRW1KT","contactId":"c1","appointmentStatus":"cancelled"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateAppointment(ctx, "e1", UpdateAppointmentRequest{AppointmentFields: AppointmentFields{AppointmentStatus: AppointmentCancelled}})
			},
			check: wantBody(`{"appointmentStatus":"cancelled"}`)},
		{name: "get appointment", op: OpGetAppointment, path: "/calendars/events/appointments/e1",
			reply: ok(`{"event":{"id":"e1","title":"Visit","calendarId":"cal","locationId":"ve9EPM428h8vShlRW1KT","contactId":"c1","groupId":"g","appointmentStatus":"confirmed","assignedUserId":"u1","users":["u1"],"startTime":"2026-03-05T09:00:00+01:00","endTime":"2026-03-05T09:30:00+01:00","dateAdded":"2026-03-01T09:00:00+01:00","dateUpdated":"2026-03-01T09:00:00+01:00","createdBy":{"userId":"u1","source":"api"}}}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetAppointment(ctx, "e1") },
			check: func(t *testing.T, _ recorded, got any) {
				if a := got.(*Appointment); a.ContactID != "c1" || a.CreatedBy.Source != "api" || a.EndTime == "" {
					t.Errorf("appointment = %+v", a)
				}
			}},
		{name: "list calendar events", op: OpListCalendarEvents, path: "/calendars/events", reply: ok(`{"events":[]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListCalendarEvents(ctx, EventsQuery{CalendarID: "cal", Start: start, End: end})
			},
			check: wantQuery(url.Values{"locationId": {testLocation}, "calendarId": {"cal"},
				"startTime": {"1772323200000"}, "endTime": {"1772928000000"}})},
		{name: "delete event", op: OpDeleteEvent, path: "/calendars/events/e1", reply: created(`{"succeeded":true}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return nil, c.DeleteEvent(ctx, "e1") },
			check: wantBody(`{}`)},
		{name: "list blocked slots", op: OpListBlockedSlots, path: "/calendars/blocked-slots", reply: ok(`{"events":[]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListBlockedSlots(ctx, EventsQuery{UserID: "u1", Start: start, End: end})
			}},
		{name: "create block slot", op: OpCreateBlockSlot, path: "/calendars/events/block-slots",
			reply: created(`{"id":"b1","locationId":"ve9EPM428h8vShlRW1KT","title":"Lunch","startTime":"2026-03-05T12:00:00+01:00","endTime":"2026-03-05T13:00:00+01:00","calendarId":"cal"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.CreateBlockSlot(ctx, BlockSlotRequest{Title: "Lunch", CalendarID: "cal", StartTime: "2026-03-05T12:00:00+01:00", EndTime: "2026-03-05T13:00:00+01:00"})
			}},
		{name: "update block slot", op: OpUpdateBlockSlot, path: "/calendars/events/block-slots/b1",
			reply: created(`{"id":"b1","locationId":"ve9EPM428h8vShlRW1KT","title":"Lunch","startTime":"2026-03-05T12:00:00+01:00","endTime":"2026-03-05T13:30:00+01:00"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateBlockSlot(ctx, "b1", BlockSlotRequest{CalendarID: "cal", EndTime: "2026-03-05T13:30:00+01:00"})
			}},
		{name: "free slots", op: OpGetFreeSlots, path: "/calendars/cal/free-slots",
			reply: ok(`{"2026-03-02":{"slots":["2026-03-02T10:00:00+01:00"]}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.GetFreeSlots(ctx, "cal", FreeSlotsQuery{Start: start, End: end, Timezone: "Europe/Paris", UserIDs: []string{"u1", "u2"}})
			},
			check: func(t *testing.T, req recorded, got any) {
				wantQuery(url.Values{"startDate": {"1772323200000"}, "endDate": {"1772928000000"},
					"timezone": {"Europe/Paris"}, "userIds": {"u1", "u2"}})(t, req, got)
				if s := got.(map[string][]string); len(s) != 1 || len(s["2026-03-02"]) != 1 {
					t.Errorf("slots = %v", s)
				}
			}},
		{name: "list appointment notes", op: OpListAppointmentNotes, path: "/calendars/appointments/e1/notes",
			reply: ok(`{"notes":[{"id":"n1","body":"hi","createdBy":{"id":"u1","name":"Rep"}}],"hasMore":true}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				notes, more, err := c.ListAppointmentNotes(ctx, "e1", 0, 20)
				if err == nil && (!more || notes[0].CreatedBy.Name != "Rep") {
					return nil, errFromString("unexpected notes page")
				}
				return notes, err
			},
			check: wantQuery(url.Values{"limit": {"20"}, "offset": {"20"}})},
		{name: "create appointment note", op: OpCreateAppointmentNote, path: "/calendars/appointments/e1/notes",
			reply: created(`{"note":{"id":"n1","body":"hi"}}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.CreateAppointmentNote(ctx, "e1", "hi", "") },
			check: wantBody(`{"body":"hi"}`)},
		{name: "update appointment note", op: OpUpdateAppointmentNote, path: "/calendars/appointments/e1/notes/n1",
			reply: ok(`{"note":{"id":"n1","body":"new"}}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.UpdateAppointmentNote(ctx, "e1", "n1", "new", "u1")
			},
			check: wantBody(`{"body":"new","userId":"u1"}`)},
		{name: "delete appointment note", op: OpDeleteAppointmentNote, path: "/calendars/appointments/e1/notes/n1",
			reply: ok(`{"success":true}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return nil, c.DeleteAppointmentNote(ctx, "e1", "n1")
			}},

		{name: "get location", op: OpGetLocation, path: "/locations/" + testLocation,
			reply: ok(`{"location":{"id":"ve9EPM428h8vShlRW1KT","name":"Acme","timezone":"Europe/Paris","settings":{"allowDuplicateContact":false}}}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetLocation(ctx) },
			check: func(t *testing.T, _ recorded, got any) {
				if l := got.(*Location); l.Name != "Acme" || l.Settings.AllowDuplicateContact {
					t.Errorf("location = %+v", l)
				}
			}},
		{name: "location tags", op: OpListLocationTags, path: "/locations/" + testLocation + "/tags",
			reply: ok(`{"tags":[{"id":"t1","name":"vip","locationId":"ve9EPM428h8vShlRW1KT"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListLocationTags(ctx) }},
		{name: "custom fields", op: OpListCustomFields, path: "/locations/" + testLocation + "/customFields",
			reply: ok(`{"customFields":[{"id":"cf1","name":"Repsly code","fieldKey":"contact.repsly_client_code","dataType":"TEXT","model":"contact"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListCustomFields(ctx, "contact") },
			check: wantQuery(url.Values{"model": {"contact"}})},
		{name: "search tasks", op: OpSearchTasks, path: "/locations/" + testLocation + "/tasks/search",
			reply: ok(`{"tasks":[{"id":"t1","title":"Call","contactId":"c1"}]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SearchTasks(ctx, TaskSearchRequest{ContactIDs: []string{"c1"}, Completed: new(false), Limit: 50})
			},
			check: wantBody(`{"contactId":["c1"],"completed":false,"limit":50}`)},

		{name: "exchange code", op: OpGetAccessToken, path: "/oauth/token",
			reply: ok(`{"access_token":"at","token_type":"Bearer","expires_in":86399,"refresh_token":"rt","scope":"contacts.readonly contacts.write","userType":"Location","locationId":"ve9EPM428h8vShlRW1KT","companyId":"co","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ExchangeCode(ctx, OAuthCredentials{ClientID: "cid", ClientSecret: "csecret", RedirectURL: "https://fb.example/cb"}, "code1", "")
			},
			check: func(t *testing.T, req recorded, got any) {
				form, _ := url.ParseQuery(string(req.Body))
				want := url.Values{"grant_type": {"authorization_code"}, "code": {"code1"}, "client_id": {"cid"},
					"client_secret": {"csecret"}, "redirect_uri": {"https://fb.example/cb"}}
				if !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want %v", form, want)
				}
				tok := got.(*TokenResponse)
				if tok.RefreshToken != "rt" || len(tok.Scopes()) != 2 {
					t.Errorf("token = %v", tok)
				}
				if o := tok.OAuth2Token(testNow); !o.Expiry.Equal(testNow.Add(86399*time.Second)) || o.Extra("locationId") != testLocation {
					t.Errorf("oauth2 token expiry %v extra %v", o.Expiry, o.Extra("locationId"))
				}
			}},
		{name: "refresh token", op: OpGetAccessToken, path: "/oauth/token",
			reply: ok(`{"access_token":"at2","token_type":"Bearer","expires_in":86399,"refresh_token":"rt2","scope":"contacts.readonly","userType":"Location","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RefreshToken(ctx, OAuthCredentials{ClientID: "cid", ClientSecret: "csecret"}, "rt1", UserTypeLocation)
			},
			check: func(t *testing.T, req recorded, _ any) {
				form, _ := url.ParseQuery(string(req.Body))
				want := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt1"}, "client_id": {"cid"},
					"client_secret": {"csecret"}, "user_type": {"Location"}}
				if !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want %v", form, want)
				}
			}},
		{name: "location token", op: OpGetLocationAccessToken, path: "/oauth/locationToken",
			reply: ok(`{"access_token":"lt","token_type":"Bearer","expires_in":86399,"scope":"contacts.readonly","locationId":"ve9EPM428h8vShlRW1KT","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.LocationToken(ctx, nil, "co", testLocation)
			},
			check: func(t *testing.T, req recorded, _ any) {
				if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
					t.Errorf("Content-Type = %q", ct)
				}
			}},
		{name: "installed locations", op: OpListInstalledLocations, path: "/oauth/installedLocations",
			reply: ok(`{"locations":[{"_id":"ve9EPM428h8vShlRW1KT","name":"Acme","address":"1 Main St","isInstalled":true}],"count":1,"installToFutureLocations":false}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListInstalledLocations(ctx, nil, InstalledLocationsQuery{CompanyID: "co", AppID: "app", IsInstalled: new(true)})
			},
			check: wantQuery(url.Values{"companyId": {"co"}, "appId": {"app"}, "isInstalled": {"true"}})},
	}
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
