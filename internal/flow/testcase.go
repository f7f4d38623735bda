package flow

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
)

// checkTests validates the flow's test cases against its steps.
func (c *checker) checkTests(p *Program) {
	names := map[string]int{}
	for i := range c.f.Tests {
		tc := &c.f.Tests[i]
		path := fmt.Sprintf("tests[%d]", i)
		ct := compiledTest{tc: tc}
		switch {
		case tc.Name == "":
			c.errorf(path+".name", "name is required: it identifies the case in test reports")
		default:
			if j, dup := names[tc.Name]; dup {
				c.errorf(path+".name", "the name %q is already used by tests[%d]", tc.Name, j)
			}
			names[tc.Name] = i
		}
		if tc.When != "" {
			ct.when = c.compileExpr(path+".when", tc.When, nil)
		}
		if tc.Now != "" {
			if _, err := time.Parse(time.RFC3339, tc.Now); err != nil {
				c.errorf(path+".now", "now must be a time such as 2026-03-04T09:30:00Z")
			}
		}
		if p.sync != nil || c.f.Kind() == KindSync {
			ct.direction = c.checkSyncTest(path, tc, p)
		} else {
			c.checkAutomationTest(path, tc, p)
		}
		p.tests = append(p.tests, ct)
	}
}

func (c *checker) checkSyncTest(path string, tc *TestCase, p *Program) string {
	if tc.Stopped {
		c.errorf(path+".stopped", "stopped is for automation tests; a sync test expects a record or delete: true")
	}
	if p.sync == nil {
		return ""
	}
	left, right := p.sync.leftRoot, p.sync.rightRoot
	dir := tc.Direction
	switch dir {
	case LeftToRight, RightToLeft:
	case "":
		_, hasLeft := tc.Input[left]
		_, hasRight := tc.Input[right]
		switch {
		case hasLeft && !hasRight:
			dir = LeftToRight
		case hasRight && !hasLeft:
			dir = RightToLeft
		}
	default:
		c.errorf(path+".direction", "direction must be %s%s", quoteList([]string{LeftToRight, RightToLeft}), didYouMean(dir, []string{LeftToRight, RightToLeft}))
		return ""
	}
	if dir == RightToLeft && p.sync.toLeft == nil {
		c.errorf(path+".direction", "a one-way sync has no right_to_left mapping to test")
		return ""
	}
	want := left
	if dir == RightToLeft {
		want = right
	}
	if dir == "" || len(tc.Input) != 1 || tc.Input[want] == nil {
		c.errorf(path+".input", "input holds one record, under %q (left to right) or %q (right to left)", left, right)
		return ""
	}
	if _, ok := tc.Input[want].(map[string]any); !ok {
		c.errorf(joinKey(path+".input", want), "want a record (a mapping of fields)")
	}
	if tc.Expect == nil && !tc.Delete {
		c.errorf(path+".expect", "expect is required: the record the mapping should produce (or delete: true)")
	}
	if tc.Delete && tc.Expect != nil {
		c.errorf(path+".expect", "a case that expects delete: true expects no record")
	}
	return dir
}

