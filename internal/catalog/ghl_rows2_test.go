package catalog_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
)

// contactByEmail finds a sandbox contact.
func (b *bundle) contactByEmail(email string) (ghlsandbox.Contact, bool) {
	for _, c := range b.ghl.Contacts() {
		if c.Email == email {
			return c, true
		}
	}
	return ghlsandbox.Contact{}, false
}

func ghlCompositeRows() []row {
	return []row{
		{id: "ghl.contact.find_or_create", input: `{"email":"ada@example.com","firstName":"Someone else"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "created", get(t, out, "created"), any(false))
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
				wantEq(t, "name unchanged", b.contact(t, "contact").FirstName, "Ada")
				// A new email creates, and a second call finds what the first made.
				e, _ := b.cat.Get("ghl.contact.find_or_create")
				for i, want := range []bool{true, false} {
					out2, err := e.Run(context.Background(), b.clients, "ghl", json.RawMessage(`{"phone":"+14155550199","firstName":"Newt"}`))
					if err != nil {
						t.Fatal(err)
					}
					wantEq(t, "created", get(t, out2, "created"), any(want))
					if i == 1 && len(b.ghl.Contacts()) != 3 {
						t.Errorf("%d contacts, want 3", len(b.ghl.Contacts()))
					}
				}
			}},
		{id: "ghl.contact.find_by_email", input: `{"email":"ADA@example.com"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
				e, _ := b.cat.Get("ghl.contact.find_by_email")
				out2, err := e.Run(context.Background(), b.clients, "ghl", json.RawMessage(`{"email":"nobody@example.com"}`))
				if err != nil {
					t.Fatal(err)
				}
				wantEq(t, "found", get(t, out2, "found"), any(false))
			}},
		{id: "ghl.contact.find_by_phone", input: `{"phone":"+14155550100"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "found", get(t, out, "found"), any(true))
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
			}},
		{id: "ghl.contact.find_by_custom_field", input: `{"field":"contact.repsly_client_code","value":"C-1001"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "id", str(t, out, "contact.id"), b.vars["contact"])
			}},
		{id: "ghl.contact.note.add_by_email", input: `{"email":"ada@example.com","body":"Ordered 12 cases"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "contact", str(t, out, "contactId"), b.vars["contact"])
				wantEq(t, "newest note", b.ghl.Notes(b.vars["contact"])[0].Body, "Ordered 12 cases")
				e, _ := b.cat.Get("ghl.contact.note.add_by_email")
				if _, err := e.Run(context.Background(), b.clients, "ghl", json.RawMessage(`{"email":"nobody@example.com","body":"x"}`)); err == nil {
					t.Error("no error for an unknown email")
				}
			}},
		{id: "ghl.contact.tag.add_by_email", input: `{"email":"bob@example.com","tags":["vip"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "tagged", slices.Contains(b.contact(t, "contact2").Tags, "vip"), true)
			}},
		{id: "ghl.contact.tag.remove_by_email", input: `{"email":"ada@example.com","tags":["repsly"]}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "still tagged", slices.Contains(b.contact(t, "contact").Tags, "repsly"), false)
			}},
		{id: "ghl.contact.task.create_by_email", input: `{"phone":"+14155550100","title":"Send samples","dueDate":"2030-01-01T10:00:00Z"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				tasks := b.ghl.Tasks(b.vars["contact"])
				wantEq(t, "tasks", len(tasks), 3)
				wantEq(t, "title", str(t, out, "task.title"), "Send samples")
			}},
		{id: "ghl.contact.task.complete_open", input: `{"contactId":"{{contact}}"}`,
			prep: func(t *testing.T, b *bundle) {
				if _, err := b.ghl.UserCompleteTask(b.vars["task2"]); err != nil {
					t.Fatal(err)
				}
			},
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "completed now", count(t, out, "tasks"), 1)
				for _, tk := range b.ghl.Tasks(b.vars["contact"]) {
					if !tk.Completed {
						t.Errorf("task %s still open", tk.ID)
					}
				}
			}},
		{id: "ghl.contact.custom_field.set", input: `{"contactId":"{{contact2}}","field":"repsly_client_code","value":"C-2002"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				cf := b.contact(t, "contact2").CustomFields
				if len(cf) != 1 || cf[0].ID != b.vars["field"] || cf[0].Value != "C-2002" {
					t.Errorf("custom fields %+v", cf)
				}
				e, _ := b.cat.Get("ghl.contact.custom_field.set")
				before := b.ghlRequests()
				_, err := e.Run(context.Background(), b.clients, "ghl", json.RawMessage(`{"contactId":"x","field":"nope","value":1}`))
				if err == nil || b.ghlRequests() != before+1 {
					t.Errorf("unknown field: err %v after %d requests, want an error after the one lookup", err, b.ghlRequests()-before)
				}
			}},
		{id: "ghl.contact.upsert_with_note", input: `{"email":"newt@example.com","firstName":"Newt","note":"Met at the fair"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "new", get(t, out, "new"), any(true))
				c, ok := b.contactByEmail("newt@example.com")
				if !ok {
					t.Fatal("contact not created")
				}
				if notes := b.ghl.Notes(c.ID); len(notes) != 1 || notes[0].Body != "Met at the fair" {
					t.Errorf("notes %+v", notes)
				}
			}},
		{id: "ghl.contact.dnd.set", input: `{"contactId":"{{contact}}","dnd":true}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				wantEq(t, "dnd", b.contact(t, "contact").DND, true)
			}},
		{id: "ghl.appointment.cancel", input: `{"eventId":"{{appointment}}"}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, _ := b.appointment(b.vars["appointment"])
				wantEq(t, "status", a.Status, "cancelled")
			}},
		{id: "ghl.appointment.book_first_free_slot", input: `{"calendarId":"{{calendar}}","contactId":"{{contact2}}","from":"{{start}}","days":3}`,
			check: func(t *testing.T, b *bundle, out json.RawMessage) {
				a, ok := b.appointment(str(t, out, "id"))
				start, _ := time.Parse(time.RFC3339, b.vars["start"])
				// The fixture appointment holds 10:00; the first free slot follows it.
				if !ok || a.ContactID != b.vars["contact2"] || !a.StartTime.Equal(start.Add(30*time.Minute)) {
					t.Errorf("booked %+v (found %v), want %s", a, ok, start.Add(30*time.Minute))
				}
			}},
	}
}

