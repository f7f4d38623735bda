package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
)

var (
	apptNoteShape = shape{
		{name: "userId"},
		{name: "body", required: true, maxLen: 5000},
	}
	apptNotesQuery = shape{
		{name: "limit", kind: kNumber, required: true, min: ptr(1)},
		{name: "offset", kind: kNumber, required: true, min: ptr(0)},
	}
)

// Appointment notes emit no webhook: none is documented.

func apptNoteJSON(n *AppointmentNote) obj {
	m := obj{"id": n.ID, "body": n.Body, "dateAdded": isoMillis(n.DateAdded), "contactId": n.ContactID}
	putStr(m, "userId", n.UserID)
	if n.UserID != "" {
		m["createdBy"] = obj{"id": n.UserID, "name": n.UserID}
	}
	return m
}

func (s *Server) apptNoteFor(c *call) (*AppointmentNote, error) {
	a, _, err := s.appointmentFor(c, c.param("appointmentId"), false)
	if err != nil {
		return nil, err
	}
	n, ok := s.apptNotes[c.param("noteId")]
	if !ok || n.AppointmentID != a.ID {
		return nil, &notFoundError{msg: fmt.Sprintf("Note with id %s not found", c.param("noteId"))}
	}
	return n, nil
}

// GET /calendars/appointments/{appointmentId}/notes: 200 {notes, hasMore},
// newest first.
func (s *Server) hListApptNotes(c *call) (int, any, error) {
	a, _, err := s.appointmentFor(c, c.param("appointmentId"), false)
	if err != nil {
		return 0, nil, err
	}
	var all []*AppointmentNote
	for _, n := range s.apptNotes {
		if n.AppointmentID == a.ID {
			all = append(all, n)
		}
	}
	slices.SortFunc(all, func(x, y *AppointmentNote) int {
		if c := y.DateAdded.Compare(x.DateAdded); c != 0 {
			return c
		}
		return strings.Compare(y.ID, x.ID)
	})
	limit, _ := c.q.num("limit")
	offset, _ := c.q.num("offset")
	out := []obj{}
	for i := int(offset); i < len(all) && len(out) < int(limit); i++ {
		out = append(out, apptNoteJSON(all[i]))
	}
	return http.StatusOK, obj{"notes": out, "hasMore": int(offset)+len(out) < len(all)}, nil
}

// POST /calendars/appointments/{appointmentId}/notes: 201 {note}.
func (s *Server) hCreateApptNote(c *call) (int, any, error) {
	a, _, err := s.appointmentFor(c, c.param("appointmentId"), false)
	if err != nil {
		return 0, nil, err
	}
	body, _ := c.in.str("body")
	user, _ := c.in.str("userId")
	n := &AppointmentNote{ID: s.newID(), AppointmentID: a.ID, ContactID: a.ContactID, Body: body, UserID: user, DateAdded: c.now}
	s.apptNotes[n.ID] = n
	return http.StatusCreated, obj{"note": apptNoteJSON(n)}, nil
}

// PUT /calendars/appointments/{appointmentId}/notes/{noteId}: 200 {note}.
func (s *Server) hUpdateApptNote(c *call) (int, any, error) {
	n, err := s.apptNoteFor(c)
	if err != nil {
		return 0, nil, err
	}
	n.Body, _ = c.in.str("body")
	if v, ok := c.in.str("userId"); ok {
		n.UserID = v
	}
	return http.StatusOK, obj{"note": apptNoteJSON(n)}, nil
}

// DELETE /calendars/appointments/{appointmentId}/notes/{noteId}: 200 {success}.
func (s *Server) hDeleteApptNote(c *call) (int, any, error) {
	n, err := s.apptNoteFor(c)
	if err != nil {
		return 0, nil, err
	}
	delete(s.apptNotes, n.ID)
	return http.StatusOK, obj{"success": true}, nil
}
