package mapping

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Path is a parsed dotted path such as `client.Email`,
// `contact.customFields.repsly_client_code` or `phones[0]`.
type Path []Step

// Step is one step of a Path: a map key (Name) or a list index.
type Step struct {
	// Name is the map key; unused when IsIndex.
	Name string
	// Index is the list position; negative counts from the end (-1 = last).
	Index int
	// IsIndex tells an index step from a name step.
	IsIndex bool
}

// PathError reports a path that does not parse.
type PathError struct {
	// Path is the input.
	Path string
	// Column is the 1-based rune position of the problem.
	Column int
	// Msg says what is wrong.
	Msg string
}

// Error formats the problem with its column.
func (e *PathError) Error() string {
	return fmt.Sprintf("path %q: column %d: %s", e.Path, e.Column, e.Msg)
}

// maxPathLen bounds path input; paths come from users and are short.
const maxPathLen = 1024

// ParsePath parses a dotted path. Syntax: names separated by dots; `[N]`
// (N may be negative) indexes a list; `["any key"]` names a key that holds
// dots, brackets or quotes. Names may hold any other character, including
// spaces (Repsly custom field names do).
func ParsePath(s string) (Path, error) {
	if s == "" {
		return nil, &PathError{Path: s, Column: 1, Msg: "empty path"}
	}
	if len(s) > maxPathLen {
		return nil, &PathError{Path: s[:32] + "...", Column: maxPathLen, Msg: fmt.Sprintf("longer than %d bytes", maxPathLen)}
	}
	var (
		p   Path
		pos int // byte offset into s
	)
	col := func(i int) int { return len([]rune(s[:i])) + 1 }
	fail := func(i int, format string, args ...any) (Path, error) {
		return nil, &PathError{Path: s, Column: col(i), Msg: fmt.Sprintf(format, args...)}
	}
	expectName := true // at the start and after a dot
	for pos < len(s) {
		switch c := s[pos]; {
		case c == '.':
			if expectName {
				return fail(pos, "empty name before '.'")
			}
			expectName = true
			pos++
			if pos == len(s) {
				return fail(pos, "path ends with '.'")
			}
		case c == '[':
			if expectName && len(p) > 0 {
				return fail(pos, "'[' right after '.'")
			}
			step, n, err := parseBracket(s[pos:])
			if err != "" {
				return fail(pos+n, "%s", err)
			}
			p = append(p, step)
			pos += n
			expectName = false
		case c == ']':
			return fail(pos, "unexpected ']'")
		case c == '"':
			return fail(pos, `unexpected '"' (quote keys as ["key"])`)
		default:
			if !expectName {
				return fail(pos, "missing '.' before name")
			}
			end := pos
			for end < len(s) && !strings.ContainsRune(`.[]"`, rune(s[end])) {
				end++
			}
			p = append(p, Step{Name: s[pos:end]})
			pos = end
			expectName = false
		}
	}
	return p, nil
}

// parseBracket parses `[N]` or `["key"]` at the start of s. It returns the
// step and the bytes consumed, or a message and the offset of the problem.
func parseBracket(s string) (Step, int, string) {
	end := strings.IndexByte(s, ']')
	if len(s) > 1 && s[1] == '"' {
		// Find the closing quote, skipping escaped characters.
		i := 2
		for i < len(s) && s[i] != '"' {
			if s[i] == '\\' {
				i++
			}
			i++
		}
		if i >= len(s) {
			return Step{}, 1, "unterminated quoted key"
		}
		name, err := strconv.Unquote(s[1 : i+1])
		if err != nil {
			return Step{}, 1, "invalid quoted key"
		}
		if i+1 >= len(s) || s[i+1] != ']' {
			return Step{}, i + 1, "expected ']' after quoted key"
		}
		return Step{Name: name}, i + 2, ""
	}
	if end < 0 {
		return Step{}, 0, "unterminated '['"
	}
	n, err := strconv.Atoi(s[1:end])
	if err != nil || s[1:end] != strconv.Itoa(n) {
		return Step{}, 1, fmt.Sprintf("index %q is not an integer", s[1:end])
	}
	return Step{Index: n, IsIndex: true}, end + 1, ""
}

// String returns the canonical text of p; ParsePath(p.String()) equals p.
func (p Path) String() string {
	var b strings.Builder
	for i, st := range p {
		switch {
		case st.IsIndex:
			b.WriteString("[" + strconv.Itoa(st.Index) + "]")
		case st.Name == "" || strings.ContainsAny(st.Name, `.[]"`) || !isValidUTF8(st.Name):
			b.WriteString("[" + strconv.Quote(st.Name) + "]")
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString(st.Name)
		}
	}
	return b.String()
}

func isValidUTF8(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

// Lookup follows p from root. A missing key, an index out of range or a step
// into a value that is neither a map nor a list yields (nil, false).
//
// A name step into a list searches the list for a custom-field entry, so
// `contact.customFields.repsly_client_code` and `client.CustomFields.Chain`
// work on both APIs' shapes; see [FindCustomField].
func (p Path) Lookup(root any) (any, bool) {
	cur := root
	for _, st := range p {
		next, ok := step(cur, st)
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

func step(cur any, st Step) (any, bool) {
	if st.IsIndex {
		return index(cur, st.Index)
	}
	switch v := cur.(type) {
	case map[string]any:
		x, ok := v[st.Name]
		return x, ok
	case map[string]string:
		x, ok := v[st.Name]
		return x, ok
	case []any:
		return FindCustomField(v, st.Name)
	}
	rv := reflect.ValueOf(cur)
	if rv.Kind() == reflect.Map && rv.Type().Key().Kind() == reflect.String {
		x := rv.MapIndex(reflect.ValueOf(st.Name).Convert(rv.Type().Key()))
		if !x.IsValid() {
			return nil, false
		}
		return x.Interface(), true
	}
	return nil, false
}

func index(cur any, i int) (any, bool) {
	if l, ok := cur.([]any); ok {
		if i < 0 {
			i += len(l)
		}
		if i < 0 || i >= len(l) {
			return nil, false
		}
		return l[i], true
	}
	rv := reflect.ValueOf(cur)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, false
	}
	if i < 0 {
		i += rv.Len()
	}
	if i < 0 || i >= rv.Len() {
		return nil, false
	}
	return rv.Index(i).Interface(), true
}

// set stores v at the name-only path p inside m, creating nested maps.
// Compile guarantees target paths hold names only and do not overlap, so an
// existing non-map value on the way is replaced.
func set(m map[string]any, p Path, v any) {
	for _, st := range p[:len(p)-1] {
		next, ok := m[st.Name].(map[string]any)
		if !ok {
			next = map[string]any{}
			m[st.Name] = next
		}
		m = next
	}
	m[p[len(p)-1].Name] = v
}
