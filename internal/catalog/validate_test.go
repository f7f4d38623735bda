package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

// TestInputErrorsNameTheField checks that bad input is refused with the
// field named, before anything is sent.
func TestInputErrorsNameTheField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, input, want string
	}{
		{"ghl.contact.get", `{}`, `missing required field "contactId"`},
		{"ghl.contact.get", `{"contactId":""}`, `field "contactId": minLength`},
		{"ghl.contact.get", `{"contactId":42}`, `field "contactId": got number, want string`},
		{"ghl.contact.create", `{"emali":"ada@example.com"}`, `unknown field "emali"`},
		{"ghl.contact.create", `{"tags":"vip"}`, `field "tags": got string, want array`},
		{"ghl.contact.update", `{"contactId":"c1","customFields":[{"key":"x"}]}`, `missing required field "customFields[0].field_value"`},
		{"ghl.task.create", `{"contactId":"c1","title":5,"dueDate":"2030-01-01T00:00:00Z"}`, `field "title": got number, want string`},
		{"ghl.task.create", `{"contactId":"c1","title":"t","dueDate":"tomorrow"}`, `field "dueDate"`},
		{"ghl.contact.find_duplicate", `{}`, `give at least one of "email", "phone"`},
		{"ghl.contact.find_or_create", `{"firstName":"Ada"}`, `give at least one of "email", "phone"`},
		{"ghl.appointment.list", `{"startTime":"2030-01-01T00:00:00Z","endTime":"2030-01-02T00:00:00Z"}`, `give at least one of "calendarId", "userId", "groupId"`},
		{"ghl.contact.search", `{"pageLimit":1000}`, `field "pageLimit": maximum`},
		{"repsly.client.upsert", `{"Code":"C-1"}`, `missing required field "Name"`},
		{"repsly.client.upsert_many", `{"Clients":[{"Code":"C-1","Name":7}]}`, `field "Clients[0].Name": got number, want string`},
		{"repsly.client.upsert_many", `{"Clients":[]}`, `field "Clients": minItems`},
		{"repsly.schedule.upsert", `{"ClientCode":"C","UserID":"R","ScheduledDate":5,"RepeatEveryWeeks":0}`, `field "ScheduledDate": got number, want string or null`},
		{"repsly.visit.schedule_for_contact", `{"contact":{},"RepresentativeCode":"R","Date":"2030-01-01"}`, `missing required field "contact.id"`},
		{"repsly.visit.schedule_for_contact", `{"contact":{"id":"c"},"RepresentativeCode":"R","Date":"2030-01-01","Time":"25:00"}`, `field "Time"`},
		{"repsly.client.list", `{"cursor":7}`, `field "cursor": got number, want string`},
		{"repsly.import.status", `{"ImportJobID":"12"}`, `field "ImportJobID": got string, want integer`},
		{"ghl.location.get", `{"x":1}`, `unknown field "x"`},
		{"ghl.contact.get", `{`, `input is not valid JSON`},
		{"ghl.contact.get", `[]`, `got array, want object`},
	}
	b := setup(t)
	for _, tt := range tests {
		e, err := testCatalog.Get(tt.id)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.Run(context.Background(), b.clients, string(e.App), json.RawMessage(tt.input))
		var ie *catalog.InputError
		if !errors.As(err, &ie) || !errors.Is(err, catalog.ErrInvalidInput) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %s: error %v, want an input error containing %q", tt.id, tt.input, err, tt.want)
		}
	}
	if n, m := b.ghlRequests(), b.repslyRequests(); n != 0 || m != 0 {
		t.Errorf("bad input sent %d HighLevel and %d Repsly requests, want none", n, m)
	}
}

