package catalog

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// reflector derives schemas from Go types. Named nested types go to $defs
// (ghl.Filter is recursive, so everything cannot be inlined); the root is
// expanded so its properties can be listed in the docs.
func reflector() *jsonschema.Reflector {
	return &jsonschema.Reflector{
		Anonymous:      true,
		ExpandedStruct: true,
		Mapper:         mapType,
	}
}

// mapType gives the schemas of types whose JSON form reflection gets wrong:
// they marshal themselves.
func mapType(t reflect.Type) *jsonschema.Schema {
	switch t {
	case reflect.TypeFor[json.RawMessage]():
		return &jsonschema.Schema{Description: "any JSON value"}
	case reflect.TypeFor[repsly.Time]():
		return &jsonschema.Schema{
			AnyOf: []*jsonschema.Schema{
				{Type: "string", Description: "a date or time: 2006-01-02, RFC 3339, 15:04 or /Date(ms)/"},
				{Type: "null"},
			},
		}
	case reflect.TypeFor[repsly.Text]():
		return &jsonschema.Schema{Description: "text, number or boolean"}
	case reflect.TypeFor[repsly.PriceListNames]():
		return &jsonschema.Schema{Type: "array", Items: &jsonschema.Schema{Type: "string"}}
	case reflect.TypeFor[ghl.EventTime]():
		return &jsonschema.Schema{Type: "string", Format: "date-time"}
	}
	return nil
}

// schemaOf reflects T into a JSON Schema whose root requires exactly
// required (the Go types' omitempty tags describe the API bodies, not what a
// user must give) and lacks the omitted properties (locationId: the
// connection decides it).
func schemaOf[T any](required []string, omit ...string) json.RawMessage {
	s := reflector().Reflect(new(T))
	s.Required = required
	for _, name := range omit {
		s.Properties.Delete(name)
	}
	return mustJSON(s)
}

// outputOf reflects T with nothing required: it documents what comes back.
func outputOf[T any]() json.RawMessage {
	s := reflector().Reflect(new(T))
	clearRequired(s)
	return mustJSON(s)
}

func clearRequired(s *jsonschema.Schema) {
	if s == nil {
		return
	}
	s.Required = nil
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		clearRequired(p.Value)
	}
	for _, d := range s.Definitions {
		clearRequired(d)
	}
	clearRequired(s.Items)
}

// listOf wraps an item schema into {"type":"array","items":...}.
func listOf(item json.RawMessage) json.RawMessage {
	return wrap(item, func(it any) map[string]any { return map[string]any{"type": "array", "items": it} })
}

// wrap builds a schema around a reflected one: build gets the inner schema
// without $schema and $defs, and the $defs move to the new root, where the
// inner "#/$defs/..." references point.
func wrap(inner json.RawMessage, build func(inner any) map[string]any) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(inner, &m); err != nil {
		panic(fmt.Sprintf("catalog: wrap schema: %v", err))
	}
	defs := m["$defs"]
	delete(m, "$defs")
	delete(m, "$schema")
	out := build(m)
	out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	if defs != nil {
		out["$defs"] = defs
	}
	return objectJSON(out)
}

// hand builds a hand-written object schema: props maps a name to its schema
// (as Go values), required lists the required names.
func hand(props map[string]any, required ...string) json.RawMessage {
	s := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		slices.Sort(required)
		s["required"] = required
	}
	return objectJSON(s)
}

// Small builders for hand-written property schemas.
func str(desc string) map[string]any { return map[string]any{"type": "string", "description": desc} }
func nonEmpty(desc string) map[string]any {
	return map[string]any{"type": "string", "minLength": 1, "description": desc}
}
func dateTime(desc string) map[string]any {
	return map[string]any{"type": "string", "format": "date-time", "description": desc}
}
func date(desc string) map[string]any {
	return map[string]any{"type": "string", "format": "date", "description": desc}
}
func integer(desc string) map[string]any {
	return map[string]any{"type": "integer", "description": desc}
}
func boolean(desc string) map[string]any {
	return map[string]any{"type": "boolean", "description": desc}
}
func strList(desc string) map[string]any {
	return map[string]any{"type": "array", "items": map[string]any{"type": "string"}, "description": desc}
}
func nonEmptyList(desc string) map[string]any {
	return map[string]any{"type": "array", "minItems": 1, "items": map[string]any{"type": "string", "minLength": 1}, "description": desc}
}
func enum(desc string, values ...string) map[string]any {
	return map[string]any{"type": "string", "enum": values, "description": desc}
}

// emptyInput is the schema of entries that take no input.
func emptyInput() json.RawMessage { return hand(map[string]any{}) }

func objectJSON(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		// Only maps of plain values reach here.
		panic(fmt.Sprintf("catalog: encode schema: %v", err))
	}
	return b
}

func mustJSON(s *jsonschema.Schema) json.RawMessage {
	b, err := json.Marshal(s)
	if err != nil {
		panic(fmt.Sprintf("catalog: encode schema: %v", err))
	}
	return b
}

// withFormat sets the format of a top-level property, e.g. date-time on a
// string the Go type cannot mark.
func withFormat(schema json.RawMessage, prop, format string) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(schema, &m); err != nil {
		panic(fmt.Sprintf("catalog: withFormat: %v", err))
	}
	props, _ := m["properties"].(map[string]any)
	if p, ok := props[prop].(map[string]any); ok {
		p["format"] = format
	}
	return objectJSON(m)
}

// addProp adds a top-level property to an object schema.
func addProp(schema json.RawMessage, name string, prop map[string]any) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(schema, &m); err != nil {
		panic(fmt.Sprintf("catalog: addProp: %v", err))
	}
	props, _ := m["properties"].(map[string]any)
	if props == nil {
		props = map[string]any{}
		m["properties"] = props
	}
	props[name] = prop
	return objectJSON(m)
}
