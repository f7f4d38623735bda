package flow_test

import (
	"context"
	"fmt"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

func ExampleParse() {
	src := `name: notes
trigger:
  operation: repsly.client_note.created
  connection: repsly
  as: note
steps:
  - id: contact
    lookup: {object: ghl.contact, connection: ghl, by: emial, value: lower(note.Email)}
  - id: copy
    action:
      operation: repsly.client_note.create
      connection: repsly
      input: {Note: upper(nte.Note)}
`
	_, err := flow.Parse([]byte(src))
	fmt.Print(err.(flow.Errors).Format("notes.yaml"))
	// Output:
	// notes.yaml:8:56: steps[0].lookup.by: ghl.contact cannot be found by "emial" (did you mean "email"?); use "id", "email", "phone" or "customFields.<key>"
	// notes.yaml:11:18: steps[1].action.operation: Repsly's API cannot create or change client notes: it has no import for them. Write the note to the HighLevel contact instead (ghl.note.create), or plan a visit whose VisitNote carries the text (a Repsly visit schedule).
	// notes.yaml:13:27: steps[1].action.input.Note: unknown name nte (did you mean "note"?); here expressions can read "note" or "contact"
}

func ExampleProgram_RunTests() {
	src := `name: client-to-contact
trigger: {operation: repsly.client.updated, connection: repsly}
steps:
  - id: contact
    map:
      email: lower(trim(client.Email))
      firstName: firstName(client.ContactName)
      phone: e164(client.Phone, client.Country)
tests:
  - name: fields are cleaned up
    input:
      client: {Email: " Bo@Example.com", ContactName: Bo Chan, Phone: 617-555-0100, Country: USA}
    expect:
      contact: {email: bo@example.com, firstName: Bo, phone: "+16175550100"}
  - name: a wrong expectation
    input:
      client: {Email: x@y.z}
    expect:
      contact: {email: X@Y.Z}
`
	p, err := flow.Load([]byte(src), flow.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, r := range p.RunTests(context.Background()) {
		fmt.Println(r.Name, r.Passed, r.Diffs)
	}
	// Output:
	// fields are cleaned up true []
	// a wrong expectation false [contact.email: want "X@Y.Z", got "x@y.z" contact.firstName: want nothing, got "" contact.phone: want nothing, got ""]
}
