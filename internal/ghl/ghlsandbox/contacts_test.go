package ghlsandbox

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestAuthRules(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"firstName": "Ann"})
	tests := []struct {
		name, method, path, token, version string
		body                               any
		want                               int
		msg                                string
	}{
		{"no version header", "GET", "/contacts/" + id, tok1, "", nil, 401, "version header was not found."},
		{"unknown version", "GET", "/contacts/" + id, tok1, "2020-01-01", nil, 401, "version header is invalid"},
		{"calendar version on contacts", "GET", "/contacts/" + id, tok1, vCalendar, nil, 200, ""},
		{"sdk version", "GET", "/contacts/" + id, tok1, "2023-02-21", nil, 200, ""},
		{"no token", "GET", "/contacts/" + id, "", vContacts, nil, 401, "Invalid JWT"},
		{"unknown token", "GET", "/contacts/" + id, "nope", vContacts, nil, 401, "Invalid token: access token is invalid"},
		{"read-only token reads", "GET", "/contacts/" + id, tokRead, vContacts, nil, 200, ""},
		{"read-only token writes", "POST", "/contacts/", tokRead, vContacts, map[string]any{"locationId": loc1}, 401,
			"The token is not authorized for this scope."},
		{"read-only token reads calendars", "GET", "/contacts/" + id + "/appointments", tokRead, vContacts, nil, 200, ""},
		{"other location's contact", "GET", "/contacts/" + id, tok2, vContacts, nil, 403,
			"The token does not have access to this location."},
		{"create in other location", "POST", "/contacts/", tok1, vContacts, map[string]any{"locationId": loc2}, 403,
			"The token does not have access to this location."},
		{"unknown route", "GET", "/nope", tok1, vContacts, nil, 404, "Cannot GET /nope"},
		{"unknown method", "PATCH", "/contacts/" + id, tok1, vContacts, nil, 404, "Cannot PATCH /contacts/" + id},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := b.req(tt.method, tt.path, tt.token, tt.version, tt.body).must(t, tt.want)
			if tt.msg != "" && r.body["message"] != tt.msg {
				t.Errorf("message %q, want %q", r.body["message"], tt.msg)
			}
		})
	}
}

func TestCreateContact(t *testing.T) {
	t.Parallel()
	b := setup(t)
	r := b.api("POST", "/contacts/", map[string]any{
		"locationId": loc1, "firstName": "Maria", "lastName": "Garcia", "email": "Maria.Garcia@Example.com",
		"phone": "(202) 555-0143", "companyName": "Bright Market", "tags": []string{" VIP ", "vip", "Territory:North"},
		"customFields": []map[string]any{
			{"key": "repsly_client_code", "field_value": "C-17"},
			{"id": cfVisits, "field_value": 3},
			{"key": "no_such_field", "field_value": "ignored"},
		},
		"dateOfBirth": "1990-09-25", "dnd": false, "source": "api",
	}).must(t, http.StatusCreated)
	c := r.obj("contact")
	checks := map[string]any{
		"phone": "+12025550143", "email": "Maria.Garcia@Example.com", "emailLowerCase": "maria.garcia@example.com",
		"firstNameLowerCase": "maria", "fullNameLowerCase": "maria garcia", "type": "lead",
		"dateAdded": "2026-03-02T14:00:00.000Z", "dateOfBirth": "1990-09-25T00:00:00.000Z",
		"locationId": loc1, "deleted": false, "birthMonth": 8.0,
	}
	for k, want := range checks {
		if c[k] != want {
			t.Errorf("%s = %v, want %v", k, c[k], want)
		}
	}
	if got := c["tags"].([]any); len(got) != 2 || got[0] != "vip" || got[1] != "territory:north" {
		t.Errorf("tags = %v, want [vip territory:north]", got)
	}
	if got := c["customFields"].([]any); len(got) != 2 {
		t.Errorf("customFields = %v, want two values", got)
	}
	if _, ok := r.body["traceId"]; !ok {
		t.Error("no traceId")
	}
	if tags := b.sb.LocationTags(loc1); len(tags) != 2 {
		t.Errorf("location tags = %v, want the two new tags", tags)
	}
}

