package ghlsandbox

import (
	"net/http"
	"slices"
	"strings"
)

// customFieldTypes are the dataType values HighLevel knows.
var customFieldTypes = []string{"TEXT", "LARGE_TEXT", "NUMERICAL", "PHONE", "MONETORY", "CHECKBOX",
	"SINGLE_OPTIONS", "MULTIPLE_OPTIONS", "FLOAT", "TIME", "DATE", "TEXTBOX_LIST", "FILE_UPLOAD",
	"SIGNATURE", "RADIO", "EMAIL"}

var (
	customFieldsQuery = shape{{name: "model", enum: []string{"contact", "opportunity", "all"}}}
	createFieldShape  = shape{
		{name: "name", required: true},
		{name: "dataType", required: true, enum: customFieldTypes},
		{name: "placeholder"},
		{name: "acceptedFormat", kind: kStrings},
		{name: "isMultipleFile", kind: kBool},
		{name: "maxNumberOfFiles", kind: kNumber},
		{name: "textBoxListOptions", kind: kArray},
		{name: "position", kind: kNumber},
		{name: "model", enum: []string{"contact", "opportunity"}},
	}
)

// fillCustomField completes a custom field definition.
func fillCustomField(f *CustomField, pos int, newID func() string) {
	if f.ID == "" {
		f.ID = newID()
	}
	if f.Model == "" {
		f.Model = "contact"
	}
	if f.Key == "" {
		f.Key = f.Model + "." + slug(f.Name)
	} else if !strings.Contains(f.Key, ".") {
		f.Key = f.Model + "." + f.Key
	}
	if f.DataType == "" {
		f.DataType = "TEXT"
	}
	if f.Position == 0 {
		f.Position = pos * 50
	}
}

// slug turns a field name into a field key: lower case, underscores.
func slug(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(name)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteByte('_')
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

func customFieldJSON(locationID string, f *CustomField) obj {
	m := obj{"id": f.ID, "name": f.Name, "fieldKey": f.Key, "dataType": f.DataType,
		"position": f.Position, "locationId": locationID, "model": f.Model}
	putStr(m, "placeholder", f.Placeholder)
	if len(f.PicklistOptions) > 0 {
		m["picklistOptions"] = slices.Clone(f.PicklistOptions)
	}
	return m
}

// GET /locations/{locationId} (get-location): 200 {location}.
func (s *Server) hGetLocation(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	l := ls.loc
	m := obj{
		"id": l.ID, "companyId": l.CompanyID, "name": l.Name, "country": l.Country, "timezone": l.Timezone,
		"settings": obj{
			"allowDuplicateContact":     l.AllowDuplicateContact,
			"allowDuplicateOpportunity": false,
			"allowFacebookNameMerge":    false,
			"disableContactTimezone":    false,
		},
	}
	for k, v := range map[string]string{"email": l.Email, "phone": l.Phone, "address": l.Address,
		"city": l.City, "state": l.State, "postalCode": l.PostalCode, "website": l.Website} {
		putStr(m, k, v)
	}
	m["business"] = obj{"name": l.Name, "country": l.Country, "timezone": l.Timezone}
	return http.StatusOK, obj{"location": m}, nil
}

// GET /locations/{locationId}/customFields: 200 {customFields}.
func (s *Server) hCustomFields(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	model, _ := c.q.str("model")
	out := []obj{}
	for i := range ls.loc.CustomFields {
		f := &ls.loc.CustomFields[i]
		if model == "" || model == "all" || f.Model == model {
			out = append(out, customFieldJSON(ls.loc.ID, f))
		}
	}
	return http.StatusOK, obj{"customFields": out}, nil
}

// GET /locations/{locationId}/customFields/{id}: 200 {customField}; id may
// be the field id or its key ("contact.x").
func (s *Server) hCustomField(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	id := c.param("id")
	for i := range ls.loc.CustomFields {
		if f := &ls.loc.CustomFields[i]; f.ID == id || f.Key == id {
			return http.StatusOK, obj{"customField": customFieldJSON(ls.loc.ID, f)}, nil
		}
	}
	return 0, nil, errBadRequest("Custom field with id %s not found", id)
}

// POST /locations/{locationId}/customFields: 201 {customField}.
func (s *Server) hCreateCustomField(c *call) (int, any, error) {
	ls, err := s.needLocation(c, c.param("locationId"))
	if err != nil {
		return 0, nil, err
	}
	f := CustomField{}
	f.Name, _ = c.in.str("name")
	f.DataType, _ = c.in.str("dataType")
	f.Placeholder, _ = c.in.str("placeholder")
	f.Model, _ = c.in.str("model")
	if p, ok := c.in.num("position"); ok {
		f.Position = int(p)
	}
	if opts, ok := c.in["textBoxListOptions"].([]any); ok {
		for _, o := range opts {
			if m, ok := o.(map[string]any); ok {
				if l, ok := m["label"].(string); ok {
					f.PicklistOptions = append(f.PicklistOptions, l)
				}
			}
		}
	}
	created := s.addCustomField(ls, f)
	return http.StatusCreated, obj{"customField": customFieldJSON(ls.loc.ID, &created)}, nil
}

func (s *Server) addCustomField(ls *locState, f CustomField) CustomField {
	fillCustomField(&f, len(ls.loc.CustomFields)+1, s.newID)
	ls.loc.CustomFields = append(ls.loc.CustomFields, f)
	s.searchVersion++ // a filter naming the field may now compile otherwise
	return f
}

// AddCustomField defines a contact custom field in a location, as a user
// would in Settings, and returns it with its id and key.
func (s *Server) AddCustomField(locationID string, f CustomField) (CustomField, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	ls, ok := s.locs[locationID]
	if !ok {
		return CustomField{}, ErrNotFound
	}
	return s.addCustomField(ls, f), nil
}
