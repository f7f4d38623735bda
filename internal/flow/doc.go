// Package flow reads, validates, tests and runs flows: what users write to
// say what should happen between Repsly and HighLevel, without Go.
//
// A flow is either an automation (a catalog trigger followed by steps) or a
// record sync (one sync step the sync engine runs). Both are written in
// YAML:
//
//	name: client-notes-to-contact
//	trigger:
//	  operation: repsly.client_note.created   # a catalog trigger id
//	  connection: repsly                      # a connection name
//	  as: note                                # the record's name in expressions
//	  poll_interval: 5m
//	steps:
//	  - filter: note.Note != ""               # stop unless true
//	  - id: contact                           # find a record
//	    lookup: {object: ghl.contact, connection: ghl, by: customFields.repsly_client_code, value: note.ClientCode, required: true}
//	  - id: created                           # run a catalog action
//	    action:
//	      operation: ghl.note.create
//	      connection: ghl
//	      input:                              # target field: source path or expression
//	        contactId: contact.id
//	        body: '"Note by " + note.RepresentativeName + ": " + note.Note'
//	tests:
//	  - name: a note becomes a contact note
//	    input: {note: {Note: hi, RepresentativeName: Ana}, contact: {id: c1}}
//	    expect: {created: {contactId: c1, body: "Note by Ana: hi"}}
//
// Steps are filter (an expression that must be true), lookup (find one
// record by a key), map (compute a record), action (any catalog action with
// a mapped input) and sync (the settings of a two-way or one-way record
// sync: the two sides, a mapping each way, match keys, conflict policy and
// what a deactivated Repsly client becomes). Any step but a filter may have
// a `when` condition that skips it. Field maps and expressions are those of
// package mapping.
//
// [Parse] and [Load] report every problem at once as [Errors], each with
// its YAML line and column and the field path (steps[2].map.email).
// Validation also refuses what the APIs cannot do (writing Repsly client
// notes or visits, deleting a Repsly client, a HighLevel task-updated
// webhook), and, given [Options], unknown catalog operations and
// connections that lack a needed scope. [Program.RunTests] runs the test
// cases written in the flow; [Program.Run] runs an automation through an
// [Executor]; [Program.MapSync] maps a record for the sync engine.
//
// Records are what the catalog's triggers yield: a Repsly trigger yields the
// export row (client.Code, note.Note), a HighLevel webhook trigger yields
// {event: {...}, <object>: {...}}, so its templates name the record event
// (event.contact.email). In expressions a missing field is nil, and nil is
// not "": test text with trim(x) != "" or default(x, "") != "". In YAML, a
// value holding ": " (as in a ? b : c) must be quoted or written after >-.
//
// Templates (see [Templates]) are flows for the usual jobs, embedded in the
// binary, each with its own tests and ${param} settings.
package flow
