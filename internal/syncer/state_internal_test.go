package syncer

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// fieldTimes.json is written by hand for speed; it must stay what
// encoding/json writes, since parseTimes and older rows use that form.
func TestFieldTimesJSON(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	tests := []fieldTimes{
		{},
		{"ghl:email": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)},
		{"repsly:City": time.Date(2026, 11, 27, 9, 0, 0, 123456789, paris), "ghl:city": time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
			"ghl:customFields.repsly_client_code": time.Unix(0, 0).UTC()},
		{`ghl:"quoted"`: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "ghl:<tag>&": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)},
		{"ghl:é": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)},
		{"ghl:x": {}},
		// Shared times reuse the text before them; an equal instant in
		// another zone is written in its own zone.
		{"ghl:a": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC), "ghl:b": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC),
			"ghl:c": time.Date(2026, 11, 27, 10, 0, 0, 5, paris), "ghl:d": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC), "ghl:e": {}},
	}
	for _, f := range tests {
		want, _ := json.Marshal(map[string]time.Time(f))
		if got := f.json(); got != string(want) {
			t.Errorf("json() = %s, want %s", got, want)
		}
		if back := parseTimes(f.json()); len(back) != len(f) {
			t.Errorf("parseTimes(%s) has %d keys, want %d", f.json(), len(back), len(f))
		}
	}
}

func FuzzFieldTimesJSON(f *testing.F) {
	f.Add("ghl:email", int64(1795800000), int64(5), 0)
	f.Add(`repsly:"x"`, int64(-62135596800), int64(0), 3600)
	f.Fuzz(func(t *testing.T, key string, sec, nsec int64, offset int) {
		tm := time.Unix(sec, nsec%1e9).In(time.FixedZone("", offset%86400))
		ft := fieldTimes{key: tm}
		want, err := json.Marshal(map[string]time.Time(ft))
		if err != nil {
			t.Skip() // out of JSON's time range
		}
		if got := ft.json(); got != string(want) {
			t.Fatalf("json() = %s, want %s", got, want)
		}
	})
}

// appendJSON is written by hand for speed; what it writes must decode to
// what encoding/json's output decodes to.
func FuzzAppendJSON(f *testing.F) {
	f.Add([]byte(`{"Name":"A <b> & \"c\"","n":1,"f":1.5,"big":1e300,"neg":-0,"list":[1,"x",null,true,{"é":"ü\u2028"}],"m":{}}`))
	f.Add([]byte(`{"ClientID":123456789012345678,"TimeStamp":1795800000000,"Tag":"","CustomFields":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var v map[string]any
		if json.Unmarshal(body, &v) != nil {
			return
		}
		want, err := json.Marshal(v)
		if err != nil {
			return
		}
		var a, b any
		if err := json.Unmarshal(appendJSON(nil, v), &a); err != nil {
			t.Fatalf("appendJSON wrote invalid JSON for %s: %v", body, err)
		}
		_ = json.Unmarshal(want, &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("appendJSON(%s) decodes to %v, encoding/json's to %v", body, a, b)
		}
	})
}

// A link state reuses its row's client encoding only while its client is
// that very map: replaced, it is encoded again.
func TestLinkStateClientEncoding(t *testing.T) {
	t.Parallel()
	in := map[string]any{"Code": "C1", "City": "Boston"}
	ls := newIntentState(store.Link{ID: 1, RepslyLast: jsonOf(in)}, in)
	if got := ls.toLink(t.Context(), nil).RepslyLast; got != jsonOf(in) {
		t.Fatalf("unchanged client stored as %s", got)
	}
	ls.r = overlay(ls.r, map[string]any{"City": "Salem"})
	if got := ls.toLink(t.Context(), nil).RepslyLast; got != `{"City":"Salem","Code":"C1"}` {
		t.Fatalf("changed client stored as %s", got)
	}
}
