package ghlsandbox

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// awkwardStrings need escaping, case mapping or UTF-8 repair, or are empty.
var awkwardStrings = []string{
	"", "plain", "Ann", "O'Brien", "Zoë Müller-Lüdenscheidt", "ÅSA ØRSTED", "İstanbul", "ǅemal", "STRASSE ẞ",
	"李小龍", "😀 emoji", "<script>alert(1)</script>", "Tom & Jerry", `quote " and \ backslash`,
	"ctl \x00\x01\x1f\x7f", "\b\f\n\r\t", "line\u2028sep\u2029par", "bad \xff\xfe utf8", "trunc \xe2\x82",
	"  padded  ", "a@B.example", "+14155550100", "https://x.example/?a=1&b=<2>",
}

func pickStr(r *rand.Rand) string { return awkwardStrings[r.IntN(len(awkwardStrings))] }

func pickStrs(r *rand.Rand) []string {
	switch r.IntN(4) {
	case 0:
		return nil
	case 1:
		return []string{}
	}
	out := make([]string, 1+r.IntN(4))
	for i := range out {
		out[i] = pickStr(r)
	}
	return out
}

var awkwardFloats = []float64{0, math.Copysign(0, -1), 1, -1, 0.5, 123.456, 1e20, 1e21, -1e21, 1e-6, 1e-7,
	9.999e-7, 1.5e300, 5e-324, math.MaxFloat64, 1732761349000, 0.1 + 0.2, 100}

// randomValue returns a custom field value of any type a decoded body or a
// User* caller can hold.
func randomValue(r *rand.Rand, depth int) any {
	n := 9
	if depth > 1 {
		n = 5 // no more nesting
	}
	switch r.IntN(n) {
	case 0:
		return nil
	case 1:
		return pickStr(r)
	case 2:
		return awkwardFloats[r.IntN(len(awkwardFloats))]
	case 3:
		return r.IntN(2) == 0
	case 4:
		return r.IntN(1000) // not from JSON: encoding/json's path
	case 5:
		return pickStrs(r)
	case 6:
		if r.IntN(4) == 0 {
			return []any(nil)
		}
		out := make([]any, r.IntN(4))
		for i := range out {
			out[i] = randomValue(r, depth+1)
		}
		return out
	case 7:
		out := map[string]any{}
		for range r.IntN(4) {
			out[pickStr(r)] = randomValue(r, depth+1)
		}
		return out
	default:
		return json.Number("12.50")
	}
}

func randomTime(r *rand.Rand) time.Time {
	zones := []*time.Location{time.UTC, time.FixedZone("X", -5*3600), time.FixedZone("Y", 5*3600+1800)}
	return time.UnixMilli(r.Int64N(4_000_000_000_000) - 1_000_000_000_000).In(zones[r.IntN(len(zones))])
}

func randomContact(r *rand.Rand) *Contact {
	ct := &Contact{
		ID: pickStr(r), LocationID: pickStr(r), FirstName: pickStr(r), LastName: pickStr(r), Email: pickStr(r),
		Phone: pickStr(r), CompanyName: pickStr(r), Address1: pickStr(r), City: pickStr(r), State: pickStr(r),
		PostalCode: pickStr(r), Country: pickStr(r), Website: pickStr(r), Timezone: pickStr(r), Source: pickStr(r),
		Type: pickStr(r), Gender: pickStr(r), AssignedTo: pickStr(r), BusinessID: pickStr(r),
		DND: r.IntN(2) == 0, Tags: pickStrs(r), AdditionalEmails: pickStrs(r), AdditionalPhones: pickStrs(r),
		Followers: pickStrs(r), Campaigns: pickStrs(r), DateAdded: randomTime(r), DateUpdated: randomTime(r),
	}
	if r.IntN(2) == 0 {
		ct.DateOfBirth = randomTime(r)
	}
	if r.IntN(3) > 0 {
		ct.DNDSettings = map[string]DNDSetting{}
		for _, ch := range append(dndChannels, "Telegram") { // an unknown channel is not rendered
			if r.IntN(2) == 0 {
				ct.DNDSettings[ch] = DNDSetting{Status: pickStr(r), Message: pickStr(r), Code: pickStr(r)}
			}
		}
	}
	if r.IntN(2) == 0 {
		ct.InboundDND = &DNDSetting{Status: pickStr(r), Message: pickStr(r)}
	}
	for range r.IntN(4) {
		ct.CustomFields = append(ct.CustomFields, CustomFieldValue{ID: pickStr(r), Value: randomValue(r, 0)})
	}
	return ct
}

// checkSameJSON fails unless got is byte for byte json.Marshal(want).
func checkSameJSON(t *testing.T, what string, got []byte, gotErr error, want any) {
	t.Helper()
	exp, expErr := json.Marshal(want)
	if (gotErr != nil) != (expErr != nil) {
		t.Fatalf("%s: error %v, map-based encoding error %v", what, gotErr, expErr)
	}
	if expErr == nil && !bytes.Equal(got, exp) {
		t.Fatalf("%s differs from the map-based encoding:\n got %s\nwant %s", what, got, exp)
	}
}

