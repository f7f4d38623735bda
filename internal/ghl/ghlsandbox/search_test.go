package ghlsandbox

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// searchFixture creates four contacts an hour apart: Ann, Bob, Cara, Dan.
func searchFixture(t *testing.T) (*bundle, time.Time) {
	b := setup(t)
	t0 := b.clock.Now()
	people := []Contact{
		{FirstName: "Ann", LastName: "Lee", Email: "Ann@alpha.example", Tags: []string{"vip", "north"}, City: "Austin",
			CompanyName: "Alpha Foods", CustomFields: []CustomFieldValue{{ID: cfVisits, Value: 5.0}}},
		{FirstName: "Bob", LastName: "Stone", Email: "bob@beta.example", Tags: []string{"north"}, City: "Denver", DND: true,
			CustomFields: []CustomFieldValue{{ID: cfVisits, Value: 12.0}}},
		{FirstName: "Cara", LastName: "Lee", Phone: "+12025550100", City: "Austin", CompanyName: "Gamma"},
		{FirstName: "Dan", LastName: "Park", Email: "dan@alpha.example", Tags: []string{"vip"},
			CustomFields: []CustomFieldValue{{ID: cfCode, Value: "C-9"}}},
	}
	for _, p := range people {
		p.LocationID = loc1
		if _, err := b.sb.UserCreateContact(p); err != nil {
			t.Fatal(err)
		}
		b.clock.Advance(time.Hour)
	}
	return b, t0
}

func names(r resp) []string {
	var out []string
	for _, c := range r.list("contacts") {
		out = append(out, c.(map[string]any)["firstName"].(string))
	}
	return out
}

func leaf(field, op string, value any) map[string]any {
	m := map[string]any{"field": field, "operator": op}
	if value != nil {
		m["value"] = value
	}
	return m
}

func TestSearchFilters(t *testing.T) {
	t.Parallel()
	b, t0 := searchFixture(t)
	ms := func(d time.Duration) int64 { return t0.Add(d).UnixMilli() }
	tests := []struct {
		name    string
		filters []any
		query   string
		want    []string // in the default order, newest first
	}{
		{"eq email ignores case", []any{leaf("email", "eq", "ann@ALPHA.example")}, "", []string{"Ann"}},
		{"eq tag", []any{leaf("tags", "eq", "vip")}, "", []string{"Dan", "Ann"}},
		{"eq any of tags", []any{leaf("tags", "eq", []string{"vip", "north"})}, "", []string{"Dan", "Bob", "Ann"}},
		{"not_eq tag", []any{leaf("tags", "not_eq", "vip")}, "", []string{"Cara", "Bob"}},
		{"contains", []any{leaf("email", "contains", "alpha")}, "", []string{"Dan", "Ann"}},
		{"not_contains", []any{leaf("companyName", "not_contains", "foods")}, "", []string{"Dan", "Cara", "Bob"}},
		{"exists", []any{leaf("email", "exists", nil)}, "", []string{"Dan", "Bob", "Ann"}},
		{"not_exists", []any{leaf("email", "not_exists", nil)}, "", []string{"Cara"}},
		{"range of dates", []any{leaf("dateAdded", "range", map[string]any{"gte": ms(time.Hour), "lt": ms(3 * time.Hour)})}, "", []string{"Cara", "Bob"}},
		{"range with ISO dates", []any{leaf("dateAdded", "range", map[string]any{"gt": t0.Add(2 * time.Hour).Format(time.RFC3339)})}, "", []string{"Dan"}},
		{"eq boolean", []any{leaf("dnd", "eq", true)}, "", []string{"Bob"}},
		{"OR group", []any{map[string]any{"group": "OR", "filters": []any{leaf("city", "eq", "Denver"), leaf("lastName", "eq", "lee")}}}, "", []string{"Cara", "Bob", "Ann"}},
		{"top level AND", []any{leaf("tags", "eq", "north"), leaf("dnd", "eq", false)}, "", []string{"Ann"}},
		{"nested groups", []any{map[string]any{"group": "AND", "filters": []any{
			leaf("city", "eq", "Austin"),
			map[string]any{"group": "OR", "filters": []any{leaf("firstName", "eq", "Cara"), leaf("tags", "eq", "vip")}},
		}}}, "", []string{"Cara", "Ann"}},
		{"custom field by key", []any{leaf("customFields.repsly_client_code", "eq", "C-9")}, "", []string{"Dan"}},
		{"custom field number range", []any{leaf("customFields."+cfVisits, "range", map[string]any{"gt": 10})}, "", []string{"Bob"}},
		{"phone in another format", []any{leaf("phone", "eq", "(202) 555-0100")}, "", []string{"Cara"}},
		{"full-text query", nil, "lee", []string{"Cara", "Ann"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := map[string]any{"locationId": loc1, "pageLimit": 100, "filters": tt.filters}
			if tt.query != "" {
				body["query"] = tt.query
			}
			r := b.api("POST", "/contacts/search", body).must(t, 200)
			if got := names(r); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if r.body["total"] != float64(len(tt.want)) {
				t.Errorf("total %v", r.body["total"])
			}
		})
	}
}

