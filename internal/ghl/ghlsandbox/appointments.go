package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

var (
	appointmentStatuses  = []string{"new", "confirmed", "cancelled", "showed", "noshow", "invalid"}
	meetingLocationTypes = []string{"custom", "zoom", "gmeet", "phone", "address", "ms_teams", "google"}
)

func appointmentShape(create bool) shape {
	sh := shape{
		{name: "title"},
		{name: "meetingLocationType", enum: meetingLocationTypes},
		{name: "meetingLocationId"},
		{name: "overrideLocationConfig", kind: kBool},
		{name: "appointmentStatus", enum: appointmentStatuses},
		{name: "assignedUserId"},
		{name: "description"},
		{name: "address"},
		{name: "ignoreDateRange", kind: kBool},
		{name: "toNotify", kind: kBool},
		{name: "ignoreFreeSlotValidation", kind: kBool},
		{name: "rrule"},
		{name: "calendarId", required: create},
		{name: "startTime", required: create, isoDate: true},
		{name: "endTime", isoDate: true},
	}
	if create {
		sh = append(sh, field{name: "locationId", required: true}, field{name: "contactId", required: true})
	}
	return sh
}

func appointmentNotFound(id string) error {
	return &notFoundError{msg: fmt.Sprintf("Appointment with id %s not found", id)}
}

func calendarOf(ls *locState, id string) (*Calendar, error) {
	for i := range ls.loc.Calendars {
		if ls.loc.Calendars[i].ID == id {
			return &ls.loc.Calendars[i], nil
		}
	}
	return nil, errBadRequest("Calendar with id %s not found", id)
}

// zone loads an IANA time zone (UTC when unknown), once. Callers hold s.mu.
func (s *Server) zone(name string) *time.Location {
	if l, ok := s.zones[name]; ok {
		return l
	}
	l, err := time.LoadLocation(name)
	if err != nil {
		l = time.UTC
	}
	if s.zones == nil {
		s.zones = map[string]*time.Location{}
	}
	s.zones[name] = l
	return l
}

// isoOffset formats t in the calendar's zone, as appointment times are sent.
func (s *Server) isoOffset(t time.Time, tz string) string {
	return t.In(s.zone(tz)).Format("2006-01-02T15:04:05-07:00")
}

// slotFree reports whether [start, end) lies in the calendar's open hours
// (09:00-17:00 on weekdays) and overlaps no other live event of the
// calendar. Callers hold s.mu.
func (s *Server) slotFree(cal *Calendar, start, end time.Time, exceptID string) bool {
	local := start.In(s.zone(cal.Timezone))
	y, m, d := local.Date()
	open := time.Date(y, m, d, 9, 0, 0, 0, local.Location())
	closing := time.Date(y, m, d, 17, 0, 0, 0, local.Location())
	if wd := local.Weekday(); wd == time.Saturday || wd == time.Sunday || start.Before(open) || end.After(closing) {
		return false
	}
	for _, a := range s.appts {
		if a.ID != exceptID && a.CalendarID == cal.ID && a.Status != "cancelled" &&
			a.StartTime.Before(end) && start.Before(a.EndTime) {
			return false
		}
	}
	return true
}

// errSlotTaken is the answer for a booking outside the free slots.
func errSlotTaken() error {
	return errBadRequest("The slot you have selected is no longer available.")
}

// applyAppointmentInput writes bound properties into a; it returns whether
// free-slot validation was waived.
func applyAppointmentInput(a *Appointment, in input) (ignoreSlots bool) {
	for k, f := range map[string]*string{
		"title": &a.Title, "meetingLocationType": &a.MeetingLocationType, "meetingLocationId": &a.MeetingLocationID,
		"appointmentStatus": &a.Status, "assignedUserId": &a.AssignedUserID, "description": &a.Description,
		"address": &a.Address, "rrule": &a.RRule, "calendarId": &a.CalendarID,
	} {
		if v, ok := in.str(k); ok {
			*f = v
		}
	}
	if v, ok := in.str("startTime"); ok {
		t, _ := parseISOTime(v)
		dur := a.EndTime.Sub(a.StartTime)
		a.StartTime = t
		if !in.has("endTime") && dur > 0 {
			a.EndTime = t.Add(dur)
		}
	}
	if v, ok := in.str("endTime"); ok {
		a.EndTime, _ = parseISOTime(v)
	}
	ignoreSlots, _ = in.boolean("ignoreFreeSlotValidation")
	return ignoreSlots
}

