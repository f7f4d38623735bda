package automation

import (
	"context"
	"encoding/json"
	"fmt"
)

// addFieldKeys gives every {id, value} entry of a customFields list in
// record (at any depth) the key of its field: {id, key:
// contact.repsly_client_code, value}. HighLevel sends custom fields by id
// only, in API answers and webhooks alike, while flows name them by key
// (customField(contact, "repsly_client_code")). The definitions are read
// once per Executor and connection, and only when a record has such a
// list. When they cannot be read the run fails rather than go on: a flow
// that tests a custom field would otherwise take a set field for an empty
// one (and, say, make a second Repsly client for a contact that has one).
func (e *Executor) addFieldKeys(ctx context.Context, conn string, record any) error {
	var (
		keys map[string]string
		err  error
	)
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, child := range x {
				list, ok := child.([]any)
				if !ok || k != "customFields" || !needsKeys(list) {
					walk(child)
					continue
				}
				if keys == nil && err == nil {
					keys, err = e.fieldKeys(ctx, conn)
				}
				for _, item := range list {
					m, _ := item.(map[string]any)
					if id, _ := m["id"].(string); id != "" && m["key"] == nil && keys[id] != "" {
						m["key"] = keys[id]
					}
				}
			}
		case []any:
			for _, child := range x {
				walk(child)
			}
		}
	}
	walk(record)
	return err
}

// needsKeys reports whether a list holds an entry with an id but no key.
func needsKeys(list []any) bool {
	for _, item := range list {
		if m, ok := item.(map[string]any); ok && m["id"] != nil && m["key"] == nil {
			return true
		}
	}
	return false
}

// fieldKeys returns the connection's contact custom field keys by id.
func (e *Executor) fieldKeys(ctx context.Context, conn string) (map[string]string, error) {
	if keys, ok := e.fields[conn]; ok {
		return keys, nil
	}
	entry, err := e.catalog.Get("ghl.location.custom_field.list")
	if err != nil {
		return nil, err
	}
	body, err := entry.Run(ctx, e.clients, conn, json.RawMessage(`{"model":"contact"}`))
	if err != nil {
		return nil, fmt.Errorf("automation: custom field keys of %q: %w", conn, err)
	}
	var out struct {
		CustomFields []struct {
			ID       string `json:"id"`
			FieldKey string `json:"fieldKey"`
		} `json:"customFields"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("automation: custom field keys of %q: %w", conn, err)
	}
	keys := make(map[string]string, len(out.CustomFields))
	for _, f := range out.CustomFields {
		keys[f.ID] = f.FieldKey
	}
	e.fields[conn] = keys
	return keys, nil
}
