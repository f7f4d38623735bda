package ghl

import (
	"context"
	"fmt"
)

// Note is a contact note (GetNoteSchema), or an appointment note, which
// carries CreatedBy instead of Title/Color/Pinned.
type Note struct {
	ID        string `json:"id,omitzero"`
	Body      string `json:"body,omitzero"`
	UserID    string `json:"userId,omitzero"`
	DateAdded string `json:"dateAdded,omitzero"`
	ContactID string `json:"contactId,omitzero"`
	Title     string `json:"title,omitzero"`
	// Color is a hex colour like "#fef3c7".
	Color     string      `json:"color,omitzero"`
	Pinned    bool        `json:"pinned,omitzero"`
	CreatedBy *NoteAuthor `json:"createdBy,omitzero"`
}

// NoteAuthor names who wrote an appointment note.
type NoteAuthor struct {
	ID   string `json:"id,omitzero"`
	Name string `json:"name,omitzero"`
}

// NoteRequest is the body of create-note and update-note. Body is required
// on create.
type NoteRequest struct {
	Body   string `json:"body,omitzero"`
	UserID string `json:"userId,omitzero"`
	Title  string `json:"title,omitzero"`
	Color  string `json:"color,omitzero"`
	Pinned *bool  `json:"pinned,omitzero"`
}

type noteEnvelope struct {
	Note Note `json:"note"`
}

// ListNotes returns a contact's notes.
func (c *Client) ListNotes(ctx context.Context, contactID string) ([]Note, error) {
	var out struct {
		Notes []Note `json:"notes"`
	}
	if err := c.do(ctx, request{op: OpListNotes, params: []string{contactID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list notes of contact %s: %w", contactID, err)
	}
	return out.Notes, nil
}

// GetNote returns one note of a contact.
func (c *Client) GetNote(ctx context.Context, contactID, noteID string) (*Note, error) {
	var out noteEnvelope
	if err := c.do(ctx, request{op: OpGetNote, params: []string{contactID, noteID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: get note %s: %w", noteID, err)
	}
	return &out.Note, nil
}

// CreateNote adds a note to a contact.
func (c *Client) CreateNote(ctx context.Context, contactID string, r NoteRequest) (*Note, error) {
	if r.Body == "" {
		return nil, fmt.Errorf("ghl: create note on contact %s: empty body", contactID)
	}
	var out noteEnvelope
	if err := c.do(ctx, request{op: OpCreateNote, params: []string{contactID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: create note on contact %s: %w", contactID, err)
	}
	return &out.Note, nil
}

// UpdateNote changes a note.
func (c *Client) UpdateNote(ctx context.Context, contactID, noteID string, r NoteRequest) (*Note, error) {
	var out noteEnvelope
	if err := c.do(ctx, request{op: OpUpdateNote, params: []string{contactID, noteID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: update note %s: %w", noteID, err)
	}
	return &out.Note, nil
}

// DeleteNote deletes a note.
func (c *Client) DeleteNote(ctx context.Context, contactID, noteID string) error {
	if err := c.do(ctx, request{op: OpDeleteNote, params: []string{contactID, noteID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: delete note %s: %w", noteID, err)
	}
	return nil
}
