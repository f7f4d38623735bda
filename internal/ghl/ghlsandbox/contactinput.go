package ghlsandbox

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Contact DTOs (reference §5.2). UpdateContactDto is CreateContactDto minus
// locationId, gender and companyName; with whitelisting, sending any of
// them to PUT /contacts/{id} is a 422. additionalEmails and
// additionalPhones are in no DTO: the API refuses them (422) even though
// reads return them, as reported against the real service.
func contactShape(op string) shape {
	sh := shape{
		{name: "firstName", nullable: true},
		{name: "lastName", nullable: true},
		{name: "name", nullable: true},
		{name: "email", nullable: true, email: true},
		{name: "phone", nullable: true},
		{name: "address1", nullable: true},
		{name: "city", nullable: true},
		{name: "state", nullable: true},
		{name: "postalCode"},
		{name: "website", nullable: true},
		{name: "timezone", nullable: true},
		{name: "dnd", kind: kBool},
		{name: "dndSettings", kind: kObject},
		{name: "inboundDndSettings", kind: kObject},
		{name: "tags", kind: kStrings},
		{name: "customFields", kind: kArray},
		{name: "source", nullable: op == "update"},
		{name: "dateOfBirth", kind: kAny, nullable: true},
		{name: "country"},
		{name: "assignedTo", nullable: op == "update"},
	}
	if op != "update" {
		sh = append(sh,
			field{name: "locationId", required: true},
			field{name: "gender"},
			field{name: "companyName", nullable: true},
		)
	}
	if op == "upsert" {
		sh = append(sh, field{name: "createNewIfDuplicateAllowed", kind: kBool})
	}
	return sh
}

// contactStringFields maps DTO properties to the Contact fields they set.
var contactStringFields = map[string]func(*Contact) *string{
	"address1":    func(c *Contact) *string { return &c.Address1 },
	"city":        func(c *Contact) *string { return &c.City },
	"state":       func(c *Contact) *string { return &c.State },
	"postalCode":  func(c *Contact) *string { return &c.PostalCode },
	"website":     func(c *Contact) *string { return &c.Website },
	"timezone":    func(c *Contact) *string { return &c.Timezone },
	"source":      func(c *Contact) *string { return &c.Source },
	"country":     func(c *Contact) *string { return &c.Country },
	"assignedTo":  func(c *Contact) *string { return &c.AssignedTo },
	"gender":      func(c *Contact) *string { return &c.Gender },
	"companyName": func(c *Contact) *string { return &c.CompanyName },
}

var dndChannels = []string{"Call", "Email", "SMS", "WhatsApp", "GMB", "FB"}

// applyContactInput writes bound DTO properties into ct. Tags replace the
// contact's tags (documented for PUT); custom fields merge by id.
func applyContactInput(ls *locState, ct *Contact, in input) error {
	var msgs []string
	if name, ok := in.str("name"); ok && !in.has("firstName") && !in.has("lastName") {
		name = strings.TrimSpace(name)
		if i := strings.LastIndex(name, " "); i > 0 {
			ct.FirstName, ct.LastName = name[:i], name[i+1:]
		} else {
			ct.FirstName, ct.LastName = name, ""
		}
	}
	if v, ok := in.str("firstName"); ok {
		ct.FirstName = strings.TrimSpace(v)
	}
	if v, ok := in.str("lastName"); ok {
		ct.LastName = strings.TrimSpace(v)
	}
	for k, f := range contactStringFields {
		if v, ok := in.str(k); ok {
			*f(ct) = strings.TrimSpace(v)
		}
	}
	if v, ok := in.str("email"); ok {
		ct.Email = normalizeEmail(v)
	}
	if v, ok := in.str("phone"); ok {
		ct.Phone = v // normalised by normalizeContact, once the country is known
	}
	if v, ok := in.boolean("dnd"); ok {
		ct.DND = v
	}
	if v, ok := in["dndSettings"].(map[string]any); ok {
		settings, m := parseDNDSettings(v)
		msgs = append(msgs, m...)
		if ct.DNDSettings == nil {
			ct.DNDSettings = map[string]DNDSetting{}
		}
		for k, s := range settings {
			ct.DNDSettings[k] = s
		}
	}
	if v, ok := in["inboundDndSettings"].(map[string]any); ok {
		set, m := parseInboundDND(v)
		msgs = append(msgs, m...)
		if set != nil {
			ct.InboundDND = set
		}
	}
	if tags, ok := in.strs("tags"); ok {
		ct.Tags = normalizeTags(tags)
	}
	if v, ok := in["customFields"].([]any); ok {
		vals, m := parseCustomFieldInput(ls, v)
		msgs = append(msgs, m...)
		ct.CustomFields = mergeCustomFields(ct.CustomFields, vals)
	}
	if v, ok := in["dateOfBirth"]; ok {
		switch v := v.(type) {
		case nil:
			ct.DateOfBirth = time.Time{}
		case string:
			if v == "" {
				ct.DateOfBirth = time.Time{}
				break
			}
			t, err := parseDateOfBirth(v)
			if err != nil {
				msgs = append(msgs, "dateOfBirth must be a valid date")
			}
			ct.DateOfBirth = t
		default:
			msgs = append(msgs, "dateOfBirth must be a valid date")
		}
	}
	if len(msgs) > 0 {
		return errUnprocessable(msgs...)
	}
	return nil
}

