package flow_test

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

// recorder is an Executor that finds records from a table and records the
// actions it is asked to run.
type recorder struct {
	found   map[string]map[string]any // lookup value -> record
	calls   []string
	inputs  []map[string]any
	failOn  string
	results map[string]map[string]any // operation -> result
}

func (r *recorder) Lookup(_ context.Context, step *flow.LookupStep, value any) (map[string]any, bool, error) {
	r.calls = append(r.calls, "lookup "+step.Object+" by "+step.By)
	v, _ := value.(string)
	rec, ok := r.found[v]
	return rec, ok, nil
}

func (r *recorder) Action(_ context.Context, step *flow.ActionStep, input map[string]any) (map[string]any, error) {
	r.calls = append(r.calls, step.Operation)
	r.inputs = append(r.inputs, input)
	if step.Operation == r.failOn {
		return nil, errors.New("boom")
	}
	return r.results[step.Operation], nil
}

const runFlow = `name: run
trigger: {operation: repsly.client.updated, connection: repsly}
steps:
  - filter: trim(client.Email) != ""
  - id: contact
    lookup: {object: ghl.contact, connection: ghl, by: email, value: lower(client.Email), required: true}
  - id: note
    when: client.Note != nil
    action:
      operation: ghl.note.create
      connection: ghl
      input: {contactId: contact.id, body: client.Note}
  - id: tagged
    action:
      operation: ghl.contact.tag.add
      connection: ghl
      input: {contactId: contact.id, tags: '["repsly", note.id ?? "no-note"]'}
`

func TestRun(t *testing.T) {
	t.Parallel()
	p, err := flow.Load([]byte(runFlow), fullOptions())
	if err != nil {
		t.Fatal(err)
	}
	if p.TriggerRoot() != "client" {
		t.Fatalf("trigger root %q", p.TriggerRoot())
	}
	ctx := context.Background()

	t.Run("every step runs", func(t *testing.T) {
		t.Parallel()
		r := &recorder{found: map[string]map[string]any{"a@b.com": {"id": "c1"}},
			results: map[string]map[string]any{"ghl.note.create": {"id": "n1"}}}
		res, err := p.Run(ctx, map[string]any{"client": map[string]any{"Email": "A@B.com", "Note": "hi"}}, r)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"lookup ghl.contact by email", "ghl.note.create", "ghl.contact.tag.add"}
		if !reflect.DeepEqual(r.calls, want) {
			t.Fatalf("calls %v, want %v", r.calls, want)
		}
		if res.Stopped || len(res.Steps) != 4 || res.Steps[1].Record["id"] != "c1" {
			t.Fatalf("result %+v", res)
		}
		if got := r.inputs[1]["tags"]; !reflect.DeepEqual(got, []any{"repsly", "n1"}) {
			t.Errorf("tags %v: the action's result is not visible to later steps", got)
		}
	})

	t.Run("when skips a step", func(t *testing.T) {
		t.Parallel()
		r := &recorder{found: map[string]map[string]any{"a@b.com": {"id": "c1"}}}
		res, err := p.Run(ctx, map[string]any{"client": map[string]any{"Email": "a@b.com"}}, r)
		if err != nil {
			t.Fatal(err)
		}
		if res.Steps[2].Status != flow.StatusSkipped || len(r.inputs) != 1 || r.inputs[0]["tags"].([]any)[1] != "no-note" {
			t.Fatalf("result %+v, inputs %v", res, r.inputs)
		}
	})

	t.Run("a filter stops the run", func(t *testing.T) {
		t.Parallel()
		r := &recorder{}
		res, err := p.Run(ctx, map[string]any{"client": map[string]any{"Email": " "}}, r)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stopped || res.Steps[0].Status != flow.StatusStopped || res.Steps[3].Status != flow.StatusNotRun || len(r.calls) != 0 {
			t.Fatalf("result %+v, calls %v", res, r.calls)
		}
		if !strings.Contains(res.Reason, "steps[0] filter is false") {
			t.Errorf("reason %q", res.Reason)
		}
	})

	t.Run("a required lookup stops the run", func(t *testing.T) {
		t.Parallel()
		r := &recorder{}
		res, err := p.Run(ctx, map[string]any{"client": map[string]any{"Email": "x@y.z"}}, r)
		if err != nil {
			t.Fatal(err)
		}
		if !res.Stopped || res.Steps[1].Status != flow.StatusStopped || len(r.calls) != 1 {
			t.Fatalf("result %+v, calls %v", res, r.calls)
		}
		if !strings.Contains(res.Reason, "found no ghl.contact with email x@y.z") {
			t.Errorf("reason %q", res.Reason)
		}
	})

	t.Run("an action error names the step", func(t *testing.T) {
		t.Parallel()
		r := &recorder{found: map[string]map[string]any{"a@b.com": {"id": "c1"}}, failOn: "ghl.note.create"}
		res, err := p.Run(ctx, map[string]any{"client": map[string]any{"Email": "a@b.com", "Note": "x"}}, r)
		var se *flow.StepError
		if !errors.As(err, &se) || se.Index != 2 || se.ID != "note" || !strings.Contains(err.Error(), "steps[2] (note) action: boom") {
			t.Fatalf("err = %v", err)
		}
		if res == nil || len(res.Steps) != 3 {
			t.Fatalf("result so far %+v", res)
		}
	})
}

