package mapping

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestTargetViewMatchesNormalize checks that the view of the current record
// reads the same as the deep copy normalize makes, charges the same budget
// and fails the same way.
func TestTargetViewMatchesNormalize(t *testing.T) {
	t.Parallel()

	deep := map[string]any{}
	for n, i := deep, 0; i < maxDepth+1; i++ {
		next := map[string]any{}
		n["x"] = next
		n = next
	}
	big := make([]any, maxOutputNodes)
	tests := []struct {
		name    string
		current map[string]any
	}{
		{"nil", nil},
		{"empty", map[string]any{}},
		{"flat", map[string]any{"a": "x", "n": 1.5, "i": 2, "j": int64(3), "b": true, "z": nil, "t": time.Unix(0, 0), "d": time.Second, "num": json.Number("7")}},
		{"nested", map[string]any{"customFields": map[string]any{"k": "v"}, "tags": []any{"a", []any{"b"}, map[string]any{}}}},
		{"nil map inside", map[string]any{"customFields": map[string]any(nil)}},
		{"nil list inside", map[string]any{"tags": []any(nil)}},
		{"typed values", map[string]any{"tags": []string{"a"}, "n": int32(4), "m": map[string]string{"k": "v"}}},
		{"too deep", deep},
		{"too big", map[string]any{"list": big}},
		{"unsupported", map[string]any{"ch": make(chan int)}},
	}
	m, err := Compile(Spec{Fields: []FieldSpec{{Target: "customFields.k", Expr: `"w"`}}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			wantBudget := maxOutputNodes
			want, wantErr := normalize(tt.current, &wantBudget, 0)
			budget := maxOutputNodes
			out := map[string]any{}
			got, shared, err := m.targetView(tt.current, out, &budget)
			if (err != nil) != (wantErr != nil) || err != nil && err.Error() != wantErr.Error() {
				t.Fatalf("error %v, normalize gives %v", err, wantErr)
			}
			if err != nil {
				return
			}
			if budget != wantBudget {
				t.Errorf("budget left %d, normalize leaves %d", budget, wantBudget)
			}
			if want == nil {
				want = map[string]any{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("view %#v, normalize gives %#v", got, want)
			}
			if shared != (len(tt.current) == 0) {
				t.Errorf("shared = %v for %d keys", shared, len(tt.current))
			}
		})
	}
}

// TestApplyToLeavesCurrentAlone checks that fields written into nested maps
// of the current record are seen through `target` but never written into
// the caller's record.
func TestApplyToLeavesCurrentAlone(t *testing.T) {
	t.Parallel()

	spec := Spec{Fields: []FieldSpec{
		{Target: "customFields.code", Expr: `"C-1"`},
		{Target: "a.b.c", Expr: `target.customFields.code + "/" + (target.old ?? "")`},
		{Target: "seen", Expr: `target.a.b.c + "|" + (target.keep?.x ?? "") + "|" + string(len(target.a.b))`},
		{Target: "list.x", Expr: `"y"`},
	}}
	m, err := Compile(spec, Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		current string
		want    string
	}{
		{"nested maps", `{"customFields": {"code": "old", "other": 1}, "a": {"b": {"old": "o"}}, "old": "o", "keep": {"x": "k"}, "list": ["z"]}`,
			`{"a":{"b":{"c":"C-1/o"}},"customFields":{"code":"C-1"},"list":{"x":"y"},"seen":"C-1/o|k|2"}`},
		{"no nested maps", `{"customFields": "text", "a": 1, "keep": {"x": "k"}}`,
			`{"a":{"b":{"c":"C-1/"}},"customFields":{"code":"C-1"},"list":{"x":"y"},"seen":"C-1/|k|1"}`},
		{"empty", `{}`,
			`{"a":{"b":{"c":"C-1/"}},"customFields":{"code":"C-1"},"list":{"x":"y"},"seen":"C-1/||1"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var current map[string]any
			if err := json.Unmarshal([]byte(tt.current), &current); err != nil {
				t.Fatal(err)
			}
			before := Hash(current)
			got, err := m.ApplyTo(t.Context(), nil, current)
			if err != nil {
				t.Fatal(err)
			}
			if Hash(current) != before {
				t.Fatalf("ApplyTo modified the current record: %v", current)
			}
			b, _ := json.Marshal(got)
			if string(b) != tt.want {
				t.Fatalf("got %s, want %s", b, tt.want)
			}
			// The result shares no maps with current.
			if cf, ok := got["customFields"].(map[string]any); ok {
				cf["code"] = "changed"
				if strings.Contains(Hash(current), "changed") || Hash(current) != before {
					t.Fatal("result shares memory with the current record")
				}
			}
		})
	}
}
