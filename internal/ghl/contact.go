package ghl

import (
	"encoding/json"
	"fmt"
)

// Contact is a HighLevel contact as returned by any contacts operation (get,
// create, update, upsert, list, search) and by Contact* webhooks. The shapes
// differ per operation; every field any of them has is here, named as in the
// spec, and absent fields stay zero.
type Contact struct {
	ID                    string              `json:"id,omitzero"`
	LocationID            string              `json:"locationId,omitzero"`
	Name                  string              `json:"name,omitzero"`
	FirstName             string              `json:"firstName,omitzero"`
	LastName              string              `json:"lastName,omitzero"`
	FirstNameLowerCase    string              `json:"firstNameLowerCase,omitzero"`
	LastNameLowerCase     string              `json:"lastNameLowerCase,omitzero"`
	FullNameLowerCase     string              `json:"fullNameLowerCase,omitzero"`
	Email                 string              `json:"email,omitzero"`
	EmailLowerCase        string              `json:"emailLowerCase,omitzero"`
	AdditionalEmails      []string            `json:"additionalEmails,omitzero"`
	ValidEmail            *bool               `json:"validEmail,omitzero"`
	BounceEmail           bool                `json:"bounceEmail,omitzero"`
	UnsubscribeEmail      bool                `json:"unsubscribeEmail,omitzero"`
	Phone                 string              `json:"phone,omitzero"`
	PhoneLabel            string              `json:"phoneLabel,omitzero"`
	AdditionalPhones      []string            `json:"additionalPhones,omitzero"`
	Timezone              string              `json:"timezone,omitzero"`
	CompanyName           string              `json:"companyName,omitzero"`
	BusinessName          string              `json:"businessName,omitzero"`
	BusinessID            string              `json:"businessId,omitzero"`
	DND                   bool                `json:"dnd,omitzero"`
	DNDSettings           *DNDSettings        `json:"dndSettings,omitzero"`
	InboundDNDSettings    *InboundDNDSettings `json:"inboundDndSettings,omitzero"`
	Type                  string              `json:"type,omitzero"`
	Source                string              `json:"source,omitzero"`
	AssignedTo            string              `json:"assignedTo,omitzero"`
	Address               string              `json:"address,omitzero"`
	Address1              string              `json:"address1,omitzero"`
	City                  string              `json:"city,omitzero"`
	State                 string              `json:"state,omitzero"`
	Country               string              `json:"country,omitzero"`
	PostalCode            string              `json:"postalCode,omitzero"`
	Website               string              `json:"website,omitzero"`
	Tags                  []string            `json:"tags,omitzero"`
	DateOfBirth           string              `json:"dateOfBirth,omitzero"`
	BirthMonth            int                 `json:"birthMonth,omitzero"`
	BirthDay              int                 `json:"birthDay,omitzero"`
	DateAdded             string              `json:"dateAdded,omitzero"`
	DateUpdated           string              `json:"dateUpdated,omitzero"`
	LastActivity          string              `json:"lastActivity,omitzero"`
	LastSessionActivityAt string              `json:"lastSessionActivityAt,omitzero"`
	Deleted               bool                `json:"deleted,omitzero"`
	SSN                   string              `json:"ssn,omitzero"`
	Keyword               string              `json:"keyword,omitzero"`
	VisitorID             string              `json:"visitorId,omitzero"`
	CustomFields          []CustomFieldValue  `json:"customFields,omitzero"`
	Followers             []string            `json:"followers,omitzero"`
	Offers                []string            `json:"offers,omitzero"`
	Products              []string            `json:"products,omitzero"`
	Opportunities         []Opportunity       `json:"opportunities,omitzero"`
	AttributionSource     *Attribution        `json:"attributionSource,omitzero"`
	LastAttributionSource *Attribution        `json:"lastAttributionSource,omitzero"`
	Attributions          []Attribution       `json:"attributions,omitzero"`
	// Attachments is a string in GET /contacts/{id} and an array in webhooks.
	Attachments json.RawMessage `json:"attachments,omitzero"`
	// SearchAfter is the cursor of this contact in a search result
	// ([sortValue, id]); pass the last one to get the next page.
	SearchAfter json.RawMessage `json:"searchAfter,omitzero"`
}

