package mapping

import "strings"

// Keys that identify a custom-field entry, in the order they are tried.
// HighLevel contacts carry {id, value} (and {id|key, field_value} on input);
// Repsly clients carry {Field, Value}.
var (
	customFieldIDKeys    = []string{"key", "fieldKey", "id", "Field", "name", "Title"}
	customFieldValueKeys = []string{"value", "field_value", "fieldValue", "Value"}
)

// FindCustomField finds the entry of a custom-field list whose key, id or
// name equals name and returns its value. A HighLevel key may be given with
// or without its "contact." prefix.
func FindCustomField(list []any, name string) (any, bool) {
	for _, item := range list {
		entry, ok := item.(map[string]any)
		if !ok {
			continue
		}
		if !customFieldMatches(entry, name) {
			continue
		}
		for _, vk := range customFieldValueKeys {
			if v, ok := entry[vk]; ok {
				return v, true
			}
		}
		return nil, true
	}
	return nil, false
}

func customFieldMatches(entry map[string]any, name string) bool {
	for _, k := range customFieldIDKeys {
		id, ok := entry[k].(string)
		if !ok || id == "" {
			continue
		}
		if id == name || strings.TrimPrefix(id, "contact.") == strings.TrimPrefix(name, "contact.") {
			return true
		}
	}
	return false
}