// TestRequiredFieldsAreChecked runs every action with {} and expects each
// required field to be named, with nothing sent.
func TestRequiredFieldsAreChecked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	checked := 0
	for _, e := range testCatalog.Filter("", catalog.KindAction) {
		var schema struct {
			Required []string `json:"required"`
		}
		if err := json.Unmarshal(e.Input, &schema); err != nil {
			t.Fatal(err)
		}
		if len(schema.Required) == 0 {
			continue
		}
		checked++
		_, err := e.Run(context.Background(), b.clients, string(e.App), json.RawMessage(`{}`))
		if !errors.Is(err, catalog.ErrInvalidInput) {
			t.Errorf("%s with {}: %v, want an input error", e.ID, err)
			continue
		}
		for _, f := range schema.Required {
			if !strings.Contains(err.Error(), `"`+f+`"`) {
				t.Errorf("%s: %v does not name %q", e.ID, err, f)
			}
		}
	}
	if checked < 80 {
		t.Errorf("only %d actions have required fields", checked)
	}
	if n, m := b.ghlRequests(), b.repslyRequests(); n != 0 || m != 0 {
		t.Errorf("sent %d HighLevel and %d Repsly requests, want none", n, m)
	}
}

func TestScopesCheckedBeforeAnyRequest(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id      string
		granted []string
		input   string
		missing string // "" means allowed
	}{
		{"ghl.contact.create", []string{"contacts.readonly"}, `{"firstName":"Ada"}`, "contacts.write"},
		{"ghl.contact.get", []string{"contacts.readonly"}, `{"contactId":"{{contact}}"}`, ""},
		{"ghl.contact.get", []string{"contacts.write"}, `{"contactId":"{{contact}}"}`, ""},
		{"ghl.appointment.get", []string{"contacts.write"}, `{"eventId":"{{appointment}}"}`, "calendars/events.readonly"},
		{"ghl.location.custom_field.list", []string{"contacts.readonly", "locations.readonly"}, `{}`, "locations/customFields.readonly"},
		{"ghl.contact.note.add_by_email", []string{"contacts.readonly"}, `{"email":"ada@example.com","body":"x"}`, "contacts.write"},
		{"ghl.contact.create", nil, `{"firstName":"Ada"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.id+"/"+strings.Join(tt.granted, "+"), func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.clients.scopes = tt.granted
			e, _ := testCatalog.Get(tt.id)
			_, err := e.Run(context.Background(), b.clients, "ghl", json.RawMessage(b.expand(tt.input)))
			if tt.missing == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var ms *catalog.MissingScopeError
			if !errors.As(err, &ms) || ms.Scope != tt.missing || !errors.Is(err, catalog.ErrMissingScope) {
				t.Fatalf("error %v, want the missing scope %s", err, tt.missing)
			}
			if !strings.Contains(err.Error(), tt.missing) {
				t.Errorf("message %q does not name the scope", err)
			}
			if n := b.ghlRequests(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

func TestPollChecksScopes(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.clients.scopes = []string{"calendars/events.readonly"}
	e, _ := testCatalog.Get("ghl.contact.updated.poll")
	_, _, _, err := e.Poll(context.Background(), b.clients, "ghl", "")
	var ms *catalog.MissingScopeError
	if !errors.As(err, &ms) || ms.Scope != "contacts.readonly" {
		t.Fatalf("error %v, want contacts.readonly missing", err)
	}
	if b.ghlRequests() != 0 {
		t.Error("a request was sent")
	}
}

func TestWrongKind(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	trigger, _ := testCatalog.Get("ghl.contact.created")
	if _, err := trigger.Run(ctx, b.clients, "ghl", nil); !errors.Is(err, catalog.ErrWrongKind) {
		t.Errorf("Run on a webhook trigger: %v", err)
	}
	if _, _, _, err := trigger.Poll(ctx, b.clients, "ghl", ""); !errors.Is(err, catalog.ErrWrongKind) {
		t.Errorf("Poll on a webhook trigger: %v", err)
	}
	act, _ := testCatalog.Get("ghl.contact.get")
	if _, err := act.Decode([]byte(`{}`)); !errors.Is(err, catalog.ErrWrongKind) {
		t.Errorf("Decode on an action: %v", err)
	}
	if _, err := testCatalog.Get("ghl.nope"); !errors.Is(err, catalog.ErrUnknownEntry) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestDecodeRefusesOtherEvents(t *testing.T) {
	t.Parallel()
	e, _ := testCatalog.Get("ghl.contact.created")
	for _, body := range []string{
		`{"type":"NoteCreate","locationId":"l","id":"n1","body":"x"}`,
		`{"type":"ContactCreate","locationId":"l","id":7}`,
		`not json`,
		`{"id":"c1"}`,
	} {
		if _, err := e.Decode([]byte(body)); err == nil {
			t.Errorf("%s decoded", body)
		}
	}
	out, err := e.Decode([]byte(`{"type":"ContactCreate","locationId":"l","webhookId":"w1","timestamp":"2025-01-02T03:04:05.000Z","id":"c1","email":"a@b.example"}`))
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "contact id", str(t, out, "contact.id"), "c1")
	wantEq(t, "timestamp", str(t, out, "event.timestamp"), "2025-01-02T03:04:05Z")
}

func TestPollRefusesForeignCursors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for id, cursor := range map[string]string{
		"ghl.contact.updated.poll":      "id:5",
		"ghl.task.updated.poll":         "[1,2]",
		"repsly.client.updated":         "snap1:{}",
		"repsly.client.created":         "timestamp:5",
		"repsly.representative.updated": "timestamp:5",
	} {
		e, _ := testCatalog.Get(id)
		if _, _, _, err := e.Poll(context.Background(), b.clients, string(e.App), cursor); !errors.Is(err, catalog.ErrInvalidInput) {
			t.Errorf("%s with cursor %q: %v, want an input error", id, cursor, err)
		}
	}
	if b.ghlRequests() != 0 || b.repslyRequests() != 0 {
		t.Error("a foreign cursor was sent")
	}
}

func TestCatalogInvariants(t *testing.T) {
	t.Parallel()
	all := testCatalog.All()
	if len(all) < 126 {
		t.Errorf("%d entries, want at least 126", len(all))
	}
	for _, e := range all {
		switch {
		case !strings.HasPrefix(e.ID, string(e.App)+"."):
			t.Errorf("%s: id does not start with its app", e.ID)
		case e.Title == "" || len(e.Description) < 20:
			t.Errorf("%s: no title or description", e.ID)
		case e.Kind == catalog.KindTrigger && e.Mode == "":
			t.Errorf("%s: trigger without a mode", e.ID)
		case e.Kind == catalog.KindAction && e.Mode != "":
			t.Errorf("%s: action with a mode", e.ID)
		case e.Mode == catalog.ModeWebhook && e.Event == "":
			t.Errorf("%s: webhook trigger without an event", e.ID)
		case e.App == catalog.AppGHL && len(e.Scopes) == 0:
			t.Errorf("%s: HighLevel entry without scopes", e.ID)
		case e.App == catalog.AppRepsly && len(e.Scopes) != 0:
			t.Errorf("%s: Repsly has no scopes", e.ID)
		case e.Kind == catalog.KindAction && len(e.Operations) == 0:
			t.Errorf("%s: action calls nothing", e.ID)
		}
		for _, s := range [][]byte{e.Input, e.Output, e.Example} {
			if !json.Valid(s) {
				t.Errorf("%s: invalid JSON %s", e.ID, s)
			}
		}
		if _, err := e.Validate(e.Example); err != nil {
			t.Errorf("%s: its example does not validate: %v", e.ID, err)
		}
	}
	// Every Repsly delete-like action says how, and read-only objects say
	// they cannot be written.
	for _, id := range []string{"repsly.client.upsert", "repsly.client_note.list", "repsly.visit.list", "ghl.task.update"} {
		e, _ := testCatalog.Get(id)
		if !strings.Contains(e.Description, "no ") && !strings.Contains(e.Description, "cannot") {
			t.Errorf("%s does not say what the API cannot do: %s", id, e.Description)
		}
	}
	webhooks := testCatalog.Filter(catalog.AppGHL, catalog.KindTrigger)
	events := []string{}
	for _, e := range webhooks {
		events = append(events, e.Event)
	}
	for _, ev := range []string{"ContactCreate", "ContactUpdate", "ContactDelete", "ContactTagUpdate", "ContactDndUpdate",
		"NoteCreate", "NoteUpdate", "NoteDelete", "TaskCreate", "TaskComplete", "TaskDelete",
		"AppointmentCreate", "AppointmentUpdate", "AppointmentDelete"} {
		if !slices.Contains(events, ev) {
			t.Errorf("no webhook trigger for %s", ev)
		}
	}
}
