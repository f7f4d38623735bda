package mapping

import (
	"encoding/json"
	"math"
	"testing"
	"time"
)

// goldenRecords are records whose hashes are pinned in TestHashGolden:
// hashes are stored in every link, so a change of the canonical form
// would make a running installation see its own echoes as changes.
func goldenRecords() []map[string]any {
	return []map[string]any{
		nil,
		{"email": "a@b.c", "tags": []any{"x", "y"}, "n": 1},
		{"name": "Ünïcödé <b>&amp;</b> \"quoted\" \\ back\nslash\ttab\x01\u2028\u2029", "bad": "\xff\xfe", "emoji": "😀"},
		{"f": 0.1, "big": 1e300, "neg": -3.0, "tiny": 5e-324, "nan": math.NaN(), "inf": math.Inf(-1), "maxu": uint64(math.MaxUint64), "i8": int8(-7), "u16": uint16(9)},
		{"num": json.Number("12.50"), "bad num": json.Number("x1"), "t": time.Date(2024, 1, 2, 3, 4, 5, 6, time.FixedZone("CET", 3600)), "b": true, "nil": nil},
		{"nested": map[string]any{"z": []any{1, "two", []any{3.5, nil}, map[string]any{"k": false}}, "a": map[string]string{"x": "y"}}, "typed": []string{"p", "q"}, "ints": []int{1, 2}},
		{"struct": struct {
			A int    `json:"a"`
			B string `json:"b,omitempty"`
		}{A: 1}, "keys with \"quotes\"": 1, "": "empty key", "ключ": "значение"},
	}
}

func TestHashGolden(t *testing.T) {
	t.Parallel()
	want := []string{
		"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
		"22d2dee9f824fc4de538d6a259d8387aae2017702238670a7063a83aaccf2d0e",
		"4bb4afae41969c2906d8e8d736666e9e969fdba71ab1e7b906b067dce5e16ca6",
		"2ebaf7d0f34a119cfa2fb617bf2fb6cb2f0eaa9b5e053aa4d7e749f1f8e0c145",
		"cdcd32712ffcc29c01a3cd8a9445c4ef39f291ff182fb66b48984f029add6b0b",
		"0e9b8bd3cd79c212b60a150a0a2b71a3f788fdfb0828d695542c5529c035e5ab",
		"2ea640508a6f4426f42e243bd3d6e4095e6389301bc67f39bc051806de5ea0bc",
	}
	for i, r := range goldenRecords() {
		if got := Hash(r); got != want[i] {
			t.Errorf("record %d: Hash = %s, want %s (stored hashes would no longer match)", i, got, want[i])
		}
	}
}
