package mapping

import (
	"context"
	"testing"
	"time"
)

// testNow is the clock every test mapping uses.
func testNow() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }

// eval compiles one expression as field "out" with the given roots and
// returns its value for input.
func eval(t *testing.T, src string, input map[string]any) (any, error) {
	t.Helper()
	spec := Spec{
		Fields:  []FieldSpec{{Target: "out", Expr: src}},
		Lookups: map[string]map[string]string{"reps": {"R01": "user-1", "7": "user-7"}},
	}
	m, err := Compile(spec, Options{Roots: []string{"client", "contact"}, Now: testNow})
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	out, err := m.Apply(context.Background(), input)
	if err != nil {
		return nil, err
	}
	return out["out"], nil
}

// mustEval is eval that fails the test on an error.
func mustEval(t *testing.T, src string, input map[string]any) any {
	t.Helper()
	v, err := eval(t, src, input)
	if err != nil {
		t.Fatalf("eval(%q): %v", src, err)
	}
	return v
}
