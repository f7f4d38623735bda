package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
)

// gc returns a HighLevel client for preparing rows through the API.
func (b *bundle) gc(t *testing.T) *ghl.Client {
	t.Helper()
	c, _, err := b.clients.GHL(context.Background(), "ghl")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (b *bundle) contact(t *testing.T, key string) ghlsandbox.Contact {
	t.Helper()
	c, ok := b.ghl.Contact(b.vars[key])
	if !ok {
		t.Fatalf("contact %s is gone", key)
	}
	return c
}

func (b *bundle) task(t *testing.T, key string) ghlsandbox.Task {
	t.Helper()
	for _, tk := range b.ghl.Tasks(b.vars["contact"]) {
		if tk.ID == b.vars[key] {
			return tk
		}
	}
	t.Fatalf("task %s is gone", key)
	return ghlsandbox.Task{}
}

func (b *bundle) appointment(id string) (ghlsandbox.Appointment, bool) {
	for _, a := range b.ghl.Appointments("") {
		if a.ID == id {
			return a, true
		}
	}
	return ghlsandbox.Appointment{}, false
}

// prepNoteOnAppointment adds an appointment note through the API.
func prepNoteOnAppointment(t *testing.T, b *bundle) {
	n, err := b.gc(t).CreateAppointmentNote(context.Background(), b.vars["appointment"], "Bring samples", "")
	if err != nil {
		t.Fatal(err)
	}
	b.vars["apptNote"] = n.ID
}

func (b *bundle) appointmentNotes(t *testing.T) []ghl.Note {
	t.Helper()
	notes, _, err := b.gc(t).ListAppointmentNotes(context.Background(), b.vars["appointment"], 20, 0)
	if err != nil {
		t.Fatal(err)
	}
	return notes
}

// prepBlockSlot blocks an hour the day after the fixture appointment.
func prepBlockSlot(t *testing.T, b *bundle) {
	start, _ := time.Parse(time.RFC3339, b.vars["block"])
	s, err := b.gc(t).CreateBlockSlot(context.Background(), ghl.BlockSlotRequest{CalendarID: b.vars["calendar"], Title: "Lunch",
		StartTime: start.Format(time.RFC3339), EndTime: start.Add(time.Hour).Format(time.RFC3339)})
	if err != nil {
		t.Fatal(err)
	}
	b.vars["slot"] = s.ID
}

func ghlActionRows() []row {
	ctx := context.Background()
	return []row{
		{id: "ghl.contact.create", input: `{"firstName":"Grace","lastName":"Hopper","email":"grace@example.com","tags":["navy"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				c, ok := b.ghl.Contact(str(t, out, "id"))
				if !ok || c.Email != "grace@example.com" || !slices.Contains(c.Tags, "navy") {
					t.Errorf("sandbox holds %+v (found %v)", c, ok)
				}
			}},
		{id: "ghl.contact.get", input: `{"contactId":"{{contact}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "email", str(t, out, "email"), "ada@example.com")
				wantEq(t, "custom field", str(t, out, "customFields.0.value"), "C-1001")
			}},
		{id: "ghl.contact.update", input: `{"contactId":"{{contact}}","city":"Boston","clear":["website"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "sandbox city", b.contact(t, "contact").City, "Boston")
				wantEq(t, "output city", str(t, out, "city"), "Boston")
			}},
		{id: "ghl.contact.delete", input: `{"contactId":"{{contact2}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if _, ok := b.ghl.Contact(b.vars["contact2"]); ok {
					t.Error("contact still in the sandbox")
				}
				wantEq(t, "deleted", get(t, out, "deleted"), any(true))
			}},
		{id: "ghl.contact.upsert", input: `{"email":"ada@example.com","city":"Paris"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "new", get(t, out, "new"), any(false))
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
				wantEq(t, "sandbox city", b.contact(t, "contact").City, "Paris")
			}},
		{id: "ghl.contact.search", input: `{"filters":[{"field":"email","operator":"eq","value":"bob@example.com"}]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "matches", count(t, out, "contacts"), 1)
				wantEq(t, "id", str(t, out, "contacts.0.id"), b.vars["contact2"])
			}},
		{id: "ghl.contact.find_duplicate", input: `{"email":"ada@example.com"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "found", get(t, out, "found"), any(true))
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
			}},
		{id: "ghl.contact.list", input: `{"limit":10}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "contacts", count(t, out, "contacts"), 2)
			}},
		{id: "ghl.business.contact.list", input: `{"businessId":"biz_1"}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.gc(t).SetContactsBusiness(ctx, []string{b.vars["contact"]}, "biz_1"); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "contacts", count(t, out, "contacts"), 1)
				wantEq(t, "id", str(t, out, "contacts.0.id"), b.vars["contact"])
			}},
		{id: "ghl.contact.tag.add", input: `{"contactId":"{{contact}}","tags":["VIP"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if tags := b.contact(t, "contact").Tags; !slices.Contains(tags, "vip") || !slices.Contains(tags, "repsly") {
					t.Errorf("tags %v", tags)
				}
			}},
		{id: "ghl.contact.tag.remove", input: `{"contactId":"{{contact}}","tags":["repsly"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if tags := b.contact(t, "contact").Tags; slices.Contains(tags, "repsly") {
					t.Errorf("tags %v", tags)
				}
			}},
		{id: "ghl.contact.tag.bulk_add", input: `{"contactIds":["{{contact}}","{{contact2}}"],"tags":["fair"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				for _, k := range []string{"contact", "contact2"} {
					if tags := b.contact(t, k).Tags; !slices.Contains(tags, "fair") {
						t.Errorf("%s tags %v", k, tags)
					}
				}
			}},
		{id: "ghl.contact.tag.bulk_remove", input: `{"contactIds":["{{contact}}"],"tags":["repsly"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if tags := b.contact(t, "contact").Tags; slices.Contains(tags, "repsly") {
					t.Errorf("tags %v", tags)
				}
			}},
		{id: "ghl.contact.follower.add", input: `{"contactId":"{{contact}}","followers":["user_1"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if f := b.contact(t, "contact").Followers; !slices.Contains(f, "user_1") {
					t.Errorf("followers %v", f)
				}
			}},
		{id: "ghl.contact.follower.remove", input: `{"contactId":"{{contact}}","followers":["user_1"]}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.gc(t).AddFollowers(ctx, b.vars["contact"], []string{"user_1", "user_2"}); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if f := b.contact(t, "contact").Followers; !slices.Equal(f, []string{"user_2"}) {
					t.Errorf("followers %v", f)
				}
			}},
		{id: "ghl.contact.campaign.add", input: `{"contactId":"{{contact}}","campaignId":"cmp_1"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "campaigns", len(b.contact(t, "contact").Campaigns), 1)
			}},
		{id: "ghl.contact.campaign.remove", input: `{"contactId":"{{contact}}","campaignId":"cmp_1"}`,
			prep: func(t *testing.T, b *bundle) {
				for _, id := range []string{"cmp_1", "cmp_2"} {
					if err := b.gc(t).AddToCampaign(ctx, b.vars["contact"], id); err != nil {
						t.Fatal(err)
					}
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "campaigns", slices.Equal(b.contact(t, "contact").Campaigns, []string{"cmp_2"}), true)
			}},
		{id: "ghl.contact.campaign.remove_all", input: `{"contactId":"{{contact}}"}`,
			prep: func(t *testing.T, b *bundle) {
				for _, id := range []string{"cmp_1", "cmp_2"} {
					if err := b.gc(t).AddToCampaign(ctx, b.vars["contact"], id); err != nil {
						t.Fatal(err)
					}
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "campaigns", len(b.contact(t, "contact").Campaigns), 0)
			}},
		{id: "ghl.contact.workflow.add", input: `{"contactId":"{{contact}}","workflowId":"wf_1","eventStartTime":"{{start}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "workflows", slices.Equal(b.contact(t, "contact").Workflows, []string{"wf_1"}), true)
			}},
		{id: "ghl.contact.workflow.remove", input: `{"contactId":"{{contact}}","workflowId":"wf_1"}`,
			prep: func(t *testing.T, b *bundle) {
				if err := b.gc(t).AddToWorkflow(ctx, b.vars["contact"], "wf_1", time.Time{}); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "workflows", len(b.contact(t, "contact").Workflows), 0)
			}},
		{id: "ghl.business.contact.add", input: `{"contactIds":["{{contact}}","{{contact2}}"],"businessId":"biz_1"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "business", b.contact(t, "contact2").BusinessID, "biz_1")
			}},
		{id: "ghl.business.contact.remove", input: `{"contactIds":["{{contact}}"]}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.gc(t).SetContactsBusiness(ctx, []string{b.vars["contact"]}, "biz_1"); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "business", b.contact(t, "contact").BusinessID, "")
			}},
		{id: "ghl.task.list", input: `{"contactId":"{{contact}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) { wantEq(t, "tasks", count(t, out, "tasks"), 2) }},
		{id: "ghl.task.create", input: `{"contactId":"{{contact}}","title":"Ship samples","dueDate":"2030-01-01T10:00:00Z"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				tasks := b.ghl.Tasks(b.vars["contact"])
				wantEq(t, "tasks", len(tasks), 3)
				wantEq(t, "title", tasks[len(tasks)-1].Title, "Ship samples")
			}},
		{id: "ghl.task.get", input: `{"contactId":"{{contact}}","taskId":"{{task}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "title", str(t, out, "title"), "Call back")
			}},
		{id: "ghl.task.update", input: `{"contactId":"{{contact}}","taskId":"{{task}}","title":"Call back on Monday"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "title", b.task(t, "task").Title, "Call back on Monday")
				wantEq(t, "body kept", b.task(t, "task").Body, "About the order")
			}},
		{id: "ghl.task.delete", input: `{"contactId":"{{contact}}","taskId":"{{task}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "tasks", len(b.ghl.Tasks(b.vars["contact"])), 1)
			}},
		{id: "ghl.task.complete", input: `{"contactId":"{{contact}}","taskId":"{{task}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "completed", b.task(t, "task").Completed, true)
			}},
		{id: "ghl.task.reopen", input: `{"contactId":"{{contact}}","taskId":"{{task}}"}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.ghl.UserCompleteTask(b.vars["task"]); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "completed", b.task(t, "task").Completed, false)
			}},
		{id: "ghl.task.search", input: `{"completed":false,"contactIds":["{{contact}}"]}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.ghl.UserCompleteTask(b.vars["task2"]); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "open tasks", count(t, out, "tasks"), 1)
				wantEq(t, "id", str(t, out, "tasks.0.id"), b.vars["task"])
			}},
		{id: "ghl.note.list", input: `{"contactId":"{{contact}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "notes", count(t, out, "notes"), 1)
				wantEq(t, "body", str(t, out, "notes.0.body"), "Met at the fair")
			}},
		{id: "ghl.note.create", input: `{"contactId":"{{contact}}","body":"Wants the spring catalogue"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				notes := b.ghl.Notes(b.vars["contact"])
				wantEq(t, "notes", len(notes), 2)
				wantEq(t, "newest", notes[0].Body, "Wants the spring catalogue")
			}},
		{id: "ghl.note.get", input: `{"contactId":"{{contact}}","noteId":"{{note}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "body", str(t, out, "body"), "Met at the fair")
			}},
		{id: "ghl.note.update", input: `{"contactId":"{{contact}}","noteId":"{{note}}","body":"Met at the spring fair"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "body", b.ghl.Notes(b.vars["contact"])[0].Body, "Met at the spring fair")
			}},
		{id: "ghl.note.delete", input: `{"contactId":"{{contact}}","noteId":"{{note}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "notes", len(b.ghl.Notes(b.vars["contact"])), 0)
			}},
		{id: "ghl.appointment.create", input: `{"calendarId":"{{calendar}}","contactId":"{{contact2}}","startTime":"{{start2}}","title":"Demo"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, ok := b.appointment(str(t, out, "id"))
				if !ok || a.ContactID != b.vars["contact2"] || a.Title != "Demo" {
					t.Errorf("sandbox appointment %+v (found %v)", a, ok)
				}
			}},
		{id: "ghl.appointment.update", input: `{"eventId":"{{appointment}}","appointmentStatus":"confirmed"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, _ := b.appointment(b.vars["appointment"])
				wantEq(t, "status", a.Status, "confirmed")
			}},
		{id: "ghl.appointment.get", input: `{"eventId":"{{appointment}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "contact", str(t, out, "contactId"), b.vars["contact"])
				wantEq(t, "title", str(t, out, "title"), "Store visit")
			}},
		{id: "ghl.appointment.delete", input: `{"eventId":"{{appointment}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				if _, ok := b.appointment(b.vars["appointment"]); ok {
					t.Error("appointment still in the sandbox")
				}
			}},
		{id: "ghl.appointment.list", input: `{"calendarId":"{{calendar}}","startTime":"{{weekStart}}","endTime":"{{weekEnd}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "events", count(t, out, "events"), 1)
				wantEq(t, "id", str(t, out, "events.0.id"), b.vars["appointment"])
			}},
		{id: "ghl.appointment.list_by_contact", input: `{"contactId":"{{contact}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "id", str(t, out, "events.0.id"), b.vars["appointment"])
			}},
		{id: "ghl.blocked_slot.list", input: `{"calendarId":"{{calendar}}","startTime":"{{weekStart}}","endTime":"{{weekEnd}}"}`,
			prep: prepBlockSlot,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "slots", count(t, out, "events"), 1)
				wantEq(t, "id", str(t, out, "events.0.id"), b.vars["slot"])
			}},
		{id: "ghl.blocked_slot.create", input: `{"calendarId":"{{calendar}}","title":"Lunch","startTime":"{{block}}","endTime":"{{blockEnd}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, ok := b.appointment(str(t, out, "id"))
				if !ok || !a.Blocked || a.Title != "Lunch" {
					t.Errorf("sandbox slot %+v (found %v)", a, ok)
				}
			}},
		{id: "ghl.blocked_slot.update", input: `{"eventId":"{{slot}}","calendarId":"{{calendar}}","title":"Long lunch","startTime":"{{block}}","endTime":"{{blockEnd}}"}`,
			prep: prepBlockSlot,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, _ := b.appointment(b.vars["slot"])
				wantEq(t, "title", a.Title, "Long lunch")
			}},
		{id: "ghl.calendar.free_slots", input: `{"calendarId":"{{calendar}}","startDate":"{{weekStart}}","endDate":"{{weekEnd}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				slots, _ := get(t, out, "slots").(map[string]any)
				if len(slots) < 4 {
					t.Errorf("free slots on %d days: %s", len(slots), out)
				}
			}},
		{id: "ghl.appointment.note.list", input: `{"appointmentId":"{{appointment}}"}`, prep: prepNoteOnAppointment,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "notes", count(t, out, "notes"), 1)
				wantEq(t, "body", str(t, out, "notes.0.body"), "Bring samples")
			}},
		{id: "ghl.appointment.note.create", input: `{"appointmentId":"{{appointment}}","body":"Bring the price list"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				notes := b.appointmentNotes(t)
				if len(notes) != 1 || notes[0].Body != "Bring the price list" {
					t.Errorf("notes %+v", notes)
				}
			}},
		{id: "ghl.appointment.note.update", input: `{"appointmentId":"{{appointment}}","noteId":"{{apptNote}}","body":"Bring samples and prices"}`,
			prep: prepNoteOnAppointment,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "body", b.appointmentNotes(t)[0].Body, "Bring samples and prices")
			}},
		{id: "ghl.appointment.note.delete", input: `{"appointmentId":"{{appointment}}","noteId":"{{apptNote}}"}`,
			prep:  prepNoteOnAppointment,
			check: func(t *testing.T, b *bundle, out json.RawMessage) { wantEq(t, "notes", len(b.appointmentNotes(t)), 0) }},
		{id: "ghl.location.get", input: `{}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "id", str(t, out, "id"), b.loc)
				if _, ok := get(t, out, "settings").(map[string]any)["allowDuplicateContact"]; !ok {
					t.Errorf("no settings in %s", out)
				}
			}},
		{id: "ghl.location.tag.list", input: `{}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "tag", str(t, out, "tags.0.name"), "repsly")
			}},
		{id: "ghl.location.custom_field.list", input: `{"model":"contact"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "key", str(t, out, "customFields.0.fieldKey"), "contact.repsly_client_code")
			}},
	}
}
