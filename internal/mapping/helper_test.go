package mapping

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestE164(t *testing.T) {
	t.Parallel()

	tests := []struct {
		phone, country, want string
	}{
		// United States
		{"(415) 555-2671", "US", "+14155552671"},
		{"415.555.2671", "USA", "+14155552671"},
		{"415-555-2671", "United States", "+14155552671"},
		{"1 415 555 2671", "us", "+14155552671"},
		{"+1 (415) 555-2671", "", "+14155552671"},
		{"4155552671", "U.S.A.", "+14155552671"},
		{"555-0100", "US", ""}, // too short
		// United Kingdom
		{"020 7946 0958", "GB", "+442079460958"},
		{"07911 123456", "UK", "+447911123456"},
		{"+44 7911 123456", "", "+447911123456"},
		{"0044 7911 123456", "", "+447911123456"},
		{"(0)20 7946 0958", "United Kingdom", "+442079460958"},
		// Germany
		{"030 12345678", "DE", "+493012345678"},
		{"+49 (0)30 12345678", "", "+493012345678"},
		{"0151 23456789", "Germany", "+4915123456789"},
		{"0049 30 12345678", "Deutschland", "+493012345678"},
		// France
		{"01 23 45 67 89", "FR", "+33123456789"},
		{"06.12.34.56.78", "France", "+33612345678"},
		{"+33 6 12 34 56 78", "", "+33612345678"},
		{"0033612345678", "FRA", "+33612345678"},
		// Invalid input
		{"", "US", ""},
		{"not a phone", "US", ""},
		{"12", "US", ""},
		{"4155552671", "", ""}, // no region, no +
		{"4155552671", "Atlantis", ""},
		{"+999 123", "", ""},
		{strings.Repeat("9", 500), "US", ""},
	}
	for _, tt := range tests {
		t.Run(tt.phone+"/"+tt.country, func(t *testing.T) {
			t.Parallel()
			got := mustEval(t, `e164(client.Phone, client.Country)`, map[string]any{
				"client": map[string]any{"Phone": tt.phone, "Country": tt.country},
			})
			if got != tt.want {
				t.Fatalf("e164(%q, %q) = %q, want %q", tt.phone, tt.country, got, tt.want)
			}
		})
	}

	t.Run("number input", func(t *testing.T) {
		t.Parallel()
		got := mustEval(t, `e164(client.Phone, "US")`, map[string]any{"client": map[string]any{"Phone": 4155552671.0}})
		if got != "+14155552671" {
			t.Fatalf("got %v", got)
		}
	})
}

func TestCountry(t *testing.T) {
	t.Parallel()

	tests := map[string]string{
		"USA": "US", "United States": "US", "united states of america": "US", "U.S.": "US", "US": "US",
		"UK": "GB", "Great Britain": "GB", "England": "GB", "gb": "GB", "GBR": "GB",
		"Germany": "DE", "Deutschland": "DE", " germany ": "DE", "DEU": "DE",
		"France": "FR", "FR": "FR", "The Netherlands": "NL", "Österreich": "AT",
		"ca": "CA", "Canada": "CA", "Mexico": "MX", "Brasil": "BR",
		"": "", "Atlantis": "", "XX": "", "ZZ": "", "U": "",
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			if got := countryCode(in); got != want {
				t.Fatalf("country(%q) = %q, want %q", in, got, want)
			}
		})
	}
}

func TestNames(t *testing.T) {
	t.Parallel()

	tests := []struct {
		full, first, last string
	}{
		{"Bo Chan", "Bo", "Chan"},
		{"Cher", "Cher", ""},
		{"Mary Ann Smith", "Mary Ann", "Smith"},
		{"  Jean   Luc  Picard ", "Jean Luc", "Picard"},
		{"", "", ""},
		{"   ", "", ""},
		{"José Álvarez", "José", "Álvarez"},
	}
	for _, tt := range tests {
		t.Run(tt.full, func(t *testing.T) {
			t.Parallel()
			in := map[string]any{"client": map[string]any{"ContactName": tt.full}}
			want := map[string]any{"first": tt.first, "last": tt.last}
			if got := mustEval(t, `splitName(client.ContactName)`, in); !reflect.DeepEqual(got, want) {
				t.Errorf("splitName = %v, want %v", got, want)
			}
			if got := mustEval(t, `firstName(client.ContactName)`, in); got != tt.first {
				t.Errorf("firstName = %q, want %q", got, tt.first)
			}
			if got := mustEval(t, `lastName(client.ContactName)`, in); got != tt.last {
				t.Errorf("lastName = %q, want %q", got, tt.last)
			}
			// Joining the parts gives back the normalised name.
			joined := mustEval(t, `joinName(firstName(client.ContactName), lastName(client.ContactName))`, in)
			if want := strings.Join(strings.Fields(tt.full), " "); joined != want {
				t.Errorf("joinName round trip = %q, want %q", joined, want)
			}
		})
	}

	joins := []struct{ first, last, want string }{
		{"Bo", "Chan", "Bo Chan"}, {"Bo", "", "Bo"}, {"", "Chan", "Chan"}, {"", "", ""}, {" Bo ", " Chan ", "Bo Chan"},
	}
	for _, tt := range joins {
		in := map[string]any{"contact": map[string]any{"firstName": tt.first, "lastName": tt.last}}
		if got := mustEval(t, `joinName(contact.firstName, contact.lastName)`, in); got != tt.want {
			t.Errorf("joinName(%q, %q) = %q, want %q", tt.first, tt.last, got, tt.want)
		}
	}
	if got := mustEval(t, `joinName(contact.firstName, contact.lastName)`, nil); got != "" {
		t.Errorf("joinName(nil, nil) = %q", got)
	}
}

