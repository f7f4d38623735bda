package flow

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a position in a flow's YAML, 1-based. The zero Pos means the
// position is unknown (a flow built in Go, not parsed).
type Pos struct {
	Line, Column int
}

// Error is one problem with a flow: where it is in the YAML, which field,
// and what is wrong (with what to do instead, where there is a better way).
type Error struct {
	Pos
	// Path names the field: "steps[2].map.email", "trigger.operation"; ""
	// for the document as a whole.
	Path string
	// Message says what is wrong.
	Message string
}

// Error formats the problem as "12:5: steps[2].map.email: message".
func (e *Error) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "%d:%d: ", e.Line, e.Column)
	}
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// Errors is every problem found in a flow, in document order. Parse,
// Validate and Compile return it so a user sees all problems at once.
type Errors []*Error

// Error joins the problems, one per line.
func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, x := range e {
		lines[i] = x.Error()
	}
	return strings.Join(lines, "\n")
}

// Format writes one line per problem as "FILE:LINE:COL: path: message", the
// form editors and CI logs link to.
func (e Errors) Format(file string) string {
	var b strings.Builder
	for _, x := range e {
		b.WriteString(file)
		if x.Line > 0 {
			fmt.Fprintf(&b, ":%d:%d", x.Line, x.Column)
		}
		b.WriteString(": ")
		if x.Path != "" {
			b.WriteString(x.Path + ": ")
		}
		b.WriteString(x.Message)
		b.WriteByte('\n')
	}
	return b.String()
}

// sorted orders errors by position (unknown positions last, in the order
// found) and drops exact duplicates.
func (e Errors) sorted() Errors {
	out := slices.Clone(e)
	slices.SortStableFunc(out, func(a, b *Error) int {
		if (a.Line == 0) != (b.Line == 0) {
			if a.Line == 0 {
				return 1
			}
			return -1
		}
		return cmp.Or(cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column))
	})
	return slices.CompactFunc(out, func(a, b *Error) bool { return *a == *b })
}
