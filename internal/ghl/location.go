package ghl

import (
	"context"
	"fmt"
	"net/url"
)

// Location is a sub-account (GetLocationByIdSchema).
type Location struct {
	ID         string            `json:"id"`
	CompanyID  string            `json:"companyId,omitzero"`
	Name       string            `json:"name,omitzero"`
	Domain     string            `json:"domain,omitzero"`
	Address    string            `json:"address,omitzero"`
	City       string            `json:"city,omitzero"`
	State      string            `json:"state,omitzero"`
	LogoURL    string            `json:"logoUrl,omitzero"`
	Country    string            `json:"country,omitzero"`
	PostalCode string            `json:"postalCode,omitzero"`
	Website    string            `json:"website,omitzero"`
	Timezone   string            `json:"timezone,omitzero"`
	FirstName  string            `json:"firstName,omitzero"`
	LastName   string            `json:"lastName,omitzero"`
	Email      string            `json:"email,omitzero"`
	Phone      string            `json:"phone,omitzero"`
	Business   *LocationBusiness `json:"business,omitzero"`
	Settings   LocationSettings  `json:"settings"`
}

// LocationBusiness is a location's business profile.
type LocationBusiness struct {
	Name       string `json:"name,omitzero"`
	Address    string `json:"address,omitzero"`
	City       string `json:"city,omitzero"`
	State      string `json:"state,omitzero"`
	Country    string `json:"country,omitzero"`
	PostalCode string `json:"postalCode,omitzero"`
	Website    string `json:"website,omitzero"`
	Timezone   string `json:"timezone,omitzero"`
	LogoURL    string `json:"logoUrl,omitzero"`
}

// LocationSettings holds the settings sync depends on.
type LocationSettings struct {
	// AllowDuplicateContact: when false, creating a contact with an existing
	// email/phone fails with a duplicate error and upsert matches by them.
	AllowDuplicateContact     bool `json:"allowDuplicateContact"`
	AllowDuplicateOpportunity bool `json:"allowDuplicateOpportunity"`
	AllowFacebookNameMerge    bool `json:"allowFacebookNameMerge"`
	DisableContactTimezone    bool `json:"disableContactTimezone"`
}

// GetLocation returns the client's location with its settings.
func (c *Client) GetLocation(ctx context.Context) (*Location, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: get location: %w", err)
	}
	var out struct {
		Location Location `json:"location"`
	}
	if err := c.do(ctx, request{op: OpGetLocation, params: []string{loc}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: get location %s: %w", loc, err)
	}
	return &out.Location, nil
}

// LocationTag is a tag defined in a location.
type LocationTag struct {
	ID         string `json:"id"`
	Name       string `json:"name"`
	LocationID string `json:"locationId,omitzero"`
}

// ListLocationTags returns the tags defined in the client's location.
func (c *Client) ListLocationTags(ctx context.Context) ([]LocationTag, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: list location tags: %w", err)
	}
	var out struct {
		Tags []LocationTag `json:"tags"`
	}
	if err := c.do(ctx, request{op: OpListLocationTags, params: []string{loc}, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list location tags: %w", err)
	}
	return out.Tags, nil
}

// CustomField is a custom field definition.
type CustomField struct {
	ID string `json:"id"`
	// Name is the label; FieldKey the key, e.g. "contact.repsly_client_code".
	Name        string `json:"name"`
	FieldKey    string `json:"fieldKey"`
	Placeholder string `json:"placeholder,omitzero"`
	// DataType is TEXT, LARGE_TEXT, NUMERICAL, PHONE, MONETORY, CHECKBOX,
	// SINGLE_OPTIONS, MULTIPLE_OPTIONS, DATE, FILE_UPLOAD, …
	DataType              string   `json:"dataType"`
	Position              float64  `json:"position,omitzero"`
	PicklistOptions       []string `json:"picklistOptions,omitzero"`
	PicklistImageOptions  []string `json:"picklistImageOptions,omitzero"`
	IsAllowedCustomOption bool     `json:"isAllowedCustomOption,omitzero"`
	IsMultiFileAllowed    bool     `json:"isMultiFileAllowed,omitzero"`
	MaxFileLimit          float64  `json:"maxFileLimit,omitzero"`
	LocationID            string   `json:"locationId,omitzero"`
	// Model is "contact" or "opportunity".
	Model string `json:"model,omitzero"`
}

// ListCustomFields returns the location's custom field definitions; model is
// "contact", "opportunity", "all" or "" (HighLevel's default).
func (c *Client) ListCustomFields(ctx context.Context, model string) ([]CustomField, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: list custom fields: %w", err)
	}
	var q url.Values
	if model != "" {
		q = url.Values{"model": {model}}
	}
	var out struct {
		CustomFields []CustomField `json:"customFields"`
	}
	if err := c.do(ctx, request{op: OpListCustomFields, params: []string{loc}, query: q, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: list custom fields: %w", err)
	}
	return out.CustomFields, nil
}

// TaskSearchRequest is the body of POST /locations/{locationId}/tasks/search.
type TaskSearchRequest struct {
	ContactIDs []string `json:"contactId,omitzero"`
	Completed  *bool    `json:"completed,omitzero"`
	AssignedTo []string `json:"assignedTo,omitzero"`
	Query      string   `json:"query,omitzero"`
	// Limit defaults to 25 at HighLevel; Skip to 0.
	Limit      int    `json:"limit,omitzero"`
	Skip       int    `json:"skip,omitzero"`
	BusinessID string `json:"businessId,omitzero"`
}

// SearchTasks searches tasks across the client's location.
func (c *Client) SearchTasks(ctx context.Context, r TaskSearchRequest) ([]Task, error) {
	loc, err := c.location()
	if err != nil {
		return nil, fmt.Errorf("ghl: search tasks: %w", err)
	}
	var out struct {
		Tasks []Task `json:"tasks"`
	}
	if err := c.do(ctx, request{op: OpSearchTasks, params: []string{loc}, body: r, out: &out}); err != nil {
		return nil, fmt.Errorf("ghl: search tasks: %w", err)
	}
	return out.Tasks, nil
}
