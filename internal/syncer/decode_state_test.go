package syncer

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeStateMatchesStdlib holds decodeState to encoding/json for the
// shapes a link stores: whatever encoding/json decodes, decodeState decodes
// to the same value.
func FuzzDecodeStateMatchesStdlib(f *testing.F) {
	for _, s := range []string{
		`{"Code":"C1","Name":"A <b> & \"c\"","ClientID":1002,"TimeStamp":1.5e3,"CustomFields":[{"Field":"x","Value":null}],"Active":true}`,
		`{"customFields":[{"id":"f","key":"repsly_client_code","value":"1000002"}],"tags":["a","territory:x\u003ey"],"dnd":false}`,
		`{"ghl:city":"2026-11-28T06:19:09.401Z","repsly:City":"2026-11-28T07:19:09.401+01:00"}`,
		`{"ghl:x":"0001-01-01T00:00:00Z","bad":"yesterday"}`, "{\"k\":\"\xff\"}", `{"a":1,"a":2}`, `{"n":-0,"big":1e400}`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, alloc := range []func() any{
			func() any { return new(map[string]any) },
			func() any { return new(fieldTimes) },
		} {
			want, got := alloc(), alloc()
			if json.Unmarshal([]byte(s), want) != nil {
				continue // stored states are always valid; only agreement on those matters
			}
			if err := decodeState(s, got); err != nil {
				t.Fatalf("%T: encoding/json decodes %q, decodeState refuses it: %v", want, s, err)
			}
			if !reflect.DeepEqual(want, got) {
				t.Fatalf("%T: %q decodes to %#v, encoding/json gives %#v", want, s, got, want)
			}
		}
	})
}
