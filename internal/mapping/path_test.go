package mapping

import (
	"reflect"
	"strings"
	"testing"
)

func TestParsePath(t *testing.T) {
	t.Parallel()

	valid := []struct {
		in   string
		want Path
	}{
		{"client", Path{{Name: "client"}}},
		{"client.Email", Path{{Name: "client"}, {Name: "Email"}}},
		{"contact.customFields.repsly_client_code", Path{{Name: "contact"}, {Name: "customFields"}, {Name: "repsly_client_code"}}},
		{"phones[0]", Path{{Name: "phones"}, {Index: 0, IsIndex: true}}},
		{"a.phones[-1].number", Path{{Name: "a"}, {Name: "phones"}, {Index: -1, IsIndex: true}, {Name: "number"}}},
		{"m[1][2]", Path{{Name: "m"}, {Index: 1, IsIndex: true}, {Index: 2, IsIndex: true}}},
		{`a["b.c"].d`, Path{{Name: "a"}, {Name: "b.c"}, {Name: "d"}}},
		{`["weird \"key\""]`, Path{{Name: `weird "key"`}}},
		{`a[""]`, Path{{Name: "a"}, {Name: ""}}},
		{"client.CustomFields.Store Size", Path{{Name: "client"}, {Name: "CustomFields"}, {Name: "Store Size"}}},
		{"[3]", Path{{Index: 3, IsIndex: true}}},
		{"größe.ñ", Path{{Name: "größe"}, {Name: "ñ"}}},
	}
	for _, tt := range valid {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParsePath(tt.in)
			if err != nil {
				t.Fatalf("ParsePath: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParsePath = %#v, want %#v", got, tt.want)
			}
			again, err := ParsePath(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Fatalf("round trip via %q = %#v, %v", got.String(), again, err)
			}
		})
	}

	invalid := []struct {
		in      string
		col     int
		wantMsg string
	}{
		{"", 1, "empty path"},
		{".a", 1, "empty name"},
		{"a.", 3, "ends with '.'"},
		{"a..b", 3, "empty name"},
		{"a[", 2, "unterminated"},
		{"a[x]", 3, "not an integer"},
		{"a[01]", 3, "not an integer"},
		{"a[ 1]", 3, "not an integer"},
		{"a]", 2, "unexpected ']'"},
		{"a.[0]", 3, "right after '.'"},
		{"a[0]b", 5, "missing '.'"},
		{`a."b"`, 3, "unexpected '\"'"},
		{`a["b]`, 3, "unterminated quoted key"},
		{`a["b"x]`, 6, "expected ']'"},
		{"é.[0]", 3, "right after '.'"},
	}
	for _, tt := range invalid {
		t.Run("invalid "+tt.in, func(t *testing.T) {
			t.Parallel()
			_, err := ParsePath(tt.in)
			pe, ok := err.(*PathError)
			if !ok {
				t.Fatalf("err = %v, want *PathError", err)
			}
			if pe.Column != tt.col || !strings.Contains(pe.Msg, tt.wantMsg) {
				t.Fatalf("err = %v (column %d), want column %d and %q", err, pe.Column, tt.col, tt.wantMsg)
			}
		})
	}

	long := strings.Repeat("a.", 600) + "a"
	if _, err := ParsePath(long); err == nil || len(err.Error()) > 200 {
		t.Fatalf("long path: err = %v", err)
	}
}

func TestPathLookup(t *testing.T) {
	t.Parallel()

	input := map[string]any{
		"client": map[string]any{
			"Email":        "a@b.c",
			"Empty":        nil,
			"phones":       []any{"111", "222", "333"},
			"typed":        []string{"x", "y"},
			"strmap":       map[string]string{"k": "v"},
			"CustomFields": []any{map[string]any{"Field": "Chain", "Value": "Indie"}},
		},
		"contact": map[string]any{
			"customFields": []any{
				map[string]any{"id": "abc", "value": "by-id"},
				map[string]any{"id": "def", "key": "contact.repsly_client_code", "value": "C-1"},
				map[string]any{"id": "ghi", "key": "no_value"},
			},
		},
	}
	tests := []struct {
		path   string
		want   any
		wantOK bool
	}{
		{"client.Email", "a@b.c", true},
		{"client.Empty", nil, true},
		{"client.Missing", nil, false},
		{"client.Email.deeper", nil, false},
		{"client.phones[0]", "111", true},
		{"client.phones[-1]", "333", true},
		{"client.phones[3]", nil, false},
		{"client.phones[-4]", nil, false},
		{"client.typed[1]", "y", true},
		{"client.typed[2]", nil, false},
		{"client.strmap.k", "v", true},
		{"client.CustomFields.Chain", "Indie", true},
		{"contact.customFields.repsly_client_code", "C-1", true},
		{"contact.customFields.contact.repsly_client_code", nil, false},
		{`contact.customFields["contact.repsly_client_code"]`, "C-1", true},
		{"contact.customFields.abc", "by-id", true},
		{"contact.customFields.no_value", nil, true},
		{"contact.customFields.zzz", nil, false},
		{"contact.customFields[0].value", "by-id", true},
		{"nothing.at.all", nil, false},
		{"client[0]", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			t.Parallel()
			p, err := ParsePath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := p.Lookup(input)
			if ok != tt.wantOK || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Lookup = %#v, %v; want %#v, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}
