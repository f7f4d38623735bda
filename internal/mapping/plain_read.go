package mapping

import (
	"slices"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/vm"
)

// rootRead is an expression that only reads one key of an input root
// (`contact.city`, `client["Name"]`): most fields of a mapping are such
// copies, and running the virtual machine for one cost most of a
// microsecond and four allocations per field and record.
type rootRead struct{ root, key string }

// plainRead returns the read prog makes, or nil when prog does anything
// else. It looks at the compiled program's syntax tree, so it agrees with
// expr on what the expression is.
func plainRead(prog *vm.Program, roots []string) *rootRead {
	if prog == nil {
		return nil
	}
	m, ok := prog.Node().(*ast.MemberNode)
	if !ok || m.Optional || m.Method {
		return nil
	}
	id, ok := m.Node.(*ast.IdentifierNode)
	if !ok || !slices.Contains(roots, id.Value) {
		return nil
	}
	key, ok := m.Property.(*ast.StringNode)
	if !ok {
		return nil
	}
	return &rootRead{root: id.Value, key: key.Value}
}

// value reads the key as expr would: a missing or nil root reads as an
// empty record (see ApplyTo). ok is false for a root that is not a record,
// which the virtual machine then answers (with its error).
func (r *rootRead) value(input map[string]any) (v any, ok bool) {
	switch rec := input[r.root].(type) {
	case nil:
		return nil, true
	case map[string]any:
		return rec[r.key], true
	}
	return nil, false
}
