package mapping

import (
	"reflect"
	"testing"

	"github.com/expr-lang/expr"
)

// TestFirstLastMatchBuiltins holds the replacements of first and last to
// expr's own builtins, value for value.
func TestFirstLastMatchBuiltins(t *testing.T) {
	t.Parallel()
	values := []any{
		nil, []any{}, []any{"a"}, []any{1, "b", nil}, []any{nil},
		[]string{}, []string{"x", "y"}, []int{}, []int{4, 5, 6}, [2]string{"p", "q"},
		"", "abc", 7, map[string]any{"a": 1}, true,
	}
	for _, name := range []string{"first", "last"} {
		i := 0
		if name == "last" {
			i = -1
		}
		for _, v := range values {
			want, err := expr.Eval(name+"(v)", map[string]any{"v": v})
			if err != nil {
				t.Fatalf("expr %s(%#v): %v", name, v, err)
			}
			if got := element(v, i); !reflect.DeepEqual(got, want) {
				t.Errorf("%s(%#v) = %#v, expr's builtin gives %#v", name, v, got, want)
			}
		}
	}
}

// TestFirstInMapping: a mapping calls the replacement, on lists from
// payloads and from other functions.
func TestFirstInMapping(t *testing.T) {
	t.Parallel()
	in := map[string]any{"client": map[string]any{"Tags": []any{"b", "a"}, "None": []any{}}}
	tests := []struct {
		src  string
		want any
	}{
		{`first(client.Tags)`, "b"},
		{`last(client.Tags)`, "a"},
		{`first(client.None)`, nil},
		{`first(client.Missing ?? [])`, nil},
		{`first(split("x,y", ","))`, "x"},
		{`last(sort(client.Tags))`, "b"},
		{`first(filter(client.Tags, {# == "z"})) ?? "none"`, "none"},
	}
	for _, tt := range tests {
		if got := mustEval(t, tt.src, in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s = %#v, want %#v", tt.src, got, tt.want)
		}
	}
}
