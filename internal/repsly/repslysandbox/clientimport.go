package repslysandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// clientInput is an imported client. Pointer fields distinguish "absent or
// null" from a value. Guess: the docs only say PriceLists null and [] differ;
// the sandbox reads every null/absent field as "leave unchanged" on update
// (DataContract leaves missing members null), and [] as "detach all".
type clientInput struct {
	Code               *string            `json:"Code"`
	Name               *string            `json:"Name"`
	Active             *bool              `json:"Active"`
	Tag                *string            `json:"Tag"`
	Territory          *string            `json:"Territory"`
	RepresentativeCode *string            `json:"RepresentativeCode"`
	StreetAddress      *string            `json:"StreetAddress"`
	ZIP                *string            `json:"ZIP"`
	ZIPExt             *string            `json:"ZIPExt"`
	City               *string            `json:"City"`
	State              *string            `json:"State"`
	Country            *string            `json:"Country"`
	Email              *string            `json:"Email"`
	Phone              *string            `json:"Phone"`
	Mobile             *string            `json:"Mobile"`
	Website            *string            `json:"Website"`
	ContactName        *string            `json:"ContactName"`
	ContactTitle       *string            `json:"ContactTitle"`
	Note               *string            `json:"Note"`
	Status             *string            `json:"Status"`
	CustomFields       *[]CustomField     `json:"CustomFields"`
	PriceLists         *[]json.RawMessage `json:"PriceLists"`
	AccountCode        *string            `json:"AccountCode"`
}

// clientField binds an input field to the Client field it sets and its
// documented maximum length (Email is 128 on import, 255 on export).
type clientField struct {
	name string
	max  int
	in   func(*clientInput) *string
	out  func(*Client) *string
}

// clientFields lists the plain string fields of an imported client.
func clientFields() []clientField {
	return []clientField{
		{"Tag", 0, func(i *clientInput) *string { return i.Tag }, func(c *Client) *string { return &c.Tag }},
		{"StreetAddress", 255, func(i *clientInput) *string { return i.StreetAddress }, func(c *Client) *string { return &c.StreetAddress }},
		{"ZIP", 20, func(i *clientInput) *string { return i.ZIP }, func(c *Client) *string { return &c.ZIP }},
		{"ZIPExt", 20, func(i *clientInput) *string { return i.ZIPExt }, func(c *Client) *string { return &c.ZIPExt }},
		{"City", 255, func(i *clientInput) *string { return i.City }, func(c *Client) *string { return &c.City }},
		{"State", 255, func(i *clientInput) *string { return i.State }, func(c *Client) *string { return &c.State }},
		{"Country", 255, func(i *clientInput) *string { return i.Country }, func(c *Client) *string { return &c.Country }},
		{"Email", 128, func(i *clientInput) *string { return i.Email }, func(c *Client) *string { return &c.Email }},
		{"Phone", 128, func(i *clientInput) *string { return i.Phone }, func(c *Client) *string { return &c.Phone }},
		{"Mobile", 128, func(i *clientInput) *string { return i.Mobile }, func(c *Client) *string { return &c.Mobile }},
		{"Website", 255, func(i *clientInput) *string { return i.Website }, func(c *Client) *string { return &c.Website }},
		{"ContactName", 255, func(i *clientInput) *string { return i.ContactName }, func(c *Client) *string { return &c.ContactName }},
		{"ContactTitle", 50, func(i *clientInput) *string { return i.ContactTitle }, func(c *Client) *string { return &c.ContactTitle }},
		{"Note", 255, func(i *clientInput) *string { return i.Note }, func(c *Client) *string { return &c.Note }},
		{"Status", 0, func(i *clientInput) *string { return i.Status }, func(c *Client) *string { return &c.Status }},
	}
}

// checkCode validates an entity key. Guess: the docs give only the maximum
// length; empty keys, control characters and surrounding spaces are also
// refused because the key is matched exactly and used in URL paths.
func checkCode(code *string, max int) string {
	switch {
	case code == nil || strings.TrimSpace(*code) == "":
		return "Code is required."
	case utf8.RuneCountInString(*code) > max:
		return fmt.Sprintf("Code is longer than %d characters.", max)
	case strings.TrimSpace(*code) != *code:
		return "Code must not start or end with spaces."
	case strings.ContainsFunc(*code, unicode.IsControl):
		return "Code contains invalid characters."
	}
	return ""
}

func tooLong(s *string, max int) bool {
	return s != nil && max > 0 && utf8.RuneCountInString(*s) > max
}

