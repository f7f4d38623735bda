package mapping

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/file"
	"github.com/expr-lang/expr/types"
	"github.com/expr-lang/expr/vm"
)

// Mapping is a compiled Spec, ready to Apply. It is immutable and safe for
// concurrent use.
type Mapping struct {
	fields       []field
	tables       map[string]map[string]string
	roots        []string
	now          func() time.Time
	memoryBudget uint
	byteBudget   int
	// topLevel is the number of distinct first steps of the target paths:
	// the size of a mapped record, to allocate it once.
	topLevel int
	// written is the maps that fields are written into, which ApplyTo
	// copies before it writes into a view of the current record.
	written pathTree
}

type field struct {
	target     Path
	targetText string
	source     Path // nil without a source
	expr       string
	program    *vm.Program // nil without an expression
	// read is set when the expression is a plain `root.key` read of an
	// input record, which eval answers without the virtual machine.
	read *rootRead
	def  any
}

// reservedNames are the variables every expression has; roots may not reuse
// them.
func reservedNames() []string {
	return []string{ctxName, "source", "target", "value", "lookups"}
}

// Compile checks and compiles spec. It reports every problem at once, as
// CompileErrors, so the UI can mark each failing field.
func Compile(spec Spec, opts Options) (*Mapping, error) {
	if opts.MaxNodes == 0 {
		opts.MaxNodes = DefaultMaxNodes
	}
	if opts.MemoryBudget == 0 {
		opts.MemoryBudget = DefaultMemoryBudget
	}
	if opts.ByteBudget <= 0 {
		opts.ByteBudget = DefaultByteBudget
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &compiler{spec: spec, opts: opts}
	m := &Mapping{
		tables:       cloneTables(spec.Lookups),
		now:          opts.Now,
		memoryBudget: opts.MemoryBudget,
		byteBudget:   opts.ByteBudget,
	}
	c.checkTables()
	sources := c.parseSources()
	m.roots = c.roots(sources)
	targets := c.parseTargets()
	for i, fs := range spec.Fields {
		f := field{target: targets[i], targetText: fs.Target, source: sources[i], expr: fs.Expr, def: fs.Default}
		if fs.Source == "" && strings.TrimSpace(fs.Expr) == "" {
			c.add(i, "", 0, 0, "needs a source path or an expression")
		}
		if strings.TrimSpace(fs.Expr) != "" {
			f.program = c.compileExpr(i, fs.Expr, m.roots)
			if f.source == nil {
				f.read = plainRead(f.program, m.roots)
			}
		}
		m.fields = append(m.fields, f)
	}
	if len(c.errs) > 0 {
		slices.SortStableFunc(c.errs, func(a, b *FieldError) int { return a.Index - b.Index })
		return nil, c.errs
	}
	top := map[string]bool{}
	for _, f := range m.fields {
		top[f.target[0].Name] = true
		m.written.add(f.target)
	}
	m.topLevel = len(top)
	return m, nil
}

// Targets returns the target paths in order.
func (m *Mapping) Targets() []string {
	out := make([]string, len(m.fields))
	for i, f := range m.fields {
		out[i] = f.targetText
	}
	return out
}

type compiler struct {
	spec Spec
	opts Options
	errs CompileErrors
}

func (c *compiler) add(i int, part string, line, col int, format string, args ...any) {
	e := &FieldError{Index: i, Part: part, Line: line, Column: col, Message: strings.TrimSpace(fmt.Sprintf(format, args...))}
	if i >= 0 && i < len(c.spec.Fields) {
		e.Target = c.spec.Fields[i].Target
		if part == "expr" {
			e.Expr = c.spec.Fields[i].Expr
		}
	}
	c.errs = append(c.errs, e)
}

func (c *compiler) checkTables() {
	for _, name := range slices.Sorted(maps.Keys(c.spec.Lookups)) {
		if strings.TrimSpace(name) == "" {
			c.add(-1, "lookups", 0, 0, "lookup table with an empty name")
		}
	}
}

func (c *compiler) parseSources() []Path {
	out := make([]Path, len(c.spec.Fields))
	for i, fs := range c.spec.Fields {
		if fs.Source == "" {
			continue
		}
		p, err := ParsePath(fs.Source)
		if err != nil {
			var pe *PathError
			if errors.As(err, &pe) {
				c.add(i, "source", 1, pe.Column, "%s", pe.Msg)
			} else {
				c.add(i, "source", 0, 0, "%v", err)
			}
			continue
		}
		out[i] = p
	}
	return out
}

// roots returns the declared roots plus the first step of every source path,
// sorted; it reports roots that are not identifiers or clash with reserved
// names.
func (c *compiler) roots(sources []Path) []string {
	set := map[string]bool{}
	for _, r := range c.opts.Roots {
		switch {
		case !isIdent(r):
			c.add(-1, "roots", 0, 0, "root %q is not a valid name", r)
		case slices.Contains(reservedNames(), r) || slices.Contains(HelperNames(), r):
			c.add(-1, "roots", 0, 0, "root %q clashes with a built-in name", r)
		default:
			set[r] = true
		}
	}
	for _, p := range sources {
		// A source path whose first step is not a usable name still works; it
		// just does not become a variable.
		if len(p) > 0 && !p[0].IsIndex && isIdent(p[0].Name) &&
			!slices.Contains(reservedNames(), p[0].Name) && !slices.Contains(HelperNames(), p[0].Name) {
			set[p[0].Name] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

func (c *compiler) parseTargets() []Path {
	out := make([]Path, len(c.spec.Fields))
	seen := map[string]int{} // canonical target -> field index
	for i, fs := range c.spec.Fields {
		if strings.TrimSpace(fs.Target) == "" {
			c.add(i, "target", 0, 0, "target is empty")
			continue
		}
		p, err := ParsePath(fs.Target)
		if err != nil {
			var pe *PathError
			if errors.As(err, &pe) {
				c.add(i, "target", 1, pe.Column, "%s", pe.Msg)
			}
			continue
		}
		if slices.ContainsFunc(p, func(s Step) bool { return s.IsIndex }) {
			c.add(i, "target", 0, 0, "a target path cannot index a list")
			continue
		}
		key := p.String()
		if j, dup := seen[key]; dup {
			c.add(i, "target", 0, 0, "target %q is already set by field %d", fs.Target, j+1)
			continue
		}
		for k, j := range seen {
			if strings.HasPrefix(k, key+".") || strings.HasPrefix(key, k+".") {
				c.add(i, "target", 0, 0, "target %q overlaps target %q of field %d", fs.Target, c.spec.Fields[j].Target, j+1)
			}
		}
		seen[key] = i
		out[i] = p
	}
	return out
}

// compileExpr compiles one expression, reusing a cached program when the
// same expression was compiled for the same roots before.
func (c *compiler) compileExpr(i int, src string, roots []string) *vm.Program {
	key := cacheKey(src, roots, c.opts.MaxNodes)
	prog := c.opts.Cache.get(key)
	if prog == nil {
		var err error
		prog, err = compileProgram(src, roots, c.opts.MaxNodes)
		if err != nil {
			line, col, msg := exprPosition(err, src)
			if name, ok := strings.CutPrefix(msg, "unknown name "); ok && slices.Contains(disabledBuiltins(), name) {
				msg = fmt.Sprintf("%s is not available in mappings", name)
			}
			c.add(i, "expr", line, col, "%s", msg)
			return nil
		}
		c.opts.Cache.put(key, prog)
	}
	c.checkLookupTables(i, src, prog)
	return prog
}

// compileProgram compiles src; a panic inside expr (a bug there) becomes an
// error rather than taking the server down when a user saves a mapping.
//
// It compiles twice. expr.WithContext, which hands the context to helpers,
// makes expr v1.17.8 skip reporting unknown names inside call arguments
// (upper(clinet.Name) compiles); so a first pass type-checks the expression
// with context-free helper signatures and no patchers, exactly as the user
// wrote it, and only the second pass builds the program.
func compileProgram(src string, roots []string, maxNodes uint) (prog *vm.Program, err error) {
	defer func() {
		if r := recover(); r != nil {
			prog, err = nil, fmt.Errorf("internal compiler error: %v", r)
		}
	}()
	record := types.TypeOf(map[string]any{})
	env := types.Map{
		ctxName:   types.TypeOf(context.Background()),
		"source":  record,
		"target":  record,
		"value":   types.Any, // a source value of any type
		"lookups": types.TypeOf(map[string]map[string]string{}),
	}
	for _, r := range roots {
		env[r] = record
	}
	base := []expr.Option{expr.Env(env), expr.MaxNodes(maxNodes)}
	for _, name := range disabledBuiltins() {
		base = append(base, expr.DisableBuiltin(name))
	}
	fns := slices.Concat(helpers(), budgetedBuiltins(), fastBuiltins())

	check := append(slices.Clip(base), functionOptions(fns, false)...)
	if _, err := expr.Compile(src, check...); err != nil {
		return nil, err
	}
	build := append(slices.Clip(base), functionOptions(fns, true)...)
	// The add patcher must run before WithContext, which then hands the
	// context to the $add calls it created.
	build = append(build, expr.Patch(addPatcher{}), expr.WithContext(ctxName))
	return expr.Compile(src, build...)
}

// checkLookupTables reports lookup("name", ...) calls naming a table the
// spec does not define. Names computed at run time are checked then.
func (c *compiler) checkLookupTables(i int, src string, prog *vm.Program) {
	root := prog.Node()
	ast.Walk(&root, visitFunc(func(n *ast.Node) {
		call, ok := (*n).(*ast.CallNode)
		if !ok {
			return
		}
		id, ok := call.Callee.(*ast.IdentifierNode)
		if !ok || (id.Value != "lookup" && id.Value != "lookupOr") || len(call.Arguments) < 2 {
			return
		}
		name, ok := call.Arguments[1].(*ast.StringNode) // [0] is the context
		if !ok {
			return
		}
		if _, ok := c.spec.Lookups[name.Value]; !ok {
			line, col := lineCol(src, name.Location().From)
			have := "no lookup tables are defined"
			if len(c.spec.Lookups) > 0 {
				have = "have: " + strings.Join(slices.Sorted(maps.Keys(c.spec.Lookups)), ", ")
			}
			c.add(i, "expr", line, col, "no lookup table %q (%s)", name.Value, have)
		}
	}))
}

type visitFunc func(*ast.Node)

func (f visitFunc) Visit(n *ast.Node) { f(n) }

// exprPosition extracts the 1-based line and column and the bare message
// from an expr error.
func exprPosition(err error, src string) (line, col int, msg string) {
	var fe *file.Error
	if !errors.As(err, &fe) {
		return 0, 0, err.Error()
	}
	if fe.Line == 0 {
		l, c := lineCol(src, fe.From)
		return l, c, fe.Message
	}
	return fe.Line, fe.Column + 1, fe.Message
}

// lineCol turns a rune offset into a 1-based line and column.
func lineCol(src string, offset int) (line, col int) {
	line, col = 1, 1
	for i, r := range []rune(src) {
		if i == offset {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return line, col
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return false
		}
	}
	return true
}

func cloneTables(t map[string]map[string]string) map[string]map[string]string {
	out := make(map[string]map[string]string, len(t))
	for k, v := range t {
		out[k] = maps.Clone(v)
	}
	return out
}
