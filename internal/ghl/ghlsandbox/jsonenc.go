package ghlsandbox

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/jsontext"
)

// The hot contact routes and the Contact* webhooks are encoded by hand
// (contactjson.go) instead of building a map[string]any for
// encoding/json, which sorts keys and reflects on every value: that was
// most of the sandbox's cost per request. The helpers below write exactly
// the bytes encoding/json writes for the same values (HTML-safe escaping,
// ES6 number formatting), so responses and signed webhook bodies stay
// byte for byte what they were; jsonenc_test.go checks that.

// jsonWriter appends one JSON object. Keys must be given in sorted order
// (encoding/json's order for maps) and need no escaping.
type jsonWriter struct {
	b     []byte
	first bool // no member written yet in the innermost object or array
	err   error
}

func (w *jsonWriter) open(c byte) {
	w.b = append(w.b, c)
	w.first = true
}

func (w *jsonWriter) close(c byte) {
	w.b = append(w.b, c)
	w.first = false
}

// key starts a member of the current object.
func (w *jsonWriter) key(k string) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
}

// sep writes the comma between members or elements.
func (w *jsonWriter) sep() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

func (w *jsonWriter) str(s string) {
	w.first = false
	w.b = jsontext.AppendString(w.b, s)
}

// strField writes k: v, skipping empty v as putStr does.
func (w *jsonWriter) strField(k, v string) {
	if v != "" {
		w.key(k)
		w.str(v)
	}
}

// timeField writes k as isoMillis, skipping the zero time as putTime does.
func (w *jsonWriter) timeField(k string, t time.Time) {
	if !t.IsZero() {
		w.key(k)
		w.time(t)
	}
}

func (w *jsonWriter) time(t time.Time) {
	w.first = false
	w.b = append(w.b, '"')
	w.b = t.UTC().AppendFormat(w.b, "2006-01-02T15:04:05.000Z")
	w.b = append(w.b, '"')
}

func (w *jsonWriter) boolean(v bool) {
	w.first = false
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jsonWriter) int(v int) {
	w.first = false
	w.b = strconv.AppendInt(w.b, int64(v), 10)
}

// strs writes a string array; nil is null, as encoding/json writes it.
func (w *jsonWriter) strs(v []string) {
	if v == nil {
		w.first = false
		w.b = append(w.b, "null"...)
		return
	}
	w.open('[')
	for _, s := range v {
		w.sep()
		w.str(s)
	}
	w.close(']')
}

// value writes a decoded JSON value (or whatever a User* caller stored in
// a custom field) as encoding/json writes cloneValue(v); objects and
// unusual types go through encoding/json.
func (w *jsonWriter) value(v any) {
	w.first = false
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case string:
		w.b = jsontext.AppendString(w.b, v)
	case bool:
		w.b = strconv.AppendBool(w.b, v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			w.marshal(v) // the same error encoding/json reports
			return
		}
		w.b = appendJSONFloat(w.b, v)
	case []string:
		w.strs(v)
	case []any:
		// Rendering went through cloneValue, which turns a nil []any
		// into an empty one.
		w.open('[')
		for _, e := range v {
			w.sep()
			w.value(e)
		}
		w.close(']')
	case map[string]any:
		w.marshal(cloneValue(v)) // cloneValue: nil maps and arrays as above
	default:
		w.marshal(v)
	}
}

func (w *jsonWriter) marshal(v any) {
	w.first = false
	out, err := json.Marshal(v)
	if err != nil {
		if w.err == nil {
			w.err = fmt.Errorf("encode %T: %w", v, err)
		}
		w.b = append(w.b, "null"...)
		return
	}
	w.b = append(w.b, out...)
}

// appendJSONFloat formats a finite float64 as ECMAScript (and so
// encoding/json) does: plain decimals, exponent form only below 1e-6 or
// from 1e21 on, with the exponent's leading zero dropped.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	if abs == 0 || (abs >= 1e-6 && abs < 1e21) {
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'e', -1, 64)
	// strconv writes at least two exponent digits: e-07 becomes e-7.
	if n := len(b); n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
		b[n-2] = b[n-1]
		b = b[:n-1]
	}
	return b
}
