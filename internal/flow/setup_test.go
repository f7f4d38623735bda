package flow_test

import (
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// testNow is the clock of every test flow.
func testNow() time.Time { return time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC) }

// fakeOps is a catalog with the operations the tests and templates use.
// Action input fields come from the JSON names of the real request types,
// so a template that maps a field the API does not take fails its test.
type fakeOps map[string]flow.OperationInfo

func (o fakeOps) Lookup(id string) (flow.OperationInfo, bool) {
	info, ok := o[id]
	return info, ok
}

func (o fakeOps) IDs() []string { return slices.Sorted(maps.Keys(o)) }

// jsonFields returns the JSON names of a struct type's fields, following
// embedded structs.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

func fieldsOf[T any](extra ...string) []string {
	return append(jsonFields(reflect.TypeFor[T]()), extra...)
}

const (
	contactsRead  = "contacts.readonly"
	contactsWrite = "contacts.write"
	eventsRead    = "calendars/events.readonly"
	eventsWrite   = "calendars/events.write"
)

func newFakeOps() fakeOps {
	ops := fakeOps{}
	trigger := func(id, mode string, scopes ...string) {
		app, _, _ := strings.Cut(id, ".")
		ops[id] = flow.OperationInfo{ID: id, App: app, Kind: flow.OpTrigger, Mode: mode, Scopes: scopes}
	}
	action := func(id string, fields []string, writes []string, scopes ...string) {
		app, _, _ := strings.Cut(id, ".")
		ops[id] = flow.OperationInfo{ID: id, App: app, Kind: flow.OpAction, Scopes: scopes, Fields: fields, Writes: writes}
	}
	for _, id := range []string{"repsly.client.updated", "repsly.client.created", "repsly.client_note.created", "repsly.visit.ended",
		"repsly.visit.created", "repsly.schedule.changed", "repsly.purchase_order.created", "repsly.form.created"} {
		trigger(id, flow.ModePoll)
	}
	trigger("ghl.contact.created", flow.ModeWebhook, contactsRead)
	trigger("ghl.contact.tags_updated", flow.ModeWebhook, contactsRead)
	trigger("ghl.task.created", flow.ModeWebhook, contactsRead)
	trigger("ghl.task.updated.poll", flow.ModePoll, contactsRead)
	trigger("ghl.appointment.created", flow.ModeWebhook, eventsRead)

	action("ghl.contact.upsert", fieldsOf[ghl.UpsertContactRequest]("clear"), []string{"ghl.contact"}, contactsWrite)
	action("ghl.contact.update", fieldsOf[ghl.ContactFields]("contactId", "clear"), []string{"ghl.contact"}, contactsWrite)
	action("ghl.contact.delete", []string{"contactId"}, []string{"ghl.contact"}, contactsWrite)
	action("ghl.contact.tag.add", []string{"contactId", "tags"}, []string{"ghl.contact"}, contactsWrite)
	action("ghl.contact.tag.remove", []string{"contactId", "tags"}, []string{"ghl.contact"}, contactsWrite)
	action("ghl.contact.custom_field.set", []string{"contactId", "field", "value"}, []string{"ghl.contact"}, contactsWrite)
	action("ghl.note.create", fieldsOf[ghl.NoteRequest]("contactId"), []string{"ghl.note"}, contactsWrite)
	action("ghl.task.create", fieldsOf[ghl.CreateTaskRequest]("contactId"), []string{"ghl.task"}, contactsWrite)
	action("ghl.appointment.create", fieldsOf[ghl.CreateAppointmentRequest](), []string{"ghl.appointment"}, eventsWrite)
	action("repsly.client.upsert", fieldsOf[repsly.ClientImport](), []string{"repsly.client"})
	action("repsly.schedule.upsert", fieldsOf[repsly.ScheduleImport](), []string{"repsly.schedule"})
	return ops
}

// fakeConns holds connections by name.
type fakeConns map[string]flow.ConnectionInfo

func (c fakeConns) Connection(name string) (flow.ConnectionInfo, bool) {
	ci, ok := c[name]
	return ci, ok
}

func (c fakeConns) Names() []string { return slices.Sorted(maps.Keys(c)) }

func newFakeConns() fakeConns {
	return fakeConns{
		"repsly": {Name: "repsly", App: flow.AppRepsly},
		"ghl": {Name: "ghl", App: flow.AppGHL, Scopes: []string{contactsRead, contactsWrite, eventsRead, eventsWrite,
			"locations.readonly"}},
		"ghl-readonly": {Name: "ghl-readonly", App: flow.AppGHL, Scopes: []string{contactsRead}},
	}
}

// fullOptions validates against the fake catalog and connections.
func fullOptions() flow.Options {
	return flow.Options{Operations: newFakeOps(), Connections: newFakeConns(), Now: testNow}
}

// errorsOf returns err as flow.Errors, failing the test otherwise.
func errorsOf(t *testing.T, err error) flow.Errors {
	t.Helper()
	errs, ok := err.(flow.Errors)
	if !ok {
		t.Fatalf("error %v (%T) is not flow.Errors", err, err)
	}
	return errs
}
