package syncer

import (
	"encoding/json"
	"reflect"
	"testing"

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
