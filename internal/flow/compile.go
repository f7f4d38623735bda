package flow

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// exprTarget is the field a single expression is compiled into.
const exprTarget = "v"

// checker validates a flow and compiles its expressions, collecting every
// problem.
type checker struct {
	f    *Flow
	opts Options
	errs Errors
}

func (c *checker) errorf(path, format string, args ...any) {
	c.errs = append(c.errs, &Error{Pos: c.f.Position(path), Path: path, Message: fmt.Sprintf(format, args...)})
}

// keyErrorf reports a problem with a field's name, at its key.
func (c *checker) keyErrorf(path, format string, args ...any) {
	c.errs = append(c.errs, &Error{Pos: c.f.keyPosition(path), Path: path, Message: fmt.Sprintf(format, args...)})
}

// present reports whether path was written in the YAML (for parsed flows)
// or, for a flow built in Go, falls back to set.
func (c *checker) present(path string, set bool) bool {
	if c.f.nodes != nil {
		_, ok := c.f.nodes[path]
		return ok || set
	}
	return set
}

// exprAt maps a position inside an expression or path written at path to
// the YAML position.
func (c *checker) exprAt(path string, line, col int) Pos {
	n := c.f.nodes[path]
	if n == nil {
		return c.f.Position(path)
	}
	if line <= 0 {
		return n.pos
	}
	switch n.style {
	case styleQuoted:
		if line == 1 {
			return Pos{Line: n.pos.Line, Column: n.pos.Column + col}
		}
	case styleBlock:
		if !n.folded || line > 1 {
			return Pos{Line: n.pos.Line + line - 1, Column: n.blockIndent + col}
		}
		// A folded scalar joins its lines with spaces: walk the lines to
		// find the one the column falls in.
		for i, l := range n.blockLines {
			width := len([]rune(l))
			if col <= width+1 {
				return Pos{Line: n.pos.Line + i, Column: n.blockIndent + col}
			}
			col -= width + 1
		}
		return n.pos
	default:
		if line == 1 {
			return Pos{Line: n.pos.Line, Column: n.pos.Column + col - 1}
		}
	}
	// A multi-line flow scalar is folded; the first line is the best
	// position we can give.
	return n.pos
}

// compileExpr compiles one expression written at path; roots are the
// records it may read.
func (c *checker) compileExpr(path, src string, roots []string) *mapping.Mapping {
	if strings.TrimSpace(src) == "" {
		c.errorf(path, "the expression is empty")
		return nil
	}
	spec := mapping.Spec{Fields: []mapping.FieldSpec{{Target: exprTarget, Expr: src}}, Lookups: c.f.Lookups}
	m, err := mapping.Compile(spec, c.mappingOptions(roots))
	if err != nil {
		c.mappingErrors(err, path, nil, roots)
		return nil
	}
	return m
}

// compileFields compiles a field map written at path.
func (c *checker) compileFields(path string, fm FieldMap, roots []string) *mapping.Mapping {
	for _, fd := range fm {
		fp := joinKey(path, fd.Target)
		if fd.Source == "" {
			continue
		}
		p, err := mapping.ParsePath(fd.Source)
		if err != nil || len(p) == 0 || p[0].IsIndex {
			continue // Compile reports it
		}
		if !slices.Contains(roots, p[0].Name) {
			at := fp
			if _, long := c.f.nodes[fp+".source"]; long {
				at = fp + ".source"
			}
			c.errs = append(c.errs, &Error{Pos: c.exprAt(at, 1, 1), Path: at,
				Message: fmt.Sprintf("unknown record %q%s; here a path can start at %s", p[0].Name, didYouMean(p[0].Name, roots), quoteList(roots))})
		}
	}
	m, err := mapping.Compile(fm.Spec(c.f.Lookups), c.mappingOptions(roots))
	if err != nil {
		c.mappingErrors(err, path, fm, roots)
		return nil
	}
	return m
}

func (c *checker) mappingOptions(roots []string) mapping.Options {
	return mapping.Options{Roots: roots, Now: c.opts.Now, Cache: c.opts.Cache}
}

// mappingErrors turns mapping.Compile's errors into flow errors at the
// YAML position of the field (and inside its expression). fm is nil for a
// single expression written at path.
func (c *checker) mappingErrors(err error, path string, fm FieldMap, roots []string) {
	var ce mapping.CompileErrors
	if !errors.As(err, &ce) {
		c.errorf(path, "%v", err)
		return
	}
	for _, fe := range ce {
		at := path
		switch {
		case fe.Index < 0 && fe.Part == "lookups":
			at = "lookups"
		case fe.Index >= 0 && fm != nil && fe.Index < len(fm):
			at = joinKey(path, fm[fe.Index].Target)
			if fe.Part == "expr" || fe.Part == "source" {
				if _, long := c.f.nodes[at+"."+fe.Part]; long {
					at += "." + fe.Part
				}
			}
		}
		msg := fe.Message
		if name, ok := strings.CutPrefix(msg, "unknown name "); ok {
			known := append(slices.Clone(roots), mapping.HelperNames()...)
			msg += didYouMean(name, known)
			if len(roots) > 0 {
				msg += "; here expressions can read " + quoteList(roots)
			}
		}
		if fe.Part == "target" {
			msg = "target field: " + msg
		}
		pos := c.f.Position(at)
		if fe.Part == "expr" || fe.Part == "source" {
			pos = c.exprAt(at, fe.Line, fe.Column)
		}
		c.errs = append(c.errs, &Error{Pos: pos, Path: at, Message: msg})
	}
}