// insertAppointment stores a and emits AppointmentCreate. Callers hold s.mu.
func (s *Server) insertAppointment(a *Appointment, now time.Time) {
	if a.ID == "" {
		a.ID = s.newID()
	}
	a.DateAdded, a.DateUpdated = now, now
	if a.Status == "" {
		a.Status = "confirmed"
	}
	if a.AssignedUserID != "" && !slices.Contains(a.Users, a.AssignedUserID) {
		a.Users = append(a.Users, a.AssignedUserID)
	}
	s.appts[a.ID] = a
	if !a.Blocked {
		s.emit("AppointmentCreate", a.LocationID, appointmentEvent(s, a))
	}
}

func (s *Server) appointmentFor(c *call, id string, blocked bool) (*Appointment, *locState, error) {
	a, ok := s.appts[id]
	if !ok || a.Blocked != blocked {
		return nil, nil, appointmentNotFound(id)
	}
	ls, err := s.needLocation(c, a.LocationID)
	if err != nil {
		return nil, nil, err
	}
	return a, ls, nil
}

// POST /calendars/events/appointments (create-appointment): 200, the
// appointment flat (AppointmentSchemaResponse), not wrapped.
func (s *Server) hCreateAppointment(c *call) (int, any, error) {
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	contactID, _ := c.in.str("contactId")
	ct, ok := s.contacts[contactID]
	if !ok || ct.LocationID != locID {
		return 0, nil, contactNotFound(contactID)
	}
	a := &Appointment{LocationID: locID, ContactID: ct.ID, Source: "third_party"}
	ignore := applyAppointmentInput(a, c.in)
	cal, err := calendarOf(ls, a.CalendarID)
	if err != nil {
		return 0, nil, err
	}
	if !c.in.has("endTime") {
		a.EndTime = a.StartTime.Add(time.Duration(cal.SlotMinutes) * time.Minute)
	}
	a.GroupID = cal.GroupID
	if !ignore && !s.slotFree(cal, a.StartTime, a.EndTime, "") {
		return 0, nil, errSlotTaken()
	}
	if a.Title == "" {
		a.Title = "Appointment with " + ct.fullName()
	}
	s.insertAppointment(a, c.now)
	return http.StatusOK, appointmentResponseJSON(s, a), nil
}

// PUT /calendars/events/appointments/{eventId} (edit-appointment): 200.
func (s *Server) hEditAppointment(c *call) (int, any, error) {
	a, ls, err := s.appointmentFor(c, c.param("eventId"), false)
	if err != nil {
		return 0, nil, err
	}
	next := a.clone()
	ignore := applyAppointmentInput(&next, c.in)
	cal, err := calendarOf(ls, next.CalendarID)
	if err != nil {
		return 0, nil, err
	}
	moved := !next.StartTime.Equal(a.StartTime) || !next.EndTime.Equal(a.EndTime) || next.CalendarID != a.CalendarID
	if moved && !ignore && !s.slotFree(cal, next.StartTime, next.EndTime, a.ID) {
		return 0, nil, errSlotTaken()
	}
	s.updateAppointment(&next, c.now)
	return http.StatusOK, appointmentResponseJSON(s, &next), nil
}

// updateAppointment stores a changed appointment and emits
// AppointmentUpdate. Callers hold s.mu.
func (s *Server) updateAppointment(a *Appointment, now time.Time) {
	a.DateUpdated = now
	if a.AssignedUserID != "" && !slices.Contains(a.Users, a.AssignedUserID) {
		a.Users = append(a.Users, a.AssignedUserID)
	}
	s.appts[a.ID] = a
	if !a.Blocked {
		s.emit("AppointmentUpdate", a.LocationID, appointmentEvent(s, a))
	}
}

// GET /calendars/events/appointments/{eventId} (get-appointment): 200 {event}.
func (s *Server) hGetAppointment(c *call) (int, any, error) {
	a, _, err := s.appointmentFor(c, c.param("eventId"), false)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, obj{"event": calendarEventJSON(s, a)}, nil
}

// DELETE /calendars/events/{eventId} (delete-event): 201 {succeeded}, for
// appointments (AppointmentDelete) and blocked slots alike.
func (s *Server) hDeleteEvent(c *call) (int, any, error) {
	a, ok := s.appts[c.param("eventId")]
	if !ok {
		return 0, nil, appointmentNotFound(c.param("eventId"))
	}
	if _, err := s.needLocation(c, a.LocationID); err != nil {
		return 0, nil, err
	}
	s.deleteAppointment(a)
	return http.StatusCreated, obj{"succeeded": true}, nil
}

func (s *Server) deleteAppointment(a *Appointment) {
	delete(s.appts, a.ID)
	for id, n := range s.apptNotes {
		if n.AppointmentID == a.ID {
			delete(s.apptNotes, id)
		}
	}
	if !a.Blocked {
		s.emit("AppointmentDelete", a.LocationID, appointmentEvent(s, a))
	}
}

