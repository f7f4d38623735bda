package ghl

import (
	"context"
	"net/url"
	"testing"
	"time"
)

// contactCallCases covers the contacts API.
func contactCallCases() []callCase {
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
	}
}
