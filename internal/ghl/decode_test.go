package ghl

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeJSONMatchesStdlib holds decodeJSON to encoding/json: the same
// value for whatever encoding/json accepts, an error for whatever it
// refuses, and no panic, for the shapes HighLevel's answers are decoded
// into.
func FuzzDecodeJSONMatchesStdlib(f *testing.F) {
	for _, s := range []string{
		`{"contact":{"id":"c1","locationId":"L","firstName":"Bo","email":"a@b.c","tags":["x","territory:east\u003eboston"],"customFields":[{"id":"f","value":"C-1"},{"id":"g","value":3.5},{"id":"h","value":["a"]},{"id":"i","value":{"k":1}}],"dnd":false,"dateAdded":"2026-11-28T05:37:59.562Z","attachments":"","validEmail":null,"dndSettings":{"Email":{"status":"active"}}},"traceId":"t"}`,
		`{"contacts":[{"id":"a","searchAfter":[1732000000000,"a"],"attachments":[]}],"total":1}`,
		`{"contact":{"id":"x","new":true},"succeded":true}`,
		`<!DOCTYPE html><html>502 Bad Gateway</html>`, `{"statusCode":400,"message":["email must be an email"]}`,
		`{"contact":{"ID":"upper","Email":"case@x"}}`, `{"contact":{"id":"a","id":"b"}}`, "{\"contact\":{\"id\":\"\xff\xfe\"}}",
		`{"contact":{"birthMonth":1.5}}`, `{"contacts":null,"total":"3"}`, `{"contact":{"tags":"notalist"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		same(t, data, func() any {
			return new(struct {
				Contact Contact `json:"contact"`
			})
		})
		same(t, data, func() any { return new(SearchContactsResult) })
		same(t, data, func() any { return new(UpsertResult) })
		same(t, data, func() any { return new(any) })
	})
}

func same(t *testing.T, data []byte, alloc func() any) {
	t.Helper()
	want, got := alloc(), alloc()
	werr := json.Unmarshal(data, want)
	gerr := decodeJSON(data, got)
	switch {
	case werr != nil && gerr == nil:
		t.Fatalf("%T: encoding/json refuses %q (%v), decodeJSON accepts it", want, data, werr)
	case werr == nil && gerr != nil:
		t.Fatalf("%T: encoding/json accepts %q, decodeJSON refuses it: %v", want, data, gerr)
	case werr == nil && !reflect.DeepEqual(want, got):
		t.Fatalf("%T: %q decodes to %#v, encoding/json gives %#v", want, data, got, want)
	}
}