func TestRunExpressionErrors(t *testing.T) {
	t.Parallel()
	src := `name: bad-run
trigger: {operation: repsly.client.updated, connection: repsly}
steps:
  - filter: client.Name
  - id: m
    map: {n: 'int(client.Name)'}
`
	p, err := flow.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	prog, err := flow.Compile(p, flow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = prog.Run(context.Background(), map[string]any{"client": map[string]any{"Name": "x"}}, &recorder{})
	if err == nil || !strings.Contains(err.Error(), "filter must give true or false") {
		t.Fatalf("non-boolean filter: %v", err)
	}
}

const syncFlow = `name: sync
steps:
  - sync:
      left: {connection: repsly, object: repsly.client}
      right: {connection: ghl, object: ghl.contact}
      direction: two_way
      match: [code]
      on_deactivate: %s
      left_to_right:
        email: lower(client.Email)
        tags: 'tags(target.tags, client.Tag)'
      right_to_left:
        Email: contact.email
`

func TestMapSync(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	load := func(t *testing.T, onDeactivate string) *flow.Program {
		t.Helper()
		p, err := flow.Load([]byte(strings.Replace(syncFlow, "%s", onDeactivate, 1)), fullOptions())
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, onDeactivate, direction string
		record, current               map[string]any
		want                          *flow.SyncOutput
	}{
		{"active client", "tag", flow.LeftToRight, map[string]any{"Email": "A@B.c", "Active": true, "Tag": "x"}, nil,
			&flow.SyncOutput{Record: map[string]any{"email": "a@b.c", "tags": []any{"x"}}}},
		{"inactive client is tagged", "tag", flow.LeftToRight, map[string]any{"Email": "a@b.c", "Active": false},
			map[string]any{"tags": []any{"vip"}},
			&flow.SyncOutput{Record: map[string]any{"email": "a@b.c", "tags": []any{"repsly-inactive", "vip"}}}},
		{"reactivated client is untagged", "tag", flow.LeftToRight, map[string]any{"Email": "a@b.c", "Active": true},
			map[string]any{"tags": []any{"repsly-inactive", "vip"}},
			&flow.SyncOutput{Record: map[string]any{"email": "a@b.c", "tags": []any{"vip"}}}},
		{"inactive client is deleted", "delete", flow.LeftToRight, map[string]any{"Email": "a@b.c", "Active": "false"}, nil,
			&flow.SyncOutput{Delete: true}},
		{"inactive client left alone", "nothing", flow.LeftToRight, map[string]any{"Email": "a@b.c", "Active": false}, nil,
			&flow.SyncOutput{Record: map[string]any{"email": "a@b.c", "tags": []any{}}}},
		{"tagged contact deactivates", "tag", flow.RightToLeft, map[string]any{"email": "a@b.c", "tags": []any{"repsly-inactive"}}, nil,
			&flow.SyncOutput{Record: map[string]any{"Email": "a@b.c", "Active": false}}},
		{"untagged contact activates", "tag", flow.RightToLeft, map[string]any{"email": "a@b.c", "tags": []any{}}, nil,
			&flow.SyncOutput{Record: map[string]any{"Email": "a@b.c", "Active": true}}},
		{"contact without tags leaves Active", "tag", flow.RightToLeft, map[string]any{"email": "a@b.c"}, nil,
			&flow.SyncOutput{Record: map[string]any{"Email": "a@b.c"}}},
		{"tag ignored when not the setting", "delete", flow.RightToLeft, map[string]any{"email": "a@b.c", "tags": []any{"repsly-inactive"}}, nil,
			&flow.SyncOutput{Record: map[string]any{"Email": "a@b.c"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := load(t, tt.onDeactivate)
			got, err := p.MapSync(ctx, tt.direction, tt.record, tt.current)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("got %#v, want %#v", got, tt.want)
			}
		})
	}

	p := load(t, "tag")
	if l, r := p.SyncRoots(); l != "client" || r != "contact" {
		t.Errorf("roots %s, %s", l, r)
	}
	if p.SyncMapping(flow.RightToLeft) == nil || p.Flow().SyncStep() == nil || p.Flow().Kind() != flow.KindSync {
		t.Error("sync accessors")
	}
	if _, err := p.MapSync(ctx, "sideways", nil, nil); err == nil {
		t.Error("unknown direction accepted")
	}
	if _, err := p.Run(ctx, nil, &recorder{}); err == nil {
		t.Error("Run on a sync flow")
	}
}

func TestRunTestsReportsDiffs(t *testing.T) {
	t.Parallel()
	src := validFlow + `  - name: wrong
    input:
      client: {Email: X@Y.z, Name: Shop, Extra: 1}
    expect:
      saved: {email: X@Y.z, phone: "1"}
  - name: wrongly stopped
    input: {client: {Email: ""}}
    expect: {saved: {email: ""}}
  - name: skipped
    when: "false"
    input: {client: {}}
    stopped: true
`
	p, err := flow.Load([]byte(src), flow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := p.RunTests(context.Background())
	want := []flow.TestResult{
		{Name: "lower-cased", Passed: true},
		{Name: "wrong", Diffs: []string{
			`saved.email: want "X@Y.z", got "x@y.z"`,
			`saved.phone: want "1", got nothing`,
			`saved.companyName: want nothing, got "Shop"`,
		}},
		{Name: "wrongly stopped", Diffs: []string{
			`want the flow to run, but it stopped: steps[0] filter is false: trim(client.Email) != ""`,
			`saved: want {"email":""}, but the step did not run (not_run)`,
		}},
		{Name: "skipped", Skipped: true, Passed: true},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("results:\n%#v\nwant\n%#v", got, want)
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p, err := flow.Load([]byte(validFlow), flow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A bare record is the trigger record.
	out, err := p.Preview(ctx, map[string]any{"Email": "A@B.com", "Name": "Shop"}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	res := out.(*flow.Result)
	if res.Steps[2].Output["email"] != "a@b.com" || res.Steps[1].Status != flow.StatusNotFound {
		t.Fatalf("preview %+v", res)
	}
	// Records by name feed lookups.
	out, err = p.Preview(ctx, map[string]any{"client": map[string]any{"Email": "a@b.c"}, "contact": map[string]any{"id": "c1"}}, nil, "")
	if err != nil {
		t.Fatal(err)
	}
	if res := out.(*flow.Result); res.Steps[1].Status != flow.StatusRan || res.Steps[1].Record["id"] != "c1" {
		t.Fatalf("preview with a lookup %+v", res)
	}

	sp, err := flow.Load([]byte(strings.Replace(syncFlow, "%s", "tag", 1)), flow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	out, err = sp.Preview(ctx, map[string]any{"contact": map[string]any{"email": "a@b.c"}}, map[string]any{"Code": "C1"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if so := out.(*flow.SyncOutput); !reflect.DeepEqual(so.Record, map[string]any{"Email": "a@b.c"}) {
		t.Fatalf("sync preview by name %+v", so)
	}
	out, err = sp.Preview(ctx, map[string]any{"Email": "A@B.C", "Active": true}, nil, flow.LeftToRight)
	if err != nil {
		t.Fatal(err)
	}
	if so := out.(*flow.SyncOutput); so.Record["email"] != "a@b.c" {
		t.Fatalf("sync preview %+v", so)
	}
}
