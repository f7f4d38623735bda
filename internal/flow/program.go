package flow

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// Program is a validated flow with its expressions compiled, ready to run,
// preview or test. It is immutable and safe for concurrent use.
type Program struct {
	flow  *Flow
	root  string // the trigger record's name (automations)
	steps []compiledStep
	sync  *compiledSync
	tests []compiledTest
	opts  Options
}

type compiledStep struct {
	index  int
	step   *Step
	kind   string
	when   *mapping.Mapping
	expr   *mapping.Mapping // filter condition, lookup value
	fields *mapping.Mapping // map fields, action input
}

type compiledSync struct {
	step                *SyncStep
	leftRoot, rightRoot string
	toRight, toLeft     *mapping.Mapping
}

type compiledTest struct {
	tc        *TestCase
	when      *mapping.Mapping
	direction string
}

// Flow returns the flow the program was compiled from. Do not modify it.
func (p *Program) Flow() *Flow { return p.flow }

// TriggerRoot returns the name expressions use for the triggering record
// ("" for a sync flow).
func (p *Program) TriggerRoot() string { return p.root }

// Parse reads a flow from YAML and validates it on its own terms
// (structure, expressions, what the APIs cannot do). It reports every
// problem at once as Errors, each with its line, column and field path.
func Parse(src []byte) (*Flow, error) {
	p, err := Load(src, Options{})
	if err != nil {
		return nil, err
	}
	return p.flow, nil
}

// Load reads a flow from YAML, validates it with opts and compiles it.
// Problems in the YAML's structure and in what it says are reported
// together.
func Load(src []byte, opts Options) (*Program, error) {
	return loadWith(src, opts, nil)
}

func loadWith(src []byte, opts Options, subst func(*node) Errors) (*Program, error) {
	f, guessed, err := decodeFlow(src, subst)
	if f == nil {
		return nil, err
	}
	p, verr := Compile(f, opts)
	if err == nil {
		return p, verr
	}
	all := err.(Errors)
	var vs Errors
	if errors.As(verr, &vs) {
		for _, e := range vs {
			if !consequence(e, all, guessed) {
				all = append(all, e)
			}
		}
	}
	return nil, all.sorted()
}

// decodeFlow reads YAML into a Flow; subst, when set, rewrites the node tree
// first (template parameters). Structural problems are all reported.
// consequence reports whether a validation error only repeats a problem the
// decoding already reported: it is about the same field, the field that
// holds it, or the field a misspelt key probably meant.
func consequence(e *Error, decoded Errors, guessed []string) bool {
	if slices.ContainsFunc(guessed, func(g string) bool { return e.Path == g || strings.HasPrefix(e.Path, g+".") }) {
		return true
	}
	return slices.ContainsFunc(decoded, func(d *Error) bool { return d.Path == e.Path || parentPath(d.Path) == e.Path })
}

// A nil Flow means nothing could be decoded; a Flow with errors was decoded
// in part and can still be validated. guessed lists the paths unknown keys
// probably meant.
func decodeFlow(src []byte, subst func(*node) Errors) (f *Flow, guessed []string, err error) {
	root, err := parseNodes(src)
	if err != nil {
		var fe *Error
		if errors.As(err, &fe) {
			return nil, nil, Errors{fe}
		}
		return nil, nil, Errors{{Message: err.Error()}}
	}
	if subst != nil {
		if errs := subst(root); len(errs) > 0 {
			return nil, nil, errs.sorted()
		}
	}
	if root.kind == nodeNull {
		return nil, nil, Errors{{Pos: Pos{1, 1}, Message: "the file is empty; a flow needs at least name and steps"}}
	}
	if root.kind != nodeMap {
		return nil, nil, Errors{{Pos: root.pos, Message: fmt.Sprintf("a flow is a mapping (name:, trigger:, steps: ...), not %s", root.kind)}}
	}
	d := newDecoder()
	f = &Flow{}
	decodeInto(d, root, f)
	f.nodes, f.keys = d.nodes, d.keys
	if len(d.errs) > 0 {
		return f, d.guessed, d.errs
	}
	return f, nil, nil
}

// Validate checks f with opts and reports every problem as Errors.
func Validate(f *Flow, opts Options) error {
	_, err := Compile(f, opts)
	return err
}

// Compile validates f with opts, compiles its expressions and returns the
// program. Every problem is reported at once, as Errors.
func Compile(f *Flow, opts Options) (*Program, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	c := &checker{f: f, opts: opts}
	p := &Program{flow: f, opts: opts}
	c.checkFlow(p)
	if len(c.errs) > 0 {
		return nil, c.errs.sorted()
	}
	return p, nil
}

