package mapping

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

func TestHash(t *testing.T) {
	t.Parallel()

	berlin := time.FixedZone("CET", 3600)
	instant := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	equal := []struct {
		name string
		a, b map[string]any
	}{
		{"nil and empty", nil, map[string]any{}},
		{"key order", map[string]any{"a": 1, "b": 2, "c": map[string]any{"x": 1, "y": 2}}, map[string]any{"c": map[string]any{"y": 2, "x": 1}, "b": 2, "a": 1}},
		{"int and float", map[string]any{"n": 1}, map[string]any{"n": 1.0}},
		{"json.Number", map[string]any{"n": json.Number("42")}, map[string]any{"n": int64(42)}},
		{"json.Number fraction", map[string]any{"n": json.Number("0.5")}, map[string]any{"n": 0.5}},
		{"time zones", map[string]any{"t": instant}, map[string]any{"t": instant.In(berlin)}},
		{"typed list", map[string]any{"l": []string{"a", "b"}}, map[string]any{"l": []any{"a", "b"}}},
		{"typed map", map[string]any{"m": map[string]string{"k": "v"}}, map[string]any{"m": map[string]any{"k": "v"}}},
		{"struct via JSON", map[string]any{"s": struct {
			A int `json:"a"`
		}{1}}, map[string]any{"s": map[string]any{"a": 1}}},
		{"uint", map[string]any{"n": uint(7)}, map[string]any{"n": 7.0}},
	}
	for _, tt := range equal {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if ha, hb := Hash(tt.a), Hash(tt.b); ha != hb {
				t.Fatalf("Hash differs: %s vs %s", ha, hb)
			}
		})
	}

	base := map[string]any{"email": "a@b.c", "tags": []any{"x", "y"}, "n": 1}
	different := []map[string]any{
		{"email": "A@b.c", "tags": []any{"x", "y"}, "n": 1},
		{"email": "a@b.c", "tags": []any{"y", "x"}, "n": 1},
		{"email": "a@b.c", "tags": []any{"x", "y"}, "n": 1.5},
		{"email": "a@b.c", "tags": []any{"x", "y"}, "n": "1"},
		{"email": "a@b.c", "tags": []any{"x", "y"}},
		{"email": "a@b.c", "tags": []any{"x", "y"}, "n": 1, "extra": nil},
		{"email": "a@b.c", "tags": []any{"x,y"}, "n": 1},
		{"email": "a@b.c", "tags": []any{"x", "y"}, "n": true},
	}
	for i, d := range different {
		if Hash(d) == Hash(base) {
			t.Errorf("record %d hashes like the base record", i)
		}
	}

	if h := Hash(base); len(h) != 64 {
		t.Errorf("Hash = %q, want 64 hex digits", h)
	}
	// Odd values do not panic.
	_ = Hash(map[string]any{"nan": math.NaN(), "inf": math.Inf(1), "f": func() {}, "ch": make(chan int), "big": uint64(math.MaxUint64)})

	// Nesting beyond the limit stops instead of recursing forever.
	cyclic := map[string]any{}
	cyclic["self"] = cyclic
	_ = Hash(cyclic)
}