// webhookRows make the sandbox emit an event as a user would; the runner
// decodes the body of the last event of the entry's type.
func ghlWebhookRows() []row {
	must := func(t *testing.T, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	wantID := func(path, key string) func(*testing.T, *bundle, json.RawMessage) {
		return func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, path, str(t, out, path), b.vars[key])
			if str(t, out, "event.webhookId") == "" || str(t, out, "event.locationId") != b.loc {
				t.Errorf("envelope %v", get(t, out, "event"))
			}
		}
	}
	return []row{
		{id: "ghl.contact.created", prep: func(t *testing.T, b *bundle) {
			c, err := b.ghl.UserCreateContact(ghlsandbox.Contact{FirstName: "Grace", Email: "grace@example.com"})
			must(t, err)
			b.vars["new"] = c.ID
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("contact.id", "new")(t, b, out)
			wantEq(t, "email", str(t, out, "contact.email"), "grace@example.com")
		}},
		{id: "ghl.contact.updated", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserUpdateContact(b.vars["contact"], func(c *ghlsandbox.Contact) { c.City = "Lyon" })
			must(t, err)
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("contact.id", "contact")(t, b, out)
			wantEq(t, "city", str(t, out, "contact.city"), "Lyon")
		}},
		{id: "ghl.contact.deleted", prep: func(t *testing.T, b *bundle) { must(t, b.ghl.UserDeleteContact(b.vars["contact2"])) },
			check: wantID("contact.id", "contact2")},
		{id: "ghl.contact.tags_updated", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserAddTag(b.vars["contact"], "hot")
			must(t, err)
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("contact.id", "contact")(t, b, out)
			if tags, _ := get(t, out, "contact.tags").([]any); !slices.Contains(tags, any("hot")) {
				t.Errorf("tags %v", tags)
			}
		}},
		{id: "ghl.contact.dnd_updated", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserSetDND(b.vars["contact"], true)
			must(t, err)
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("contact.id", "contact")(t, b, out)
			wantEq(t, "dnd", get(t, out, "contact.dnd"), any(true))
		}},
		{id: "ghl.note.created", prep: func(t *testing.T, b *bundle) {
			n, err := b.ghl.UserAddNote(b.vars["contact"], "Called, no answer")
			must(t, err)
			b.vars["new"] = n.ID
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("note.id", "new")(t, b, out)
			wantEq(t, "body", str(t, out, "note.body"), "Called, no answer")
		}},
		{id: "ghl.note.updated", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserUpdateNote(b.vars["note"], "Met at the spring fair")
			must(t, err)
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("note.id", "note")(t, b, out)
			wantEq(t, "body", str(t, out, "note.body"), "Met at the spring fair")
		}},
		{id: "ghl.note.deleted", prep: func(t *testing.T, b *bundle) { must(t, b.ghl.UserDeleteNote(b.vars["note"])) },
			check: wantID("note.id", "note")},
		{id: "ghl.task.created", prep: func(t *testing.T, b *bundle) {
			tk, err := b.ghl.UserCreateTask(b.vars["contact"], ghlsandbox.Task{Title: "Follow up"})
			must(t, err)
			b.vars["new"] = tk.ID
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("task.id", "new")(t, b, out)
			wantEq(t, "title", str(t, out, "task.title"), "Follow up")
		}},
		{id: "ghl.task.completed", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserCompleteTask(b.vars["task"])
			must(t, err)
		}, check: wantID("task.id", "task")},
		{id: "ghl.task.deleted", prep: func(t *testing.T, b *bundle) { must(t, b.ghl.UserDeleteTask(b.vars["task"])) },
			check: wantID("task.id", "task")},
		{id: "ghl.appointment.created", prep: func(t *testing.T, b *bundle) {
			start, _ := time.Parse(time.RFC3339, b.vars["start2"])
			a, err := b.ghl.UserCreateAppointment(ghlsandbox.Appointment{ContactID: b.vars["contact2"], StartTime: start})
			must(t, err)
			b.vars["new"] = a.ID
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("appointment.id", "new")(t, b, out)
			wantEq(t, "contact", str(t, out, "appointment.contactId"), b.vars["contact2"])
		}},
		{id: "ghl.appointment.updated", prep: func(t *testing.T, b *bundle) {
			_, err := b.ghl.UserUpdateAppointment(b.vars["appointment"], func(a *ghlsandbox.Appointment) { a.Status = "cancelled" })
			must(t, err)
		}, check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantID("appointment.id", "appointment")(t, b, out)
			wantEq(t, "status", str(t, out, "appointment.appointmentStatus"), "cancelled")
		}},
		{id: "ghl.appointment.deleted", prep: func(t *testing.T, b *bundle) { must(t, b.ghl.UserDeleteAppointment(b.vars["appointment"])) },
			check: wantID("appointment.id", "appointment")},
	}
}

