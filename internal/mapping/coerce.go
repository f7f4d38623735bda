package mapping

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// toString turns a scalar into text: helpers take values straight from JSON
// payloads, where a postal code or phone number may arrive as a number.
// nil is "". Maps and lists are an error, not their fmt rendering.
func toString(fn string, v any) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	case json.Number:
		return x.String(), nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case float32:
		return strconv.FormatFloat(float64(x), 'f', -1, 32), nil
	case int:
		return strconv.Itoa(x), nil
	case int64:
		return strconv.FormatInt(x, 10), nil
	case int32:
		return strconv.FormatInt(int64(x), 10), nil
	case uint64:
		return strconv.FormatUint(x, 10), nil
	case bool:
		return strconv.FormatBool(x), nil
	case time.Time:
		return x.UTC().Format(isoLayout), nil
	case fmt.Stringer:
		return x.String(), nil
	}
	return "", fmt.Errorf("%s: expected text, got %s", fn, typeName(v))
}

// typeName names a value's type the way a mapping author thinks of it.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "nothing"
	case map[string]any:
		return "an object"
	case []any:
		return "a list"
	case string:
		return "text"
	case bool:
		return "a boolean"
	case float64, float32, int, int64, int32, uint64, json.Number:
		return "a number"
	case time.Time:
		return "a time"
	}
	return fmt.Sprintf("%T", v)
}

// isEmpty reports whether v counts as missing for defaults: nil or "".
func isEmpty(v any) bool {
	if v == nil {
		return true
	}
	s, ok := v.(string)
	return ok && s == ""
}