func TestValidation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"email": "a@example.com"})
	tests := []struct {
		name, method, path string
		body               any
		want               int
		msgs               []string
	}{
		{"unknown property", "POST", "/contacts/", map[string]any{"locationId": loc1, "foo": 1}, 422,
			[]string{"property foo should not exist"}},
		{"locationId on update", "PUT", "/contacts/" + id, map[string]any{"locationId": loc1}, 422,
			[]string{"property locationId should not exist"}},
		{"companyName on update", "PUT", "/contacts/" + id, map[string]any{"companyName": "X"}, 422,
			[]string{"property companyName should not exist"}},
		{"additionalPhones on create", "POST", "/contacts/", map[string]any{"locationId": loc1, "additionalPhones": []string{"+12025550100"}}, 422,
			[]string{"property additionalPhones should not exist"}},
		{"missing locationId", "POST", "/contacts/", map[string]any{"firstName": "A"}, 422,
			[]string{"locationId should not be empty", "locationId must be a string"}},
		{"bad email", "POST", "/contacts/", map[string]any{"locationId": loc1, "email": "nope"}, 422,
			[]string{"email must be an email"}},
		{"tags not strings", "PUT", "/contacts/" + id, map[string]any{"tags": []any{1}}, 422,
			[]string{"each value in tags must be a string"}},
		{"dnd not boolean", "PUT", "/contacts/" + id, map[string]any{"dnd": "yes"}, 422,
			[]string{"dnd must be a boolean value"}},
		{"bad dnd status", "PUT", "/contacts/" + id, map[string]any{"dndSettings": map[string]any{"SMS": map[string]any{"status": "off"}}}, 422,
			[]string{"dndSettings.SMS.status must be one of the following values: active, inactive, permanent"}},
		{"locationId on note", "POST", "/contacts/" + id + "/notes", map[string]any{"body": "x", "locationId": loc1}, 422,
			[]string{"property locationId should not exist"}},
		{"task without title", "POST", "/contacts/" + id + "/tasks", map[string]any{"dueDate": "2026-03-03T10:00:00Z", "completed": false}, 422,
			[]string{"title should not be empty", "title must be a string"}},
		{"task bad due date", "POST", "/contacts/" + id + "/tasks", map[string]any{"title": "t", "dueDate": "soon", "completed": false}, 422,
			[]string{"dueDate must be a valid ISO 8601 date string"}},
		{"invalid JSON", "POST", "/contacts/", `{"locationId":`, 400, nil},
		{"unknown contact", "GET", "/contacts/nosuchcontact", nil, 400, nil},
		{"unknown contact update", "PUT", "/contacts/nosuchcontact", map[string]any{"firstName": "A"}, 400, nil},
		{"unknown contact tasks", "GET", "/contacts/nosuchcontact/tasks", nil, 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := b.api(tt.method, tt.path, tt.body).must(t, tt.want)
			if tt.msgs != nil && !slices.Equal(r.messages(), tt.msgs) {
				t.Errorf("messages %q, want %q", r.messages(), tt.msgs)
			}
			if tt.want == 422 && r.body["error"] != "Unprocessable Entity" {
				t.Errorf("error %v", r.body["error"])
			}
		})
	}
	if r := b.api("GET", "/contacts/nosuchcontact", nil); r.body["message"] != "Contact with id nosuchcontact not found" {
		t.Errorf("unknown id message %v", r.body["message"])
	}
}