// CustomFieldValue is a custom field as HighLevel returns it. Value is a
// string, number (float64), []any or map[string]any depending on the field type.
type CustomFieldValue struct {
	ID    string `json:"id"`
	Value any    `json:"value"`
}

// CustomField returns the value of the custom field with the given id.
func (c *Contact) CustomField(id string) (any, bool) {
	for _, f := range c.CustomFields {
		if f.ID == id {
			return f.Value, true
		}
	}
	return nil, false
}

// DNDSettings holds the per-channel do-not-disturb settings. The keys are
// capitalised as HighLevel spells them.
type DNDSettings struct {
	Call     *DNDSetting `json:"Call,omitzero"`
	Email    *DNDSetting `json:"Email,omitzero"`
	SMS      *DNDSetting `json:"SMS,omitzero"`
	WhatsApp *DNDSetting `json:"WhatsApp,omitzero"`
	GMB      *DNDSetting `json:"GMB,omitzero"`
	FB       *DNDSetting `json:"FB,omitzero"`
}

// DNDSetting is one channel's do-not-disturb state.
type DNDSetting struct {
	// Status is "active", "inactive" or "permanent".
	Status  string `json:"status"`
	Message string `json:"message,omitzero"`
	Code    string `json:"code,omitzero"`
}

// InboundDNDSettings holds the inbound do-not-disturb setting.
type InboundDNDSettings struct {
	All *InboundDNDSetting `json:"all,omitzero"`
}

// InboundDNDSetting is the inbound do-not-disturb state ("active"/"inactive").
type InboundDNDSetting struct {
	Status  string `json:"status"`
	Message string `json:"message,omitzero"`
}

// Attribution is a contact's first or latest attribution source.
type Attribution struct {
	URL        string  `json:"url"`
	Campaign   *string `json:"campaign,omitzero"`
	UTMSource  *string `json:"utmSource,omitzero"`
	UTMMedium  *string `json:"utmMedium,omitzero"`
	UTMContent *string `json:"utmContent,omitzero"`
	Referrer   *string `json:"referrer,omitzero"`
	CampaignID *string `json:"campaignId,omitzero"`
	FBClID     *string `json:"fbclid,omitzero"`
	GClID      *string `json:"gclid,omitzero"`
	MSClkID    *string `json:"msclikid,omitzero"`
	DClID      *string `json:"dclid,omitzero"`
	FBC        *string `json:"fbc,omitzero"`
	FBP        *string `json:"fbp,omitzero"`
	FBEventID  *string `json:"fbEventId,omitzero"`
	UserAgent  *string `json:"userAgent,omitzero"`
	IP         *string `json:"ip,omitzero"`
	Medium     *string `json:"medium,omitzero"`
	MediumID   *string `json:"mediumId,omitzero"`
}

// Opportunity is an opportunity summary inside a search result contact.
type Opportunity struct {
	ID              string  `json:"id"`
	PipelineID      string  `json:"pipeline_id,omitzero"`
	PipelineStageID string  `json:"pipeline_stage_id,omitzero"`
	MonetaryValue   float64 `json:"monetary_value,omitzero"`
	Status          string  `json:"status,omitzero"`
}

// CustomFieldInput sets a custom field in a create, update or upsert body.
// Give ID or Key (the field key, e.g. "contact.repsly_client_code").
// FieldValue is a string (text, select, radio), a number (numeric,
// monetary), a []string (checkbox, multi-select) or a file object; nil clears.
type CustomFieldInput struct {
	ID         string `json:"id,omitzero"`
	Key        string `json:"key,omitzero"`
	FieldValue any    `json:"field_value"`
}

