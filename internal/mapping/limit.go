package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm/runtime"
)

// Defaults for Options.
const (
	// DefaultMaxNodes bounds the size of one expression.
	DefaultMaxNodes = 500
	// DefaultMemoryBudget is expr's memory budget per expression run: roughly
	// the number of list elements allocated or iterated.
	DefaultMemoryBudget = 1_000_000
	// DefaultByteBudget bounds the text one expression run may produce.
	DefaultByteBudget = 1 << 20
	// maxOutputNodes bounds the values one mapped record may hold.
	maxOutputNodes = 100_000
)

// ErrBudgetExceeded is wrapped by the error of an expression that ran out of
// its memory or byte budget.
var ErrBudgetExceeded = errors.New("memory budget exceeded")

// disabledBuiltins lists expr builtins a mapping may not use:
//   - now reads the wall clock; ours reads the injected clock.
//   - flatten, min, max, mean and median walk nested lists recursively; on a
//     list built from shared parts (let a = [x, x]; let b = [a, a]; ...) that
//     takes time exponential in the expression size, before any budget
//     check.
//   - toBase64 and fromBase64 have no use in field mappings.
func disabledBuiltins() []string {
	return []string{"now", "flatten", "min", "max", "mean", "median", "toBase64", "fromBase64"}
}

// charge counts n bytes of produced text against the run's byte budget. expr
// counts list elements but not string bytes, so without this a doubling loop
// (reduce(1..60, #acc + #acc, "x")) would exhaust the process's memory.
func (st *runState) charge(n int) error {
	st.used += n
	if st.used > st.byteBudget {
		return fmt.Errorf("%w: expression produced more than %d bytes of text", ErrBudgetExceeded, st.byteBudget)
	}
	return nil
}

func charge(ctx context.Context, n int) error {
	st, err := stateFrom(ctx)
	if err != nil {
		return err
	}
	return st.charge(n)
}

// addName is the function `+` is rewritten to when it may join text.
const addName = "$add"

// addPatcher rewrites `a + b` into $add(a, b) unless both sides are known
// numbers, times or durations, so text concatenation is charged to the byte
// budget. It leaves `+` alone when one side is known text and the other a
// known non-text type, so the checker still reports "mismatched types" at
// compile time.
type addPatcher struct{}

// Visit implements ast.Visitor.
func (addPatcher) Visit(node *ast.Node) {
	bin, ok := (*node).(*ast.BinaryNode)
	if !ok || bin.Operator != "+" {
		return
	}
	l, r := kindOf(bin.Left), kindOf(bin.Right)
	textish := func(k reflect.Kind) bool { return k == reflect.String || k == reflect.Interface }
	if !textish(l) || !textish(r) {
		return
	}
	ast.Patch(node, &ast.CallNode{
		Callee:    &ast.IdentifierNode{Value: addName},
		Arguments: []ast.Node{bin.Left, bin.Right},
	})
}

// kindOf returns the checked kind of a node, Interface when unknown.
func kindOf(n ast.Node) reflect.Kind {
	t := n.Type()
	if t == nil {
		return reflect.Interface
	}
	return t.Kind()
}

// addHelper is `+` with text charged to the budget. Text plus nothing is the
// text: payload fields are often missing, and a mapping should not fail on
// "territory:" + client.Territory for a client without a territory.
func addHelper(ctx context.Context, a, b any) (out any, err error) {
	_, aText := a.(string)
	_, bText := b.(string)
	if aText && b == nil {
		b = ""
	}
	if bText && a == nil {
		a = ""
	}
	if x, ok := a.(string); ok {
		if y, ok := b.(string); ok {
			if err := charge(ctx, len(x)+len(y)); err != nil {
				return nil, err
			}
			return x + y, nil
		}
	}
	// runtime.Add panics on mismatched operands; turn that into an error.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%v", r)
		}
	}()
	return runtime.Add(a, b), nil
}

// limitedWriter fails once more than n bytes were written.
type limitedWriter struct {
	b strings.Builder
	n int
}

func (w *limitedWriter) Write(p []byte) (int, error) {
	if w.b.Len()+len(p) > w.n {
		return 0, ErrBudgetExceeded
	}
	return w.b.Write(p)
}