func TestTextHelpers(t *testing.T) {
	t.Parallel()

	tests := []struct {
		expr string
		in   any
		want any
	}{
		{`trim(client.X)`, "  a b \n", "a b"},
		{`trim(client.X)`, nil, ""},
		{`lower(client.X)`, "Bo@Example.COM", "bo@example.com"},
		{`upper(client.X)`, "ma", "MA"},
		{`upper(client.X)`, 12.5, "12.5"},
		{`title(client.X)`, "JOHN o'neil-SMITH", "John O'neil-Smith"},
		{`title(client.X)`, "élise du pont", "Élise Du Pont"},
		{`default(client.X, "n/a")`, "", "n/a"},
		{`default(client.X, "n/a")`, nil, "n/a"},
		{`default(client.X, "n/a")`, "x", "x"},
		{`default(client.X, "n/a")`, 0.0, 0.0},
		{`client.X ?? "n/a"`, nil, "n/a"},
		{`client.X ?? "n/a"`, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			got := mustEval(t, tt.expr, map[string]any{"client": map[string]any{"X": tt.in}})
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("%s with %#v = %#v, want %#v", tt.expr, tt.in, got, tt.want)
			}
		})
	}

	_, err := eval(t, `trim(client.X)`, map[string]any{"client": map[string]any{"X": map[string]any{}}})
	if err == nil || !strings.Contains(err.Error(), "trim: expected text, got an object") {
		t.Fatalf("trim(object): err = %v", err)
	}
}

func TestDates(t *testing.T) {
	t.Parallel()

	jan2 := time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
	}{
		{"/Date(1577664000000+0000)/", time.Date(2019, 12, 30, 0, 0, 0, 0, time.UTC)},
		{"/Date(1497120177000)/", time.Date(2017, 6, 10, 18, 42, 57, 0, time.UTC)},
		{`\/Date(1704153600000+0000)\/`, jan2},
		{"/Date(1704153600000-0500)/", jan2}, // the offset is informational
		{"/Date(-86400000)/", time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)},
		{" /Date(1704153600000)/ ", jan2},
		{"2024-01-02T00:00:00Z", jan2},
		{"2024-01-02T01:00:00+01:00", jan2},
		{"2024-01-02T00:00:00.000Z", jan2},
		{"2022-03-31T10:11:12.345Z", time.Date(2022, 3, 31, 10, 11, 12, 345e6, time.UTC)},
		{"2024-01-02T00:00:00", jan2},
		{"2024-01-02T00:00", jan2},
		{"2024-01-02 00:00:00", jan2},
		{"2024-01-02T05:00:00-0500", time.Date(2024, 1, 2, 10, 0, 0, 0, time.UTC)},
		{"2024-01-02", jan2},
		{"2024/01/02", jan2},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got := mustEval(t, `repslyDate(client.D)`, map[string]any{"client": map[string]any{"D": tt.in}})
			gt, ok := got.(time.Time)
			if !ok || !gt.Equal(tt.want) || gt.Location() != time.UTC {
				t.Fatalf("repslyDate(%q) = %v, want %v UTC", tt.in, got, tt.want)
			}
		})
	}

	bad := []string{"yesterday", "/Date(abc)/", "/Date(123", "/Date(123+00)/", "2024-13-45", "/Date(99999999999999999999)/"}
	for _, in := range bad {
		t.Run("bad "+in, func(t *testing.T) {
			t.Parallel()
			_, err := eval(t, `repslyDate(client.D)`, map[string]any{"client": map[string]any{"D": in}})
			if err == nil || !strings.Contains(err.Error(), "repslyDate: cannot parse date") || !strings.Contains(err.Error(), `field "out"`) {
				t.Fatalf("repslyDate(%q): err = %v", in, err)
			}
		})
	}

	in := map[string]any{"client": map[string]any{"D": `\/Date(1704189600000+0000)\/`, "E": ""}}
	formats := []struct{ expr, want string }{
		{`isoDate(repslyDate(client.D))`, "2024-01-02T10:00:00.000Z"},
		{`isoDate(client.D)`, "2024-01-02T10:00:00.000Z"},
		{`repslyDateString(repslyDate("2024-01-02T10:00:00Z"))`, "/Date(1704189600000+0000)/"},
		{`repslyDateString(client.D)`, "/Date(1704189600000+0000)/"},
		{`formatDate(repslyDate(client.D), "2006-01-02")`, "2024-01-02"},
		{`formatDate(client.D, "Jan 2, 2006 15:04")`, "Jan 2, 2024 10:00"},
		{`isoDate(client.E)`, ""},
		{`formatDate(client.Missing, "2006")`, ""},
		{`repslyDateString(repslyDate(client.E))`, ""},
		{`isoDate(now())`, "2026-03-04T05:06:07.000Z"},
		{`formatDate(now(), "2006-01-02")`, "2026-03-04"},
	}
	for _, tt := range formats {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			if got := mustEval(t, tt.expr, in); got != tt.want {
				t.Fatalf("%s = %q, want %q", tt.expr, got, tt.want)
			}
		})
	}
	if got := mustEval(t, `repslyDate(client.E)`, in); got != nil {
		t.Errorf("repslyDate(\"\") = %v, want nothing", got)
	}
}

