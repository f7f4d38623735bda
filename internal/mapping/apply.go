package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/expr-lang/expr/vm"
)

// Apply maps input (the source record, keyed by root: {"client": {...}}) to a
// new target record. See ApplyTo.
func (m *Mapping) Apply(ctx context.Context, input map[string]any) (map[string]any, error) {
	return m.ApplyTo(ctx, input, nil)
}

// ApplyTo maps input to a new record. current is the target record as it is
// now (nil if there is none); expressions read it, overlaid with the fields
// already computed, as `target`, which lets a field merge into what the
// other side holds (tags(target.tags, ...)). Neither input nor current is
// modified.
//
// Fields are computed in order. A field whose value is nothing (after its
// default) is left out of the result. The result is deterministic: the same
// input, current record and clock give the same output. Apply never panics:
// a failing field returns an *ApplyError naming the field and its
// expression, and no partial record.
func (m *Mapping) ApplyTo(ctx context.Context, input, current map[string]any) (map[string]any, error) {
	budget := maxOutputNodes
	out := make(map[string]any, m.topLevel)
	targetMap, shared, err := m.targetView(current, out, &budget)
	if err != nil {
		return nil, fmt.Errorf("mapping: current target record: %w", err)
	}
	st := &runState{tables: m.tables, now: m.now, byteBudget: m.byteBudget}
	env := make(map[string]any, len(reservedNames())+len(m.roots))
	env[ctxName] = context.WithValue(ctx, runStateKey{}, st)
	env["source"] = input
	env["target"] = targetMap
	env["lookups"] = m.tables
	env["value"] = nil
	for _, r := range m.roots {
		v, ok := input[r]
		if !ok || v == nil {
			// A missing root reads as an empty record, so client.Email is
			// nothing rather than an error when there is no client.
			v = map[string]any{}
		}
		env[r] = v
	}
	machine := &vm.VM{MemoryBudget: m.memoryBudget}
	for i := range m.fields {
		f := &m.fields[i]
		if err := ctx.Err(); err != nil {
			return nil, &ApplyError{Target: f.targetText, Expr: f.expr, Err: err}
		}
		v, err := f.eval(machine, env, input)
		if err != nil {
			return nil, err
		}
		if isEmpty(v) && f.def != nil {
			v = f.def
		}
		if v == nil {
			continue
		}
		if v, err = normalize(v, &budget, 0); err != nil {
			return nil, &ApplyError{Target: f.targetText, Expr: f.expr, Err: err}
		}
		// out and the target view share values: nothing mutates them until
		// Apply returns, and the caller only gets out.
		set(out, f.target, v)
		if !shared {
			set(targetMap, f.target, v)
		}
	}
	return out, nil
}

// eval computes one field's value before defaults.
func (f *field) eval(machine *vm.VM, env, input map[string]any) (v any, err error) {
	defer func() {
		// expr recovers its own panics; this catches ours and any it misses.
		if r := recover(); r != nil {
			v, err = nil, &ApplyError{Target: f.targetText, Expr: f.expr, Err: fmt.Errorf("internal error: %v", r)}
		}
	}()
	var value any
	if f.source != nil {
		value, _ = f.source.Lookup(input)
	}
	if f.program == nil {
		return value, nil
	}
	if f.read != nil {
		if v, ok := f.read.value(input); ok {
			return v, nil
		}
	}
	env["value"] = value
	out, err := machine.Run(f.program, env)
	if err != nil {
		line, col, msg := exprPosition(err, f.expr)
		re := &runError{msg: msg}
		if cause := errors.Unwrap(err); cause != nil {
			re.causes = append(re.causes, cause)
		}
		// expr reports its own budget as a bare message.
		if strings.Contains(msg, ErrBudgetExceeded.Error()) {
			re.causes = append(re.causes, ErrBudgetExceeded)
		}
		return nil, &ApplyError{Target: f.targetText, Expr: f.expr, Line: line, Column: col, Err: re}
	}
	return out, nil
}

// runError is an expression's run-time failure: expr's message without its
// multi-line source snippet (ApplyError carries the position), keeping the
// cause for errors.Is.
type runError struct {
	msg    string
	causes []error
}

func (e *runError) Error() string   { return e.msg }
func (e *runError) Unwrap() []error { return e.causes }

// maxDepth bounds the nesting of a mapped value.
const maxDepth = 64

// normalize deep-copies a value into plain JSON-like data (map[string]any,
// []any, text, numbers, booleans, times), so a mapped record never shares
// memory with the input and compares and hashes predictably. budget bounds
// the number of values: a list built from shared parts can be exponentially
// large once copied.
func normalize(v any, budget *int, depth int) (any, error) {
	*budget--
	if *budget < 0 {
		return nil, fmt.Errorf("%w: record holds more than %d values", ErrBudgetExceeded, maxOutputNodes)
	}
	if depth > maxDepth {
		return nil, fmt.Errorf("value nested deeper than %d levels", maxDepth)
	}
	switch x := v.(type) {
	case nil, string, bool, float64, int, int64, json.Number, time.Time, time.Duration:
		return v, nil
	case map[string]any:
		if x == nil {
			return nil, nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			n, err := normalize(e, budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = n
		}
		return out, nil
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			n, err := normalize(e, budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		out := make([]any, rv.Len())
		for i := range out {
			n, err := normalize(rv.Index(i).Interface(), budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil, fmt.Errorf("unsupported value: map with %s keys", rv.Type().Key())
		}
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			n, err := normalize(it.Value().Interface(), budget, depth+1)
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = n
		}
		return out, nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return rv.Uint(), nil
	case reflect.Float32:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	}
	return nil, fmt.Errorf("unsupported value of type %s", typeName(v))
}