// encodeLimited renders v as JSON, stopping at the budget's remaining bytes:
// a list built from shared parts can have an exponential rendering.
func encodeLimited(ctx context.Context, v any) (string, error) {
	st, err := stateFrom(ctx)
	if err != nil {
		return "", err
	}
	w := &limitedWriter{n: st.byteBudget - st.used}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		if errors.Is(err, ErrBudgetExceeded) {
			return "", fmt.Errorf("%w: text larger than %d bytes", ErrBudgetExceeded, st.byteBudget)
		}
		return "", err
	}
	out := strings.TrimSuffix(w.b.String(), "\n")
	return out, st.charge(len(out))
}

// budgetedBuiltins replaces the expr builtins that build text or lists from
// text with versions that charge the byte budget.
func budgetedBuiltins() []function {
	return []function{
		fn(addName, func(p ...any) (any, error) {
			return addHelper(p[0].(context.Context), p[1], p[2])
		}, new(func(context.Context, any, any) any)),
		fn("toJSON", func(p ...any) (any, error) {
			return encodeLimited(p[0].(context.Context), p[1])
		}, new(func(context.Context, any) string)),
		fn("string", func(p ...any) (any, error) {
			ctx := p[0].(context.Context)
			switch x := p[1].(type) {
			case string:
				return x, nil
			case map[string]any, []any:
				return encodeLimited(ctx, x)
			}
			s, err := toString("string", p[1])
			if err != nil {
				return encodeLimited(ctx, p[1])
			}
			return s, charge(ctx, len(s))
		}, new(func(context.Context, any) string)),
		fn("join", func(p ...any) (any, error) {
			ctx := p[0].(context.Context)
			sep := ""
			if len(p) > 2 {
				sep = p[2].(string)
			}
			parts, err := stringList("join", p[1])
			if err != nil {
				return nil, err
			}
			n := len(sep) * max(len(parts)-1, 0)
			for _, s := range parts {
				n += len(s)
			}
			if err := charge(ctx, n); err != nil {
				return nil, err
			}
			return strings.Join(parts, sep), nil
		}, new(func(context.Context, any, ...string) string)),
		fn("replace", func(p ...any) (any, error) {
			s, err := toString("replace", p[1])
			if err != nil {
				return nil, err
			}
			old, repl := p[2].(string), p[3].(string)
			n := len(s)
			if len(repl) > len(old) {
				n += strings.Count(s, old) * (len(repl) - len(old))
				if old == "" {
					n += (len(s) + 1) * len(repl)
				}
			}
			if err := charge(p[0].(context.Context), n); err != nil {
				return nil, err
			}
			return strings.ReplaceAll(s, old, repl), nil
		}, new(func(context.Context, string, string, string) string)),
		fn("split", func(p ...any) (any, error) {
			return splitHelper(p, strings.SplitN)
		}, new(func(context.Context, string, string, ...int) []string)),
		fn("splitAfter", func(p ...any) (any, error) {
			return splitHelper(p, strings.SplitAfterN)
		}, new(func(context.Context, string, string, ...int) []string)),
	}
}

// splitHelper charges the list header of every part (16 bytes each), since
// splitting a long text on "" makes one part per character.
func splitHelper(p []any, split func(s, sep string, n int) []string) (any, error) {
	s, err := toString("split", p[1])
	if err != nil {
		return nil, err
	}
	sep := p[2].(string)
	n := -1
	if len(p) > 3 {
		n = p[3].(int)
	}
	parts := split(s, sep, n)
	if err := charge(p[0].(context.Context), 16*len(parts)); err != nil {
		return nil, err
	}
	return parts, nil
}

// stringList accepts a list of texts as []string or []any.
func stringList(fn string, v any) ([]string, error) {
	switch x := v.(type) {
	case []string:
		return x, nil
	case []any:
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, fmt.Errorf("%s: element %d is %s, not text", fn, i, typeName(e))
			}
			out[i] = s
		}
		return out, nil
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("%s: expected a list of texts, got %s", fn, typeName(v))
}