func TestDuplicateContacts(t *testing.T) {
	t.Parallel()
	b := setup(t)
	first := b.createContact(map[string]any{"firstName": "Ann", "lastName": "Lee", "email": "ann@example.com", "phone": "+12025550143"})
	tests := []struct {
		name  string
		body  map[string]any
		field string
	}{
		{"same email other case", map[string]any{"email": "ANN@example.com"}, "email"},
		{"same phone other format", map[string]any{"phone": "(202) 555-0143"}, "phone"},
		{"email wins over phone", map[string]any{"email": "ann@example.com", "phone": "+12025550143"}, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := map[string]any{"locationId": loc1}
			for k, v := range tt.body {
				body[k] = v
			}
			r := b.api("POST", "/contacts/", body).must(t, 400)
			meta := r.obj("meta")
			if r.body["message"] != "This location does not allow duplicated contacts." ||
				meta["contactId"] != first || meta["matchingField"] != tt.field || meta["contactName"] != "Ann Lee" {
				t.Errorf("body %s", r.raw)
			}
		})
	}
	t.Run("update onto a taken email", func(t *testing.T) {
		t.Parallel()
		other := b.createContact(map[string]any{"email": "bob@example.com"})
		b.api("PUT", "/contacts/"+other, map[string]any{"email": "ann@example.com"}).must(t, 400)
	})
	t.Run("location allowing duplicates", func(t *testing.T) {
		t.Parallel()
		for range 2 {
			b.req("POST", "/contacts/", tok2, vContacts, map[string]any{"locationId": loc2, "email": "ann@example.com"}).must(t, 201)
		}
	})
}

func TestAllowDuplicateToggle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.createContact(map[string]any{"email": "ann@example.com"})
	if err := b.sb.SetAllowDuplicateContact(loc1, true); err != nil {
		t.Fatal(err)
	}
	b.createContact(map[string]any{"email": "ann@example.com"})
	r := b.api("GET", "/locations/"+loc1, nil).must(t, 200)
	if r.obj("location")["settings"].(map[string]any)["allowDuplicateContact"] != true {
		t.Errorf("settings %s", r.raw)
	}
}

func TestUpsert(t *testing.T) {
	t.Parallel()
	// fixture: Ann by email and Bob by phone in loc1, a contact in loc2.
	fixture := func(t *testing.T) (b *bundle, ann, bob string) {
		b = setup(t)
		ann = b.createContact(map[string]any{"email": "ann@example.com", "firstName": "Ann"})
		bob = b.createContact(map[string]any{"phone": "+12025550199", "firstName": "Bob"})
		b.req("POST", "/contacts/", tok2, vContacts, map[string]any{"locationId": loc2, "email": "x@example.com"}).must(t, 201)
		return b, ann, bob
	}
	tests := []struct {
		name    string
		token   string
		body    map[string]any
		wantNew bool
		want    string // "ann", "bob" or "" (a new contact)
	}{
		{"new contact", tok1, map[string]any{"locationId": loc1, "email": "new@example.com"}, true, ""},
		{"match by email", tok1, map[string]any{"locationId": loc1, "email": "ANN@example.com", "lastName": "Lee"}, false, "ann"},
		{"match by phone", tok1, map[string]any{"locationId": loc1, "phone": "202-555-0199", "city": "Austin"}, false, "bob"},
		{"email beats phone", tok1, map[string]any{"locationId": loc1, "email": "ann@example.com", "phone": "+12025550199"}, false, "ann"},
		{"createNew ignored without duplicates", tok1, map[string]any{"locationId": loc1, "email": "ann@example.com", "createNewIfDuplicateAllowed": true}, false, "ann"},
		{"match with duplicates allowed", tok2, map[string]any{"locationId": loc2, "email": "x@example.com"}, false, ""},
		{"createNew with duplicates allowed", tok2, map[string]any{"locationId": loc2, "email": "x@example.com", "createNewIfDuplicateAllowed": true}, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, ann, bob := fixture(t)
			before := len(b.sb.Contacts())
			r := b.req("POST", "/contacts/upsert", tt.token, vContacts, tt.body).must(t, 200)
			if r.body["new"] != tt.wantNew {
				t.Errorf("new = %v, want %v", r.body["new"], tt.wantNew)
			}
			id := r.obj("contact")["id"]
			if want := map[string]string{"ann": ann, "bob": bob}[tt.want]; want != "" && id != want {
				t.Errorf("updated %v, want %v", id, want)
			}
			wantCount := before
			if tt.wantNew {
				wantCount++
			}
			if n := len(b.sb.Contacts()); n != wantCount {
				t.Errorf("%d contacts, want %d", n, wantCount)
			}
			if tt.want == "ann" && tt.body["lastName"] != nil {
				if c, _ := b.sb.Contact(ann); c.LastName != "Lee" || c.FirstName != "Ann" {
					t.Errorf("upsert did not merge: %+v", c)
				}
			}
		})
	}
}