func parseDNDSettings(v map[string]any) (map[string]DNDSetting, []string) {
	out := map[string]DNDSetting{}
	var msgs []string
	for k, raw := range v {
		if !slices.Contains(dndChannels, k) {
			msgs = append(msgs, "property dndSettings."+k+" should not exist")
			continue
		}
		set, m := parseDNDSetting("dndSettings."+k, raw, []string{"active", "inactive", "permanent"}, true)
		msgs = append(msgs, m...)
		if m == nil {
			out[k] = set
		}
	}
	return out, msgs
}

func parseInboundDND(v map[string]any) (*DNDSetting, []string) {
	var msgs []string
	var out *DNDSetting
	for k, raw := range v {
		if k != "all" {
			msgs = append(msgs, "property inboundDndSettings."+k+" should not exist")
			continue
		}
		set, m := parseDNDSetting("inboundDndSettings.all", raw, []string{"active", "inactive"}, false)
		msgs = append(msgs, m...)
		if m == nil {
			out = &set
		}
	}
	return out, msgs
}

func parseDNDSetting(path string, raw any, statuses []string, withCode bool) (DNDSetting, []string) {
	m, ok := raw.(map[string]any)
	if !ok {
		return DNDSetting{}, []string{path + " must be an object"}
	}
	sh := shape{{name: "status", required: true, enum: statuses}, {name: "message"}}
	if withCode {
		sh = append(sh, field{name: "code"})
	}
	in, err := validate(m, sh, false)
	if err != nil {
		var msgs []string
		for _, s := range err.(*apiError).body["message"].([]string) {
			if strings.HasPrefix(s, "property ") {
				msgs = append(msgs, "property "+path+"."+strings.TrimPrefix(s, "property "))
			} else {
				msgs = append(msgs, path+"."+s)
			}
		}
		return DNDSetting{}, msgs
	}
	status, _ := in.str("status")
	msg, _ := in.str("message")
	code, _ := in.str("code")
	return DNDSetting{Status: status, Message: msg, Code: code}, nil
}

// dobLayouts are the dateOfBirth formats CreateContactDto documents.
var dobLayouts = []string{
	"2006/01/02", "01/02/2006", "2006-01-02", "01-02-2006",
	"2006.01.02", "01.02.2006", "2006_01_02", "01_02_2006",
	time.RFC3339Nano, "2006-01-02T15:04:05.000Z",
}

func parseDateOfBirth(s string) (time.Time, error) {
	for _, l := range dobLayouts {
		if t, err := time.Parse(l, s); err == nil {
			y, m, d := t.Date()
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC), nil
		}
	}
	return time.Time{}, fmt.Errorf("bad date of birth %q", s)
}

// parseCustomFieldInput reads customFields items: {id | key, field_value}.
// "value" (the v1 name) and "fieldValue" (the v3 name) are accepted too.
// Items naming no known field are ignored, as the real service does.
func parseCustomFieldInput(ls *locState, items []any) ([]CustomFieldValue, []string) {
	var out []CustomFieldValue
	for _, raw := range items {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, []string{"each value in nested property customFields must be either object or array"}
		}
		id, _ := m["id"].(string)
		key, _ := m["key"].(string)
		def := findCustomField(ls, id, key)
		if def == nil {
			continue
		}
		var val any
		for _, k := range []string{"field_value", "fieldValue", "value"} {
			if v, ok := m[k]; ok {
				val = v
				break
			}
		}
		out = append(out, CustomFieldValue{ID: def.ID, Value: cloneValue(val)})
	}
	return out, nil
}

func findCustomField(ls *locState, id, key string) *CustomField {
	for i := range ls.loc.CustomFields {
		f := &ls.loc.CustomFields[i]
		switch {
		case id != "" && f.ID == id:
			return f
		case id == "" && key != "" && (f.Key == key || f.Key == "contact."+key):
			return f
		}
	}
	return nil
}

// mergeCustomFields sets each value by field id; an empty value clears it.
func mergeCustomFields(cur []CustomFieldValue, vals []CustomFieldValue) []CustomFieldValue {
	for _, v := range vals {
		i := slices.IndexFunc(cur, func(e CustomFieldValue) bool { return e.ID == v.ID })
		empty := isEmptyValue(v.Value)
		switch {
		case i >= 0 && empty:
			cur = slices.Delete(cur, i, i+1)
		case i >= 0:
			cur[i].Value = v.Value
		case !empty:
			cur = append(cur, v)
		}
	}
	return cur
}

func isEmptyValue(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case []string:
		return len(v) == 0
	}
	return false
}
