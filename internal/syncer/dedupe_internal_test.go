package syncer

import (
	"slices"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// TestDedupeByCode: the last occurrence of a code wins, in the place of
// the first; empty codes are dropped; a page without either comes back
// as it is.
func TestDedupeByCode(t *testing.T) {
	t.Parallel()
	rec := func(code, name string) repsly.ClientRecord { return repsly.ClientRecord{Code: code, Name: name} }
	for _, tc := range []struct {
		name string
		in   []repsly.ClientRecord
		want []string // code:name
	}{
		{"empty", nil, nil},
		{"unique", []repsly.ClientRecord{rec("a", "1"), rec("b", "2")}, []string{"a:1", "b:2"}},
		{"twice", []repsly.ClientRecord{rec("a", "1"), rec("b", "2"), rec("a", "3")}, []string{"a:3", "b:2"}},
		{"empty code", []repsly.ClientRecord{rec("a", "1"), rec("", "2"), rec("b", "3")}, []string{"a:1", "b:3"}},
		{"first empty", []repsly.ClientRecord{rec("", "1"), rec("b", "2")}, []string{"b:2"}},
		{"twice at once", []repsly.ClientRecord{rec("a", "1"), rec("a", "2")}, []string{"a:2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var got []string
			for _, r := range dedupeByCode(tc.in) {
				got = append(got, r.Code+":"+r.Name)
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
		})
	}
}