// GET /contacts/{contactId}/appointments (get-appointments-for-contact):
// 200 {events} in GetEventSchema, whose times the spec shows as
// "2021-07-16 11:00:00" (sent here in UTC).
func (s *Server) hContactAppointments(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	const layout = "2006-01-02 15:04:05"
	out := []obj{}
	for _, a := range s.sortedAppointments(ct.LocationID) {
		if a.ContactID != ct.ID {
			continue
		}
		status := "booked"
		if a.Status == "cancelled" {
			status = "cancelled"
		}
		m := obj{
			"id": a.ID, "calendarId": a.CalendarID, "status": status, "title": a.Title,
			"startTime": a.StartTime.UTC().Format(layout), "endTime": a.EndTime.UTC().Format(layout),
			"locationId": a.LocationID, "contactId": a.ContactID, "appointmentStatus": a.Status,
			"users": strList(a.Users), "assignedResources": []string{},
			"dateAdded": a.DateAdded.UTC().Format(layout), "dateUpdated": a.DateUpdated.UTC().Format(layout),
		}
		putStr(m, "assignedUserId", a.AssignedUserID)
		putStr(m, "notes", a.Notes)
		putStr(m, "address", a.Address)
		putStr(m, "groupId", a.GroupID)
		out = append(out, m)
	}
	return http.StatusOK, obj{"events": out}, nil
}

// sortedAppointments returns a location's events by start time. Callers
// hold s.mu.
func (s *Server) sortedAppointments(locationID string) []*Appointment {
	var out []*Appointment
	for _, a := range s.appts {
		if locationID == "" || a.LocationID == locationID {
			out = append(out, a)
		}
	}
	slices.SortFunc(out, func(a, b *Appointment) int {
		if c := a.StartTime.Compare(b.StartTime); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func (s *Server) calendarTZ(a *Appointment) string {
	if ls, ok := s.locs[a.LocationID]; ok {
		if cal, err := calendarOf(ls, a.CalendarID); err == nil {
			return cal.Timezone
		}
		return ls.loc.Timezone
	}
	return "UTC"
}

// appointmentResponseJSON is AppointmentSchemaResponse.
func appointmentResponseJSON(s *Server, a *Appointment) obj {
	tz := s.calendarTZ(a)
	m := obj{
		"id": a.ID, "calendarId": a.CalendarID, "locationId": a.LocationID, "contactId": a.ContactID,
		"startTime": s.isoOffset(a.StartTime, tz), "endTime": s.isoOffset(a.EndTime, tz),
		"title": a.Title, "appointmentStatus": a.Status, "isRecurring": a.RRule != "",
	}
	putStr(m, "meetingLocationType", a.MeetingLocationType)
	putStr(m, "assignedUserId", a.AssignedUserID)
	putStr(m, "address", a.Address)
	putStr(m, "rrule", a.RRule)
	return m
}

// calendarEventJSON is CalendarEventDTO; its required fields are always sent.
func calendarEventJSON(s *Server, a *Appointment) obj {
	tz := s.calendarTZ(a)
	m := obj{
		"id": a.ID, "title": a.Title, "calendarId": a.CalendarID, "locationId": a.LocationID,
		"contactId": a.ContactID, "groupId": a.GroupID, "appointmentStatus": a.Status,
		"assignedUserId": a.AssignedUserID, "users": strList(a.Users),
		"startTime": s.isoOffset(a.StartTime, tz), "endTime": s.isoOffset(a.EndTime, tz),
		"dateAdded": s.isoOffset(a.DateAdded, tz), "dateUpdated": s.isoOffset(a.DateUpdated, tz),
		"isRecurring": a.RRule != "", "assignedResources": []string{},
		"createdBy": obj{"source": a.Source},
	}
	putStr(m, "address", a.Address)
	putStr(m, "notes", a.Notes)
	putStr(m, "description", a.Description)
	putStr(m, "rrule", a.RRule)
	return m
}

// appointmentEvent is the payload of Appointment* webhooks: nested under
// "appointment" (reference §10).
func appointmentEvent(s *Server, a *Appointment) obj {
	tz := s.calendarTZ(a)
	ap := obj{
		"id": a.ID, "title": a.Title, "calendarId": a.CalendarID, "contactId": a.ContactID,
		"groupId": a.GroupID, "appointmentStatus": a.Status, "assignedUserId": a.AssignedUserID,
		"users": strList(a.Users), "source": a.Source,
		"startTime": s.isoOffset(a.StartTime, tz), "endTime": s.isoOffset(a.EndTime, tz),
		"dateAdded": s.isoOffset(a.DateAdded, tz), "dateUpdated": s.isoOffset(a.DateUpdated, tz),
	}
	putStr(ap, "address", a.Address)
	putStr(ap, "notes", a.Notes)
	return obj{"appointment": ap}
}