// checkContactEncodings compares every hand-written contact encoding of ct
// with json.Marshal of the map-based rendering it replaced.
func checkContactEncodings(t *testing.T, ct *Contact, cursor []any) {
	t.Helper()
	for _, tc := range []struct {
		name string
		body contactBody
		want obj
	}{
		{"get", contactBody{ct: *ct, form: formGet}, obj{"contact": contactGetJSON(ct)}},
		{"create", contactBody{ct: *ct, form: formCreate}, obj{"contact": contactCreateJSON(ct)}},
		{"update", contactBody{ct: *ct, form: formGet, flagKey: "succeded", flag: true},
			obj{"contact": contactGetJSON(ct), "succeded": true}},
		{"upsert", contactBody{ct: *ct, form: formGet, flagKey: "new", flag: cursor == nil},
			obj{"contact": contactGetJSON(ct), "new": cursor == nil}},
	} {
		tc.want["traceId"] = "trace-" + ct.ID
		got, err := tc.body.appendJSON(nil, "trace-"+ct.ID)
		checkSameJSON(t, tc.name, got, err, tc.want)
	}

	sb := searchBody{contacts: []Contact{*ct, *ct}, cursors: [][]any{cursor, {ct.ID}}, total: 7}
	got, err := sb.appendJSON(nil, "trace")
	checkSameJSON(t, "search", got, err, obj{
		"contacts": []obj{contactSearchJSON(ct, cursor), contactSearchJSON(ct, []any{ct.ID})},
		"total":    7, "traceId": "trace",
	})

	for _, withDND := range []bool{false, true} {
		want := contactEvent(ct)
		if withDND {
			want["dndSettings"] = dndJSON(ct.DNDSettings)
		}
		want["type"], want["locationId"], want["webhookId"], want["timestamp"] = "ContactUpdate", ct.LocationID, "hook", "2026-01-02T03:04:05.678Z"
		got, err := appendContactEvent(nil, ct, "ContactUpdate", ct.LocationID, "hook", "2026-01-02T03:04:05.678Z", withDND)
		checkSameJSON(t, "event", got, err, want)
	}
}

func TestContactEncodingMatchesMaps(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		ct   *Contact
	}{
		{"zero", &Contact{}},
		{"minimal", &Contact{ID: "c1", LocationID: "l1", Type: "lead", DateAdded: time.UnixMilli(1), DateUpdated: time.UnixMilli(2)}},
		{"empty slices", &Contact{ID: "c2", Tags: []string{}, AdditionalEmails: []string{}, Followers: []string{},
			DNDSettings: map[string]DNDSetting{}, CustomFields: []CustomFieldValue{}}},
		{"unknown dnd channel only", &Contact{ID: "c3", DNDSettings: map[string]DNDSetting{"Telegram": {Status: "active"}}}},
		{"unencodable custom field", &Contact{ID: "c4", CustomFields: []CustomFieldValue{{ID: "f", Value: math.NaN()}}}},
		{"func custom field", &Contact{ID: "c5", CustomFields: []CustomFieldValue{{ID: "f", Value: func() {}}}}},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		tests = append(tests, struct {
			name string
			ct   *Contact
		}{"random " + string(rune('a'+i%26)), randomContact(r)})
	}
	for _, tc := range tests {
		cursor := []any{awkwardFloats[r.IntN(len(awkwardFloats))], pickStr(r), tc.ct.ID}
		checkContactEncodings(t, tc.ct, cursor)
	}
}

func TestAppendJSONFloat(t *testing.T) {
	t.Parallel()
	for _, f := range append(awkwardFloats, 1e-320, -2.5e-8, 3e21, 123456789e-15, 1e100) {
		got := appendJSONFloat(nil, f)
		want, _ := json.Marshal(f)
		if !bytes.Equal(got, want) {
			t.Errorf("appendJSONFloat(%v) = %s, want %s", f, got, want)
		}
	}
}

// FuzzContactEncoding checks the hand-written encoders against the
// map-based renderings for arbitrary strings and numbers.
func FuzzContactEncoding(f *testing.F) {
	f.Add("Ann", "Lee", "a@b.example", "<&>", 1.5, int64(1732761349000), true)
	f.Add("", "", "", "\xff\u2028", math.Copysign(0, -1), int64(-1), false)
	f.Fuzz(func(t *testing.T, first, last, email, other string, num float64, ms int64, flag bool) {
		ct := &Contact{
			ID: other, LocationID: other, FirstName: first, LastName: last, Email: email, Phone: other,
			CompanyName: other, Address1: first, City: last, Website: email, Timezone: other, Type: other,
			DND: flag, Tags: []string{first, other}, Followers: []string{last},
			DateAdded: time.UnixMilli(ms), DateUpdated: time.UnixMilli(ms / 2),
			DNDSettings:  map[string]DNDSetting{"SMS": {Status: first, Message: other, Code: last}},
			InboundDND:   &DNDSetting{Status: other, Message: email},
			CustomFields: []CustomFieldValue{{ID: first, Value: num}, {ID: last, Value: []any{other, num, flag, nil}}},
		}
		if flag {
			ct.DateOfBirth = time.UnixMilli(ms)
		}
		checkContactEncodings(t, ct, []any{num, other, ct.ID})
	})
}
