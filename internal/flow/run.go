package flow

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// Executor performs what an automation's steps ask of the apps. The flow
// runner calls it; tests and previews use one that answers from examples.
type Executor interface {
	// Lookup finds the record of step.Object whose step.By key equals
	// value; found is false when there is none.
	Lookup(ctx context.Context, step *LookupStep, value any) (record map[string]any, found bool, err error)
	// Action runs step.Operation with input and returns its result.
	Action(ctx context.Context, step *ActionStep, input map[string]any) (map[string]any, error)
}

// Step outcomes in a Result.
const (
	StatusRan      = "ran"
	StatusSkipped  = "skipped"   // its when was false
	StatusNotFound = "not_found" // a lookup found nothing
	StatusStopped  = "stopped"   // this filter or required lookup stopped the flow
	StatusNotRun   = "not_run"   // the flow stopped before it
)

// Result is what one run of an automation did, step by step.
type Result struct {
	Steps []StepResult `json:"steps"`
	// Stopped is true when a filter or a required lookup ended the run.
	Stopped bool `json:"stopped"`
	// Reason says which step stopped the run and why.
	Reason string `json:"reason,omitempty"`
}

// StepResult is one step's outcome.
type StepResult struct {
	Index  int    `json:"index"`
	ID     string `json:"id,omitempty"`
	Kind   string `json:"kind"`
	Status string `json:"status"`
	// Output is a map step's record or an action's input.
	Output map[string]any `json:"output,omitempty"`
	// Record is what a lookup found or what an action returned.
	Record map[string]any `json:"record,omitempty"`
}

// StepError is a step that failed at run time.
type StepError struct {
	Index int
	ID    string
	Kind  string
	Err   error
}

// Error names the step.
func (e *StepError) Error() string {
	name := ""
	if e.ID != "" {
		name = " (" + e.ID + ")"
	}
	return fmt.Sprintf("flow: steps[%d]%s %s: %v", e.Index, name, e.Kind, e.Err)
}

// Unwrap returns the cause.
func (e *StepError) Unwrap() error { return e.Err }

// Run runs an automation on input, which holds the triggering record under
// TriggerRoot() (and may hold more records by name). Steps run in order;
// each step with an id adds its record to what later steps read. A run
// error stops the run and comes back with the result so far.
func (p *Program) Run(ctx context.Context, input map[string]any, ex Executor) (*Result, error) {
	if p.sync != nil {
		return nil, errors.New("flow: a sync flow is run by the sync engine; use MapSync")
	}
	env := maps.Clone(input)
	if env == nil {
		env = map[string]any{}
	}
	res := &Result{}
	for i := range p.steps {
		cs := &p.steps[i]
		sr := StepResult{Index: cs.index, ID: cs.step.ID, Kind: cs.kind, Status: StatusRan}
		fail := func(err error) (*Result, error) {
			res.Steps = append(res.Steps, sr)
			return res, &StepError{Index: cs.index, ID: cs.step.ID, Kind: cs.kind, Err: err}
		}
		if res.Stopped {
			sr.Status = StatusNotRun
			res.Steps = append(res.Steps, sr)
			continue
		}
		if cs.when != nil {
			ok, err := evalBool(ctx, cs.when, env, "when")
			if err != nil {
				return fail(err)
			}
			if !ok {
				sr.Status = StatusSkipped
				res.Steps = append(res.Steps, sr)
				continue
			}
		}
		switch cs.kind {
		case StepFilter:
			ok, err := evalBool(ctx, cs.expr, env, "filter")
			if err != nil {
				return fail(err)
			}
			if !ok {
				sr.Status = StatusStopped
				res.Stopped, res.Reason = true, fmt.Sprintf("steps[%d] filter is false: %s", cs.index, cs.step.Filter)
			}
		case StepLookup:
			v, err := evalValue(ctx, cs.expr, env)
			if err != nil {
				return fail(err)
			}
			rec, found, err := ex.Lookup(ctx, cs.step.Lookup, v)
			if err != nil {
				return fail(err)
			}
			if !found {
				sr.Status = StatusNotFound
				if cs.step.Lookup.Required {
					sr.Status = StatusStopped
					res.Stopped = true
					res.Reason = fmt.Sprintf("steps[%d] lookup found no %s with %s %v", cs.index, cs.step.Lookup.Object, cs.step.Lookup.By, v)
				}
				rec = nil
			}
			sr.Record = rec
			env[cs.step.ID] = rec
		case StepMap:
			out, err := cs.fields.Apply(ctx, env)
			if err != nil {
				return fail(err)
			}
			sr.Output = out
			env[cs.step.ID] = out
		case StepAction:
			in, err := cs.fields.Apply(ctx, env)
			if err != nil {
				return fail(err)
			}
			sr.Output = in
			out, err := ex.Action(ctx, cs.step.Action, in)
			if err != nil {
				return fail(err)
			}
			sr.Record = out
			if cs.step.ID != "" {
				env[cs.step.ID] = out
			}
		}
		res.Steps = append(res.Steps, sr)
	}
	return res, nil
}

