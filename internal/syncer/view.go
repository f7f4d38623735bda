package syncer

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// record is a flat view of one side's record: field name to value, with
// custom fields as "customFields.<key>". Empty values (nil, "", empty
// lists) are absent, so "blank" and "missing" compare equal.
type record map[string]any

// toMap turns a typed record into its JSON map.
func toMap(v any) (map[string]any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	return m, nil
}

// repslyInput is the mapping input of a Repsly client: its JSON fields.
// It is built field by field rather than through a JSON round trip, which
// cost more than the rest of a backfill's bookkeeping per record; a test
// keeps it equal to the JSON form.
func repslyInput(c repsly.ClientRecord) (map[string]any, error) {
	m := map[string]any{
		"ClientID": float64(c.ClientID), "TimeStamp": float64(c.TimeStamp), "Code": c.Code, "Name": c.Name,
		"Active": c.Active, "Tag": c.Tag, "Territory": c.Territory, "RepresentativeCode": c.RepresentativeCode,
		"RepresentativeName": c.RepresentativeName, "StreetAddress": c.StreetAddress, "ZIP": c.ZIP, "ZIPExt": c.ZIPExt,
		"City": c.City, "State": c.State, "Country": c.Country, "Email": c.Email, "Phone": c.Phone, "Mobile": c.Mobile,
		"Website": c.Website, "ContactName": c.ContactName, "ContactTitle": c.ContactTitle, "Note": c.Note, "Status": c.Status,
	}
	m["CustomFields"], m["PriceLists"] = nil, nil // JSON null when the record has none
	if c.CustomFields != nil {
		cfs := make([]any, 0, len(c.CustomFields))
		for _, f := range c.CustomFields {
			cfs = append(cfs, map[string]any{"Field": f.Field, "Value": f.Value})
		}
		m["CustomFields"] = cfs
	}
	if c.PriceLists != nil {
		pls := make([]any, 0, len(c.PriceLists))
		for _, p := range c.PriceLists {
			pls = append(pls, p)
		}
		m["PriceLists"] = pls
	}
	if c.AccountCode != "" {
		m["AccountCode"] = c.AccountCode
	}
	return m, nil
}

// ghlInput is the mapping input of a HighLevel contact: its JSON with each
// custom field's key added, so customField(contact, "repsly_client_code")
// finds it whether the payload named it by id or key.
func ghlInput(c ghl.Contact, keyOf map[string]string) (map[string]any, error) {
	m, err := structMap(c)
	if err != nil {
		return nil, fmt.Errorf("syncer: contact %s: %w", c.ID, err)
	}
	// Search results name the street "address"; every other read and
	// write says "address1".
	if _, ok := m["address1"]; !ok {
		if a, ok := m["address"]; ok {
			m["address1"] = a
		}
	}
	delete(m, "address")
	if list, ok := m["customFields"].([]any); ok {
		for _, e := range list {
			if f, ok := e.(map[string]any); ok {
				if id, _ := f["id"].(string); id != "" && keyOf[id] != "" {
					f["key"] = keyOf[id]
				}
			}
		}
	}
	return m, nil
}

// flatten makes a record from a mapping output or a side's fields: nested
// maps become dotted keys one level deep, custom field lists become
// "customFields.<key>" entries, and empty values are dropped.
func flatten(m map[string]any) record {
	out := make(record, len(m))
	for k, v := range m {
		switch x := v.(type) {
		case map[string]any:
			for k2, v2 := range x {
				out.set(k+"."+k2, v2)
			}
		case []any:
			if k == "customFields" && len(x) > 0 {
				if _, isObj := x[0].(map[string]any); isObj {
					for _, e := range x {
						f, _ := e.(map[string]any)
						key, _ := f["key"].(string)
						if key == "" {
							continue // unknown field id: not a synced field
						}
						val := f["value"]
						if val == nil {
							val = f["field_value"]
						}
						out.set("customFields."+strings.TrimPrefix(key, "contact."), val)
					}
					continue
				}
			}
			out.set(k, v)
		default:
			out.set(k, v)
		}
	}
	return out
}

func (r record) set(k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case string:
		if strings.TrimSpace(x) == "" {
			return
		}
	case []any:
		if len(x) == 0 {
			return
		}
		if k == "tags" {
			v = sortedStrings(x)
		}
	}
	r[k] = v
}

// sortedStrings normalises a tag list as HighLevel stores tags: trimmed,
// lower-cased, each once, sorted.
func sortedStrings(xs []any) []any {
	ss := make([]string, 0, len(xs))
	for _, x := range xs {
		t, ok := x.(string)
		if !ok {
			t = fmt.Sprint(x)
		}
		if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
			ss = append(ss, t)
		}
	}
	slices.Sort(ss)
	ss = slices.Compact(ss)
	out := make([]any, len(ss))
	for i, t := range ss {
		out[i] = t
	}
	return out
}

// equal compares two field values after JSON normalisation; an empty list
// or text equals nothing.
func equal(a, b any) bool {
	a, b = emptyToNil(a), emptyToNil(b)
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	if as, ok := a.(string); ok {
		bs, ok := b.(string)
		return ok && as == bs
	}
	ja, err1 := json.Marshal(a)
	jb, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(ja) == string(jb)
}

// diff lists the keys whose values differ between a and b, sorted.
func diff(a, b record) []string {
	var keys []string
	for k, v := range a {
		if !equal(v, b[k]) {
			keys = append(keys, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

func (r record) clone() record {
	out := make(record, len(r))
	for k, v := range r {
		out[k] = v
	}
	return out
}

// merge returns r with patch applied (a nil value removes the key).
func (r record) merge(patch record) record {
	out := r.clone()
	for k, v := range patch {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}

func (r record) json() string {
	b, _ := json.Marshal(map[string]any(r))
	return string(b)
}

func parseRecord(s string) record {
	var m map[string]any
	_ = json.Unmarshal([]byte(s), &m)
	if m == nil {
		return record{}
	}
	return record(m)
}

func emptyToNil(v any) any {
	switch x := v.(type) {
	case []any:
		if len(x) == 0 {
			return nil
		}
	case string:
		if strings.TrimSpace(x) == "" {
			return nil
		}
	}
	return v
}
