package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

var (
	createNoteShape = shape{
		{name: "userId"},
		{name: "body", required: true},
		{name: "title"},
		{name: "color"},
		{name: "pinned", kind: kBool},
	}
	updateNoteShape = shape{
		{name: "userId"},
		{name: "body"},
		{name: "title"},
		{name: "color"},
		{name: "pinned", kind: kBool},
	}
)

func noteNotFound(id string) error {
	return &notFoundError{msg: fmt.Sprintf("Note with id %s not found", id)}
}

// insertNote stores a note and emits NoteCreate. Callers hold s.mu.
func (s *Server) insertNote(ct *Contact, n *Note, now time.Time) {
	n.ID = s.newID()
	n.ContactID, n.LocationID = ct.ID, ct.LocationID
	n.DateAdded = now
	s.notes[n.ID] = n
	s.emit("NoteCreate", n.LocationID, noteEvent(n))
}

func (s *Server) noteFor(c *call) (*Note, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return nil, err
	}
	n, ok := s.notes[c.param("id")]
	if !ok || n.ContactID != ct.ID {
		return nil, noteNotFound(c.param("id"))
	}
	return n, nil
}

func applyNoteInput(n *Note, in input) {
	for k, f := range map[string]*string{"userId": &n.UserID, "body": &n.Body, "title": &n.Title, "color": &n.Color} {
		if v, ok := in.str(k); ok {
			*f = v
		}
	}
	if v, ok := in.boolean("pinned"); ok {
		n.Pinned = v
	}
}

// contactNotes returns a contact's notes, newest first. Callers hold s.mu.
func (s *Server) contactNotes(contactID string) []*Note {
	var out []*Note
	for _, n := range s.notes {
		if n.ContactID == contactID {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *Note) int {
		if c := b.DateAdded.Compare(a.DateAdded); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

// GET /contacts/{contactId}/notes: 200 {notes}.
func (s *Server) hListNotes(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	out := []obj{}
	for _, n := range s.contactNotes(ct.ID) {
		out = append(out, noteJSON(n))
	}
	return http.StatusOK, obj{"notes": out}, nil
}

// POST /contacts/{contactId}/notes: 201 {note}.
func (s *Server) hCreateNote(c *call) (int, any, error) {
	ct, _, err := s.contactFor(c, c.param("contactId"))
	if err != nil {
		return 0, nil, err
	}
	n := &Note{}
	applyNoteInput(n, c.in)
	s.insertNote(ct, n, c.now)
	return http.StatusCreated, obj{"note": noteJSON(n)}, nil
}

// GET /contacts/{contactId}/notes/{id}: 200 {note}.
func (s *Server) hGetNote(c *call) (int, any, error) {
	n, err := s.noteFor(c)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, obj{"note": noteJSON(n)}, nil
}

// PUT /contacts/{contactId}/notes/{id}: 200 {note}, NoteUpdate.
func (s *Server) hUpdateNote(c *call) (int, any, error) {
	n, err := s.noteFor(c)
	if err != nil {
		return 0, nil, err
	}
	applyNoteInput(n, c.in)
	s.emit("NoteUpdate", n.LocationID, noteEvent(n))
	return http.StatusOK, obj{"note": noteJSON(n)}, nil
}

// DELETE /contacts/{contactId}/notes/{id}: 200 {succeded}, NoteDelete.
func (s *Server) hDeleteNote(c *call) (int, any, error) {
	n, err := s.noteFor(c)
	if err != nil {
		return 0, nil, err
	}
	delete(s.notes, n.ID)
	s.emit("NoteDelete", n.LocationID, noteEvent(n))
	return http.StatusOK, obj{"succeded": true}, nil
}