func TestUpdateContactAndEvents(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"firstName": "Ann", "tags": []string{"a", "b"},
		"customFields": []map[string]any{{"id": cfCode, "field_value": "C-1"}}})
	b.clock.Advance(time.Minute)
	r := b.api("PUT", "/contacts/"+id, map[string]any{
		"lastName": "Lee", "tags": []string{"c"},
		"customFields": []map[string]any{{"id": cfVisits, "field_value": 5}},
		"dndSettings":  map[string]any{"SMS": map[string]any{"status": "active", "message": "asked"}},
	}).must(t, 200)
	c := r.obj("contact")
	if r.body["succeded"] != true || c["lastName"] != "Lee" || c["firstName"] != "Ann" {
		t.Errorf("body %s", r.raw)
	}
	if tags := c["tags"].([]any); len(tags) != 1 || tags[0] != "c" {
		t.Errorf("tags %v: PUT tags must overwrite", tags)
	}
	if cfs := c["customFields"].([]any); len(cfs) != 2 {
		t.Errorf("customFields %v: must merge by id", cfs)
	}
	if c["dateUpdated"] != "2026-03-02T14:01:00.000Z" || c["dateAdded"] != "2026-03-02T14:00:00.000Z" {
		t.Errorf("dates %v %v", c["dateAdded"], c["dateUpdated"])
	}
	b.api("POST", "/contacts/"+id+"/tags", map[string]any{"tags": []string{"c"}}).must(t, 201) // no change
	b.api("DELETE", "/contacts/"+id, nil).must(t, 200)
	b.api("GET", "/contacts/"+id, nil).must(t, 400)
	want := []string{"ContactCreate", "ContactUpdate", "ContactTagUpdate", "ContactDndUpdate", "ContactDelete"}
	if got := eventTypes(b.sb.Events()); !slices.Equal(got, want) {
		t.Errorf("events %v, want %v", got, want)
	}
}

func TestTagEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"tags": []string{"a"}})
	r := b.api("POST", "/contacts/"+id+"/tags", map[string]any{"tags": []string{"B", "c"}}).must(t, 201)
	if got := r.list("tags"); len(got) != 3 {
		t.Errorf("after add: %v", got)
	}
	r = b.api("DELETE", "/contacts/"+id+"/tags", map[string]any{"tags": []string{"a"}}).must(t, 200)
	if got := r.list("tags"); len(got) != 2 || got[0] != "b" {
		t.Errorf("after remove: %v", got)
	}
	other := b.createContact(nil)
	r = b.api("POST", "/contacts/bulk/tags/update/add", map[string]any{
		"contacts": []string{id, other, "missing"}, "tags": []string{"bulk"}, "locationId": loc1}).must(t, 201)
	if r.body["errorCount"] != 1.0 || len(r.list("responses")) != 3 {
		t.Errorf("bulk add %s", r.raw)
	}
	b.api("POST", "/contacts/bulk/tags/update/remove", map[string]any{
		"contacts": []string{id}, "tags": []string{}, "locationId": loc1, "removeAllTags": true}).must(t, 201)
	if c, _ := b.sb.Contact(id); len(c.Tags) != 0 {
		t.Errorf("removeAllTags left %v", c.Tags)
	}
	b.api("POST", "/contacts/bulk/tags/update/toggle", map[string]any{
		"contacts": []string{id}, "tags": []string{"x"}, "locationId": loc1}).must(t, 422)
	r = b.req("GET", "/locations/"+loc1+"/tags", tok1, vContacts, nil).must(t, 200)
	if len(r.list("tags")) != 4 {
		t.Errorf("location tags %s", r.raw)
	}
	tagID := r.list("tags")[0].(map[string]any)["id"].(string)
	b.api("GET", "/locations/"+loc1+"/tags/"+tagID, nil).must(t, 200)
	b.api("POST", "/locations/"+loc1+"/tags", map[string]any{"name": "Fresh"}).must(t, 200)
}

