package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"encoding/json"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// InputError lists why an input does not match an entry's schema, one
// problem per field.
type InputError struct {
	Entry    string
	Problems []string
}

func (e *InputError) Error() string {
	return fmt.Sprintf("catalog: %s: invalid input: %s", e.Entry, strings.Join(e.Problems, "; "))
}

// Unwrap makes errors.Is(err, ErrInvalidInput) true.
func (e *InputError) Unwrap() error { return ErrInvalidInput }

// compile prepares the entry's input schema for validation. Formats
// (date-time, date, email) are asserted, not just annotated.
func compile(id string, schema json.RawMessage) (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: input schema: %w", id, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "catalog:///" + id + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("catalog: %s: input schema: %w", id, err)
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("catalog: %s: input schema: %w", id, err)
	}
	return s, nil
}

// Validate checks input against the entry's input schema and returns it
// (an empty input is taken as {}). The error is an *InputError naming each
// missing, unknown or wrongly typed field.
func (e *Entry) Validate(input json.RawMessage) (json.RawMessage, error) {
	if len(bytes.TrimSpace(input)) == 0 {
		input = json.RawMessage("{}")
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(input))
	if err != nil {
		return nil, &InputError{Entry: e.ID, Problems: []string{"input is not valid JSON: " + err.Error()}}
	}
	if e.schema == nil {
		return input, nil
	}
	if err := e.schema.Validate(v); err != nil {
		var ve *jsonschema.ValidationError
		if !errors.As(err, &ve) {
			return nil, &InputError{Entry: e.ID, Problems: []string{err.Error()}}
		}
		return nil, &InputError{Entry: e.ID, Problems: problems(ve)}
	}
	return input, nil
}

var printer = message.NewPrinter(language.English)

// problems flattens a validation error tree into one line per leaf, each
// naming the field by its dotted path.
func problems(ve *jsonschema.ValidationError) []string {
	var out []string
	var walk func(*jsonschema.ValidationError)
	walk = func(v *jsonschema.ValidationError) {
		if msg, ok := alternatives(v); ok {
			out = append(out, msg)
			return
		}
		if len(v.Causes) == 0 {
			out = append(out, describe(v))
			return
		}
		for _, c := range v.Causes {
			walk(c)
		}
	}
	walk(ve)
	slices.Sort(out)
	return slices.Compact(out)
}

// alternatives turns an anyOf/oneOf whose every branch failed on type into
// one line: `field "ScheduledDate": got number, want string or null`.
func alternatives(v *jsonschema.ValidationError) (string, bool) {
	switch v.ErrorKind.(type) {
	case *kind.AnyOf, *kind.OneOf:
	default:
		return "", false
	}
	if msg, ok := oneOfRequired(v); ok {
		return msg, true
	}
	var got string
	var want []string
	for _, c := range v.Causes {
		t, ok := c.ErrorKind.(*kind.Type)
		if !ok || len(c.Causes) > 0 {
			return "", false
		}
		got = t.Got
		want = append(want, t.Want...)
	}
	if len(want) == 0 {
		return "", false
	}
	return fmt.Sprintf("field %s: got %s, want %s", fieldName(v.InstanceLocation), got, strings.Join(want, " or ")), true
}

func describe(v *jsonschema.ValidationError) string {
	switch k := v.ErrorKind.(type) {
	case *kind.Required:
		names := make([]string, len(k.Missing))
		for i, m := range k.Missing {
			names[i] = fieldName(append(slices.Clone(v.InstanceLocation), m))
		}
		return "missing required field " + strings.Join(names, ", ")
	case *kind.AdditionalProperties:
		names := make([]string, len(k.Properties))
		for i, p := range k.Properties {
			names[i] = fieldName(append(slices.Clone(v.InstanceLocation), p))
		}
		return "unknown field " + strings.Join(names, ", ")
	case *kind.Type:
		return fmt.Sprintf("field %s: got %s, want %s", fieldName(v.InstanceLocation), k.Got, strings.Join(k.Want, " or "))
	default:
		return fmt.Sprintf("field %s: %s", fieldName(v.InstanceLocation), k.LocalizedString(printer))
	}
}

// fieldName writes a location as a quoted dotted path, array indexes in
// brackets: "customFields[0].key".
func fieldName(loc []string) string {
	if len(loc) == 0 {
		return "(input)"
	}
	var b strings.Builder
	for i, p := range loc {
		if isIndex(p) {
			b.WriteString("[" + p + "]")
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return `"` + b.String() + `"`
}

func isIndex(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// oneOfRequired describes an anyOf whose branches each require a field none
// of which was given: `give at least one of "email", "phone"`.
func oneOfRequired(v *jsonschema.ValidationError) (string, bool) {
	var names []string
	for _, c := range v.Causes {
		r, ok := c.ErrorKind.(*kind.Required)
		if !ok || len(c.Causes) > 0 {
			return "", false
		}
		for _, m := range r.Missing {
			names = append(names, fieldName(append(slices.Clone(c.InstanceLocation), m)))
		}
	}
	if len(names) == 0 {
		return "", false
	}
	return "give at least one of " + strings.Join(names, ", "), true
}
