package ghlsandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/mail"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	gojson "github.com/goccy/go-json"
)

// The real service validates requests with NestJS's ValidationPipe and
// class-validator, with whitelisting: unknown properties are refused with 422
// "property X should not exist" (reference §1), and every other validation
// failure is a 422 whose message is an array of class-validator sentences.
// bind.go imitates that: a shape lists a DTO's properties, bindBody and
// bindQuery check a request against it and return the known properties only.

type kind int

const (
	kString kind = iota
	kBool
	kNumber
	kStrings // array of strings
	kArray   // array of anything
	kObject  // object, checked by the handler
	kAny
)

// field is one DTO property.
type field struct {
	name     string
	kind     kind
	required bool
	// nullable: null is kept in the input (meaning "clear"); otherwise null
	// counts as absent, as @IsOptional() does.
	nullable bool
	enum     []string
	min, max *float64
	maxLen   int
	email    bool
	isoDate  bool
}

type shape []field

// input holds the bound, known properties of a request.
type input map[string]any

func ptr(f float64) *float64 { return &f }

func (sh shape) field(name string) (field, bool) {
	for _, f := range sh {
		if f.name == name {
			return f, true
		}
	}
	return field{}, false
}

// bindBody decodes a JSON (or urlencoded) body and validates it against sh.
func bindBody(contentType string, body []byte, sh shape) (input, error) {
	raw := map[string]any{}
	mt, _, _ := mime.ParseMediaType(contentType)
	switch {
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, errBadRequest("Bad Request")
		}
		for k, v := range vals {
			raw[k] = v[len(v)-1]
		}
	case len(bytes.TrimSpace(body)) == 0:
	default:
		// go-json decodes a well-formed body as encoding/json does, faster
		// (the ghl package's differential fuzz target holds it to that);
		// anything else takes encoding/json's decoder, whose answers and
		// error offsets are the ones this sandbox has always given.
		var v any
		if gojson.Unmarshal(body, &v) == nil {
			if obj, ok := v.(map[string]any); ok {
				raw = obj
				break
			}
		}
		v = nil
		dec := json.NewDecoder(bytes.NewReader(body))
		if err := dec.Decode(&v); err != nil {
			var se *json.SyntaxError
			pos := 0
			if errors.As(err, &se) {
				pos = int(se.Offset)
			}
			e := errBadRequest("Unexpected token in JSON at position %d", pos)
			e.body["error"] = "Bad Request"
			return nil, e
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, errBadRequest("Bad Request")
		}
		raw = obj
	}
	return validate(raw, sh, false)
}

// bindQuery validates query parameters against sh, converting numbers and
// booleans as class-transformer's implicit conversion does.
func bindQuery(q url.Values, sh shape) (input, error) {
	raw := map[string]any{}
	for k, v := range q {
		f, ok := sh.field(k)
		if ok && (f.kind == kStrings || f.kind == kArray) {
			raw[k] = anySlice(v)
			continue
		}
		raw[k] = v[len(v)-1]
	}
	return validate(raw, sh, true)
}

func anySlice(v []string) []any {
	out := make([]any, len(v))
	for i, s := range v {
		out[i] = s
	}
	return out
}