// applyClientLocked validates one imported client and upserts it by Code,
// counting it in res, or records its errors in res and leaves the account
// untouched. Callers hold s.mu.
func (s *Server) applyClientLocked(in *clientInput, i int, res *rowResult) {
	key := ""
	if in.Code != nil {
		key = *in.Code
	}
	id := rowID(key, i)
	bad := false
	if msg := checkCode(in.Code, 50); msg != "" {
		res.fail(id, "Code", msg)
		bad = true
	}
	var existing *Client
	if !bad {
		existing, _ = s.st.client(*in.Code)
	}
	// Name is documented as required on every import, insert or update.
	if in.Name == nil || strings.TrimSpace(*in.Name) == "" {
		res.fail(id, "Name", "Name is required.")
		bad = true
	} else if tooLong(in.Name, 255) {
		res.fail(id, "Name", "Name is longer than 255 characters.")
		bad = true
	}
	for _, f := range clientFields() {
		if v := f.in(in); tooLong(v, f.max) {
			res.fail(id, f.name, fmt.Sprintf("%s is longer than %d characters.", f.name, f.max))
			bad = true
		}
	}
	if in.Territory != nil {
		for level := range strings.SplitSeq(*in.Territory, ">") {
			if utf8.RuneCountInString(level) > 80 {
				res.fail(id, "Territory", "Territory level is longer than 80 characters.")
				bad = true
				break
			}
		}
	}
	var priceLists []string
	if in.PriceLists != nil {
		priceLists = []string{}
		for _, raw := range *in.PriceLists {
			name, okName := pricelistName(raw)
			if !okName {
				res.fail(id, "PriceLists", "PriceLists must hold pricelist names.")
				bad = true
				continue
			}
			if s.pricelistByNameLocked(name) == nil {
				res.warn(id, "PriceLists", fmt.Sprintf("Pricelist '%s' does not exist and was skipped.", name))
				continue
			}
			priceLists = append(priceLists, name)
		}
	}
	if bad {
		return
	}

	c := existing
	if c == nil {
		c = &Client{Code: *in.Code, Active: true}
	}
	c.Name = *in.Name
	if in.Active != nil {
		c.Active = *in.Active
	}
	for _, f := range clientFields() {
		if v := f.in(in); v != nil {
			*f.out(c) = *v
		}
	}
	if in.Territory != nil {
		c.Territory = strings.TrimSpace(*in.Territory)
	}
	if in.RepresentativeCode != nil {
		switch rep, found := s.st.user(*in.RepresentativeCode); {
		case *in.RepresentativeCode == "":
			c.RepresentativeCode, c.RepresentativeName = "", ""
		case !found:
			// Guess: an unknown rep is a warning and the assignment is skipped.
			res.warn(id, "RepresentativeCode", fmt.Sprintf("Representative '%s' does not exist.", *in.RepresentativeCode))
		default:
			c.RepresentativeCode, c.RepresentativeName = rep.Code, rep.Name
		}
	}
	if in.CustomFields != nil {
		c.CustomFields = append([]CustomField{}, *in.CustomFields...)
	}
	if priceLists != nil {
		c.PriceLists = priceLists
	}
	if in.AccountCode != nil {
		if _, found := s.st.accounts[codeKey(*in.AccountCode)]; found || *in.AccountCode == "" {
			c.AccountCode = *in.AccountCode
		} else {
			res.warn(id, "AccountCode", fmt.Sprintf("Account '%s' does not exist.", *in.AccountCode))
		}
	}
	if existing == nil && c.geo == ([2]float64{}) {
		c.geo = geoFor(s.geo, c.Country, uint64(len(c.Code))*7919+uint64(s.st.lastClientID))
	}
	s.putClientLocked(c)
	countRow(res, existing != nil)
}

// pricelistName reads a PriceLists element: a name, or {"Name": name} (the
// docs write PriceLists\Name, real code sends strings).
func pricelistName(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	var name string
	if err := json.Unmarshal(raw, &name); err == nil {
		return name, true
	}
	var obj struct {
		Name *string `json:"Name"`
	}
	if err := decodeExact(raw, &obj); err == nil && obj.Name != nil {
		return *obj.Name, true
	}
	return "", false
}

// decodeRows decodes a single-record or batch import body and answers the
// request itself when the body is unusable: a body that does not deserialize
// gets the WCF HTML error page, an empty batch {Code:1, Message}.
// Per-record problems are not checked here; they end in the job's Errors.
func decodeRows[T any](w http.ResponseWriter, body []byte, list bool, key string) ([]T, bool) {
	var rows []T
	if list {
		var err error
		if rows, err = decodeList[T](body, key); err != nil {
			writeRequestError(w, http.StatusBadRequest, "The request body could not be deserialized: "+err.Error())
			return nil, false
		}
		if len(rows) == 0 {
			writeJSON(w, http.StatusBadRequest, Result{Code: 1, Message: "No " + key + " to import."})
			return nil, false
		}
		return rows, true
	}
	// A single-record endpoint takes one object; an array (as the generated
	// Postman collection posts) does not deserialize into it.
	if t := bytes.TrimSpace(body); len(t) == 0 || t[0] != '{' {
		writeRequestError(w, http.StatusBadRequest, "The request body could not be deserialized: expected one JSON object.")
		return nil, false
	}
	var one T
	if err := decodeExact(body, &one); err != nil {
		writeRequestError(w, http.StatusBadRequest, "The request body could not be deserialized: "+err.Error())
		return nil, false
	}
	return []T{one}, true
}