// pollAgain polls an entry from a cursor and returns its records.
func pollAgain(t *testing.T, b *bundle, out json.RawMessage) ([]json.RawMessage, string) {
	t.Helper()
	e, err := b.cat.Get(str(t, out, "id"))
	if err != nil {
		t.Fatal(err)
	}
	recs, next, _, err := e.Poll(context.Background(), b.clients, string(e.App), str(t, out, "next"))
	if err != nil {
		t.Fatal(err)
	}
	return recs, next
}

func ids(t *testing.T, recs []json.RawMessage, field string) []string {
	t.Helper()
	var out []string
	for _, r := range recs {
		out = append(out, str(t, r, field))
	}
	return out
}

func ghlPollRows() []row {
	return []row{
		{id: "ghl.contact.updated.poll", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "first poll", count(t, out, "records"), 2)
			if _, err := b.ghl.UserUpdateContact(b.vars["contact"], func(c *ghlsandbox.Contact) { c.City = "Oslo" }); err != nil {
				t.Fatal(err)
			}
			recs, next := pollAgain(t, b, out)
			if got := ids(t, recs, "id"); !slices.Equal(got, []string{b.vars["contact"]}) {
				t.Errorf("second poll %v, want the updated contact only", got)
			}
			if next == str(t, out, "next") {
				t.Error("cursor did not move")
			}
		}},
		{id: "ghl.contact.created.poll", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "first poll", count(t, out, "records"), 2)
			if _, err := b.ghl.UserUpdateContact(b.vars["contact"], func(c *ghlsandbox.Contact) { c.City = "Oslo" }); err != nil {
				t.Fatal(err)
			}
			c, err := b.ghl.UserCreateContact(ghlsandbox.Contact{FirstName: "Grace", Email: "grace@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := pollAgain(t, b, out)
			if got := ids(t, recs, "id"); !slices.Equal(got, []string{c.ID}) {
				t.Errorf("second poll %v, want only the new contact %s", got, c.ID)
			}
		}},
		{id: "ghl.task.updated.poll", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "first poll", count(t, out, "records"), 2)
			if _, err := b.ghl.UserCompleteTask(b.vars["task"]); err != nil {
				t.Fatal(err)
			}
			recs, next := pollAgain(t, b, out)
			if got := ids(t, recs, "id"); !slices.Equal(got, []string{b.vars["task"]}) {
				t.Fatalf("second poll %v, want the completed task", got)
			}
			wantEq(t, "completed", get(t, recs[0], "completed"), any(true))
			e, _ := b.cat.Get("ghl.task.updated.poll")
			recs, _, _, err := e.Poll(context.Background(), b.clients, "ghl", next)
			if err != nil || len(recs) != 0 {
				t.Errorf("third poll: %d records, %v; want none", len(recs), err)
			}
		}},
		{id: "ghl.location.custom_field.updated.poll", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "first poll", count(t, out, "records"), 1)
			f, err := b.ghl.AddCustomField(b.loc, ghlsandbox.CustomField{Name: "Territory", DataType: "TEXT"})
			if err != nil {
				t.Fatal(err)
			}
			recs, _ := pollAgain(t, b, out)
			if got := ids(t, recs, "id"); !slices.Equal(got, []string{f.ID}) {
				t.Errorf("second poll %v, want the new field", got)
			}
		}},
		{id: "ghl.location.tag.created.poll", check: func(t *testing.T, b *bundle, out json.RawMessage) {
			wantEq(t, "first poll", count(t, out, "records"), 1)
			if _, err := b.ghl.UserAddTag(b.vars["contact2"], "wholesale"); err != nil {
				t.Fatal(err)
			}
			recs, _ := pollAgain(t, b, out)
			if got := ids(t, recs, "name"); !slices.Equal(got, []string{"wholesale"}) {
				t.Errorf("second poll %v, want the new tag", got)
			}
		}},
	}
}
