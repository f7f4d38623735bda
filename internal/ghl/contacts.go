package ghl

import (
	"context"
	"fmt"
	"net/url"
	"strconv"
)

// GetContact returns the contact with the given id. An unknown id gives an
// error matching ErrNotFound.
func (c *Client) GetContact(ctx context.Context, contactID string) (*Contact, error) {
	var out struct {
		Contact Contact `json:"contact"`
	}
	if err := c.do(ctx, request{op: OpGetContact, params: []string{contactID}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: get contact %s: %w", contactID, err)
	}
	return &out.Contact, nil
}

// CreateContact creates a contact. When the location does not allow
// duplicates and the email or phone already exists, the error is a
// *DuplicateContactError naming the existing contact.
func (c *Client) CreateContact(ctx context.Context, r CreateContactRequest) (*Contact, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: create contact: %w", err)
		}
		r.LocationID = loc
	}
	var out struct {
		Contact Contact `json:"contact"`
	}
	if err := c.do(ctx, request{op: OpCreateContact, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: create contact: %w", err)
	}
	return &out.Contact, nil
}

// UpdateContact changes the given fields of a contact and returns it.
func (c *Client) UpdateContact(ctx context.Context, contactID string, r UpdateContactRequest) (*Contact, error) {
	var out struct {
		Succeded bool    `json:"succeded"`
		Contact  Contact `json:"contact"`
	}
	if err := c.do(ctx, request{op: OpUpdateContact, params: []string{contactID}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: update contact %s: %w", contactID, err)
	}
	return &out.Contact, nil
}

// DeleteContact deletes a contact.
func (c *Client) DeleteContact(ctx context.Context, contactID string) error {
	if err := c.do(ctx, request{op: OpDeleteContact, params: []string{contactID}, out: new(succeeded)}); err != nil {
		return fmt.Errorf("ghl: delete contact %s: %w", contactID, err)
	}
	return nil
}

// UpsertResult is the answer of UpsertContact.
type UpsertResult struct {
	// New is true when a contact was created, false when one was updated.
	New     bool    `json:"new"`
	Contact Contact `json:"contact"`
	TraceID string  `json:"traceId,omitzero"`
}

// UpsertContact updates the contact matching r's email/phone (per the
// location's duplicate settings) or creates one.
func (c *Client) UpsertContact(ctx context.Context, r UpsertContactRequest) (*UpsertResult, error) {
	if r.LocationID == "" {
		loc, err := c.location()
		if err != nil {
			return nil, fmt.Errorf("ghl: upsert contact: %w", err)
		}
		r.LocationID = loc
	}
	var out UpsertResult
	if err := c.do(ctx, request{op: OpUpsertContact, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: upsert contact: %w", err)
	}
	return &out, nil
}

// FindDuplicateContact returns the contact a new contact with this email
// and/or phone would duplicate, following the location's duplicate settings,
// or nil when there is none.
func (c *Client) FindDuplicateContact(ctx context.Context, email, phone string) (*Contact, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: find duplicate contact: %w", err)
	}
	q := url.Values{"locationId": {loc}}
	if email != "" {
		q.Set("email", email)
	}
	if phone != "" {
		q.Set("number", phone)
	}
	var out struct {
		Contact *Contact `json:"contact"`
	}
	if err := c.do(ctx, request{op: OpGetDuplicateContact, query: q, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: find duplicate contact: %w", err)
	}
	if out.Contact != nil && out.Contact.ID == "" {
		return nil, nil
	}
	return out.Contact, nil
}

// BusinessContacts is a page of a business's contacts.
type BusinessContacts struct {
	Contacts []Contact `json:"contacts"`
	Count    int       `json:"count"`
}

// ListContactsByBusiness returns up to limit contacts of a business after
// skipping skip; query filters by name. limit 0 means HighLevel's default (25).
func (c *Client) ListContactsByBusiness(ctx context.Context, businessID, query string, limit, skip int) (*BusinessContacts, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: list contacts of business %s: %w", businessID, err)
	}
	q := url.Values{"locationId": {loc}}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	if skip > 0 {
		q.Set("skip", strconv.Itoa(skip))
	}
	if query != "" {
		q.Set("query", query)
	}
	var out BusinessContacts
	if err := c.do(ctx, request{op: OpListContactsByBusiness, params: []string{businessID}, query: q, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list contacts of business %s: %w", businessID, err)
	}
	return &out, nil
}

// succeeded decodes the {succeded: true} (sic) answers of delete operations.
type succeeded struct {
	Succeded  bool `json:"succeded"`
	Succeeded bool `json:"succeeded"`
	Success   bool `json:"success"`
}
