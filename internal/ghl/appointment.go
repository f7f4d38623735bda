package ghl

import (
	"context"
	"fmt"
)

// Appointment is a calendar event: the flat answer of create/edit
// (AppointmentSchemaResponse), a CalendarEventDTO from get/list, a contact's
// appointment (GetEventSchema) or the `appointment` of an Appointment* webhook.
// Times are strings as HighLevel sends them: ISO-8601 with offset, or
// "2021-07-16 11:00:00" in a contact's appointment list.
type Appointment struct {
	ID                  string   `json:"id,omitzero"`
	CalendarID          string   `json:"calendarId,omitzero"`
	LocationID          string   `json:"locationId,omitzero"`
	ContactID           string   `json:"contactId,omitzero"`
	GroupID             string   `json:"groupId,omitzero"`
	Title               string   `json:"title,omitzero"`
	Status              string   `json:"status,omitzero"`
	AppointmentStatus   string   `json:"appointmentStatus,omitzero"`
	AssignedUserID      string   `json:"assignedUserId,omitzero"`
	Users               []string `json:"users,omitzero"`
	Notes               string   `json:"notes,omitzero"`
	Description         string   `json:"description,omitzero"`
	Address             string   `json:"address,omitzero"`
	MeetingLocationType string   `json:"meetingLocationType,omitzero"`
	Source              string   `json:"source,omitzero"`
	StartTime           string   `json:"startTime,omitzero"`
	EndTime             string   `json:"endTime,omitzero"`
	DateAdded           string   `json:"dateAdded,omitzero"`
	DateUpdated         string   `json:"dateUpdated,omitzero"`
	IsRecurring         bool     `json:"isRecurring,omitzero"`
	RRule               string   `json:"rrule,omitzero"`
	// MasterEventID is the series id when this is an instance of a recurring event.
	MasterEventID     string     `json:"masterEventId,omitzero"`
	AssignedResources []string   `json:"assignedResources,omitzero"`
	CreatedBy         *CreatedBy `json:"createdBy,omitzero"`
}

// CreatedBy says who or what booked an appointment.
type CreatedBy struct {
	UserID string `json:"userId,omitzero"`
	Source string `json:"source,omitzero"`
}

// Appointment statuses accepted in requests.
const (
	AppointmentNew       = "new"
	AppointmentConfirmed = "confirmed"
	AppointmentCancelled = "cancelled"
	AppointmentShowed    = "showed"
	AppointmentNoShow    = "noshow"
	AppointmentInvalid   = "invalid"
)

// AppointmentFields are the writable appointment fields shared by create and
// update.
type AppointmentFields struct {
	Title string `json:"title,omitzero"`
	// MeetingLocationType is custom, zoom, gmeet, phone, address, ms_teams or google.
	MeetingLocationType    string `json:"meetingLocationType,omitzero"`
	MeetingLocationID      string `json:"meetingLocationId,omitzero"`
	OverrideLocationConfig *bool  `json:"overrideLocationConfig,omitzero"`
	// AppointmentStatus is one of the Appointment* status constants.
	AppointmentStatus string `json:"appointmentStatus,omitzero"`
	AssignedUserID    string `json:"assignedUserId,omitzero"`
	Description       string `json:"description,omitzero"`
	Address           string `json:"address,omitzero"`
	// IgnoreDateRange skips the minimum scheduling notice and date range.
	IgnoreDateRange *bool `json:"ignoreDateRange,omitzero"`
	// ToNotify sends the calendar's notifications.
	ToNotify *bool `json:"toNotify,omitzero"`
	// IgnoreFreeSlotValidation books outside free slots.
	IgnoreFreeSlotValidation *bool `json:"ignoreFreeSlotValidation,omitzero"`
	// RRule is an RFC 5545 rule; applied only with IgnoreFreeSlotValidation.
	RRule string `json:"rrule,omitzero"`
	// StartTime and EndTime are ISO-8601 with offset, e.g. "2021-06-23T03:30:00+05:30".
	StartTime string `json:"startTime,omitzero"`
	EndTime   string `json:"endTime,omitzero"`
}

// CreateAppointmentRequest is the body of POST /calendars/events/appointments.
type CreateAppointmentRequest struct {
	AppointmentFields
	CalendarID string `json:"calendarId"`
	// LocationID defaults to the client's location.
	LocationID string `json:"locationId"`
	ContactID  string `json:"contactId"`
}

// UpdateAppointmentRequest is the body of PUT /calendars/events/appointments/{eventId}.
type UpdateAppointmentRequest struct {
	AppointmentFields
	CalendarID string `json:"calendarId,omitzero"`
}

// CreateAppointment books an appointment for a contact.
func (c *Client) CreateAppointment(ctx context.Context, r CreateAppointmentRequest) (*Appointment, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: create appointment: %w", err)
		}
		r.LocationID = loc
	}
	var out Appointment
	if err := c.do(ctx, request{op: OpCreateAppointment, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: create appointment: %w", err)
	}
	return &out, nil
}

// UpdateAppointment changes an appointment. eventID may be an instance id of
// a recurring series; pass the series' MasterEventID to change the series.
func (c *Client) UpdateAppointment(ctx context.Context, eventID string, r UpdateAppointmentRequest) (*Appointment, error) {
	var out Appointment
	if err := c.do(ctx, request{op: OpUpdateAppointment, params: []string{eventID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: update appointment %s: %w", eventID, err)
	}
	return &out, nil
}

// GetAppointment returns an appointment.
func (c *Client) GetAppointment(ctx context.Context, eventID string) (*Appointment, error) {
	var out struct {
		Event Appointment `json:"event"`
	}
	if err := c.do(ctx, request{op: OpGetAppointment, params: []string{eventID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: get appointment %s: %w", eventID, err)
	}
	return &out.Event, nil
}

// DeleteEvent deletes an appointment or a blocked slot.
func (c *Client) DeleteEvent(ctx context.Context, eventID string) error {
	if err := c.do(ctx, request{op: OpDeleteEvent, params: []string{eventID}, body: struct{}{}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: delete event %s: %w", eventID, err)
	}
	return nil
}

// ListContactAppointments returns a contact's appointments.
func (c *Client) ListContactAppointments(ctx context.Context, contactID string) ([]Appointment, error) {
	var out struct {
		Events []Appointment `json:"events"`
	}
	if err := c.do(ctx, request{op: OpListContactAppointments, params: []string{contactID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list appointments of contact %s: %w", contactID, err)
	}
	return out.Events, nil
}
