package ghlsandbox

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// POST /contacts/search: the body lives in an external doc (reference §6):
// locationId, pageLimit (≤ 500), page or searchAfter, filters (leaves
// {field, operator, value} and groups {group: AND|OR, filters}), sort
// [{field, direction}], query (≤ 75 characters, full text).
var searchShape = shape{
	{name: "locationId", required: true},
	{name: "pageLimit", kind: kNumber, required: true, min: ptr(1), max: ptr(500)},
	{name: "page", kind: kNumber, min: ptr(1)},
	{name: "searchAfter", kind: kArray},
	{name: "filters", kind: kArray},
	{name: "sort", kind: kArray},
	{name: "query", maxLen: 75},
}

// maxWindow is how deep page-based paging reaches; beyond it the service
// requires searchAfter (reference §6).
const maxWindow = 10_000

// searchFields are the filterable contact fields. Values are string,
// []string, bool or time.Time.
var searchFields = map[string]func(*Contact) any{
	"id":                 func(c *Contact) any { return c.ID },
	"email":              func(c *Contact) any { return c.Email },
	"phone":              func(c *Contact) any { return c.Phone },
	"firstName":          func(c *Contact) any { return c.FirstName },
	"lastName":           func(c *Contact) any { return c.LastName },
	"firstNameLowerCase": func(c *Contact) any { return strings.ToLower(c.FirstName) },
	"lastNameLowerCase":  func(c *Contact) any { return strings.ToLower(c.LastName) },
	"fullNameLowerCase":  func(c *Contact) any { return strings.ToLower(c.fullName()) },
	"contactName":        func(c *Contact) any { return c.fullName() },
	"companyName":        func(c *Contact) any { return c.CompanyName },
	"businessName":       func(c *Contact) any { return c.CompanyName },
	"businessId":         func(c *Contact) any { return c.BusinessID },
	"type":               func(c *Contact) any { return c.Type },
	"source":             func(c *Contact) any { return c.Source },
	"assignedTo":         func(c *Contact) any { return c.AssignedTo },
	"address":            func(c *Contact) any { return c.Address1 },
	"address1":           func(c *Contact) any { return c.Address1 },
	"city":               func(c *Contact) any { return c.City },
	"state":              func(c *Contact) any { return c.State },
	"country":            func(c *Contact) any { return c.Country },
	"postalCode":         func(c *Contact) any { return c.PostalCode },
	"website":            func(c *Contact) any { return c.Website },
	"timezone":           func(c *Contact) any { return c.Timezone },
	"tags":               func(c *Contact) any { return c.Tags },
	"followers":          func(c *Contact) any { return c.Followers },
	"additionalEmails":   func(c *Contact) any { return c.AdditionalEmails },
	"additionalPhones":   func(c *Contact) any { return c.AdditionalPhones },
	"dnd":                func(c *Contact) any { return c.DND },
	"dateAdded":          func(c *Contact) any { return c.DateAdded },
	"dateUpdated":        func(c *Contact) any { return c.DateUpdated },
	"dateOfBirth":        func(c *Contact) any { return c.DateOfBirth },
}

// fieldGetter resolves a filter or sort field; custom fields are
// "customFields.<id or key>".
func fieldGetter(ls *locState, name string) (func(*Contact) any, error) {
	if g, ok := searchFields[name]; ok {
		return g, nil
	}
	if ref, ok := strings.CutPrefix(name, "customFields."); ok {
		def := findCustomField(ls, ref, "")
		if def == nil {
			def = findCustomField(ls, "", ref)
		}
		if def != nil {
			id := def.ID
			return func(c *Contact) any {
				for _, cf := range c.CustomFields {
					if cf.ID == id {
						return cf.Value
					}
				}
				return nil
			}, nil
		}
	}
	return nil, errBadRequest("Invalid field %s", name)
}

type predicate func(*Contact) bool

// compileFilters turns filters (ANDed at the top level) into a predicate.
func compileFilters(ls *locState, filters []any, group string) (predicate, error) {
	var preds []predicate
	for _, raw := range filters {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, errBadRequest("Invalid filter")
		}
		if g, ok := m["group"]; ok {
			gs, _ := g.(string)
			sub, _ := m["filters"].([]any)
			if gs != "AND" && gs != "OR" {
				return nil, errBadRequest("Invalid group %v", g)
			}
			p, err := compileFilters(ls, sub, gs)
			if err != nil {
				return nil, err
			}
			preds = append(preds, p)
			continue
		}
		p, err := compileLeaf(ls, m)
		if err != nil {
			return nil, err
		}
		preds = append(preds, p)
	}
	if group == "OR" {
		return func(c *Contact) bool {
			return len(preds) == 0 || slices.ContainsFunc(preds, func(p predicate) bool { return p(c) })
		}, nil
	}
	return func(c *Contact) bool {
		for _, p := range preds {
			if !p(c) {
				return false
			}
		}
		return true
	}, nil
}