func TestLookup(t *testing.T) {
	t.Parallel()

	tests := []struct {
		expr string
		rep  any
		want any
	}{
		{`lookup("reps", client.Rep)`, "R01", "user-1"},
		{`lookup("reps", client.Rep)`, "R99", nil},
		{`lookup("reps", client.Rep)`, 7.0, "user-7"},
		{`lookup("reps", client.Rep) ?? "unassigned"`, "R99", "unassigned"},
		{`lookupOr("reps", client.Rep, "unassigned")`, "R99", "unassigned"},
		{`lookupOr("reps", client.Rep, "unassigned")`, "R01", "user-1"},
		{`lookups.reps[client.Rep]`, "R01", "user-1"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			got := mustEval(t, tt.expr, map[string]any{"client": map[string]any{"Rep": tt.rep}})
			if got != tt.want {
				t.Fatalf("%s with %v = %v, want %v", tt.expr, tt.rep, got, tt.want)
			}
		})
	}

	_, err := eval(t, `lookup(client.Table, "x")`, map[string]any{"client": map[string]any{"Table": "nope"}})
	if err == nil || !strings.Contains(err.Error(), `no lookup table "nope"`) {
		t.Fatalf("run-time unknown table: err = %v", err)
	}
}

func TestCustomFieldAndTags(t *testing.T) {
	t.Parallel()

	contact := map[string]any{
		"id": "c1",
		"customFields": []any{
			map[string]any{"id": "f1", "value": "by id"},
			map[string]any{"id": "f2", "key": "contact.repsly_client_code", "value": "C-0001"},
			map[string]any{"key": "region", "field_value": "north"},
			"garbage",
		},
		"tags": []any{"vip", "Repsly, Inc"},
	}
	client := map[string]any{"CustomFields": []any{map[string]any{"Field": "Chain", "Value": "Indie"}}, "Tag": "a, b,,A", "Territory": "Boston"}
	in := map[string]any{"contact": contact, "client": client}
	tests := []struct {
		expr string
		want any
	}{
		{`customField(contact, "f1")`, "by id"},
		{`customField(contact, "repsly_client_code")`, "C-0001"},
		{`customField(contact, "contact.repsly_client_code")`, "C-0001"},
		{`customField(contact, "region")`, "north"},
		{`customField(contact, "missing")`, nil},
		{`customField(contact.customFields, "f2")`, "C-0001"},
		{`customField(client, "Chain")`, "Indie"},
		{`customField(contact.nothing, "x")`, nil},
		{`tags(client.Tag)`, []any{"a", "b"}},
		{`tags(contact.tags, "territory:" + client.Territory, "VIP")`, []any{"Repsly, Inc", "territory:Boston", "vip"}},
		{`tags()`, []any{}},
		{`tags(nil, "")`, []any{}},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			if got := mustEval(t, tt.expr, in); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("%s = %#v, want %#v", tt.expr, got, tt.want)
			}
		})
	}
}
