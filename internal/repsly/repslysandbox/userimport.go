package repslysandbox

import (
	"net/http"
	"strings"
)

// userInput is an imported user (key Code; Code, Name and Email required).
type userInput struct {
	Code                      *string          `json:"Code"`
	Name                      *string          `json:"Name"`
	Email                     *string          `json:"Email"`
	Active                    *bool            `json:"Active"`
	Role                      *string          `json:"Role"`
	Note                      *string          `json:"Note"`
	Phone                     *string          `json:"Phone"`
	Territories               *[]string        `json:"Territories"`
	SendEmailEnabled          *bool            `json:"SendEmailEnabled"`
	Address1                  *string          `json:"Address1"`
	Address2                  *string          `json:"Address2"`
	City                      *string          `json:"City"`
	State                     *string          `json:"State"`
	ZipCode                   *string          `json:"ZipCode"`
	ZipCodeExt                *string          `json:"ZipCodeExt"`
	Country                   *string          `json:"Country"`
	CountryCode               *string          `json:"CountryCode"`
	Attributes                *[]UserAttribute `json:"Attributes"`
	Permissions               *[]string        `json:"Permissions"`
	Teams                     *[]string        `json:"Teams"`
	ShowActivitiesWithoutTeam *bool            `json:"ShowActivitiesWithoutTeam"`
}

// UserImportResult is the synchronous answer of import/user.
type UserImportResult struct {
	Code    int               `json:"Code"`
	Message string            `json:"Message"`
	Summary UserImportSummary `json:"Summary"`
}

// UserImportSummary counts what a user import did. ValidationErrors maps a
// row (its Code, or "#n") to its messages.
type UserImportSummary struct {
	CurrentUsersActive int                 `json:"CurrentUsersActive"`
	NewUsersActive     int                 `json:"NewUsersActive"`
	RowsTotal          int                 `json:"RowsTotal"`
	RowsInsert         int                 `json:"RowsInsert"`
	RowsUpdate         int                 `json:"RowsUpdate"`
	RowsInvalid        int                 `json:"RowsInvalid"`
	ValidationErrors   map[string][]string `json:"ValidationErrors"`
}

// handleImportUser serves import/user and import/userList ({"Users":[...]}).
// Unlike the other imports it is synchronous, as documented. Guess: when no
// row is valid the answer is HTTP 400 with Code 1; RowsTotal counts every
// posted row.
func (s *Server) handleImportUser(list bool) routeHandler {
	return func(w http.ResponseWriter, r *http.Request, _ []string) {
		body, ok := readImportBody(w, r)
		if !ok {
			return
		}
		rows, ok := decodeRows[userInput](w, body, list, "Users")
		if !ok {
			return
		}
		s.mu.Lock()
		sum := UserImportSummary{RowsTotal: len(rows), ValidationErrors: map[string][]string{}}
		for _, u := range s.st.users {
			if u.Active {
				sum.CurrentUsersActive++
			}
		}
		for i := range rows {
			s.applyUserLocked(&rows[i], i, &sum)
		}
		for _, u := range s.st.users {
			if u.Active {
				sum.NewUsersActive++
			}
		}
		s.mu.Unlock()
		res := UserImportResult{Code: 0, Message: "Users imported.", Summary: sum}
		status := http.StatusOK
		if sum.RowsInvalid == len(rows) {
			res.Code, res.Message, status = 1, "No user could be imported.", http.StatusBadRequest
		}
		writeJSON(w, status, res)
	}
}

func (s *Server) applyUserLocked(in *userInput, i int, sum *UserImportSummary) {
	id := rowID(deref(in.Code), i)
	var errs []string
	if msg := checkCode(in.Code, 20); msg != "" {
		errs = append(errs, msg)
	}
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		errs = append(errs, "Name is required.")
	} else if tooLong(in.Name, 80) {
		errs = append(errs, "Name is longer than 80 characters.")
	}
	if in.Email == nil || !strings.Contains(*in.Email, "@") {
		errs = append(errs, "Email is required and must be an e-mail address.")
	} else if tooLong(in.Email, 100) {
		errs = append(errs, "Email is longer than 100 characters.")
	}
	if len(errs) > 0 {
		sum.ValidationErrors[id] = errs
		sum.RowsInvalid++
		return
	}
	u, existing := s.st.user(*in.Code)
	if !existing {
		u = &User{Code: *in.Code, Active: true, Role: RoleRepresentative, SendEmailEnabled: true}
	}
	u.Name, u.Email = *in.Name, *in.Email
	for _, f := range []struct{ dst, src *string }{
		{&u.Role, in.Role}, {&u.Note, in.Note}, {&u.Phone, in.Phone}, {&u.Address1, in.Address1},
		{&u.Address2, in.Address2}, {&u.City, in.City}, {&u.State, in.State}, {&u.ZipCode, in.ZipCode},
		{&u.ZipCodeExt, in.ZipCodeExt}, {&u.Country, in.Country}, {&u.CountryCode, in.CountryCode},
	} {
		setStr(f.dst, f.src)
	}
	if in.Active != nil {
		u.Active = *in.Active
	}
	if in.SendEmailEnabled != nil {
		u.SendEmailEnabled = *in.SendEmailEnabled
	}
	if in.Territories != nil {
		u.Territories = append([]string{}, *in.Territories...)
	}
	if in.Attributes != nil {
		u.Attributes = append([]UserAttribute{}, *in.Attributes...)
	}
	if in.Permissions != nil {
		u.Permissions = append([]string{}, *in.Permissions...)
	}
	s.putUserLocked(u)
	if existing {
		sum.RowsUpdate++
	} else {
		sum.RowsInsert++
	}
}
