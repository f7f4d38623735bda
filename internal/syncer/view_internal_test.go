package syncer

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// TestRepslyInputMatchesJSON keeps the hand-built mapping input equal to
// the client's JSON form, which is what users see and write mappings for.
func TestRepslyInputMatchesJSON(t *testing.T) {
	t.Parallel()
	for _, c := range []repsly.ClientRecord{
		{},
		{ClientID: 7, TimeStamp: 123456789, Code: "C1", Name: "Acme", Active: true, Tag: "a,b", Territory: "East>Boston",
			RepresentativeCode: "R1", RepresentativeName: "Rita", StreetAddress: "1 Main", ZIP: "02110", ZIPExt: "1",
			City: "Boston", State: "MA", Country: "US", Email: "a@b.c", Phone: "+1", Mobile: "+2", Website: "w",
			ContactName: "Jane Doe", ContactTitle: "Owner", Note: "n", Status: "s", AccountCode: "A1",
			CustomFields: []repsly.CustomField{{Field: "f", Value: "v"}}, PriceLists: repsly.PriceListNames{"p"}},
	} {
		got, err := repslyInput(c)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(c)
		var want map[string]any
		_ = json.Unmarshal(b, &want)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("input differs from JSON:\n got %v\nwant %v", got, want)
		}
	}
}

// structMap must give exactly what the JSON round trip gives, for every
// contact HighLevel can send.
func TestStructMapMatchesJSON(t *testing.T) {
	t.Parallel()
	yes, s := true, "x"
	for _, c := range []ghl.Contact{
		{},
		{ID: "c1", LocationID: "loc", FirstName: "Ada", Email: "a@b.c", ValidEmail: &yes, DND: true, Tags: []string{"a", "b"},
			AdditionalEmails: []string{}, BirthMonth: 3, CustomFields: []ghl.CustomFieldValue{{ID: "f1", Value: "v"}, {ID: "f2", Value: 4.5},
				{ID: "f3", Value: []any{"x", 1.0}}, {ID: "f4", Value: map[string]any{"k": true}}, {ID: "f5", Value: nil}, {ID: "f6", Value: 7}},
			DNDSettings:       &ghl.DNDSettings{Email: &ghl.DNDSetting{Status: "active"}},
			AttributionSource: &ghl.Attribution{URL: "u", Campaign: &s},
			Attachments:       json.RawMessage(`[{"a":1}]`), SearchAfter: json.RawMessage(`[1700000000000,"c1"]`)},
	} {
		got, err := structMap(c)
		if err != nil {
			t.Fatal(err)
		}
		want, err := toMap(c)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("structMap differs from JSON:\n got %#v\nwant %#v", got, want)
		}
	}
}

func FuzzStructMap(f *testing.F) {
	f.Add([]byte(`{"id":"c1","email":"a@b.c","tags":["x"],"customFields":[{"id":"f","value":[1,"a",{"b":null}]}],"dndSettings":{"SMS":{"status":"active"}},"attachments":"file.pdf"}`))
	f.Add([]byte(`{"firstName":"\ud800","birthDay":3,"validEmail":false,"opportunities":[{}],"attributions":[{"url":""}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var c ghl.Contact
		if json.Unmarshal(body, &c) != nil {
			return
		}
		want, err := toMap(c)
		if err != nil {
			return
		}
		got, err := structMap(c)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("structMap differs from JSON:\n got %#v\nwant %#v", got, want)
		}
	})
}

// Tags compare as HighLevel stores them: trimmed, lower-cased, each once,
// sorted; whatever is not text is compared as its text.
func TestSortedStrings(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in, want []any
	}{
		{nil, []any{}},
		{[]any{"", "  "}, []any{}},
		{[]any{"b", "A", "a ", " B", "c"}, []any{"a", "b", "c"}},
		{[]any{"Territory:North/East", "grocery", "territory:north/east"}, []any{"grocery", "territory:north/east"}},
		{[]any{7, "7", true, "x"}, []any{"7", "true", "x"}},
	} {
		if got := sortedStrings(tc.in); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("sortedStrings(%v) = %v, want %v", tc.in, got, tc.want)
		}
	}
}
