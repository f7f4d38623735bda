package repsly

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzDecodeJSONMatchesStdlib holds decodeJSON to encoding/json: the same
// value for whatever encoding/json accepts, an error for whatever it
// refuses, and no panic, for the shapes Repsly's answers are decoded into.
func FuzzDecodeJSONMatchesStdlib(f *testing.F) {
	for _, s := range []string{
		`{"MetaCollectionResult":{"TotalCount":1,"LastTimeStamp":5},"Clients":[{"ClientID":1,"TimeStamp":5,"Code":"C1","Name":"A","Active":true,"CustomFields":[{"Field":"x","Value":"y"}],"PriceLists":["W"]}]}`,
		`[{"ClientID":"7","Code":"c","Name":"\u00e9\ud83d\ude00","Active":false,"Tag":null}]`,
		`{"ClientNoteID":3,"DateAndTime":"\/Date(1700000000000+0000)\/","Note":"hi"}`,
		`{"VisitID":1,"TimeStamp":2,"Date":"2026-11-27T10:00:00","DateAndTimeStart":"\/Date(1)\/"}`,
		`<html>502</html>`, `{"a":1,"A":2}`, `{"Code":"x\u0000y"}`, "{\"Code\":\"\xff\"}", `{"ClientID":1e3}`, `[1,2,]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		same(t, data, func() any { return new(map[string]json.RawMessage) })
		same(t, data, func() any { return new([]json.RawMessage) })
		same(t, data, func() any { return new(ClientRecord) })
		same(t, data, func() any { return new(ClientNote) })
		same(t, data, func() any { return new(Visit) })
		same(t, data, func() any { return new(metaWire) })
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
