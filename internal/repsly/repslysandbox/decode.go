package repslysandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// decodeExact decodes JSON into dst matching member names case-sensitively
// and ignoring unknown members, as WCF's DataContractJsonSerializer does.
// encoding/json alone would accept "code" for "Code"; the real service would
// silently drop it, so a client with a casing bug must see that here too.
func decodeExact(raw []byte, dst any) error {
	var v any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&v); err != nil {
		return fmt.Errorf("decode body: %w", err)
	}
	if d.More() {
		return fmt.Errorf("decode body: trailing data")
	}
	v = filterMembers(reflect.TypeOf(dst), v)
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("decode body: %w", err)
	}
	if err := json.Unmarshal(b, dst); err != nil {
		return fmt.Errorf("decode body: %w", err)
	}
	return nil
}

// filterMembers drops object members that do not exactly match a json tag of
// the struct type t expects at that position, recursively.
func filterMembers(t reflect.Type, v any) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return v // let json.Unmarshal report the type mismatch
		}
		if t.Implements(reflect.TypeFor[json.Unmarshaler]()) || reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
			return v
		}
		out := make(map[string]any, len(obj))
		for i := range t.NumField() {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				name = f.Name
			}
			if mv, ok := obj[name]; ok {
				out[name] = filterMembers(f.Type, mv)
			}
		}
		return out
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return v
		}
		for i := range arr {
			arr[i] = filterMembers(t.Elem(), arr[i])
		}
		return arr
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return v
		}
		for k := range obj {
			obj[k] = filterMembers(t.Elem(), obj[k])
		}
		return obj
	}
	return v
}

// decodeList decodes a batch body: the object {"<key>":[...]} or, leniently,
// a bare array. Guess: only the user-list wrapper {"Users":[...]} is
// documented; the other list imports are assumed to follow it, and the bare
// array is accepted because the wrapper itself is unconfirmed.
func decodeList[T any](raw []byte, key string) ([]T, error) {
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var rows []T
		if err := decodeExact(raw, &rows); err != nil {
			return nil, err
		}
		return rows, nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, fmt.Errorf("decode body: %w", err)
	}
	var rows []T
	if inner, ok := obj[key]; ok {
		if err := decodeExact(inner, &rows); err != nil {
			return nil, err
		}
	}
	return rows, nil
}