func evalValue(ctx context.Context, m *mapping.Mapping, env map[string]any) (any, error) {
	out, err := m.Apply(ctx, env)
	if err != nil {
		return nil, err
	}
	return out[exprTarget], nil
}

func evalBool(ctx context.Context, m *mapping.Mapping, env map[string]any, what string) (bool, error) {
	v, err := evalValue(ctx, m, env)
	if err != nil {
		return false, err
	}
	b, ok := v.(bool)
	if !ok {
		return false, fmt.Errorf("%s must give true or false, but gave %s", what, describeValue(v))
	}
	return b, nil
}

func describeValue(v any) string {
	if v == nil {
		return "nothing"
	}
	return fmt.Sprintf("%T %v", v, v)
}

// SyncOutput is what one direction of a sync makes of a record.
type SyncOutput struct {
	// Record is the mapped record to write (nil with Delete).
	Record map[string]any `json:"record,omitempty"`
	// Delete asks the engine to delete the target record (a deactivated
	// Repsly client with on_deactivate: delete).
	Delete bool `json:"delete,omitempty"`
}

// MapSync maps a record of a sync flow in a direction (LeftToRight or
// RightToLeft). current is the target record as it is now, or nil. It also
// applies the deactivation setting between a Repsly client and a HighLevel
// contact: a client with Active=false tags (or deletes) the contact, and
// in a two-way sync the inactive tag on a contact sets Active=false.
func (p *Program) MapSync(ctx context.Context, direction string, record, current map[string]any) (*SyncOutput, error) {
	if p.sync == nil {
		return nil, errors.New("flow: not a sync flow")
	}
	s := p.sync.step
	from, to, root, m := s.Left, s.Right, p.sync.leftRoot, p.sync.toRight
	switch direction {
	case LeftToRight:
	case RightToLeft:
		if m = p.sync.toLeft; m == nil {
			return nil, errors.New("flow: a one-way sync has no right_to_left mapping")
		}
		from, to, root = s.Right, s.Left, p.sync.rightRoot
	default:
		return nil, fmt.Errorf("flow: unknown direction %q (want %s or %s)", direction, LeftToRight, RightToLeft)
	}
	out, err := m.ApplyTo(ctx, map[string]any{root: record}, current)
	if err != nil {
		return nil, err
	}
	tag := s.InactiveTag
	if tag == "" {
		tag = DefaultInactiveTag
	}
	onDeactivate := s.OnDeactivate
	if onDeactivate == "" {
		onDeactivate = DeactivateTag
	}
	switch {
	case from.Object == objectRepslyClient && to.Object == objectGHLContact:
		if inactive(record["Active"]) {
			switch onDeactivate {
			case DeactivateDelete:
				return &SyncOutput{Delete: true}, nil
			case DeactivateTag:
				out["tags"] = withTag(tagsOf(out, current), tag, true)
			}
		} else if onDeactivate == DeactivateTag {
			if tags := tagsOf(out, current); slices.Contains(tags, tag) {
				out["tags"] = withTag(tags, tag, false)
			}
		}
	case from.Object == objectGHLContact && to.Object == objectRepslyClient && onDeactivate == DeactivateTag:
		if raw, ok := record["tags"]; ok {
			out["Active"] = !slices.Contains(stringList(raw), tag)
		}
	}
	return &SyncOutput{Record: out}, nil
}

// inactive reports whether a Repsly Active value says "deactivated".
func inactive(v any) bool {
	switch x := v.(type) {
	case bool:
		return !x
	case string:
		return strings.EqualFold(x, "false")
	}
	return false
}

// tagsOf returns the tags the mapped record will have: its own, or the
// current record's when the mapping sets none.
func tagsOf(out, current map[string]any) []string {
	if v, ok := out["tags"]; ok {
		return stringList(v)
	}
	return stringList(current["tags"])
}

func stringList(v any) []string {
	var out []string
	switch x := v.(type) {
	case []string:
		out = slices.Clone(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
	case string:
		for t := range strings.SplitSeq(x, ",") {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, t)
			}
		}
	}
	return out
}

// withTag adds or removes tag and returns the tags sorted and unique, the
// way the tags() helper returns them.
func withTag(tags []string, tag string, add bool) []any {
	set := slices.DeleteFunc(slices.Clone(tags), func(t string) bool { return t == tag })
	if add {
		set = append(set, tag)
	}
	slices.Sort(set)
	set = slices.Compact(set)
	out := make([]any, len(set))
	for i, t := range set {
		out[i] = t
	}
	return out
}
