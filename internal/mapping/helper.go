package mapping

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
)

// runState is what helpers need from the mapping being applied. It travels
// in the context (expr.WithContext hands it to every helper, all of which
// take a context.Context first), not in closures, so one compiled program
// can be cached and shared by every mapping that uses the same expression.
type runState struct {
	tables     map[string]map[string]string
	now        func() time.Time
	byteBudget int
	used       int // bytes of text produced so far in this Apply
}

type runStateKey struct{}

func stateFrom(ctx context.Context) (*runState, error) {
	st, ok := ctx.Value(runStateKey{}).(*runState)
	if !ok {
		return nil, errors.New("mapping: helper called outside Apply")
	}
	return st, ctx.Err()
}

// ctxName is the hidden variable that carries the context into helpers.
const ctxName = "$ctx"

// function is one helper: its implementation and its typed signature, whose
// first parameter is always the context.
type function struct {
	name string
	impl func(...any) (any, error)
	sig  reflect.Type
}

// fn declares a helper; sig is a pointer to a func type, as expr.Function
// takes it.
func fn(name string, impl func(...any) (any, error), sig any) function {
	return function{name: name, impl: impl, sig: reflect.TypeOf(sig).Elem()}
}

// functionOptions defines fs for expr. Without the context, signatures lose
// their first parameter: that is the strict type-check pass (see
// compileProgram), which must see the helpers as users call them.
func functionOptions(fs []function, withContext bool) []expr.Option {
	opts := make([]expr.Option, len(fs))
	for i, f := range fs {
		sig := f.sig
		if !withContext {
			in := make([]reflect.Type, sig.NumIn()-1)
			for j := range in {
				in[j] = sig.In(j + 1)
			}
			out := make([]reflect.Type, sig.NumOut())
			for j := range out {
				out[j] = sig.Out(j)
			}
			sig = reflect.FuncOf(in, out, sig.IsVariadic())
		}
		opts[i] = expr.Function(f.name, f.impl, reflect.New(sig).Interface())
	}
	return opts
}

// HelperNames lists the helpers expressions can call, for docs and editors.
func HelperNames() []string {
	return []string{
		"e164", "country", "splitName", "firstName", "lastName", "joinName", "trim", "lower", "upper", "title",
		"repslyDate", "formatDate", "isoDate", "repslyDateString", "now", "lookup", "lookupOr", "default",
		"customField", "tags",
	}
}

// text returns a helper of one text argument that returns text.
func text(name string, f func(string) string) function {
	return fn(name, func(p ...any) (any, error) {
		s, err := toString(name, p[1])
		if err != nil {
			return nil, err
		}
		out := f(s)
		if err := charge(p[0].(context.Context), len(out)); err != nil {
			return nil, err
		}
		if _, ok := p[1].(string); ok && out == s {
			// Most payload text is already trimmed and cased: hand back
			// the argument rather than box an equal copy of it.
			return p[1], nil
		}
		return out, nil
	}, new(func(context.Context, string) string))
}

// timeText returns a helper that formats a time; no time gives "".
func timeText(name string, f func(time.Time) string) function {
	return fn(name, func(p ...any) (any, error) {
		t, err := toTime(name, p[1])
		if errors.Is(err, errNoDate) {
			return "", nil
		}
		if err != nil {
			return nil, err
		}
		return f(t), nil
	}, new(func(context.Context, time.Time) string))
}

// helpers returns the expr options that define every helper. Each has a
// typed signature, so misuse (a wrong argument count, a literal of the wrong
// type) fails at compile time; at run time arguments from payloads are `any`
// and are converted with toString and toTime.
func helpers() []function {
	return []function{
		fn("e164", func(p ...any) (any, error) {
			phone, err := toString("e164", p[1])
			if err != nil {
				return nil, err
			}
			country, err := toString("e164", p[2])
			if err != nil {
				return nil, err
			}
			return toE164(phone, country), nil
		}, new(func(context.Context, string, string) string)),
		text("country", countryCode),
		fn("splitName", func(p ...any) (any, error) {
			s, err := toString("splitName", p[1])
			if err != nil {
				return nil, err
			}
			first, last := splitFullName(s)
			return map[string]any{"first": first, "last": last}, charge(p[0].(context.Context), len(s))
		}, new(func(context.Context, string) map[string]any)),
		text("firstName", func(s string) string { f, _ := splitFullName(s); return f }),
		text("lastName", func(s string) string { _, l := splitFullName(s); return l }),
		fn("joinName", func(p ...any) (any, error) {
			first, err := toString("joinName", p[1])
			if err != nil {
				return nil, err
			}
			last, err := toString("joinName", p[2])
			if err != nil {
				return nil, err
			}
			out := joinFullName(first, last)
			return out, charge(p[0].(context.Context), len(out))
		}, new(func(context.Context, string, string) string)),
		text("trim", strings.TrimSpace),
		text("lower", strings.ToLower),
		text("upper", strings.ToUpper),
		text("title", titleCase),
		fn("repslyDate", func(p ...any) (any, error) {
			t, err := toTime("repslyDate", p[1])
			if errors.Is(err, errNoDate) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return t, nil
		}, new(func(context.Context, string) time.Time)),
		fn("formatDate", func(p ...any) (any, error) {
			t, err := toTime("formatDate", p[1])
			if errors.Is(err, errNoDate) {
				return "", nil
			}
			if err != nil {
				return nil, err
			}
			layout, err := toString("formatDate", p[2])
			if err != nil {
				return nil, err
			}
			out := t.Format(layout)
			return out, charge(p[0].(context.Context), len(out))
		}, new(func(context.Context, time.Time, string) string)),
		timeText("isoDate", func(t time.Time) string { return t.UTC().Format(isoLayout) }),
		timeText("repslyDateString", wcfDate),
		fn("now", func(p ...any) (any, error) {
			st, err := stateFrom(p[0].(context.Context))
			if err != nil {
				return nil, err
			}
			return st.now(), nil
		}, new(func(context.Context) time.Time)),
		fn("lookup", func(p ...any) (any, error) {
			return lookupHelper("lookup", p[0].(context.Context), p[1], p[2], nil)
		}, new(func(context.Context, string, any) any)),
		fn("lookupOr", func(p ...any) (any, error) {
			return lookupHelper("lookupOr", p[0].(context.Context), p[1], p[2], p[3])
		}, new(func(context.Context, string, any, any) any)),
		fn("default", func(p ...any) (any, error) {
			if isEmpty(p[1]) {
				return p[2], nil
			}
			return p[1], nil
		}, new(func(context.Context, any, any) any)),
		fn("customField", func(p ...any) (any, error) {
			key, err := toString("customField", p[2])
			if err != nil {
				return nil, err
			}
			return customFieldHelper(p[1], key)
		}, new(func(context.Context, any, string) any)),
		fn("tags", func(p ...any) (any, error) {
			out, err := mergeTags(p[1:])
			if err != nil {
				return nil, err
			}
			return out, charge(p[0].(context.Context), 16*len(out))
		}, new(func(context.Context, ...any) []any)),
	}
}

