package catalog

import (
	"fmt"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// WebhookEvent is the delivery envelope in a webhook trigger's record:
// webhookId identifies a delivery (a redelivery repeats it).
type WebhookEvent struct {
	Type       string `json:"type"`
	LocationID string `json:"locationId,omitempty"`
	WebhookID  string `json:"webhookId,omitempty"`
	Timestamp  string `json:"timestamp,omitempty"`
}

// Records of the webhook triggers: the envelope and the object the event is
// about.
type (
	ContactEventRecord struct {
		Event   WebhookEvent `json:"event"`
		Contact ghl.Contact  `json:"contact"`
	}
	NoteEventRecord struct {
		Event WebhookEvent `json:"event"`
		Note  ghl.Note     `json:"note"`
	}
	TaskEventRecord struct {
		Event WebhookEvent `json:"event"`
		Task  ghl.Task     `json:"task"`
	}
	AppointmentEventRecord struct {
		Event       WebhookEvent    `json:"event"`
		Appointment ghl.Appointment `json:"appointment"`
	}
)

// webhookNote is said of every webhook trigger.
const webhookNote = " HighLevel does not retry a delivery answered with a 5xx or a timeout; Fieldbridge's reconcile poll catches what is lost."

func ghlWebhookTriggers() []*Entry {
	const (
		contacts = "contacts.readonly"
		events   = "calendars/events.readonly"
	)
	type def struct {
		id, event, title, desc, scope string
	}
	defs := []def{
		{"ghl.contact.created", ghl.EventContactCreate, "Contact created", "Fires when a contact is created in the location, by a user, a form, an import or the API.", contacts},
		{"ghl.contact.updated", ghl.EventContactUpdate, "Contact updated", "Fires when a contact's fields change. Adding a file fires nothing (highlevel-api-docs#324), and neither does a contact's own inbound DND change (#264).", contacts},
		{"ghl.contact.deleted", ghl.EventContactDelete, "Contact deleted", "Fires when a contact is deleted; the record is the contact as it was. Deletes reach Fieldbridge only this way: no API lists deleted contacts.", contacts},
		{"ghl.contact.tags_updated", ghl.EventContactTagUpdate, "Contact tags changed", "Fires when tags are added to or removed from a contact; the record carries the tags afterwards.", contacts},
		{"ghl.contact.dnd_updated", ghl.EventContactDndUpdate, "Contact do-not-disturb changed", "Fires when a contact's do-not-disturb settings change through the app or the API (not when the contact opts out inbound).", contacts},
		{"ghl.note.created", ghl.EventNoteCreate, "Note added", "Fires when a note is added to a contact.", contacts},
		{"ghl.note.updated", ghl.EventNoteUpdate, "Note changed", "Fires when a contact note is edited.", contacts},
		{"ghl.note.deleted", ghl.EventNoteDelete, "Note deleted", "Fires when a contact note is deleted.", contacts},
		{"ghl.task.created", ghl.EventTaskCreate, "Task created", "Fires when a task is created. The payload may lack contactId (highlevel-api-docs#332).", contacts},
		{"ghl.task.completed", ghl.EventTaskComplete, "Task completed", "Fires when a task is marked completed. There is no event for other task edits or reopening: use ghl.task.updated.poll.", contacts},
		{"ghl.task.deleted", ghl.EventTaskDelete, "Task deleted", "Fires when a task is deleted.", contacts},
		{"ghl.appointment.created", ghl.EventAppointmentCreate, "Appointment booked", "Fires when an appointment is booked for a contact.", events},
		{"ghl.appointment.updated", ghl.EventAppointmentUpdate, "Appointment changed", "Fires when an appointment is rescheduled, its status changes (confirmed, cancelled, showed, noshow) or it is edited.", events},
		{"ghl.appointment.deleted", ghl.EventAppointmentDelete, "Appointment deleted", "Fires when an appointment is deleted.", events},
	}
	outputs := map[string][]byte{
		"Contact":     outputOf[ContactEventRecord](),
		"Note":        outputOf[NoteEventRecord](),
		"Task":        outputOf[TaskEventRecord](),
		"Appointment": outputOf[AppointmentEventRecord](),
	}
	out := make([]*Entry, 0, len(defs))
	for _, d := range defs {
		var kind string
		for _, k := range []string{"Contact", "Note", "Task", "Appointment"} {
			if strings.HasPrefix(d.event, k) {
				kind = k
			}
		}
		event := d.event
		out = append(out, webhookTrigger(spec{id: d.id, app: AppGHL, title: d.title,
			desc:   d.desc + " Webhook event " + d.event + "." + webhookNote,
			scopes: []string{d.scope}, output: outputs[kind]}, event,
			func(body []byte) (any, error) { return decodeEvent(event, body) }))
	}
	return out
}

// decodeEvent parses a delivery and refuses one of another type.
func decodeEvent(want string, body []byte) (any, error) {
	ev, err := ghl.ParseEvent(body)
	if err != nil {
		return nil, err
	}
	env := ev.EventEnvelope()
	if env.Type != want {
		return nil, fmt.Errorf("%w: delivery is a %s event, not %s", ErrWrongKind, env.Type, want)
	}
	meta := WebhookEvent{Type: env.Type, LocationID: env.LocationID, WebhookID: env.WebhookID}
	if !env.Timestamp.IsZero() {
		meta.Timestamp = env.Timestamp.UTC().Format(time.RFC3339Nano)
	}
	switch e := ev.(type) {
	case *ghl.ContactEvent:
		return ContactEventRecord{Event: meta, Contact: e.Contact}, nil
	case *ghl.NoteEvent:
		return NoteEventRecord{Event: meta, Note: e.Note}, nil
	case *ghl.TaskEvent:
		return TaskEventRecord{Event: meta, Task: e.Task}, nil
	case *ghl.AppointmentEvent:
		return AppointmentEventRecord{Event: meta, Appointment: e.Appointment}, nil
	}
	return nil, fmt.Errorf("%w: %s events have no record here", ErrWrongKind, env.Type)
}