func (c *checker) checkFlow(p *Program) {
	f := c.f
	switch {
	case f.Name == "":
		c.errorf("name", "name is required (letters, digits, -, _ and .)")
	case !flowNameRE.MatchString(f.Name):
		c.errorf("name", "%q is not a usable flow name: use up to 100 letters, digits, -, _ and ., starting with a letter or digit", f.Name)
	}
	if f.Version < 0 {
		c.errorf("version", "version cannot be negative")
	}
	for name := range f.Lookups {
		if !identRE.MatchString(name) {
			c.errorf(joinKey("lookups", name), "lookup table name %q must be a name of letters, digits and _", name)
		}
	}
	if len(f.Steps) == 0 {
		c.errorf("steps", "steps are required: at least one filter, lookup, map, action or sync step")
		return
	}
	nSync := 0
	for i := range f.Steps {
		if c.stepKind(i) == StepSync {
			nSync++
		}
	}
	if nSync > 0 {
		c.checkSyncFlow(p)
	} else {
		c.checkAutomation(p)
	}
	c.checkTests(p)
}

// stepKind returns the one kind of step i, reporting none or several.
func (c *checker) stepKind(i int) string {
	s := &c.f.Steps[i]
	path := fmt.Sprintf("steps[%d]", i)
	var kinds []string
	add := func(kind string, set bool) {
		if c.present(path+"."+kind, set) {
			kinds = append(kinds, kind)
		}
	}
	add(StepFilter, s.Filter != "")
	add(StepLookup, s.Lookup != nil)
	add(StepMap, s.Map != nil)
	add(StepAction, s.Action != nil)
	add(StepSync, s.Sync != nil)
	switch len(kinds) {
	case 0:
		c.errorf(path, "a step needs one of filter, lookup, map, action or sync")
		return ""
	case 1:
		return kinds[0]
	}
	c.errorf(path, "a step does one thing, but this one has %s; split it into one step each", quoteList(kinds))
	return ""
}

func (c *checker) checkSyncFlow(p *Program) {
	f := c.f
	if f.Trigger != nil {
		c.errorf("trigger", "a sync flow has no trigger: the sync engine watches both sides for changes; remove trigger")
	}
	if len(f.Steps) != 1 {
		c.errorf("steps", "a sync flow has exactly one step, the sync step; run other work in a separate flow")
		return
	}
	if c.stepKind(0) != StepSync {
		return
	}
	s := &f.Steps[0]
	if s.ID != "" {
		c.errorf("steps[0].id", "a sync step needs no id")
	}
	if s.When != "" {
		c.errorf("steps[0].when", "a sync step takes no when; put conditions in the mappings")
	}
	p.sync = c.checkSync("steps[0].sync", s.Sync)
}

// automationRoots returns the record names visible at step i: the trigger
// record and the ids of earlier steps that produce a record.
func (c *checker) automationRoots(root string, i int) []string {
	roots := []string{}
	if root != "" {
		roots = append(roots, root)
	}
	for j := range i {
		s := &c.f.Steps[j]
		if s.ID != "" && s.Filter == "" {
			roots = append(roots, s.ID)
		}
	}
	return roots
}

func (c *checker) checkAutomation(p *Program) {
	f := c.f
	p.root = c.checkTrigger(f.Trigger)
	ids := map[string]int{}
	if p.root != "" {
		ids[p.root] = -1
	}
	for i := range f.Steps {
		s := &f.Steps[i]
		path := fmt.Sprintf("steps[%d]", i)
		kind := c.stepKind(i)
		if s.ID != "" && c.checkName(path+".id", s.ID) {
			if j, dup := ids[s.ID]; dup {
				if j < 0 {
					c.errorf(path+".id", "%q is already the trigger record's name; choose another id", s.ID)
				} else {
					c.errorf(path+".id", "id %q is already used by steps[%d]", s.ID, j)
				}
			} else {
				ids[s.ID] = i
			}
		}
		roots := c.automationRoots(p.root, i)
		cs := compiledStep{index: i, step: s, kind: kind}
		if s.When != "" || c.present(path+".when", false) {
			if kind == StepFilter {
				c.errorf(path+".when", "a filter takes no when: the filter is the condition")
			} else {
				cs.when = c.compileExpr(path+".when", s.When, roots)
			}
		}
		switch kind {
		case StepFilter:
			if s.ID != "" {
				c.errorf(path+".id", "a filter produces no record, so it needs no id")
			}
			cs.expr = c.compileExpr(path+".filter", s.Filter, roots)
		case StepLookup:
			cs.expr = c.checkLookup(path, s, roots)
		case StepMap:
			if s.ID == "" {
				c.errorf(path, "a map step needs an id: later steps and tests refer to its record by it")
			}
			if len(s.Map) == 0 {
				c.errorf(path+".map", "the map has no fields")
			}
			cs.fields = c.compileFields(path+".map", s.Map, roots)
		case StepAction:
			cs.fields = c.checkAction(path, s.Action, roots)
		}
		p.steps = append(p.steps, cs)
	}
}

