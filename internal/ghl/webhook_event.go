package ghl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Webhook event types (the payload's `type`).
const (
	EventContactCreate     = "ContactCreate"
	EventContactUpdate     = "ContactUpdate"
	EventContactDelete     = "ContactDelete"
	EventContactTagUpdate  = "ContactTagUpdate"
	EventContactDndUpdate  = "ContactDndUpdate"
	EventNoteCreate        = "NoteCreate"
	EventNoteUpdate        = "NoteUpdate"
	EventNoteDelete        = "NoteDelete"
	EventTaskCreate        = "TaskCreate"
	EventTaskComplete      = "TaskComplete"
	EventTaskDelete        = "TaskDelete"
	EventAppointmentCreate = "AppointmentCreate"
	EventAppointmentUpdate = "AppointmentUpdate"
	EventAppointmentDelete = "AppointmentDelete"
	EventAppInstall        = "INSTALL"
	EventAppUninstall      = "UNINSTALL"
)

// ErrMalformedEvent is returned for a webhook body that is not a JSON object
// with a string `type`, or whose fields have the wrong JSON types.
var ErrMalformedEvent = errors.New("ghl: malformed webhook event")

// Envelope holds the fields every webhook delivery shares.
type Envelope struct {
	// Type is the event name, e.g. "ContactCreate".
	Type string `json:"type"`
	// LocationID is the sub-account the event happened in (absent in some
	// agency-level install events).
	LocationID string `json:"locationId,omitzero"`
	// WebhookID identifies the delivery; duplicates share it.
	WebhookID string `json:"webhookId,omitzero"`
	// Timestamp is when HighLevel sent the delivery (zero if absent).
	Timestamp EventTime `json:"timestamp,omitzero"`
}

// EventEnvelope returns the envelope; it makes every event an Event.
func (e Envelope) EventEnvelope() Envelope { return e }

// Event is a decoded webhook event: one of *ContactEvent, *NoteEvent,
// *TaskEvent, *AppointmentEvent, *AppEvent or *UnknownEvent.
type Event interface {
	EventEnvelope() Envelope
}

// ContactEvent is ContactCreate, ContactUpdate, ContactDelete,
// ContactTagUpdate or ContactDndUpdate: the contact after the change.
type ContactEvent struct {
	Envelope
	Contact Contact
}

// NoteEvent is NoteCreate, NoteUpdate or NoteDelete.
type NoteEvent struct {
	Envelope
	Note Note
}

// TaskEvent is TaskCreate, TaskComplete or TaskDelete. HighLevel sends no
// task-updated event, and the payload carries no `completed` field.
type TaskEvent struct {
	Envelope
	Task Task
}

// AppointmentEvent is AppointmentCreate, AppointmentUpdate or
// AppointmentDelete; the appointment is nested under `appointment`.
type AppointmentEvent struct {
	Envelope
	Appointment Appointment
}

// AppEvent is an app INSTALL or UNINSTALL event.
type AppEvent struct {
	Envelope
	AppID               string             `json:"appId"`
	VersionID           string             `json:"versionId,omitzero"`
	InstallType         string             `json:"installType,omitzero"`
	CompanyID           string             `json:"companyId,omitzero"`
	UserID              string             `json:"userId,omitzero"`
	PlanID              string             `json:"planId,omitzero"`
	CompanyName         string             `json:"companyName,omitzero"`
	IsWhitelabelCompany bool               `json:"isWhitelabelCompany,omitzero"`
	WhitelabelDetails   *WhitelabelDetails `json:"whitelabelDetails,omitzero"`
	Trial               *Trial             `json:"trial,omitzero"`
}

// WhitelabelDetails describes an installing white-label agency.
type WhitelabelDetails struct {
	Domain  string `json:"domain,omitzero"`
	LogoURL string `json:"logoUrl,omitzero"`
}

// Trial describes an app trial at install time.
type Trial struct {
	OnTrial        bool    `json:"onTrial"`
	TrialDuration  float64 `json:"trialDuration,omitzero"`
	TrialStartDate string  `json:"trialStartDate,omitzero"`
}

// UnknownEvent is any other event type; Raw holds the whole body.
type UnknownEvent struct {
	Envelope
	Raw json.RawMessage
}

// ParseEvent decodes a webhook body into its typed event. Unknown types give
// an *UnknownEvent, not an error. It does not check signatures: verify first.
func ParseEvent(body []byte) (Event, error) {
	env, err := parseEnvelope(body)
	if err != nil {
		return nil, err
	}
	var ev Event
	var target any
	switch env.Type {
	case EventContactCreate, EventContactUpdate, EventContactDelete, EventContactTagUpdate, EventContactDndUpdate:
		e := &ContactEvent{Envelope: env}
		ev, target = e, &e.Contact
	case EventNoteCreate, EventNoteUpdate, EventNoteDelete:
		e := &NoteEvent{Envelope: env}
		ev, target = e, &e.Note
	case EventTaskCreate, EventTaskComplete, EventTaskDelete:
		e := &TaskEvent{Envelope: env}
		ev, target = e, &e.Task
	case EventAppointmentCreate, EventAppointmentUpdate, EventAppointmentDelete:
		e := &AppointmentEvent{Envelope: env}
		ev = e
		target = &struct {
			Appointment *Appointment `json:"appointment"`
		}{&e.Appointment}
	case EventAppInstall, EventAppUninstall:
		e := &AppEvent{}
		ev, target = e, e
	default:
		return &UnknownEvent{Envelope: env, Raw: bytes.Clone(body)}, nil
	}
	if err := json.Unmarshal(body, target); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrMalformedEvent, env.Type, err)
	}
	if e, ok := ev.(*AppEvent); ok {
		e.Envelope = env
	}
	return ev, nil
}

