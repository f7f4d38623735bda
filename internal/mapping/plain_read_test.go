package mapping

import (
	"context"
	"reflect"
	"testing"
)

// TestPlainReadMatchesVM: a field that only reads a key of an input root
// skips expr's virtual machine, with the value (or error) the machine
// gives, for every shape of input.
func TestPlainReadMatchesVM(t *testing.T) {
	t.Parallel()
	inputs := []map[string]any{
		{},
		{"contact": nil},
		{"contact": map[string]any{}},
		{"contact": map[string]any{"city": "Boston"}},
		{"contact": map[string]any{"city": nil}},
		{"contact": map[string]any{"city": map[string]any{"name": "Boston"}}},
		{"contact": map[string]any{"city": []any{"a", 1.5}}},
		{"contact": "not a record"},
		{"contact": map[string]string{"city": "typed"}},
	}
	tests := []struct {
		src   string
		plain bool
	}{
		{`contact.city`, true},
		{`contact["city"]`, true},
		{` contact.city `, true},
		{`contact?.city`, false},
		{`contact.city.name`, false},
		{`source.contact`, false},
		{`target.city`, false},
		{`value`, false},
		{`contact.city ?? "x"`, false},
	}
	for _, tt := range tests {
		fast := compileOne(t, tt.src)
		if got := fast.fields[0].read != nil; got != tt.plain {
			t.Fatalf("%s: plain read %t, want %t", tt.src, got, tt.plain)
		}
		slow := compileOne(t, tt.src)
		slow.fields[0].read = nil // the virtual machine only
		for _, in := range inputs {
			got, gerr := fast.Apply(context.Background(), in)
			want, werr := slow.Apply(context.Background(), in)
			if (gerr == nil) != (werr == nil) || !reflect.DeepEqual(got, want) {
				t.Errorf("%s on %v: %v, %v; the virtual machine gives %v, %v", tt.src, in, got, gerr, want, werr)
			}
		}
	}
}

func compileOne(t *testing.T, src string) *Mapping {
	t.Helper()
	m, err := Compile(Spec{Fields: []FieldSpec{{Target: "out", Expr: src}}}, Options{Roots: []string{"contact"}, Now: testNow})
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return m
}
