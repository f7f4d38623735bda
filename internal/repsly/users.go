package repsly

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Representative is a field rep as listed by export/representatives (the
// full list on every call). Territories are "A/B/C" paths.
type Representative struct {
	Code        string      `json:"Code"`
	Name        string      `json:"Name"`
	Note        string      `json:"Note"`
	Email       string      `json:"Email"`
	Phone       string      `json:"Phone"`
	Mobile      string      `json:"Mobile"` // obsolete, null
	Territories []string    `json:"Territories"`
	Active      bool        `json:"Active"`
	Address1    string      `json:"Address1"`
	Address2    string      `json:"Address2"`
	City        string      `json:"City"`
	State       string      `json:"State"`
	ZipCode     string      `json:"ZipCode"`
	ZipCodeExt  string      `json:"ZipCodeExt"`
	Country     string      `json:"Country"`
	CountryCode string      `json:"CountryCode"`
	Attributes  []Attribute `json:"Attributes"`
}

// Attribute is a custom attribute of a rep or user. Type is one of
// TextShort, TextLong, Numeric, Boolean, Select, MultipleSelect.
type Attribute struct {
	Title string `json:"Title"`
	Type  string `json:"Type,omitempty"`
	Value Text   `json:"Value"`
}

// User is a back-office or field user as exported by export/users. Role is
// pipe-separated ("AccountOwner|Admin|Representative").
type User struct {
	ID               string      `json:"ID"`
	TimeStamp        int64       `json:"TimeStamp,omitempty"`
	Code             string      `json:"Code"`
	Name             string      `json:"Name"`
	Email            string      `json:"Email"`
	Active           bool        `json:"Active"`
	Role             string      `json:"Role"`
	Note             string      `json:"Note"`
	Phone            string      `json:"Phone"`
	Territories      []string    `json:"Territories"`
	SendEmailEnabled bool        `json:"SendEmailEnabled"`
	Address1         string      `json:"Address1"`
	Address2         string      `json:"Address2"`
	City             string      `json:"City"`
	State            string      `json:"State"`
	ZipCode          string      `json:"ZipCode"`
	ZipCodeExt       string      `json:"ZipCodeExt"`
	Country          string      `json:"Country"`
	CountryCode      string      `json:"CountryCode"`
	Attributes       []Attribute `json:"Attributes"`
	Permissions      []string    `json:"Permissions"`
}

// ExportRepresentatives returns all representatives.
func (c *Client) ExportRepresentatives(ctx context.Context) ([]Representative, error) {
	return exportList[Representative](ctx, c, "export_representatives")
}

// ExportUsers returns the users changed after a timestamp cursor.
func (c *Client) ExportUsers(ctx context.Context, cursor Cursor) (Page[User], error) {
	return exportPage[User](ctx, c, "export_users", cursor)
}

// UserImport is a user as posted to import/user; Code, Name and Email are
// required. Permissions take values such as Clients, Products, Exports.
type UserImport struct {
	Code                      string      `json:"Code"`
	Name                      string      `json:"Name"`
	Email                     string      `json:"Email"`
	Active                    *bool       `json:"Active,omitempty"`
	Role                      string      `json:"Role,omitempty"`
	Note                      string      `json:"Note,omitempty"`
	Phone                     string      `json:"Phone,omitempty"`
	Territories               []string    `json:"Territories,omitempty"`
	SendEmailEnabled          *bool       `json:"SendEmailEnabled,omitempty"`
	Address1                  string      `json:"Address1,omitempty"`
	Address2                  string      `json:"Address2,omitempty"`
	City                      string      `json:"City,omitempty"`
	State                     string      `json:"State,omitempty"`
	ZipCode                   string      `json:"ZipCode,omitempty"`
	ZipCodeExt                string      `json:"ZipCodeExt,omitempty"`
	Country                   string      `json:"Country,omitempty"`
	CountryCode               string      `json:"CountryCode,omitempty"`
	Attributes                []Attribute `json:"Attributes,omitempty"`
	Permissions               []string    `json:"Permissions,omitempty"`
	Teams                     []string    `json:"Teams,omitempty"`
	ShowActivitiesWithoutTeam *bool       `json:"ShowActivitiesWithoutTeam,omitempty"`
}

// UserImportSummary is the synchronous answer of a user import.
// ValidationErrors maps a row id to its messages.
type UserImportSummary struct {
	CurrentUsersActive int                 `json:"CurrentUsersActive"`
	NewUsersActive     int                 `json:"NewUsersActive"`
	RowsTotal          int                 `json:"RowsTotal"`
	RowsInsert         int                 `json:"RowsInsert"`
	RowsUpdate         int                 `json:"RowsUpdate"`
	RowsInvalid        int                 `json:"RowsInvalid"`
	ValidationErrors   map[string][]string `json:"ValidationErrors"`
}

// status turns the summary into the shape asynchronous jobs report.
func (s *UserImportSummary) status(ack ImportAck) ImportStatus {
	st := ImportStatus{ImportStatus: ImportCompleted, RowsInserted: s.RowsInsert, RowsUpdated: s.RowsUpdate,
		RowsInvalid: s.RowsInvalid, RowsTotal: s.RowsTotal}
	ids := make([]string, 0, len(s.ValidationErrors))
	for id := range s.ValidationErrors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		for _, msg := range s.ValidationErrors[id] {
			st.Errors = append(st.Errors, ImportIssue{ItemID: Text(id), ItemStatus: Text(msg)})
		}
	}
	if ack.Code != 0 {
		st.ImportStatus = ImportFailed
	}
	return st
}

func (s *UserImportSummary) err(name string, ack ImportAck) error {
	if ack.Code == 0 {
		return nil
	}
	reasons := failureReasons(s.status(ack))
	if len(s.ValidationErrors) == 0 && ack.Message != "" {
		reasons = []string{ack.Message}
	}
	return &ImportError{Endpoint: name, Reasons: reasons}
}

// ImportUsers upserts users. The import is synchronous: the result comes
// from the answer's Summary, with no job to poll. One user goes through
// import/user, more through the user-list import.
func (c *Client) ImportUsers(ctx context.Context, users []UserImport) (ImportResult, error) {
	for _, u := range users {
		if strings.TrimSpace(u.Code) == "" || strings.TrimSpace(u.Name) == "" || strings.TrimSpace(u.Email) == "" {
			return ImportResult{}, fmt.Errorf("repsly: import users: user %q: Code, Name and Email are required: %w", u.Code, ErrValidation)
		}
	}
	return runImport(ctx, c, "import_user", "import_users", users)
}
