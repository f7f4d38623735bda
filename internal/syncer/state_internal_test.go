package syncer

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/fieldbridge/fieldbridge/internal/store"
)

// sameTimes reports whether a and b hold the same keys with the same times,
// each written the same (instant and zone).
func sameTimes(a, b fieldTimes) bool {
	if len(a) != len(b) {
		return false
	}
	for k, t := range a {
		u, ok := b[k]
		if !ok || t.Format(time.RFC3339Nano) != u.Format(time.RFC3339Nano) {
			return false
		}
	}
	return true
}

// fieldTimes.json is written by hand for speed: whatever it writes,
// parseTimes reads back, each time in its own zone; rows written as an
// object (by encoding/json, before the grouped form) still read.
func TestFieldTimesJSON(t *testing.T) {
	t.Parallel()
	paris := time.FixedZone("CET", 3600)
	tests := []struct {
		f       fieldTimes
		grouped bool
	}{
		{fieldTimes{}, false},
		{fieldTimes{"ghl:email": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}, true},
		{fieldTimes{"repsly:City": time.Date(2026, 11, 27, 9, 0, 0, 123456789, paris), "ghl:city": time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
			"ghl:customFields.repsly_client_code": time.Unix(0, 0).UTC()}, true},
		{fieldTimes{`ghl:"quoted"`: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "ghl:<tag>&": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}, false},
		{fieldTimes{"ghl:é": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}, false},
		{fieldTimes{"other:x": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), "ghl:y": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}, false},
		{fieldTimes{"ghl:": time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)}, false},
		{fieldTimes{"ghl:x": {}}, true},
		// Equal times share a group; an equal instant in another zone is
		// a group of its own, written in its zone.
		{fieldTimes{"ghl:a": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC), "repsly:B": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC),
			"ghl:c": time.Date(2026, 11, 27, 10, 0, 0, 5, paris), "ghl:d": time.Date(2026, 11, 27, 9, 0, 0, 5, time.UTC), "ghl:e": {}}, true},
	}
	for _, tt := range tests {
		got := tt.f.json()
		if isGrouped := strings.HasPrefix(got, "["); isGrouped != tt.grouped {
			t.Errorf("json() = %s: grouped %v, want %v", got, isGrouped, tt.grouped)
		}
		if back := parseTimes(got); !sameTimes(back, tt.f) {
			t.Errorf("parseTimes(%s) = %v, want %v", got, back, tt.f)
		}
		old, _ := json.Marshal(map[string]time.Time(tt.f))
		if back := parseTimes(string(old)); !sameTimes(back, tt.f) {
			t.Errorf("parseTimes(%s) (an older row) = %v, want %v", old, back, tt.f)
		}
	}
}

// A backfilled link stamps all its fields at once: their times take a
// third of what one time per field took.
func TestFieldTimesGroupedSize(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 28, 7, 48, 58, 180000000, time.UTC)
	f := fieldTimes{}
	for _, k := range []string{"address1", "city", "companyName", "country", "customFields.repsly_client_code", "email", "firstName",
		"lastName", "phone", "postalCode", "state", "tags", "website"} {
		f["ghl:"+k] = at
	}
	for _, k := range []string{"City", "Code", "ContactName", "Country", "Email", "Name", "Phone", "RepresentativeCode", "State",
		"StreetAddress", "Tag", "Territory", "Website", "ZIP"} {
		f["repsly:"+k] = at
	}
	old, _ := json.Marshal(map[string]time.Time(f))
	if got := f.json(); len(got) > len(old)/2 || !sameTimes(parseTimes(got), f) {
		t.Fatalf("grouped form %d bytes (object form %d): %s", len(got), len(old), got)
	}
}

func FuzzFieldTimesJSON(f *testing.F) {
	f.Add("ghl:email", "repsly:Email", int64(1795800000), int64(5), 0, false)
	f.Add(`repsly:"x"`, "ghl:y", int64(-62135596800), int64(0), 3600, true)
	f.Add("other", "ghl:", int64(0), int64(0), -7200, true)
	f.Fuzz(func(t *testing.T, key, key2 string, sec, nsec int64, offset int, same bool) {
		// Zones in whole minutes: RFC 3339 has no seconds of offset.
		tm := time.Unix(sec, nsec%1e9).In(time.FixedZone("", offset%1440*60))
		ft := fieldTimes{key: tm, key2: tm.Add(time.Second)}
		if same {
			ft[key2] = tm
		}
		if _, err := json.Marshal(map[string]time.Time(ft)); err != nil || !utf8.ValidString(key) || !utf8.ValidString(key2) {
			t.Skip() // out of JSON's time range, or a key no field name is (JSON replaces invalid UTF-8)
		}
		if got := ft.json(); !sameTimes(parseTimes(got), ft) {
			t.Fatalf("parseTimes(%s) = %v, want %v", got, parseTimes(got), ft)
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