func lookupHelper(fn string, ctx context.Context, table, key, def any) (any, error) {
	st, err := stateFrom(ctx)
	if err != nil {
		return nil, err
	}
	name, err := toString(fn, table)
	if err != nil {
		return nil, err
	}
	t, ok := st.tables[name]
	if !ok {
		return nil, fmt.Errorf("%s: no lookup table %q", fn, name)
	}
	k, err := toString(fn, key)
	if err != nil {
		return nil, err
	}
	if v, ok := t[k]; ok {
		return v, nil
	}
	return def, nil
}

// customFieldHelper finds a custom field in a record (a map holding
// customFields or CustomFields) or in a custom-field list itself.
func customFieldHelper(record any, key string) (any, error) {
	var list []any
	switch x := record.(type) {
	case nil:
		return nil, nil
	case []any:
		list = x
	case map[string]any:
		for _, k := range []string{"customFields", "CustomFields", "customField"} {
			if l, ok := x[k].([]any); ok {
				list = l
				break
			}
		}
	default:
		return nil, fmt.Errorf("customField: expected a record or a list, got %s", typeName(record))
	}
	v, _ := FindCustomField(list, key)
	return v, nil
}

// mergeTags flattens its arguments (texts, lists of texts, nothing) into one
// sorted list without duplicates. A text argument is split on commas, as
// Repsly's Tag field and most CSV-minded users write several tags; list
// elements are taken whole. Duplicates are found
// case-insensitively (HighLevel treats tags that way) and the first spelling
// wins. Sorting makes the result, and so the record hash, independent of the
// order either side lists tags in.
func mergeTags(args []any) ([]any, error) {
	var m tagMerger
	for _, a := range args {
		switch x := a.(type) {
		case nil:
		case []any:
			// List elements are whole tags: an existing tag with a comma
			// must survive a merge unchanged.
			for _, e := range x {
				s, err := toString("tags", e)
				if err != nil {
					return nil, err
				}
				m.add(s)
			}
		case []string:
			for _, e := range x {
				m.add(e)
			}
		default:
			s, err := toString("tags", a)
			if err != nil {
				return nil, err
			}
			for tag := range strings.SplitSeq(s, ",") {
				m.add(tag)
			}
		}
	}
	return m.sorted(), nil
}

// tagMerger collects tags without case-insensitive duplicates, keeping each
// tag's lower-case form so that it is computed once per tag rather than on
// every look-up and comparison.
type tagMerger struct {
	tags []lowerTag
	seen map[string]bool // lower-case forms, once there are many tags
}

type lowerTag struct{ tag, lower string }

// linearTags is how many tags are searched one by one before a map pays.
const linearTags = 16

func (m *tagMerger) add(tag string) {
	tag = strings.TrimSpace(tag)
	if tag == "" {
		return
	}
	lower := strings.ToLower(tag)
	if m.seen != nil {
		if m.seen[lower] {
			return
		}
		m.seen[lower] = true
	} else {
		for _, t := range m.tags {
			if t.lower == lower {
				return
			}
		}
		if len(m.tags) == linearTags {
			m.seen = make(map[string]bool, 2*linearTags)
			for _, t := range m.tags {
				m.seen[t.lower] = true
			}
			m.seen[lower] = true
		}
	}
	m.tags = append(m.tags, lowerTag{tag, lower})
}

// sorted returns the tags by their lower-case form, then by the tag.
func (m *tagMerger) sorted() []any {
	slices.SortFunc(m.tags, func(a, b lowerTag) int {
		if c := strings.Compare(a.lower, b.lower); c != 0 {
			return c
		}
		return strings.Compare(a.tag, b.tag)
	})
	res := make([]any, len(m.tags))
	for i, t := range m.tags {
		res[i] = t.tag
	}
	return res
}
