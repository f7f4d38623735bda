package ghl

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// MaxAppointmentNotesPage is the largest page of appointment notes.
const MaxAppointmentNotesPage = 20

// ListAppointmentNotes returns a page of an appointment's notes and whether
// more follow. limit is 1..20 (0 means 20).
func (c *Client) ListAppointmentNotes(ctx context.Context, appointmentID string, limit, offset int) ([]Note, bool, error) {
	if limit <= 0 || limit > MaxAppointmentNotesPage {
		limit = MaxAppointmentNotesPage
	}
	q := url.Values{"limit": {strconv.Itoa(limit)}, "offset": {strconv.Itoa(max(offset, 0))}}
	var out struct {
		Notes   []Note `json:"notes"`
		HasMore bool   `json:"hasMore"`
	}
	if err := c.do(ctx, request{op: OpListAppointmentNotes, params: []string{appointmentID}, query: q, out: &out}); err != nil {
		return nil, false, fmt.Errorf("ghl: list notes of appointment %s: %w", appointmentID, err)
	}
	return out.Notes, out.HasMore, nil
}

// appointmentNoteBody is NotesDTO of calendars.json: body (≤5000) and userId.
type appointmentNoteBody struct {
	Body   string `json:"body"`
	UserID string `json:"userId,omitzero"`
}

// MaxAppointmentNoteLen is the longest appointment note body.
const MaxAppointmentNoteLen = 5000

// CreateAppointmentNote adds a note to an appointment; userID is optional.
func (c *Client) CreateAppointmentNote(ctx context.Context, appointmentID, body, userID string) (*Note, error) {
	if body == "" || len([]rune(body)) > MaxAppointmentNoteLen {
		return nil, fmt.Errorf("ghl: create note on appointment %s: body must have 1..%d characters", appointmentID, MaxAppointmentNoteLen)
	}
	var out noteEnvelope
	if err := c.do(ctx, request{op: OpCreateAppointmentNote, params: []string{appointmentID},
		body: appointmentNoteBody{body, userID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: create note on appointment %s: %w", appointmentID, err)
	}
	return &out.Note, nil
}

// UpdateAppointmentNote replaces an appointment note's body.
func (c *Client) UpdateAppointmentNote(ctx context.Context, appointmentID, noteID, body, userID string) (*Note, error) {
	if body == "" || len([]rune(body)) > MaxAppointmentNoteLen {
		return nil, fmt.Errorf("ghl: update appointment note %s: body must have 1..%d characters", noteID, MaxAppointmentNoteLen)
	}
	var out noteEnvelope
	if err := c.do(ctx, request{op: OpUpdateAppointmentNote, params: []string{appointmentID, noteID},
		body: appointmentNoteBody{body, userID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: update appointment note %s: %w", noteID, err)
	}
	return &out.Note, nil
}

// DeleteAppointmentNote deletes an appointment note.
func (c *Client) DeleteAppointmentNote(ctx context.Context, appointmentID, noteID string) error {
	if err := c.do(ctx, request{op: OpDeleteAppointmentNote, params: []string{appointmentID, noteID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: delete appointment note %s: %w", noteID, err)
	}
	return nil
}
