package automation_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// contactByCode finds the sandbox contact whose Repsly code field is code.
func (b *bundle) contactByCode(code string) (ghlsandbox.Contact, bool) {
	for _, c := range b.env.GHL.LocationContacts(sandbox.LocationID) {
		for _, cf := range c.CustomFields {
			if cf.ID == sandbox.CodeFieldID && cf.Value == code {
				return c, true
			}
		}
	}
	return ghlsandbox.Contact{}, false
}

// pair makes a Repsly client of rep and its HighLevel contact (the code
// field set, as the sync or a user leaves it).
func (b *bundle) pair(code, name string) ghlsandbox.Contact {
	b.t.Helper()
	b.client(repslysandbox.Client{Code: code, Name: name, Email: strings.ToLower(code) + "@shop.example", Country: "US"})
	return b.contact(ghlsandbox.Contact{FirstName: "Pat", LastName: name, Email: strings.ToLower(code) + "@shop.example"}, code)
}

// noteBodies returns the bodies of a contact's notes.
func (b *bundle) noteBodies(contactID string) []string {
	var out []string
	for _, n := range b.env.GHL.Notes(contactID) {
		out = append(out, n.Body)
	}
	return out
}

// schedule returns the Repsly schedule with the code.
func (b *bundle) schedule(code string) (repslysandbox.Schedule, bool) {
	for _, s := range b.env.Repsly.Schedules() {
		if s.ScheduleCode == code {
			return s, true
		}
	}
	return repslysandbox.Schedule{}, false
}

// actions lists "key action" for every run record of the flow.
func (b *bundle) actions(name string) []string {
	var out []string
	for _, r := range b.runs(name) {
		for _, rec := range r.Records {
			out = append(out, rec.RecordKey+" "+rec.Action)
		}
	}
	return out
}

func containsText(list []string, sub string) bool {
	return slices.ContainsFunc(list, func(s string) bool { return strings.Contains(s, sub) })
}

