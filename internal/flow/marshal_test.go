package flow_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

// TestMarshalRoundTrip writes every template's flow as YAML and reads it
// back: the text is stable and the tests still pass.
func TestMarshalRoundTrip(t *testing.T) {
	t.Parallel()
	all, err := flow.Templates()
	if err != nil {
		t.Fatal(err)
	}
	for _, tpl := range all {
		t.Run(tpl.ID, func(t *testing.T) {
			t.Parallel()
			p, err := tpl.Instantiate("copy", nil, flow.Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := flow.Marshal(p.Flow())
			if err != nil {
				t.Fatal(err)
			}
			back, err := flow.Load(out, fullOptions())
			if err != nil {
				t.Fatalf("reading back:\n%s\n%v", out, err)
			}
			again, err := flow.Marshal(back.Flow())
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out, again) {
				t.Fatalf("not stable:\n%s\n---\n%s", out, again)
			}
			for _, r := range back.RunTests(context.Background()) {
				if !r.Passed {
					t.Errorf("test %q after a round trip: %s %v", r.Name, r.Error, r.Diffs)
				}
			}
		})
	}
}

func TestMarshalFieldForms(t *testing.T) {
	t.Parallel()
	f := &flow.Flow{
		Name:    "forms",
		Trigger: &flow.Trigger{Operation: "repsly.client.updated", Connection: "repsly"},
		Steps: []flow.Step{{ID: "m", Map: flow.FieldMap{
			{Target: "a", Source: "client.A"},
			{Target: "b", Expr: "lower(client.B)"},
			{Target: "c", Expr: "client.C"}, // an expression that reads like a path keeps its kind
			{Target: "d", Value: "text"},
			{Target: "e", Value: int64(3)},
			{Target: "f", Source: `client["odd key"]`},
			{Target: "g", Source: "client.G", Expr: "trim(value)", Default: "x"},
		}}},
	}
	out, err := flow.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	back, err := flow.Parse(out)
	if err != nil {
		t.Fatalf("%s\n%v", out, err)
	}
	got := back.Steps[0].Map
	for i, want := range f.Steps[0].Map {
		if g := got[i]; g.Target != want.Target || g.Source != want.Source || g.Expr != want.Expr || g.Default != want.Default || g.Value != want.Value {
			t.Errorf("field %d: %+v, want %+v\n%s", i, g, want, out)
		}
	}
}