// parseEnvelope reads the shared fields of a webhook body.
func parseEnvelope(body []byte) (Envelope, error) {
	var env Envelope
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return env, fmt.Errorf("%w: not a JSON object", ErrMalformedEvent)
	}
	if err := json.Unmarshal(trimmed, &env); err != nil {
		return env, fmt.Errorf("%w: %v", ErrMalformedEvent, err)
	}
	if env.Type == "" {
		return env, fmt.Errorf("%w: no type", ErrMalformedEvent)
	}
	return env, nil
}

// EventTime is a webhook timestamp. HighLevel documents ISO-8601 strings;
// epoch numbers (milliseconds, or seconds when small) are accepted too.
type EventTime struct {
	time.Time
}

// UnmarshalJSON implements json.Unmarshaler.
func (t *EventTime) UnmarshalJSON(b []byte) error {
	s := string(bytes.TrimSpace(b))
	if s == "null" || s == `""` {
		t.Time = time.Time{}
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return err
		}
		if n, err := strconv.ParseInt(str, 10, 64); err == nil {
			t.Time = epoch(n)
			return nil
		}
		parsed, err := time.Parse(time.RFC3339Nano, str)
		if err != nil {
			return fmt.Errorf("timestamp %q: %w", str, err)
		}
		t.Time = parsed
		return nil
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n > 1e15 {
		return fmt.Errorf("timestamp %s: not a time", s)
	}
	t.Time = epoch(int64(n))
	return nil
}

// MarshalJSON writes the time as RFC 3339 with milliseconds, as HighLevel does.
func (t EventTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return json.Marshal(t.UTC().Format("2006-01-02T15:04:05.000Z07:00"))
}

// epoch reads n as milliseconds, or as seconds when too small to be a
// millisecond timestamp after 2001.
func epoch(n int64) time.Time {
	if n < 1_000_000_000_000 {
		return time.Unix(n, 0).UTC()
	}
	return time.UnixMilli(n).UTC()
}