// TestTemplates runs each automation template, instantiated with its
// defaults, end to end against the sandboxes: the record a user makes in
// one app reaches the other through a poll page or a webhook delivery.
func TestTemplates(t *testing.T) {
	t.Parallel()
	tests := []struct {
		template string
		run      func(t *testing.T, b *bundle)
	}{
		{"repsly-client-to-ghl-contact", func(t *testing.T, b *bundle) {
			b.apply("repsly-client-to-ghl-contact", "f", nil)
			b.client(repslysandbox.Client{Code: "C-100", Name: "Main St Market", Email: "Store@Example.com", Phone: "617-555-0100",
				Country: "USA", ContactName: "Bo Van Chan", Tag: "grocery", Territory: "East>Boston"})
			b.poll("f")
			c, ok := b.contactByCode("C-100")
			if !ok {
				t.Fatalf("no contact has code C-100; run records %v", b.actions("f"))
			}
			if c.Email != "store@example.com" || c.FirstName != "Bo Van" || c.LastName != "Chan" || c.Phone != "+16175550100" {
				t.Errorf("contact = %+v", c)
			}
			for _, tag := range []string{"repsly", "grocery", "territory:east>boston"} {
				if !slices.Contains(c.Tags, tag) {
					t.Errorf("tags %v lack %q", c.Tags, tag)
				}
			}
			// A deactivated client tags its contact (on_deactivate: tag), found by its code.
			if _, err := b.env.Repsly.RepDeactivateClient("C-100"); err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			c2, _ := b.env.GHL.Contact(c.ID)
			if !slices.Contains(c2.Tags, "repsly-inactive") {
				t.Errorf("deactivated client's contact tags = %v", c2.Tags)
			}
			if n := len(b.env.GHL.LocationContacts(sandbox.LocationID)); n != 1 {
				t.Errorf("%d contacts, want 1", n)
			}
		}},
		{"ghl-lead-to-repsly-client", func(t *testing.T, b *bundle) {
			b.apply("ghl-lead-to-repsly-client", "f", nil)
			lead := b.contact(ghlsandbox.Contact{FirstName: "John", LastName: "Deo", CompanyName: "Deo Hardware", Email: "JohnDeo@Example.com"}, "")
			b.deliver("ContactCreate")
			code := "GHL-" + lead.ID
			cl, ok := b.env.Repsly.Client(code)
			if !ok {
				t.Fatalf("no Repsly client %s; run records %v", code, b.actions("f"))
			}
			if cl.Name != "Deo Hardware" || cl.ContactName != "John Deo" || cl.Email != "johndeo@example.com" {
				t.Errorf("client = %+v", cl)
			}
			if c, ok := b.contactByCode(code); !ok || c.ID != lead.ID {
				t.Errorf("the lead does not carry its client code %s", code)
			}
			// A contact made from a Repsly client already has a code: left alone.
			b.contact(ghlsandbox.Contact{FirstName: "Shop", Email: "shop@example.com"}, "C-1")
			b.deliver("ContactCreate")
			if n := len(b.env.Repsly.Clients()); n != 1 {
				t.Errorf("%d Repsly clients, want 1", n)
			}
		}},
		{"repsly-client-notes-to-ghl-notes", func(t *testing.T, b *bundle) {
			b.apply("repsly-client-notes-to-ghl-notes", "f", nil)
			c := b.pair("C-400", "Corner Deli")
			if _, err := b.env.Repsly.RepAddNote(rep, "C-400", "Wants the new flavours"); err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			notes := b.noteBodies(c.ID)
			if len(notes) != 1 || !strings.Contains(notes[0], "Repsly note by") || !strings.Contains(notes[0], "Wants the new flavours") {
				t.Errorf("notes = %q; run records %v", notes, b.actions("f"))
			}
			b.poll("f") // nothing new: no second note
			if n := len(b.noteBodies(c.ID)); n != 1 {
				t.Errorf("%d notes after a second poll, want 1", n)
			}
		}},
		{"repsly-visits-to-ghl-notes", func(t *testing.T, b *bundle) {
			b.apply("repsly-visits-to-ghl-notes", "f", nil)
			c := b.pair("C-500", "Corner Deli")
			end := time.Now().UTC().Truncate(time.Minute)
			if _, err := b.env.Repsly.RepAddVisit(rep, "C-500", end.Add(-25*time.Minute), end); err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			notes := b.noteBodies(c.ID)
			if len(notes) != 1 || !strings.Contains(notes[0], "Visit by") || !strings.Contains(notes[0], "25 min") {
				t.Errorf("notes = %q; run records %v", notes, b.actions("f"))
			}
		}},
		{"repsly-schedules-to-ghl-appointments", func(t *testing.T, b *bundle) {
			cal := b.env.GHL.Locations()[0].Calendars[0].ID
			b.apply("repsly-schedules-to-ghl-appointments", "f", map[string]string{"calendar_id": cal})
			// With every default, the calendar id is a placeholder HighLevel
			// refuses: the record is an error in history, and the cursor
			// moves on.
			b.apply("repsly-schedules-to-ghl-appointments", "defaults", nil)
			c := b.pair("C-600", "Corner Deli")
			at := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
			if _, err := b.env.Repsly.RepScheduleVisit(rep, "C-600", at, "Bring samples"); err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			var got []ghlsandbox.Appointment
			for _, a := range b.env.GHL.Appointments(sandbox.LocationID) {
				if a.ContactID == c.ID {
					got = append(got, a)
				}
			}
			if len(got) != 1 || !got[0].StartTime.Equal(at) || got[0].Title != "Repsly visit: Corner Deli" || got[0].CalendarID != cal {
				t.Errorf("appointments = %+v; run records %v", got, b.actions("f"))
			}
			b.poll("defaults")
			if acts := b.actions("defaults"); len(acts) != 1 || !strings.HasSuffix(acts[0], " error") {
				t.Errorf("defaults flow run records = %v, want one error", acts)
			}
			b.poll("defaults")
			if acts := b.actions("defaults"); len(acts) != 1 {
				t.Errorf("the failed record came again: %v", acts)
			}
		}},
		{"ghl-appointment-to-repsly-schedule", func(t *testing.T, b *bundle) {
			b.apply("ghl-appointment-to-repsly-schedule", "f", nil)
			c := b.pair("C-700", "Corner Deli")
			start := time.Now().UTC().Add(72 * time.Hour).Truncate(time.Hour)
			a, err := b.env.GHL.UserCreateAppointment(ghlsandbox.Appointment{ContactID: c.ID, StartTime: start, EndTime: start.Add(45 * time.Minute), Title: "Tasting"})
			if err != nil {
				t.Fatal(err)
			}
			b.deliver("AppointmentCreate")
			s, ok := b.schedule("GHL-" + a.ID)
			if !ok {
				t.Fatalf("no Repsly schedule GHL-%s; run records %v", a.ID, b.actions("f"))
			}
			if s.ClientCode != "C-700" || s.UserID != rep || s.ScheduledDuration != 45 || !strings.Contains(s.VisitNote, "Tasting") {
				t.Errorf("schedule = %+v", s)
			}
		}},
		{"ghl-tag-to-repsly-visit", func(t *testing.T, b *bundle) {
			b.apply("ghl-tag-to-repsly-visit", "f", nil)
			c := b.pair("C-800", "Corner Deli")
			if _, err := b.env.GHL.UserAddTag(c.ID, "visit-requested"); err != nil {
				t.Fatal(err)
			}
			b.deliver("ContactTagUpdate")
			s, ok := b.schedule("GHL-TAG-" + c.ID)
			if !ok {
				t.Fatalf("no Repsly schedule GHL-TAG-%s; run records %v", c.ID, b.actions("f"))
			}
			if s.ClientCode != "C-800" || s.UserID != rep {
				t.Errorf("schedule = %+v", s)
			}
			if c2, _ := b.env.GHL.Contact(c.ID); slices.Contains(c2.Tags, "visit-requested") {
				t.Errorf("the tag was not removed: %v", c2.Tags)
			}
		}},
		{"ghl-task-to-repsly-visit", func(t *testing.T, b *bundle) {
			b.apply("ghl-task-to-repsly-visit", "f", nil)
			c := b.pair("C-900", "Corner Deli")
			due := time.Date(2031, 5, 6, 15, 0, 0, 0, time.UTC)
			task, err := b.env.GHL.UserCreateTask(c.ID, ghlsandbox.Task{Title: "Visit the store about the endcap", Body: "Bring two displays", DueDate: due})
			if err != nil {
				t.Fatal(err)
			}
			b.deliver("TaskCreate")
			s, ok := b.schedule("GHL-TASK-" + task.ID)
			if !ok {
				t.Fatalf("no Repsly schedule GHL-TASK-%s; run records %v", task.ID, b.actions("f"))
			}
			if s.ClientCode != "C-900" || s.ScheduledDate != "2031-05-06" || s.VisitNote != "Visit the store about the endcap: Bring two displays" {
				t.Errorf("schedule = %+v", s)
			}
		}},
		{"repsly-orders-to-ghl", func(t *testing.T, b *bundle) {
			b.apply("repsly-orders-to-ghl", "f", nil)
			c := b.pair("C-1000", "Corner Deli")
			p := b.env.Repsly.Products()[0]
			o, err := b.env.Repsly.RepAddOrder(rep, "C-1000", []repslysandbox.OrderItem{{ProductCode: p.Code, Quantity: 3}})
			if err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			notes := b.noteBodies(c.ID)
			if len(notes) != 1 || !strings.Contains(notes[0], o.DocumentNo) || !strings.Contains(notes[0], "3 x "+p.Name) {
				t.Errorf("notes = %q; run records %v", notes, b.actions("f"))
			}
		}},
		{"repsly-forms-to-ghl", func(t *testing.T, b *bundle) {
			b.apply("repsly-forms-to-ghl", "f", nil)
			c := b.pair("C-1100", "Corner Deli")
			if _, err := b.env.Repsly.RepAddForm(rep, "C-1100", "Store audit", []repslysandbox.FormItem{{Field: "Endcap stocked?", Value: "No"}}); err != nil {
				t.Fatal(err)
			}
			b.poll("f")
			notes := b.noteBodies(c.ID)
			if len(notes) != 1 || !strings.Contains(notes[0], "Store audit by") || !strings.Contains(notes[0], "Endcap stocked?: No") {
				t.Errorf("notes = %q; run records %v", notes, b.actions("f"))
			}
		}},
	}
	all, err := flow.Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tmpl := range all {
		if tmpl.Kind == flow.KindSync {
			continue
		}
		if !slices.ContainsFunc(tests, func(tc struct {
			template string
			run      func(t *testing.T, b *bundle)
		}) bool {
			return tc.template == tmpl.ID
		}) {
			t.Errorf("template %s has no end-to-end test", tmpl.ID)
		}
	}
	for _, tc := range tests {
		t.Run(tc.template, func(t *testing.T) {
			t.Parallel()
			tc.run(t, setup(t))
		})
	}
}

