package syncer

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"unicode/utf8"
)

// structMap is toMap without the JSON round trip: it walks v by
// reflection and builds the map encoding/json would give back (numbers as
// float64, lists as []any, objects as map[string]any, fields named and
// left out by their json tags). Every contact the engine reads or creates
// goes through it; the round trip was a tenth of a backfill's own work.
// A value it does not know how to mirror exactly (a json.Marshaler other
// than json.RawMessage, an embedded struct, invalid UTF-8) makes it fall
// back to the round trip, so the result is always the JSON form.
func structMap(v any) (map[string]any, error) {
	out, err := mirror(reflect.ValueOf(v))
	if errors.Is(err, errNoMirror) {
		return toMap(v)
	}
	if err != nil {
		return nil, err
	}
	m, ok := out.(map[string]any)
	if !ok {
		return toMap(v)
	}
	return m, nil
}

var errNoMirror = errors.New("no mirror")

var (
	rawMessageType = reflect.TypeFor[json.RawMessage]()
	numberType     = reflect.TypeFor[json.Number]()
	marshalerType  = reflect.TypeFor[json.Marshaler]()
)

func mirror(v reflect.Value) (any, error) {
	if !v.IsValid() {
		return nil, nil
	}
	t := v.Type()
	if t == rawMessageType {
		raw := v.Bytes()
		if len(raw) == 0 {
			return nil, nil
		}
		var x any
		if err := json.Unmarshal(raw, &x); err != nil {
			return nil, err
		}
		return x, nil
	}
	if t == numberType {
		return nil, errNoMirror // written as a number, read back as float64
	}
	if t.Implements(marshalerType) || (t.Kind() != reflect.Pointer && reflect.PointerTo(t).Implements(marshalerType)) {
		return nil, errNoMirror
	}
	switch v.Kind() {
	case reflect.String:
		s := v.String()
		if !utf8.ValidString(s) {
			return nil, errNoMirror
		}
		return s, nil
	case reflect.Bool:
		return v.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(v.Int()), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(v.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return v.Float(), nil
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil, nil
		}
		return mirror(v.Elem())
	case reflect.Slice:
		if v.IsNil() {
			return nil, nil
		}
		if t.Elem().Kind() == reflect.Uint8 {
			return nil, errNoMirror // JSON writes bytes as base64
		}
		fallthrough
	case reflect.Array:
		out := make([]any, v.Len())
		for i := range out {
			x, err := mirror(v.Index(i))
			if err != nil {
				return nil, err
			}
			out[i] = x
		}
		return out, nil
	case reflect.Map:
		if v.IsNil() {
			return nil, nil
		}
		if t.Key().Kind() != reflect.String {
			return nil, errNoMirror
		}
		out := make(map[string]any, v.Len())
		for it := v.MapRange(); it.Next(); {
			x, err := mirror(it.Value())
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = x
		}
		return out, nil
	case reflect.Struct:
		fields, err := jsonFieldsOf(t)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(fields))
		for _, f := range fields {
			fv := v.Field(f.index)
			if (f.omitZero && fv.IsZero()) || (f.omitEmpty && isEmptyValue(fv)) {
				continue
			}
			x, err := mirror(fv)
			if err != nil {
				return nil, err
			}
			out[f.name] = x
		}
		return out, nil
	}
	return nil, errNoMirror
}

// jsonField is how encoding/json writes one struct field.
type jsonField struct {
	index               int
	name                string
	omitZero, omitEmpty bool
}

var jsonFieldCache sync.Map // reflect.Type -> []jsonField

func jsonFieldsOf(t reflect.Type) ([]jsonField, error) {
	if c, ok := jsonFieldCache.Load(t); ok {
		return c.([]jsonField), nil
	}
	var fields []jsonField
	for i := range t.NumField() {
		sf := t.Field(i)
		if sf.Anonymous {
			return nil, errNoMirror // promoted fields: leave them to encoding/json
		}
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		f := jsonField{index: i, name: name}
		for _, o := range strings.Split(opts, ",") {
			switch o {
			case "omitzero":
				f.omitZero = true
			case "omitempty":
				f.omitEmpty = true
			case "string":
				return nil, errNoMirror
			}
		}
		if f.omitZero && sf.Type.Implements(reflect.TypeFor[interface{ IsZero() bool }]()) {
			return nil, errNoMirror // a custom IsZero decides omitzero
		}
		fields = append(fields, f)
	}
	jsonFieldCache.Store(t, fields)
	return fields, nil
}

func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
