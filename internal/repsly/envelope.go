package repsly

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strconv"
	"strings"
)

// Meta is Repsly's MetaCollectionResult. TotalCount counts the rows of this
// response, not a grand total, so a full page has TotalCount 50.
type Meta struct {
	TotalCount    int   `json:"TotalCount"`
	LastTimeStamp int64 `json:"LastTimeStamp,omitempty"`
	FirstID       int64 `json:"FirstID,omitempty"`
	LastID        int64 `json:"LastID,omitempty"`
}

// envelope is a decoded export response: the meta block (if any) and the
// raw rows of the entity-named array.
type envelope struct {
	Meta    Meta
	HasMeta bool
	Rows    []json.RawMessage
}

// metaWire tolerates numbers sent as strings and nulls.
type metaWire struct {
	TotalCount    *flexInt `json:"TotalCount"`
	LastTimeStamp *flexInt `json:"LastTimeStamp"`
	FirstID       *flexInt `json:"FirstID"`
	LastID        *flexInt `json:"LastID"`
}

const metaKey = "MetaCollectionResult"

// decodeEnvelope reads {"MetaCollectionResult":{...},"<Key>":[...]}. The
// array is looked up by its exact name, then case-insensitively, then by the
// alternative names; a bare top-level array is taken as the rows. It
// returns a plain error (the caller adds method and path) and never panics.
func decodeEnvelope(body []byte, key string, alts ...string) (envelope, error) {
	var env envelope
	body = trimBody(body)
	if err := checkJSON(body); err != nil {
		return env, err
	}
	if body[0] == '[' {
		if err := decodeJSON(body, &env.Rows); err != nil {
			return env, fmt.Errorf("decode array: %w", err)
		}
		return env, nil
	}
	var obj map[string]json.RawMessage
	if err := decodeJSON(body, &obj); err != nil {
		return env, fmt.Errorf("decode object: %w", err)
	}
	if raw, ok := lookupKey(obj, metaKey); ok && !isNull(raw) {
		var mw metaWire
		if err := decodeJSON(raw, &mw); err != nil {
			return env, fmt.Errorf("decode %s: %w", metaKey, err)
		}
		env.HasMeta = true
		env.Meta = Meta{TotalCount: int(mw.TotalCount.value()), LastTimeStamp: mw.LastTimeStamp.value(),
			FirstID: mw.FirstID.value(), LastID: mw.LastID.value()}
	}
	raw, found := lookupKey(obj, key)
	for _, alt := range alts {
		if found {
			break
		}
		raw, found = lookupKey(obj, alt)
	}
	if !found || isNull(raw) {
		if env.Meta.TotalCount > 0 {
			return env, fmt.Errorf("TotalCount is %d but the body has no %q array", env.Meta.TotalCount, key)
		}
		if !found && !env.HasMeta {
			return env, fmt.Errorf("body has neither %s nor a %q array", metaKey, key)
		}
		return env, nil
	}
	if err := decodeJSON(raw, &env.Rows); err != nil {
		return env, fmt.Errorf("decode %q array: %w", key, err)
	}
	return env, nil
}

// decodeObject decodes a 2xx body holding one JSON object into v.
func decodeObject(body []byte, v any) error {
	body = trimBody(body)
	if err := checkJSON(body); err != nil {
		return err
	}
	if err := decodeJSON(body, v); err != nil {
		return fmt.Errorf("decode: %w", err)
	}
	return nil
}

// checkJSON rejects the bodies Repsly sends instead of JSON: nothing at all
// and the HTML error page of the WCF host.
func checkJSON(body []byte) error {
	switch {
	case len(body) == 0:
		return errors.New("empty body")
	case body[0] == '<':
		return fmt.Errorf("HTML instead of JSON: %s", clip(bodyText(body), 200))
	case body[0] != '{' && body[0] != '[':
		return fmt.Errorf("not JSON: %q", clip(string(body), 40))
	}
	return nil
}

func lookupKey(obj map[string]json.RawMessage, key string) (json.RawMessage, bool) {
	if key == "" {
		return nil, false
	}
	if v, ok := obj[key]; ok {
		return v, true
	}
	for k, v := range obj {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// trimBody drops surrounding white space and a UTF-8 byte order mark, which
// .NET hosts sometimes prepend.
func trimBody(b []byte) []byte {
	b = bytes.TrimSpace(b)
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	return bytes.TrimSpace(b)
}

// bodyText turns an error body into one line of text: the visible text of
// an HTML page (WCF's "Request Error" page carries the reason in a <p>), or
// the body itself.
func bodyText(b []byte) string {
	s := string(trimBody(b))
	if !strings.HasPrefix(s, "<") {
		return strings.Join(strings.Fields(s), " ")
	}
	var out strings.Builder
	for len(s) > 0 {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			out.WriteString(s)
			break
		}
		out.WriteString(s[:i])
		s = s[i:]
		lower := asciiLower(clip(s, 8))
		skipTo := ">"
		switch {
		case strings.HasPrefix(lower, "<style"):
			skipTo = "</style>"
		case strings.HasPrefix(lower, "<script"):
			skipTo = "</script>"
		case strings.HasPrefix(lower, "<title"):
			skipTo = "</title>" // the heading repeats it
		}
		j := strings.Index(asciiLower(s), skipTo)
		if j < 0 {
			break
		}
		s = s[j+len(skipTo):]
		out.WriteByte(' ')
	}
	return strings.Join(strings.Fields(html.UnescapeString(out.String())), " ")
}

// asciiLower lowers A-Z only, so that byte offsets stay valid on the
// original string (strings.ToLower may change the length of invalid UTF-8).
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// flexInt decodes a JSON number, a numeric string or null into an int64.
// Repsly documents numbers, but .NET serializers and proxies have been seen
// to quote longs; a quoted cursor must not break paging.
type flexInt int64

func (f *flexInt) value() int64 {
	if f == nil {
		return 0
	}
	return int64(*f)
}

// UnmarshalJSON accepts 5, "5", 5.0, "" and null.
func (f *flexInt) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		*f = 0
		return nil
	}
	s = strings.Trim(s, `"`)
	if s == "" {
		*f = 0
		return nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		*f = flexInt(n)
		return nil
	}
	// A whole number in float notation ("50.0", "1e3").
	fl, err := strconv.ParseFloat(s, 64)
	if err != nil || fl != float64(int64(fl)) {
		return fmt.Errorf("not an integer: %s", clip(s, 40))
	}
	*f = flexInt(int64(fl))
	return nil
}
