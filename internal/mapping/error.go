package mapping

import (
	"fmt"
	"strings"
)

// FieldError is one problem found by Compile.
type FieldError struct {
	// Index is the field's position in Spec.Fields, -1 for problems with
	// the spec as a whole (lookup tables, roots).
	Index int
	// Target is the field's target path as written.
	Target string
	// Part is what is wrong: "target", "source", "expr", "lookups" or
	// "roots"; "" when the field as a whole is.
	Part string
	// Expr is the expression, when Part is "expr".
	Expr string
	// Line and Column locate the problem inside the expression or path,
	// 1-based; 0 when the message is not about a position.
	Line, Column int
	// Message says what is wrong.
	Message string
}

// Error formats the problem as `field 2 "email": expr 1:7: unknown name x`.
func (e *FieldError) Error() string {
	var b strings.Builder
	if e.Index >= 0 {
		fmt.Fprintf(&b, "field %d %q: ", e.Index+1, e.Target)
	}
	if e.Part != "" {
		b.WriteString(e.Part)
		if e.Line > 0 {
			fmt.Fprintf(&b, " %d:%d", e.Line, e.Column)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// CompileErrors lists every problem Compile found, in field order.
type CompileErrors []*FieldError

// Error joins the problems, one per line.
func (e CompileErrors) Error() string {
	lines := make([]string, len(e))
	for i, fe := range e {
		lines[i] = fe.Error()
	}
	return "mapping: " + strings.Join(lines, "\n")
}

// ApplyError reports a field whose value could not be computed.
type ApplyError struct {
	// Target is the field's target path.
	Target string
	// Expr is the expression that failed, if any.
	Expr string
	// Line and Column locate the failure in Expr (1-based), when known.
	Line, Column int
	// Err is the cause.
	Err error
}

// Error names the field and the expression.
func (e *ApplyError) Error() string {
	if e.Expr == "" {
		return fmt.Sprintf("mapping: field %q: %v", e.Target, e.Err)
	}
	pos := ""
	if e.Line > 0 {
		pos = fmt.Sprintf(" at %d:%d", e.Line, e.Column)
	}
	return fmt.Sprintf("mapping: field %q: expr %s%s: %v", e.Target, quoteShort(e.Expr), pos, e.Err)
}

// Unwrap returns the cause.
func (e *ApplyError) Unwrap() error { return e.Err }
