package ghlsandbox

import (
	"net/http"
	"strconv"
	"time"
)

var (
	eventsQuery = shape{
		{name: "locationId", required: true},
		{name: "userId"},
		{name: "calendarId"},
		{name: "groupId"},
		{name: "startTime", required: true},
		{name: "endTime", required: true},
	}
	blockSlotShape = shape{
		{name: "title"},
		{name: "calendarId"},
		{name: "assignedUserId"},
		{name: "locationId", required: true},
		{name: "startTime", isoDate: true},
		{name: "endTime", isoDate: true},
	}
	freeSlotsQuery = shape{
		{name: "startDate", kind: kNumber, required: true},
		{name: "endDate", kind: kNumber, required: true},
		{name: "timezone"},
		{name: "userId"},
		{name: "userIds", kind: kStrings},
	}
	deleteEventShape = shape{}
)

// epochQuery reads an epoch-milliseconds query value (sent as a string).
func epochQuery(q input, name string) (time.Time, error) {
	v, _ := q.str(name)
	ms, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return time.Time{}, errUnprocessable(name + " must be a number string")
	}
	return time.UnixMilli(ms), nil
}

// listEvents answers GET /calendars/events and GET /calendars/blocked-slots:
// 200 {events} overlapping [startTime, endTime].
func (s *Server) listEvents(c *call, blocked bool) (int, any, error) {
	locID, _ := c.q.str("locationId")
	if _, err := s.needLocation(c, locID); err != nil {
		return 0, nil, err
	}
	calID, _ := c.q.str("calendarId")
	userID, _ := c.q.str("userId")
	groupID, _ := c.q.str("groupId")
	if calID == "" && userID == "" && groupID == "" {
		return 0, nil, errBadRequest("Either of calendarId, userId or groupId is required")
	}
	from, err := epochQuery(c.q, "startTime")
	if err != nil {
		return 0, nil, err
	}
	to, err := epochQuery(c.q, "endTime")
	if err != nil {
		return 0, nil, err
	}
	out := []obj{}
	for _, a := range s.sortedAppointments(locID) {
		switch {
		case a.Blocked != blocked,
			calID != "" && a.CalendarID != calID,
			userID != "" && a.AssignedUserID != userID,
			groupID != "" && a.GroupID != groupID,
			!a.StartTime.Before(to) || !from.Before(a.EndTime):
			continue
		}
		out = append(out, calendarEventJSON(s, a))
	}
	return http.StatusOK, obj{"events": out}, nil
}

func (s *Server) hListEvents(c *call) (int, any, error)       { return s.listEvents(c, false) }
func (s *Server) hListBlockedSlots(c *call) (int, any, error) { return s.listEvents(c, true) }

func blockedSlotJSON(s *Server, a *Appointment) obj {
	tz := s.calendarTZ(a)
	m := obj{"id": a.ID, "locationId": a.LocationID, "title": a.Title,
		"startTime": s.isoOffset(a.StartTime, tz), "endTime": s.isoOffset(a.EndTime, tz)}
	putStr(m, "calendarId", a.CalendarID)
	putStr(m, "assignedUserId", a.AssignedUserID)
	return m
}

// POST /calendars/events/block-slots (create-block-slot): 201.
func (s *Server) hCreateBlockSlot(c *call) (int, any, error) {
	locID, _ := c.in.str("locationId")
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	a := &Appointment{LocationID: locID, Blocked: true, Status: "confirmed"}
	if err := s.applyBlockSlot(ls, a, c.in); err != nil {
		return 0, nil, err
	}
	s.insertAppointment(a, c.now)
	return http.StatusCreated, blockedSlotJSON(s, a), nil
}

// PUT /calendars/events/block-slots/{eventId} (edit-block-slot): 201 (sic).
func (s *Server) hEditBlockSlot(c *call) (int, any, error) {
	a, ls, err := s.appointmentFor(c, c.param("eventId"), true)
	if err != nil {
		return 0, nil, err
	}
	next := a.clone()
	if err := s.applyBlockSlot(ls, &next, c.in); err != nil {
		return 0, nil, err
	}
	s.updateAppointment(&next, c.now)
	return http.StatusCreated, blockedSlotJSON(s, &next), nil
}

// applyBlockSlot reads a block-slot body: a calendarId or an assignedUserId
// (one of them, per the docs), start and end.
func (s *Server) applyBlockSlot(ls *locState, a *Appointment, in input) error {
	for k, f := range map[string]*string{"title": &a.Title, "calendarId": &a.CalendarID, "assignedUserId": &a.AssignedUserID} {
		if v, ok := in.str(k); ok {
			*f = v
		}
	}
	if a.CalendarID == "" && a.AssignedUserID == "" {
		return errBadRequest("Either calendarId or assignedUserId is required")
	}
	if a.CalendarID != "" {
		if _, err := calendarOf(ls, a.CalendarID); err != nil {
			return err
		}
	}
	if v, ok := in.str("startTime"); ok {
		a.StartTime, _ = parseISOTime(v)
	}
	if v, ok := in.str("endTime"); ok {
		a.EndTime, _ = parseISOTime(v)
	}
	if a.StartTime.IsZero() || !a.EndTime.After(a.StartTime) {
		return errBadRequest("startTime and endTime are required and endTime must be after startTime")
	}
	return nil
}

// GET /calendars/{calendarId}/free-slots (get-slots): 200
// {"YYYY-MM-DD": {"slots": [...]}} for at most 31 days; startDate and
// endDate are epoch-ms numbers (an ISO date is a 422, reference §4).
func (s *Server) hFreeSlots(c *call) (int, any, error) {
	var cal *Calendar
	var locID string
	for _, id := range s.locOrder {
		if found, err := calendarOf(s.locs[id], c.param("calendarId")); err == nil {
			cal, locID = found, id
			break
		}
	}
	if cal == nil {
		return 0, nil, errBadRequest("Calendar with id %s not found", c.param("calendarId"))
	}
	if _, err := s.needLocation(c, locID); err != nil {
		return 0, nil, err
	}
	startMs, _ := c.q.num("startDate")
	endMs, _ := c.q.num("endDate")
	from, to := time.UnixMilli(int64(startMs)), time.UnixMilli(int64(endMs))
	if to.Before(from) {
		return 0, nil, errBadRequest("endDate must be after startDate")
	}
	if to.Sub(from) > 31*24*time.Hour {
		return 0, nil, errBadRequest("Date range cannot be more than 31 days")
	}
	tz := cal.Timezone
	if v, ok := c.q.str("timezone"); ok && v != "" {
		tz = v
	}
	calZone := s.zone(cal.Timezone)
	out := obj{}
	step := time.Duration(cal.SlotMinutes) * time.Minute
	fy, fm, fd := from.In(calZone).Date()
	for day := time.Date(fy, fm, fd, 0, 0, 0, 0, calZone); !day.After(to); day = day.AddDate(0, 0, 1) {
		var slots []string
		y, m, d := day.Date()
		open, closing := time.Date(y, m, d, 9, 0, 0, 0, calZone), time.Date(y, m, d, 17, 0, 0, 0, calZone)
		for t := open; !t.Add(step).After(closing); t = t.Add(step) {
			if t.Before(from) || t.After(to) || t.Before(c.now) || !s.slotFree(cal, t, t.Add(step), "") {
				continue
			}
			slots = append(slots, s.isoOffset(t, tz))
		}
		if len(slots) > 0 {
			out[day.Format(time.DateOnly)] = obj{"slots": slots}
		}
	}
	return http.StatusOK, out, nil
}