// TestSyncTemplates checks that the sync templates, which the sync engine
// runs, load with their defaults and make an engine spec; the runner
// leaves them alone.
func TestSyncTemplates(t *testing.T) {
	t.Parallel()
	all, err := flow.Templates()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, tmpl := range all {
		if tmpl.Kind != flow.KindSync {
			continue
		}
		n++
		t.Run(tmpl.ID, func(t *testing.T) {
			t.Parallel()
			prog, err := tmpl.Instantiate("", nil, flow.Options{})
			if err != nil {
				t.Fatal(err)
			}
			sf, err := app.SpecFromProgram(prog)
			if err != nil {
				t.Fatal(err)
			}
			if sf.RepslyConn != "repsly" || sf.GHLConn != "ghl" || sf.Spec.ToGHL == nil {
				t.Errorf("spec = %+v", sf)
			}
			b := setup(t)
			b.apply(tmpl.ID, "sync", nil)
			more, err := b.runner.PollPage(b.ctx, "sync", 1)
			if err != nil || more {
				t.Errorf("PollPage of a sync flow = %t, %v; want nothing done", more, err)
			}
			if runs := b.runs("sync"); len(runs) != 0 {
				t.Errorf("runs of a sync flow: %+v", runs)
			}
		})
	}
	if n == 0 {
		t.Error("no sync template")
	}
}