// checkTrigger validates an automation's trigger and returns the name of
// its record.
func (c *checker) checkTrigger(t *Trigger) string {
	if t == nil {
		c.errorf("", "trigger is required: what starts the flow, e.g. trigger: {operation: repsly.client.updated, connection: repsly}")
		return ""
	}
	if t.Mode != "" && t.Mode != ModeWebhook && t.Mode != ModePoll {
		c.errorf("trigger.mode", "mode must be %s%s", quoteList([]string{ModeWebhook, ModePoll}), didYouMean(t.Mode, []string{ModeWebhook, ModePoll}))
	}
	info, ok := c.checkOperation("trigger.operation", t.Operation, OpTrigger, t.Mode)
	if ok {
		c.checkConnection("trigger.connection", t.Connection, info.App, info.Scopes, t.Operation)
		mode := t.Mode
		if mode == "" {
			mode = info.Mode
		}
		if t.PollInterval != 0 {
			switch {
			case mode == ModeWebhook:
				c.errorf("trigger.poll_interval", "%s is a webhook trigger: it does not poll, so it takes no poll_interval", t.Operation)
			case t.PollInterval.Std() < 30*time.Second:
				c.errorf("trigger.poll_interval", "poll_interval must be at least 30s: polling faster spends the connection's rate budget for little gain")
			case t.PollInterval.Std() > 24*time.Hour:
				c.errorf("trigger.poll_interval", "poll_interval must be at most 24h")
			}
		}
	} else if t.Connection == "" {
		c.errorf("trigger.connection", "connection is required")
	}
	root := t.As
	path := "trigger.as"
	if root == "" {
		root, path = objectOf(t.Operation), "trigger.operation"
		if root == "" {
			return ""
		}
	}
	if !c.checkName(path, root) {
		return ""
	}
	return root
}

// lookupObject is a record type a lookup step can find.
type lookupObject struct {
	app          string
	keys         []string
	customFields bool // by: customFields.<key>
	scopes       []string
}

var lookupObjects = map[string]lookupObject{
	"ghl.contact":           {app: AppGHL, keys: []string{"id", "email", "phone"}, customFields: true, scopes: []string{"contacts.readonly"}},
	"ghl.appointment":       {app: AppGHL, keys: []string{"id"}, scopes: []string{"calendars/events.readonly"}},
	"ghl.task":              {app: AppGHL, keys: []string{"id"}, scopes: []string{"contacts.readonly"}},
	"repsly.client":         {app: AppRepsly, keys: []string{"code"}},
	"repsly.representative": {app: AppRepsly, keys: []string{"code", "email"}},
}

// LookupObjects lists the objects a lookup step can find, for docs and
// editors.
func LookupObjects() []string {
	out := make([]string, 0, len(lookupObjects))
	for k := range lookupObjects {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (c *checker) checkLookup(path string, s *Step, roots []string) *mapping.Mapping {
	l := s.Lookup
	lp := path + ".lookup"
	if s.ID == "" {
		c.errorf(path, "a lookup step needs an id: later steps read the record it finds by that name")
	}
	obj, ok := lookupObjects[l.Object]
	switch {
	case l.Object == "":
		c.errorf(lp+".object", "object is required: one of %s", quoteList(LookupObjects()))
	case !ok:
		c.errorf(lp+".object", "cannot look up %q%s; lookups find %s", l.Object, didYouMean(l.Object, LookupObjects()), quoteList(LookupObjects()))
	default:
		c.checkConnection(lp+".connection", l.Connection, obj.app, obj.scopes, "a lookup of "+l.Object)
		keys := obj.keys
		if obj.customFields {
			keys = append(slices.Clone(keys), "customFields.<key>")
		}
		switch {
		case l.By == "":
			c.errorf(lp+".by", "by is required: the key to find %s by, one of %s", l.Object, quoteList(keys))
		case slices.Contains(obj.keys, l.By):
		case obj.customFields && strings.HasPrefix(l.By, "customFields.") && len(l.By) > len("customFields."):
		default:
			c.errorf(lp+".by", "%s cannot be found by %q%s; use %s", l.Object, l.By, didYouMean(l.By, keys), quoteList(keys))
		}
	}
	if l.Value == "" {
		c.errorf(lp+".value", "value is required: an expression giving the key, e.g. lower(client.Email)")
		return nil
	}
	return c.compileExpr(lp+".value", l.Value, roots)
}

func (c *checker) checkAction(path string, a *ActionStep, roots []string) *mapping.Mapping {
	ap := path + ".action"
	info, ok := c.checkOperation(ap+".operation", a.Operation, OpAction, "")
	if ok {
		c.checkConnection(ap+".connection", a.Connection, info.App, info.Scopes, a.Operation)
		c.checkInputFields(ap+".input", a.Input, info.Fields, a.Operation)
	} else if a.Connection == "" {
		c.errorf(ap+".connection", "connection is required")
	}
	return c.compileFields(ap+".input", a.Input, roots)
}