func compileLeaf(ls *locState, m map[string]any) (predicate, error) {
	name, _ := m["field"].(string)
	op, _ := m["operator"].(string)
	get, err := fieldGetter(ls, name)
	if err != nil {
		return nil, err
	}
	value, hasValue := m["value"]
	if name == "phone" {
		if s, ok := value.(string); ok {
			value = normalizePhone(s, "", ls.loc.Country)
		}
	}
	switch op {
	case "exists":
		return func(c *Contact) bool { return !isBlank(get(c)) }, nil
	case "not_exists":
		return func(c *Contact) bool { return isBlank(get(c)) }, nil
	}
	if !hasValue {
		return nil, errBadRequest("value is required for operator %s", op)
	}
	switch op {
	case "eq":
		return func(c *Contact) bool { return valueEq(get(c), value) }, nil
	case "not_eq":
		return func(c *Contact) bool { return !valueEq(get(c), value) }, nil
	case "contains":
		return func(c *Contact) bool { return valueContains(get(c), value) }, nil
	case "not_contains":
		return func(c *Contact) bool { return !valueContains(get(c), value) }, nil
	case "range":
		bounds, ok := value.(map[string]any)
		if !ok || len(bounds) == 0 {
			return nil, errBadRequest("range value must be an object with gt, gte, lt or lte")
		}
		for k := range bounds {
			if k != "gt" && k != "gte" && k != "lt" && k != "lte" {
				return nil, errBadRequest("Invalid range operator %s", k)
			}
		}
		return func(c *Contact) bool { return inRange(get(c), bounds) }, nil
	}
	return nil, errBadRequest("Invalid operator %s", op)
}

func isBlank(v any) bool {
	switch v := v.(type) {
	case time.Time:
		return v.IsZero()
	case bool:
		return false
	}
	return isEmptyValue(v)
}

// alternatives lists the values a filter value stands for (an array means
// "any of").
func alternatives(v any) []any {
	if arr, ok := v.([]any); ok {
		return arr
	}
	return []any{v}
}

func valueEq(field, want any) bool {
	for _, w := range alternatives(want) {
		switch f := field.(type) {
		case []string:
			if slices.ContainsFunc(f, func(e string) bool { return strings.EqualFold(e, toString(w)) }) {
				return true
			}
		case bool:
			if toString(w) == fmt.Sprint(f) {
				return true
			}
		case time.Time:
			if t, ok := toTime(w); ok && !f.IsZero() && f.Equal(t) {
				return true
			}
		case []any:
			if slices.ContainsFunc(f, func(e any) bool { return strings.EqualFold(toString(e), toString(w)) }) {
				return true
			}
		default:
			if f != nil && strings.EqualFold(toString(f), toString(w)) {
				return true
			}
		}
	}
	return false
}

func valueContains(field, want any) bool {
	for _, w := range alternatives(want) {
		sub := strings.ToLower(toString(w))
		switch f := field.(type) {
		case []string:
			if slices.ContainsFunc(f, func(e string) bool { return strings.Contains(strings.ToLower(e), sub) }) {
				return true
			}
		case []any:
			if slices.ContainsFunc(f, func(e any) bool { return strings.Contains(strings.ToLower(toString(e)), sub) }) {
				return true
			}
		case nil, bool, time.Time:
		default:
			if strings.Contains(strings.ToLower(toString(f)), sub) {
				return true
			}
		}
	}
	return false
}

func inRange(field any, bounds map[string]any) bool {
	for op, b := range bounds {
		c, ok := compareTo(field, b)
		if !ok {
			return false
		}
		switch {
		case op == "gt" && c <= 0, op == "gte" && c < 0, op == "lt" && c >= 0, op == "lte" && c > 0:
			return false
		}
	}
	return true
}

// compareTo compares a field value with a bound: dates with epoch ms or ISO
// strings, numbers with numbers, strings with strings.
func compareTo(field, bound any) (int, bool) {
	switch f := field.(type) {
	case time.Time:
		t, ok := toTime(bound)
		if f.IsZero() || !ok {
			return 0, false
		}
		return f.Compare(t), true
	case float64:
		n, ok := bound.(float64)
		return cmp.Compare(f, n), ok
	case string:
		if f == "" {
			return 0, false
		}
		return strings.Compare(strings.ToLower(f), strings.ToLower(toString(bound))), true
	}
	return 0, false
}

func toString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return fmtNum(v)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}

func toTime(v any) (time.Time, bool) {
	switch v := v.(type) {
	case float64:
		return time.UnixMilli(int64(v)), true
	case string:
		t, err := parseISOTime(v)
		return t, err == nil
	}
	return time.Time{}, false
}

// matchesQuery is the full-text "query": a case-insensitive substring of
// the name, email, phone or company.
func matchesQuery(c *Contact, q string) bool {
	q = strings.ToLower(strings.TrimSpace(q))
	if q == "" {
		return true
	}
	for _, s := range []string{c.fullName(), c.Email, c.Phone, c.CompanyName} {
		if strings.Contains(strings.ToLower(s), q) {
			return true
		}
	}
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, q)
	return len(digits) >= 3 && strings.Contains(c.Phone, digits)
}