// A filtered search's total is cached per version of the contacts; the
// endpoints that change a contact in place must move the version on too.
func TestFilteredTotalFollowsInPlaceChanges(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"email": "f@example.com"})
	b.createContact(map[string]any{"email": "g@example.com"})
	total := func(field, value string) float64 {
		t.Helper()
		r := b.api("POST", "/contacts/search", map[string]any{"locationId": loc1, "pageLimit": 10,
			"filters": []any{leaf(field, "eq", value)}}).must(t, 200)
		n, _ := r.body["total"].(float64)
		return n
	}
	if n := total("followers", "u1"); n != 0 {
		t.Fatalf("%v contacts followed by u1 before any follows", n)
	}
	b.api("POST", "/contacts/"+id+"/followers", map[string]any{"followers": []string{"u1"}}).must(t, 201)
	if n := total("followers", "u1"); n != 1 {
		t.Fatalf("%v contacts followed by u1 after a follow, want 1", n)
	}
	if n := total("businessId", "biz1"); n != 0 {
		t.Fatalf("%v contacts in biz1 before", n)
	}
	b.api("POST", "/contacts/bulk/business", map[string]any{"locationId": loc1, "ids": []string{id}, "businessId": "biz1"}).must(t, 200)
	if n := total("businessId", "biz1"); n != 1 {
		t.Fatalf("%v contacts in biz1 after the bulk change, want 1", n)
	}
}

func TestMembershipEndpoints(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"email": "m@example.com"})
	p := "/contacts/" + id
	b.api("POST", p+"/followers", map[string]any{"followers": []string{"u1", "u2"}}).must(t, 201)
	if r := b.api("DELETE", p+"/followers", map[string]any{"followers": []string{"u1"}}).must(t, 200); len(r.list("followers")) != 1 {
		t.Errorf("followers %s", r.raw)
	}
	b.api("POST", p+"/campaigns/camp1", map[string]any{}).must(t, 201)
	b.api("DELETE", p+"/campaigns/camp1", nil).must(t, 200)
	b.api("DELETE", p+"/campaigns/removeAll", nil).must(t, 200)
	b.api("POST", p+"/workflow/wf1", map[string]any{"eventStartTime": "2026-03-03T10:00:00+01:00"}).must(t, 200)
	b.api("DELETE", p+"/workflow/wf1", map[string]any{}).must(t, 200)
	biz := "6348240b98722079e5417332"
	b.api("POST", "/contacts/bulk/business", map[string]any{"locationId": loc1, "ids": []string{id}, "businessId": biz}).must(t, 200)
	r := b.api("GET", "/contacts/business/"+biz+"?locationId="+loc1+"&limit=10", nil).must(t, 200)
	if r.body["count"] != 1.0 {
		t.Errorf("by business %s", r.raw)
	}
	b.api("POST", "/contacts/bulk/business", map[string]any{"locationId": loc1, "ids": []string{id}, "businessId": nil}).must(t, 200)
	if c, _ := b.sb.Contact(id); c.BusinessID != "" {
		t.Errorf("business not removed: %q", c.BusinessID)
	}
}

func TestDuplicateSearchEndpoint(t *testing.T) {
	t.Parallel()
	b := setup(t)
	id := b.createContact(map[string]any{"email": "dup@example.com", "phone": "+12025550111"})
	tests := []struct {
		query string
		want  any
	}{
		{"&email=DUP%40example.com", id},
		{"&number=%2B12025550111", id},
		{"&email=none%40example.com", nil},
	}
	for _, tt := range tests {
		r := b.api("GET", "/contacts/search/duplicate?locationId="+loc1+tt.query, nil).must(t, 200)
		got := any(nil)
		if c := r.obj("contact"); c != nil {
			got = c["id"]
		}
		if got != tt.want {
			t.Errorf("%s: contact %v, want %v", tt.query, got, tt.want)
		}
	}
	r := b.api("GET", "/contacts/search/duplicate?locationId="+loc1, nil).must(t, 400)
	if !strings.Contains(r.body["message"].(string), "number, email") {
		t.Errorf("message %v", r.body["message"])
	}
}
