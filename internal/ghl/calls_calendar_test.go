package ghl

import (
	"context"
	"net/url"
	"testing"
	"time"
)

// calendarCallCases covers the calendar-event operations.
func calendarCallCases() []callCase {
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	end := start.Add(7 * 24 * time.Hour)
	return []callCase{
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
	}
}
