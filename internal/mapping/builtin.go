package mapping

import (
	"context"

	"github.com/expr-lang/expr/vm/runtime"
)

// fastBuiltins replaces expr builtins whose own implementation is slow on
// the values mappings see most. expr's first and last fetch the element and
// recover from the panic an empty list raises; a panic, its recovery and
// the message formatted for it cost more than the rest of a typical
// right-to-left mapping (first(contact.additionalPhones ?? []) on a contact
// without additional phones). Results are the builtins': the element, or
// nil for an empty list or anything that has no such element.
func fastBuiltins() []function {
	return []function{
		fn("first", func(p ...any) (any, error) {
			return element(p[1], 0), nil
		}, new(func(context.Context, any) any)),
		fn("last", func(p ...any) (any, error) {
			return element(p[1], -1), nil
		}, new(func(context.Context, any) any)),
	}
}

// element returns v[i] (i = -1 for the last element), or nil when v has no
// such element; lists other than []any and []string take expr's own fetch.
func element(v any, i int) (out any) {
	switch x := v.(type) {
	case nil:
		return nil
	case []any:
		return pick(x, i)
	case []string:
		if s, ok := pickOK(x, i); ok {
			return s
		}
		return nil
	}
	defer func() {
		if recover() != nil {
			out = nil
		}
	}()
	return runtime.Fetch(v, i)
}

// pick is element for []any.
func pick(x []any, i int) any {
	v, _ := pickOK(x, i)
	return v
}

// pickOK returns x[i], with i = -1 meaning the last element.
func pickOK[T any](x []T, i int) (T, bool) {
	var zero T
	if i < 0 {
		i += len(x)
	}
	if i < 0 || i >= len(x) {
		return zero, false
	}
	return x[i], true
}