// checkName reports a record name that cannot be used in expressions.
func (c *checker) checkName(path, name string) bool {
	if p := nameProblem(name); p != "" {
		c.errorf(path, "%q %s", name, p)
		return false
	}
	return true
}

// checkConnection checks a connection reference: that it is given, and
// with Options.Connections that it exists on app with the scopes.
func (c *checker) checkConnection(path, name, app string, scopes []string, what string) {
	if name == "" {
		c.errorf(path, "connection is required: the name of a %s connection (see fieldbridge connections list)", appTitle(app))
		return
	}
	if c.opts.Connections == nil {
		return
	}
	ci, ok := c.opts.Connections.Connection(name)
	if !ok {
		hint := ""
		if l, ok := c.opts.Connections.(ConnectionLister); ok {
			hint = didYouMean(name, l.Names())
		}
		c.errorf(path, "no connection named %q%s; add it with fieldbridge connections add %s", name, hint, app)
		return
	}
	if app != "" && ci.App != app {
		c.errorf(path, "connection %q is a %s connection, but %s needs a %s one", name, appTitle(ci.App), what, appTitle(app))
		return
	}
	if ci.Scopes == nil {
		return
	}
	var missing []string
	for _, s := range scopes {
		if !slices.Contains(ci.Scopes, s) {
			missing = append(missing, s)
		}
	}
	if len(missing) > 0 {
		c.errorf(path, "connection %q lacks the scope %s that %s needs; grant it (reinstall the app, or edit the private integration's scopes) and update the connection",
			name, strings.Join(missing, ", "), what)
	}
}

func appTitle(app string) string {
	switch app {
	case AppGHL:
		return "HighLevel"
	case AppRepsly:
		return "Repsly"
	}
	return app
}

// checkOperation checks a catalog operation id of the wanted kind and
// returns what the catalog says about it.
func (c *checker) checkOperation(path, id, kind, mode string) (OperationInfo, bool) {
	if id == "" {
		c.errorf(path, "operation is required: a catalog %s id such as %s (see fieldbridge ops list --kind %s)", kind, exampleOp(kind), kind)
		return OperationInfo{}, false
	}
	if !operationIDRE.MatchString(id) {
		c.errorf(path, "%q is not an operation id: ids look like %s", id, exampleOp(kind))
		return OperationInfo{}, false
	}
	app, _, _ := splitID(id)
	if app != AppGHL && app != AppRepsly {
		c.errorf(path, "unknown app %q: operation ids start with ghl. or repsly.", app)
		return OperationInfo{}, false
	}
	var (
		info  OperationInfo
		known bool
	)
	if c.opts.Operations != nil {
		info, known = c.opts.Operations.Lookup(id)
	}
	limit := ""
	if kind == OpTrigger {
		limit = triggerLimit(id, mode, info, known)
	} else {
		limit = actionLimit(id, info)
	}
	if limit != "" {
		c.errorf(path, "%s", limit)
		return OperationInfo{}, false
	}
	if c.opts.Operations == nil {
		return OperationInfo{ID: id, App: app, Kind: kind}, true
	}
	if !known {
		hint := ""
		if l, ok := c.opts.Operations.(OperationLister); ok {
			hint = didYouMean(id, l.IDs())
		}
		c.errorf(path, "unknown operation %q%s (see fieldbridge ops list --kind %s)", id, hint, kind)
		return OperationInfo{}, false
	}
	if info.Kind != "" && info.Kind != kind {
		c.errorf(path, "%s is %s %s, not %s %s", id, article(info.Kind), info.Kind, article(kind), kind)
		return OperationInfo{}, false
	}
	if info.App == "" {
		info.App = app
	}
	return info, true
}

func article(s string) string {
	if s != "" && strings.ContainsRune("aeiou", rune(s[0])) {
		return "an"
	}
	return "a"
}

func exampleOp(kind string) string {
	if kind == OpTrigger {
		return "repsly.client.updated"
	}
	return "ghl.contact.upsert"
}

// checkInputFields reports input targets an operation does not take.
func (c *checker) checkInputFields(path string, fm FieldMap, fields []string, what string) {
	if len(fields) == 0 {
		return
	}
	for _, fd := range fm {
		top, _, _ := strings.Cut(fd.Target, ".")
		if !slices.Contains(fields, top) {
			c.keyErrorf(joinKey(path, fd.Target), "%s has no input field %q%s", what, top, didYouMean(top, fields))
		}
	}
}