func (c *checker) checkAutomationTest(path string, tc *TestCase, p *Program) {
	if tc.Direction != "" {
		c.errorf(path+".direction", "direction is for sync flows")
	}
	if tc.Current != nil {
		c.errorf(path+".current", "current is for sync flows")
	}
	if tc.Delete {
		c.errorf(path+".delete", "delete is for sync flows")
	}
	roots := c.automationRoots(p.root, len(c.f.Steps))
	for _, k := range slices.Sorted(maps.Keys(tc.Input)) {
		if !slices.Contains(roots, k) {
			c.keyErrorf(joinKey(path+".input", k), "%q is not a record of this flow%s; input takes %s", k, didYouMean(k, roots), quoteList(roots))
		} else if _, ok := tc.Input[k].(map[string]any); !ok && tc.Input[k] != nil {
			c.errorf(joinKey(path+".input", k), "want a record (a mapping of fields)")
		}
	}
	var outputs []string
	for _, s := range c.f.Steps {
		if s.ID != "" && (s.Map != nil || s.Action != nil) {
			outputs = append(outputs, s.ID)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(tc.Expect)) {
		switch {
		case !slices.Contains(outputs, k):
			c.keyErrorf(joinKey(path+".expect", k), "%q is not the id of a map or action step%s; expect takes %s", k, didYouMean(k, outputs), quoteList(outputs))
		case tc.Expect[k] != nil:
			if _, ok := tc.Expect[k].(map[string]any); !ok {
				c.errorf(joinKey(path+".expect", k), "want the step's record (a mapping of fields), or null for a step that must not run")
			}
		}
	}
	if len(tc.Expect) == 0 && !tc.Stopped {
		c.errorf(path+".expect", "expect is required: the output of map and action steps by id (or stopped: true)")
	}
}

// TestResult is the outcome of one test case.
type TestResult struct {
	Name string `json:"name"`
	// Skipped is true when the case's when was false.
	Skipped bool `json:"skipped,omitempty"`
	Passed  bool `json:"passed"`
	// Diffs lists each difference between the expected and the actual
	// output, one per field.
	Diffs []string `json:"diffs,omitempty"`
	// Error is a run-time error of the flow, if any.
	Error string `json:"error,omitempty"`
}

// RunTests runs the flow's test cases. Nothing is called: a test's input
// provides what lookups would find and what actions would return.
func (p *Program) RunTests(ctx context.Context) []TestResult {
	out := make([]TestResult, 0, len(p.tests))
	clocks := map[string]*Program{}
	for i := range p.tests {
		run := p
		if now := p.tests[i].tc.Now; now != "" {
			// now() is bound when expressions compile, so a case with its
			// own clock runs on a copy compiled with that clock.
			if clocks[now] == nil {
				t, _ := time.Parse(time.RFC3339, now)
				fixed, err := Compile(p.flow, Options{Now: func() time.Time { return t }, Cache: p.opts.Cache})
				if err != nil {
					out = append(out, TestResult{Name: p.tests[i].tc.Name, Error: err.Error()})
					continue
				}
				clocks[now] = fixed
			}
			run = clocks[now]
		}
		out = append(out, run.runTest(ctx, &run.tests[i]))
	}
	return out
}

func (p *Program) runTest(ctx context.Context, ct *compiledTest) TestResult {
	tc := ct.tc
	r := TestResult{Name: tc.Name}
	if ct.when != nil {
		ok, err := evalBool(ctx, ct.when, nil, "when")
		if err != nil {
			r.Error = err.Error()
			return r
		}
		if !ok {
			r.Skipped, r.Passed = true, true
			return r
		}
	}
	if p.sync != nil {
		root := p.sync.leftRoot
		if ct.direction == RightToLeft {
			root = p.sync.rightRoot
		}
		rec, _ := tc.Input[root].(map[string]any)
		got, err := p.MapSync(ctx, ct.direction, rec, tc.Current)
		if err != nil {
			r.Error = err.Error()
			return r
		}
		switch {
		case tc.Delete && !got.Delete:
			r.Diffs = append(r.Diffs, "want the target record deleted, got "+render(got.Record))
		case !tc.Delete && got.Delete:
			r.Diffs = append(r.Diffs, "want a record, got a delete of the target record")
		case !tc.Delete:
			r.Diffs = diffValues("", tc.Expect, got.Record)
		}
		r.Passed = len(r.Diffs) == 0
		return r
	}
	res, err := p.Run(ctx, tc.Input, p.exampleExecutor(tc.Input))
	if err != nil {
		r.Error = err.Error()
		return r
	}
	if tc.Stopped != res.Stopped {
		if tc.Stopped {
			r.Diffs = append(r.Diffs, "want the flow stopped by a filter or a required lookup, but it ran to the end")
		} else {
			r.Diffs = append(r.Diffs, "want the flow to run, but it stopped: "+res.Reason)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(tc.Expect)) {
		want := tc.Expect[id]
		var sr *StepResult
		for i := range res.Steps {
			if res.Steps[i].ID == id {
				sr = &res.Steps[i]
			}
		}
		ran := sr != nil && sr.Status == StatusRan
		switch {
		case want == nil && ran:
			r.Diffs = append(r.Diffs, fmt.Sprintf("%s: want the step not to run, but it ran with %s", id, render(sr.Output)))
		case want == nil:
		case !ran:
			status := StatusNotRun
			if sr != nil {
				status = sr.Status
			}
			r.Diffs = append(r.Diffs, fmt.Sprintf("%s: want %s, but the step did not run (%s)", id, render(want), status))
		default:
			r.Diffs = append(r.Diffs, diffValues(id, want, sr.Output)...)
		}
	}
	r.Passed = len(r.Diffs) == 0
	return r
}

// testExecutor answers lookups and actions from a test's input: a lookup
// finds the record under its step id, an action returns the record under
// its step id (or nothing).
// exampleExecutor answers from input, see testExecutor.
func (p *Program) exampleExecutor(input map[string]any) testExecutor {
	ex := testExecutor{input: input, ids: map[any]string{}}
	for i := range p.flow.Steps {
		s := &p.flow.Steps[i]
		if s.Lookup != nil {
			ex.ids[s.Lookup] = s.ID
		}
		if s.Action != nil {
			ex.ids[s.Action] = s.ID
		}
	}
	return ex
}

type testExecutor struct {
	input map[string]any
	ids   map[any]string // *LookupStep or *ActionStep -> step id
}

func (t testExecutor) Lookup(_ context.Context, step *LookupStep, _ any) (map[string]any, bool, error) {
	rec, ok := t.input[t.ids[step]].(map[string]any)
	return rec, ok && t.ids[step] != "", nil
}

func (t testExecutor) Action(_ context.Context, step *ActionStep, _ map[string]any) (map[string]any, error) {
	rec, _ := t.input[t.ids[step]].(map[string]any)
	return rec, nil
}

// diffValues compares an expected and an actual value after rendering both
// as JSON data (so 1 and 1.0 are equal and times compare as their text) and
// returns one line per differing field, prefixed with path.
func diffValues(path string, want, got any) []string {
	w, g := jsonData(want), jsonData(got)
	if reflect.DeepEqual(w, g) {
		return nil
	}
	wm, wok := w.(map[string]any)
	gm, gok := g.(map[string]any)
	if !wok || !gok {
		return []string{fmt.Sprintf("%s: want %s, got %s", orTop(path), render(w), render(g))}
	}
	var out []string
	keys := slices.Sorted(maps.Keys(wm))
	for _, k := range slices.Sorted(maps.Keys(gm)) {
		if _, ok := wm[k]; !ok {
			keys = append(keys, k)
		}
	}
	for _, k := range keys {
		wv, inW := wm[k]
		gv, inG := gm[k]
		p := joinKey(path, k)
		switch {
		case !inG:
			out = append(out, fmt.Sprintf("%s: want %s, got nothing", p, render(wv)))
		case !inW:
			out = append(out, fmt.Sprintf("%s: want nothing, got %s", p, render(gv)))
		default:
			out = append(out, diffValues(p, wv, gv)...)
		}
	}
	return out
}

func orTop(path string) string {
	if path == "" {
		return "record"
	}
	return path
}

// jsonData renders v as JSON data; values JSON cannot hold stay as they are.
func jsonData(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		return v
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		return v
	}
	return out
}

// render shows a value compactly for a diff line.
func render(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 200 {
		s = s[:197] + "..."
	}
	return strings.ReplaceAll(s, "\n", " ")
}
