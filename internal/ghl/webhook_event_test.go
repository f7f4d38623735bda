package ghl

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlspec"
)

// documentedExamples returns the example payloads of HighLevel's webhook
// docs, keyed by the doc's event name.
func documentedExamples(t *testing.T) map[string][]json.RawMessage {
	t.Helper()
	dir, err := ghlspec.FindDir()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "webhook-events.extracted.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]struct {
		Examples []json.RawMessage `json:"examples"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	out := make(map[string][]json.RawMessage)
	for name, ev := range doc {
		out[name] = ev.Examples
	}
	return out
}

func TestParseDocumentedExamples(t *testing.T) {
	t.Parallel()
	examples := documentedExamples(t)
	for _, name := range []string{EventContactCreate, EventContactUpdate, EventContactDelete, EventContactTagUpdate,
		EventContactDndUpdate, EventNoteCreate, EventNoteUpdate, EventNoteDelete, EventTaskCreate, EventTaskComplete,
		EventTaskDelete, EventAppointmentCreate, EventAppointmentUpdate, EventAppointmentDelete, "AppInstall", "AppUninstall"} {
		if len(examples[name]) == 0 {
			t.Errorf("no documented example for %s", name)
		}
	}
	for name, list := range examples {
		for i, body := range list {
			ev, err := ParseEvent(body)
			if err != nil {
				t.Errorf("%s example %d: %v", name, i, err)
				continue
			}
			var raw struct {
				Type string `json:"type"`
			}
			json.Unmarshal(body, &raw)
			if got := ev.EventEnvelope().Type; got != raw.Type {
				t.Errorf("%s example %d: type %q, payload says %q", name, i, got, raw.Type)
			}
			switch e := ev.(type) {
			case *ContactEvent:
				if e.Contact.ID == "" || e.LocationID == "" || e.Contact.Email == "" || len(e.Contact.CustomFields) == 0 {
					t.Errorf("%s example %d: contact %+v", name, i, e.Contact)
				}
			case *NoteEvent:
				if e.Note.ID == "" || e.Note.ContactID == "" || e.Note.Body == "" {
					t.Errorf("%s example %d: note %+v", name, i, e.Note)
				}
			case *TaskEvent:
				if e.Task.ID == "" || e.Task.ContactID == "" || e.Task.DueDate == "" {
					t.Errorf("%s example %d: task %+v", name, i, e.Task)
				}
			case *AppointmentEvent:
				if a := e.Appointment; a.ID == "" || a.ContactID == "" || a.CalendarID == "" || len(a.Users) != 2 || a.Source == "" {
					t.Errorf("%s example %d: appointment %+v", name, i, a)
				}
			case *AppEvent:
				if e.AppID == "" || (e.CompanyID == "" && e.LocationID == "") {
					t.Errorf("%s example %d: app event %+v", name, i, e)
				}
			default:
				t.Errorf("%s example %d decoded to %T", name, i, ev)
			}
		}
	}
}

func TestParseEventDetails(t *testing.T) {
	t.Parallel()
	examples := documentedExamples(t)
	ev, err := ParseEvent(examples[EventContactDndUpdate][0])
	if err != nil {
		t.Fatal(err)
	}
	c := ev.(*ContactEvent).Contact
	if c.DNDSettings == nil || c.DNDSettings.SMS.Status != "inactive" || c.DNDSettings.WhatsApp.Status != "active" || !c.DND {
		t.Errorf("dnd settings = %+v", c.DNDSettings)
	}
	if v, _ := c.CustomField("BcdmQEsNgz6AVpgLVUJ0"); v != "XYZ Corp" {
		t.Errorf("custom field = %v", v)
	}
	ev, err = ParseEvent(examples["AppInstall"][0])
	if err != nil {
		t.Fatal(err)
	}
	if app := ev.(*AppEvent); app.Type != EventAppInstall || app.Trial == nil || !app.Trial.OnTrial || app.WhitelabelDetails.Domain != "example.com" {
		t.Errorf("install = %+v", app)
	}
}

func TestParseEventEnvelope(t *testing.T) {
	t.Parallel()
	want := time.Date(2025, 1, 28, 14, 35, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string
		want time.Time
	}{
		{name: "iso", body: `{"type":"NoteCreate","webhookId":"w1","timestamp":"2025-01-28T14:35:00.000Z"}`, want: want},
		{name: "iso offset", body: `{"type":"NoteCreate","webhookId":"w1","timestamp":"2025-01-28T15:35:00+01:00"}`, want: want},
		{name: "epoch ms", body: `{"type":"NoteCreate","webhookId":"w1","timestamp":1738074900000}`, want: want},
		{name: "epoch s as string", body: `{"type":"NoteCreate","webhookId":"w1","timestamp":"1738074900"}`, want: want},
		{name: "absent", body: `{"type":"NoteCreate","webhookId":"w1"}`},
		{name: "null", body: `{"type":"NoteCreate","webhookId":"w1","timestamp":null}`},
	}
	for _, tt := range tests {
		ev, err := ParseEvent([]byte(tt.body))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		env := ev.EventEnvelope()
		if env.WebhookID != "w1" || !env.Timestamp.Equal(tt.want) {
			t.Errorf("%s: envelope = %+v, want timestamp %v", tt.name, env, tt.want)
		}
	}
}

func TestParseUnknownEvent(t *testing.T) {
	t.Parallel()
	body := `{"type":"OpportunityCreate","locationId":"loc","id":"o1","monetaryValue":100}`
	ev, err := ParseEvent([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	u, ok := ev.(*UnknownEvent)
	if !ok || u.Type != "OpportunityCreate" || u.LocationID != "loc" || string(u.Raw) != body {
		t.Fatalf("event = %#v", ev)
	}
}

func TestParseMalformedEvent(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		``, `null`, `[]`, `"ContactCreate"`, `{"type":""}`, `{"locationId":"x"}`, `{"type":7}`,
		`{"type":"ContactCreate","tags":"not-an-array"}`, `{"type":"AppointmentCreate","appointment":[]}`,
		`{"type":"TaskCreate","timestamp":"yesterday"}`, `{"type":"NoteCreate"`, "\xff\xfe",
	} {
		if _, err := ParseEvent([]byte(body)); !errors.Is(err, ErrMalformedEvent) {
			t.Errorf("ParseEvent(%q) = %v, want ErrMalformedEvent", body, err)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	f.Add([]byte(`{"type":"ContactCreate","locationId":"l","id":"c","customFields":[{"id":"x","value":[1,{"a":2}]}]}`))
	f.Add([]byte(`{"type":"AppointmentUpdate","appointment":{"id":"a","users":["u"]},"timestamp":1738074900000}`))
	f.Add([]byte(`{"type":"TaskComplete","timestamp":"2025-01-28T14:35:00Z","webhookId":"w"}`))
	f.Add([]byte(`{"type":"INSTALL","trial":{"onTrial":true}}`))
	f.Add([]byte(`{"type":"X","timestamp":-1e300}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := ParseEvent(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedEvent) {
				t.Fatalf("error %v is not ErrMalformedEvent", err)
			}
			return
		}
		if ev.EventEnvelope().Type == "" {
			t.Fatal("event without type")
		}
	})
}