func validate(raw map[string]any, sh shape, fromQuery bool) (input, error) {
	var msgs []string
	in := make(input, len(raw))
	for _, f := range sh {
		v, present := raw[f.name]
		if present && v == nil && !f.required {
			if f.nullable {
				in[f.name] = nil
			}
			continue
		}
		if !present || v == nil {
			if f.required {
				msgs = append(msgs, f.name+" should not be empty")
				msgs = append(msgs, typeMessage(f)...)
			}
			continue
		}
		if fromQuery {
			v = convertQuery(f, v)
		}
		if m := checkValue(f, v); len(m) > 0 {
			msgs = append(msgs, m...)
			continue
		}
		in[f.name] = v
	}
	var unknown []string
	for k := range raw {
		if _, ok := sh.field(k); !ok {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		msgs = append(msgs, "property "+k+" should not exist")
	}
	if len(msgs) > 0 {
		return nil, errUnprocessable(msgs...)
	}
	return in, nil
}

func convertQuery(f field, v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	switch f.kind {
	case kNumber:
		if n, err := strconv.ParseFloat(s, 64); err == nil {
			return n
		}
	case kBool:
		if b, err := strconv.ParseBool(s); err == nil {
			return b
		}
	}
	return v
}

func typeMessage(f field) []string {
	switch f.kind {
	case kString:
		if len(f.enum) > 0 {
			return []string{enumMessage(f)}
		}
		return []string{f.name + " must be a string"}
	case kBool:
		return []string{f.name + " must be a boolean value"}
	case kNumber:
		return []string{f.name + " must be a number conforming to the specified constraints"}
	case kStrings:
		return []string{"each value in " + f.name + " must be a string", f.name + " must be an array"}
	case kArray:
		return []string{f.name + " must be an array"}
	case kObject:
		return []string{f.name + " must be an object"}
	}
	return nil
}

func enumMessage(f field) string {
	return f.name + " must be one of the following values: " + strings.Join(f.enum, ", ")
}

func checkValue(f field, v any) []string {
	switch f.kind {
	case kString:
		s, ok := v.(string)
		if !ok {
			return typeMessage(f)
		}
		if f.required && s == "" {
			return []string{f.name + " should not be empty"}
		}
		if len(f.enum) > 0 && !slices.Contains(f.enum, s) {
			return []string{enumMessage(f)}
		}
		if f.maxLen > 0 && len([]rune(s)) > f.maxLen {
			return []string{fmt.Sprintf("%s must be shorter than or equal to %d characters", f.name, f.maxLen)}
		}
		if f.email && s != "" {
			if a, err := mail.ParseAddress(s); err != nil || a.Address != s || !strings.Contains(s[strings.LastIndex(s, "@")+1:], ".") {
				return []string{f.name + " must be an email"}
			}
		}
		if f.isoDate {
			if _, err := parseISOTime(s); err != nil {
				return []string{f.name + " must be a valid ISO 8601 date string"}
			}
		}
	case kBool:
		if _, ok := v.(bool); !ok {
			return typeMessage(f)
		}
	case kNumber:
		n, ok := v.(float64)
		if !ok {
			return typeMessage(f)
		}
		if f.min != nil && n < *f.min {
			return []string{fmt.Sprintf("%s must not be less than %s", f.name, fmtNum(*f.min))}
		}
		if f.max != nil && n > *f.max {
			return []string{fmt.Sprintf("%s must not be greater than %s", f.name, fmtNum(*f.max))}
		}
	case kStrings:
		arr, ok := v.([]any)
		if !ok {
			return typeMessage(f)
		}
		for _, e := range arr {
			if _, ok := e.(string); !ok {
				return []string{"each value in " + f.name + " must be a string"}
			}
		}
	case kArray:
		if _, ok := v.([]any); !ok {
			return typeMessage(f)
		}
	case kObject:
		if _, ok := v.(map[string]any); !ok {
			return typeMessage(f)
		}
	}
	return nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// Accessors. A property bound as null reads as the zero value with ok true.

func (in input) has(k string) bool { _, ok := in[k]; return ok }

func (in input) str(k string) (string, bool) {
	v, ok := in[k]
	if !ok {
		return "", false
	}
	s, _ := v.(string)
	return s, true
}

func (in input) boolean(k string) (bool, bool) {
	v, ok := in[k]
	if !ok {
		return false, false
	}
	b, _ := v.(bool)
	return b, true
}

func (in input) num(k string) (float64, bool) {
	v, ok := in[k]
	if !ok {
		return 0, false
	}
	n, _ := v.(float64)
	return n, true
}

func (in input) strs(k string) ([]string, bool) {
	v, ok := in[k]
	if !ok {
		return nil, false
	}
	arr, _ := v.([]any)
	out := make([]string, 0, len(arr))
	for _, e := range arr {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out, true
}

// isoLayouts are the date-time forms accepted where the API takes ISO 8601.
var isoLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05.000Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04:05.000",
	"2006-01-02",
}

func parseISOTime(s string) (time.Time, error) {
	for _, l := range isoLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO 8601 date: %q", s)
}

// isoMillis formats t as the API does: UTC with milliseconds.
func isoMillis(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