// ContactFields are the writable contact fields shared by create, update and
// upsert. Empty strings and nil slices are left out of the body; to blank a
// field send it in Clear. An empty non-nil Tags replaces all tags with none.
type ContactFields struct {
	FirstName          string              `json:"firstName,omitzero"`
	LastName           string              `json:"lastName,omitzero"`
	Name               string              `json:"name,omitzero"`
	Email              string              `json:"email,omitzero"`
	Phone              string              `json:"phone,omitzero"`
	Address1           string              `json:"address1,omitzero"`
	City               string              `json:"city,omitzero"`
	State              string              `json:"state,omitzero"`
	PostalCode         string              `json:"postalCode,omitzero"`
	Website            string              `json:"website,omitzero"`
	Timezone           string              `json:"timezone,omitzero"`
	DND                *bool               `json:"dnd,omitzero"`
	DNDSettings        *DNDSettings        `json:"dndSettings,omitzero"`
	InboundDNDSettings *InboundDNDSettings `json:"inboundDndSettings,omitzero"`
	// Tags replaces all of the contact's tags on update; prefer AddTags and
	// RemoveTags to change some.
	Tags         []string           `json:"tags,omitzero"`
	CustomFields []CustomFieldInput `json:"customFields,omitzero"`
	Source       string             `json:"source,omitzero"`
	// DateOfBirth accepts YYYY-MM-DD and the other formats HighLevel lists.
	DateOfBirth string `json:"dateOfBirth,omitzero"`
	// Country is an ISO 3166-1 alpha-2 code.
	Country string `json:"country,omitzero"`
	// AssignedTo is a user id.
	AssignedTo string `json:"assignedTo,omitzero"`
}

// CreateContactRequest is the body of POST /contacts/.
type CreateContactRequest struct {
	ContactFields
	// LocationID defaults to the client's location.
	LocationID  string `json:"locationId"`
	Gender      string `json:"gender,omitzero"`
	CompanyName string `json:"companyName,omitzero"`
}

// UpdateContactRequest is the body of PUT /contacts/{contactId}. HighLevel
// rejects locationId, gender and companyName here (422 "should not exist").
type UpdateContactRequest struct {
	ContactFields
	// Clear lists JSON field names to set to null (blank), e.g. "email".
	Clear []string `json:"-"`
}

// MarshalJSON adds the Clear fields as nulls.
func (r UpdateContactRequest) MarshalJSON() ([]byte, error) {
	return withNulls(r.ContactFields, r.Clear)
}

// UpsertContactRequest is the body of POST /contacts/upsert. HighLevel matches
// an existing contact by email and phone following the location's duplicate
// settings, updates it if found and creates one otherwise.
type UpsertContactRequest struct {
	ContactFields
	// LocationID defaults to the client's location.
	LocationID  string `json:"locationId"`
	Gender      string `json:"gender,omitzero"`
	CompanyName string `json:"companyName,omitzero"`
	// CreateNewIfDuplicateAllowed always creates when the location allows
	// duplicates; ignored otherwise.
	CreateNewIfDuplicateAllowed bool `json:"createNewIfDuplicateAllowed,omitzero"`
	// Clear lists JSON field names to set to null (blank).
	Clear []string `json:"-"`
}

// MarshalJSON adds the Clear fields as nulls.
func (r UpsertContactRequest) MarshalJSON() ([]byte, error) {
	type plain UpsertContactRequest
	return withNulls(plain(r), r.Clear)
}

// nullable reports whether the spec lets a client set the field to null.
func nullable(name string) bool {
	switch name {
	case "firstName", "lastName", "name", "email", "phone", "address1", "city", "state", "website",
		"timezone", "dateOfBirth", "companyName", "source", "assignedTo":
		return true
	}
	return false
}

// withNulls encodes v and sets each field in clear to null.
func withNulls(v any, clear []string) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil || len(clear) == 0 {
		return b, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	for _, name := range clear {
		if !nullable(name) {
			return nil, fmt.Errorf("ghl: field %q cannot be cleared", name)
		}
		m[name] = json.RawMessage("null")
	}
	return json.Marshal(m)
}