func TestSearchErrors(t *testing.T) {
	t.Parallel()
	b, _ := searchFixture(t)
	tests := []struct {
		name string
		body map[string]any
		want int
		msg  string
	}{
		{"unknown field", map[string]any{"locationId": loc1, "pageLimit": 10, "filters": []any{leaf("date_added", "eq", "x")}}, 400, "Invalid field date_added"},
		{"unknown operator", map[string]any{"locationId": loc1, "pageLimit": 10, "filters": []any{leaf("email", "like", "x")}}, 400, "Invalid operator like"},
		{"pageLimit over 500", map[string]any{"locationId": loc1, "pageLimit": 501}, 422, "pageLimit must not be greater than 500"},
		{"missing pageLimit", map[string]any{"locationId": loc1}, 422, "pageLimit should not be empty"},
		{"unknown property", map[string]any{"locationId": loc1, "pageLimit": 10, "limit": 10}, 422, "property limit should not exist"},
		{"beyond the page window", map[string]any{"locationId": loc1, "pageLimit": 500, "page": 21}, 400, ""},
		{"other location", map[string]any{"locationId": loc2, "pageLimit": 10}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := b.api("POST", "/contacts/search", tt.body).must(t, tt.want)
			got := fmt.Sprint(r.body["message"])
			if tt.want == 422 {
				got = strings.Join(r.messages(), "|")
			}
			if !strings.Contains(got, tt.msg) {
				t.Errorf("message %q, want %q", got, tt.msg)
			}
		})
	}
}

func TestSearchSortAndPaging(t *testing.T) {
	t.Parallel()
	b, _ := searchFixture(t)
	t.Run("pages", func(t *testing.T) {
		t.Parallel()
		r := b.api("POST", "/contacts/search", map[string]any{"locationId": loc1, "pageLimit": 2, "page": 2}).must(t, 200)
		if got := names(r); !slices.Equal(got, []string{"Bob", "Ann"}) || r.body["total"] != 4.0 {
			t.Errorf("page 2: %v total %v", got, r.body["total"])
		}
	})
	t.Run("searchAfter", func(t *testing.T) {
		t.Parallel()
		sort := []any{map[string]any{"field": "lastNameLowerCase", "direction": "asc"},
			map[string]any{"field": "dateUpdated", "direction": "desc"}}
		var got []string
		var after []any
		for range 10 {
			body := map[string]any{"locationId": loc1, "pageLimit": 1, "sort": sort}
			if after != nil {
				body["searchAfter"] = after
			}
			r := b.api("POST", "/contacts/search", body).must(t, 200)
			list := r.list("contacts")
			if len(list) == 0 {
				break
			}
			got = append(got, names(r)...)
			after = list[0].(map[string]any)["searchAfter"].([]any)
		}
		if want := []string{"Cara", "Ann", "Dan", "Bob"}; !slices.Equal(got, want) {
			t.Errorf("walked %v, want %v", got, want)
		}
	})
	t.Run("searchAfter of the wrong length", func(t *testing.T) {
		t.Parallel()
		b.api("POST", "/contacts/search", map[string]any{"locationId": loc1, "pageLimit": 1, "searchAfter": []any{1}}).must(t, 400)
	})
}

func TestListContactsDeprecated(t *testing.T) {
	t.Parallel()
	b, _ := searchFixture(t)
	var got []string
	q := "/contacts/?locationId=" + loc1 + "&limit=3"
	for range 5 {
		r := b.api("GET", q, nil).must(t, http.StatusOK)
		for _, c := range r.list("contacts") {
			got = append(got, c.(map[string]any)["firstName"].(string))
		}
		meta := r.obj("meta")
		if meta["total"] != 4.0 || r.body["count"] != 4.0 {
			t.Fatalf("meta %v", meta)
		}
		if meta["startAfterId"] == nil {
			break
		}
		q = fmt.Sprintf("/contacts/?locationId=%s&limit=3&startAfter=%.0f&startAfterId=%s", loc1, meta["startAfter"], meta["startAfterId"])
	}
	if want := []string{"Ann", "Bob", "Cara", "Dan"}; !slices.Equal(got, want) {
		t.Errorf("listed %v, want %v", got, want)
	}
	b.api("GET", "/contacts/?locationId="+loc1+"&limit=101", nil).must(t, 422)
}
