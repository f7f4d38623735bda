package jsontext_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/jsontext"
)

var awkward = []string{"", "plain", "<&>", "\"\\", "\n\t\r\b\f\x00\x1f\x7f", "\u2027\u2028\u2029\u202a", "\xff", "é😀",
	"a\xedb", "\xed\xa0\x80", "é\xc3", string(rune(0x10ffff)), "LatAm>Guadalajara", "México"}

func TestAppendString(t *testing.T) {
	t.Parallel()
	for _, s := range awkward {
		want, _ := json.Marshal(s)
		if got := jsontext.AppendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("AppendString(%q) = %s, want x%s", s, got, want)
		}
	}
}

// FuzzAppendString holds AppendString to encoding/json for any string.
func FuzzAppendString(f *testing.F) {
	for _, s := range awkward {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := jsontext.AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// AppendObject writes a map as encoding/json does: keys sorted and
// quoted alike.
func TestAppendObject(t *testing.T) {
	t.Parallel()
	marshal := func(b []byte, v any) []byte {
		enc, _ := json.Marshal(v)
		return append(b, enc...)
	}
	for _, m := range []map[string]any{
		{},
		{"b": 1, "a": "x", "<&>": []any{1, "2"}, "é": nil, "": true},
		{"z": map[string]any{"y": 1}, "Z": 2.5},
	} {
		want, _ := json.Marshal(m)
		if got := jsontext.AppendObject(nil, m, marshal); string(got) != string(want) {
			t.Errorf("AppendObject(%v) = %s, want %s", m, got, want)
		}
	}
}

func ExampleAppendString() {
	b := jsontext.AppendString([]byte(`{"territory":`), "LatAm>Guadalajara")
	fmt.Println(string(append(b, '}')))
	// Output: {"territory":"LatAm\u003eGuadalajara"}
}
