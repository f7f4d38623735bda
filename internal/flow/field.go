package flow

import (
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// FieldMap is an ordered list of target fields, written in YAML as a
// mapping from target field to where its value comes from:
//
//	email: client.Email                  # a source path
//	firstName: firstName(client.ContactName)   # an expression
//	completed: false                     # a constant (numbers, booleans)
//	country:                             # the long form
//	  source: client.Country
//	  expr: country(value)
//	  default: US
//	source: {value: Repsly}              # a text constant
//
// A text value that is a plain dotted path starting at a name
// (client.Email, contact.tags[0]) is a source path: a missing field gives
// nothing instead of an error. Any other text is an expr-lang expression.
type FieldMap []Field

// Field computes one target field; see FieldMap.
type Field struct {
	// Target is the (dotted) field written.
	Target string
	// Source is a path into the input records.
	Source string
	// Expr is an expression; with Source it sees the source value as
	// `value`.
	Expr string
	// Default is used when the value is nothing or "".
	Default any
	// Value is a constant; it excludes Source and Expr.
	Value any
}

// pathRE matches text that reads as a source path rather than an
// expression: a name followed by at least one .name or [index] step.
var pathRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*|\[-?[0-9]+\])+$`)

// isPlainPath reports whether text is read as a source path in the short
// form.
func isPlainPath(text string) bool {
	if !pathRE.MatchString(text) {
		return false
	}
	// Expression keywords cannot start a path.
	first := text
	for i, r := range text {
		if r == '.' || r == '[' {
			first = text[:i]
			break
		}
	}
	return !slices.Contains([]string{"true", "false", "nil", "not", "and", "or", "in", "matches", "contains"}, first)
}

// Spec turns the fields into a mapping spec with the flow's lookup tables.
func (m FieldMap) Spec(lookups map[string]map[string]string) mapping.Spec {
	spec := mapping.Spec{Lookups: lookups, Fields: make([]mapping.FieldSpec, len(m))}
	for i, f := range m {
		fs := mapping.FieldSpec{Target: f.Target, Source: f.Source, Expr: f.Expr, Default: f.Default}
		if f.Value != nil {
			// A constant is an expression yielding nothing with the
			// constant as its default: the mapping package then copies it
			// like any default, whatever its type.
			fs.Source, fs.Expr, fs.Default = "", "nil", f.Value
		}
		spec.Fields[i] = fs
	}
	return spec
}

// Targets returns the target fields in order.
func (m FieldMap) Targets() []string {
	out := make([]string, len(m))
	for i, f := range m {
		out[i] = f.Target
	}
	return out
}

// MarshalYAML writes the short form where it reads back the same.
func (m FieldMap) MarshalYAML() (any, error) {
	out := make(yaml.MapSlice, 0, len(m))
	for _, f := range m {
		out = append(out, yaml.MapItem{Key: f.Target, Value: f.yamlValue()})
	}
	return out, nil
}

func (f Field) yamlValue() any {
	switch {
	case f.Value != nil && f.Source == "" && f.Expr == "" && f.Default == nil:
		switch f.Value.(type) {
		case bool, int, int64, uint64, float64:
			return f.Value
		}
		return yaml.MapSlice{{Key: "value", Value: f.Value}}
	case f.Source != "" && f.Expr == "" && f.Default == nil && f.Value == nil && isPlainPath(f.Source):
		return f.Source
	case f.Expr != "" && f.Source == "" && f.Default == nil && f.Value == nil && !isPlainPath(f.Expr):
		return f.Expr
	}
	var long yaml.MapSlice
	if f.Source != "" {
		long = append(long, yaml.MapItem{Key: "source", Value: f.Source})
	}
	if f.Expr != "" {
		long = append(long, yaml.MapItem{Key: "expr", Value: f.Expr})
	}
	if f.Default != nil {
		long = append(long, yaml.MapItem{Key: "default", Value: f.Default})
	}
	if f.Value != nil {
		long = append(long, yaml.MapItem{Key: "value", Value: f.Value})
	}
	return long
}

// Duration is a time.Duration written as text ("90s", "5m", "1h").
type Duration time.Duration

// MarshalYAML writes the duration as text ("5m", not "5m0s").
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// String returns the duration as Go writes it, without zero trailing units.
func (d Duration) String() string {
	s := time.Duration(d).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// Std returns the duration as a time.Duration.
func (d Duration) Std() time.Duration { return time.Duration(d) }
