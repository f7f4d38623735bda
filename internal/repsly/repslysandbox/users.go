package repslysandbox

import (
	"net/http"
	"strings"
)

// Roles, pipe-separated in User.Role ("AccountOwner|Admin|Representative").
const (
	RoleAccountOwner   = "AccountOwner"
	RoleAdmin          = "Admin"
	RoleRepresentative = "Representative"
)

// User is a back-office or field user as export/users returns it. Users are
// timestamp-paged but the documented row has no TimeStamp field, so the
// counter value is kept unexported and shows only in LastTimeStamp.
// Territories use "/" as the delimiter (clients use ">").
type User struct {
	ID               string          `json:"ID"`
	Code             string          `json:"Code"`
	Name             string          `json:"Name"`
	Email            string          `json:"Email"`
	Active           bool            `json:"Active"`
	Role             string          `json:"Role"`
	Note             string          `json:"Note"`
	Phone            string          `json:"Phone"`
	Territories      []string        `json:"Territories"`
	SendEmailEnabled bool            `json:"SendEmailEnabled"`
	Address1         string          `json:"Address1"`
	Address2         string          `json:"Address2"`
	City             string          `json:"City"`
	State            string          `json:"State"`
	ZipCode          string          `json:"ZipCode"`
	ZipCodeExt       string          `json:"ZipCodeExt"`
	Country          string          `json:"Country"`
	CountryCode      string          `json:"CountryCode"`
	Attributes       []UserAttribute `json:"Attributes"`
	Permissions      []string        `json:"Permissions"`

	ts int64
}

// UserAttribute is a custom attribute of a user. Type (TextShort, TextLong,
// Numeric, Boolean, Select, MultipleSelect) shows only in the
// representatives export.
type UserAttribute struct {
	Title string `json:"Title"`
	Value string `json:"Value"`
	Type  string `json:"-"`
}

// Representative is a field rep as export/representatives returns it.
// Password is obsolete and always empty; Mobile is obsolete and always null.
type Representative struct {
	Code        string         `json:"Code"`
	Name        string         `json:"Name"`
	Note        string         `json:"Note"`
	Password    string         `json:"Password"`
	Email       string         `json:"Email"`
	Phone       string         `json:"Phone"`
	Mobile      *string        `json:"Mobile"`
	Territories []string       `json:"Territories"`
	Active      bool           `json:"Active"`
	Address1    string         `json:"Address1"`
	Address2    string         `json:"Address2"`
	City        string         `json:"City"`
	State       string         `json:"State"`
	ZipCode     string         `json:"ZipCode"`
	ZipCodeExt  string         `json:"ZipCodeExt"`
	Country     string         `json:"Country"`
	CountryCode string         `json:"CountryCode"`
	Attributes  []RepAttribute `json:"Attributes"`
}

// RepAttribute is a representative attribute with its type.
type RepAttribute struct {
	Title string `json:"Title"`
	Type  string `json:"Type"`
	Value string `json:"Value"`
}

// IsRepresentative reports whether the user has the Representative role.
func (u User) IsRepresentative() bool {
	for r := range strings.SplitSeq(u.Role, "|") {
		if r == RoleRepresentative {
			return true
		}
	}
	return false
}

func (u *User) representative() Representative {
	attrs := make([]RepAttribute, len(u.Attributes))
	for i, a := range u.Attributes {
		attrs[i] = RepAttribute{Title: a.Title, Type: a.Type, Value: a.Value}
	}
	return Representative{
		Code: u.Code, Name: u.Name, Note: u.Note, Email: u.Email, Phone: u.Phone,
		Territories: u.Territories, Active: u.Active, Address1: u.Address1, Address2: u.Address2,
		City: u.City, State: u.State, ZipCode: u.ZipCode, ZipCodeExt: u.ZipCodeExt,
		Country: u.Country, CountryCode: u.CountryCode, Attributes: attrs,
	}
}

// putUserLocked stores a new or changed user and stamps it. Callers hold s.mu.
func (s *Server) putUserLocked(u *User) {
	for _, p := range []*[]string{&u.Territories, &u.Permissions} {
		if *p == nil {
			*p = []string{}
		}
	}
	if u.Attributes == nil {
		u.Attributes = []UserAttribute{}
	}
	existing := u.ts != 0
	u.ts = s.st.tick()
	if !existing {
		if u.ID == "" {
			u.ID = guid(0x05e5, uint64(len(s.st.users)+1))
		}
		s.st.users = append(s.st.users, u)
		s.st.usersByCode[codeKey(u.Code)] = u
	}
	s.st.userTS.add(u, existing)
}

// handleExportUsers serves export/users/{lastTimeStamp}.
func (s *Server) handleExportUsers(w http.ResponseWriter, r *http.Request, p []string) {
	cursor, ok := parseCursor(w, p[0])
	if !ok {
		return
	}
	s.mu.RLock()
	rows := s.st.userTS.after(cursor, pageSize)
	s.mu.RUnlock()
	writeEnvelope(w, tsMeta(rows, cursor, func(u *User) int64 { return u.ts }), "Users", rows)
}

// handleExportRepresentatives serves export/representatives: the full list
// every time, without a MetaCollectionResult (its doc shows none). Guess:
// inactive reps are included; includeInactive is accepted and ignored.
func (s *Server) handleExportRepresentatives(w http.ResponseWriter, r *http.Request, _ []string) {
	s.mu.RLock()
	rows := make([]Representative, 0, len(s.st.users))
	for _, u := range s.st.users {
		if u.IsRepresentative() {
			rows = append(rows, u.representative())
		}
	}
	s.mu.RUnlock()
	writeEnvelope(w, nil, "Representatives", rows)
}
