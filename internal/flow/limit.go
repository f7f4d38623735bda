package flow

import (
	"slices"
	"strings"
)

// What each API cannot do. A flow that asks for one of these is refused
// when it is saved, with a sentence that says why and what to do instead,
// rather than failing on every run (DESIGN: "What each API allows").

const (
	msgRepslyNote = "Repsly's API cannot create or change client notes: it has no import for them. " +
		"Write the note to the HighLevel contact instead (ghl.note.create), " +
		"or plan a visit whose VisitNote carries the text (a Repsly visit schedule)."
	msgRepslyVisit = "Repsly's API cannot create or change visits: reps record them in the app and there is no import for them. " +
		"To plan a visit, create a Repsly visit schedule (ScheduledDate, UserID = the rep's code); " +
		"to keep a record of it, write a HighLevel note."
	msgRepslyClientDelete = "Repsly's API cannot delete clients: there is no delete. " +
		"Deactivate the client instead by importing it with Active: false (upsert the client by its Code)."
	msgRepslyDelete = "Repsly's API deletes nothing. " +
		"Import the record with Active: false instead (that deactivates a client or product and removes a visit schedule)."
	msgGHLTaskUpdated = "HighLevel sends no webhook when a task changes (its task events are TaskCreate, TaskComplete and TaskDelete). " +
		"Use the poll trigger for changed tasks (mode: poll), or a task-completed trigger if completion is what matters."
	msgRepslyWebhook = "Repsly has no webhooks: every Repsly trigger polls. " +
		"Remove mode: webhook (poll_interval sets how often it polls)."
)

// writeVerbs start the last part of an operation id that writes.
var writeVerbs = []string{"create", "update", "upsert", "import", "add", "write", "set", "edit", "put", "patch", "save", "log", "record"}

// deleteVerbs start the last part of an operation id that deletes.
var deleteVerbs = []string{"delete", "remove", "destroy", "purge"}

// splitID splits an operation id into app, object and the rest (the verb
// or event, which may itself hold dots).
func splitID(id string) (app, object, verb string) {
	parts := strings.SplitN(id, ".", 3)
	switch len(parts) {
	case 3:
		return parts[0], parts[1], parts[2]
	case 2:
		return parts[0], parts[1], ""
	}
	return id, "", ""
}

// objectOf returns the object of an operation id (repsly.client.updated ->
// client), "" when the id has no object part.
func objectOf(id string) string {
	_, object, _ := splitID(id)
	return object
}

// normObject folds the spellings of an object name: client_note,
// clientNote and clientnotes all become clientnote.
func normObject(s string) string {
	s = strings.ToLower(strings.NewReplacer("_", "", "-", "").Replace(s))
	return strings.TrimSuffix(s, "s")
}

func hasVerb(verb string, verbs []string) bool {
	verb = strings.ToLower(verb)
	return slices.ContainsFunc(verbs, func(v string) bool { return strings.HasPrefix(verb, v) })
}

// actionLimit returns why the API behind an action cannot do what it asks,
// or "". It looks at the id (the catalog never lists what an API cannot do,
// so the id is all there is for the usual mistakes) and at what the
// catalog says the operation writes.
func actionLimit(id string, info OperationInfo) string {
	app, object, verb := splitID(id)
	if app == AppRepsly {
		obj := normObject(object)
		switch {
		case hasVerb(verb, writeVerbs) && (obj == "clientnote" || obj == "note"):
			return msgRepslyNote
		case hasVerb(verb, writeVerbs) && obj == "visit":
			return msgRepslyVisit
		case hasVerb(verb, deleteVerbs) && obj == "client":
			return msgRepslyClientDelete
		case hasVerb(verb, deleteVerbs):
			return msgRepslyDelete
		}
	}
	for _, w := range info.Writes {
		wapp, wobj, _ := splitID(w)
		if wapp != AppRepsly {
			continue
		}
		switch normObject(wobj) {
		case "clientnote", "note":
			return msgRepslyNote
		case "visit":
			return msgRepslyVisit
		}
	}
	return ""
}

// triggerLimit returns why a trigger cannot exist, or "". mode is what the
// flow asks for ("" = the operation's own); info and known come from the
// catalog when there is one.
func triggerLimit(id, mode string, info OperationInfo, known bool) string {
	app, object, event := splitID(id)
	effective := mode
	if effective == "" && known {
		effective = info.Mode
	}
	if app == AppRepsly && effective == ModeWebhook {
		return msgRepslyWebhook
	}
	if app == AppGHL && normObject(object) == "task" &&
		slices.Contains([]string{"updated", "update", "changed", "edited", "modified"}, strings.ToLower(event)) {
		// A poll trigger on changed tasks is fine; a webhook one cannot
		// exist, and an id the catalog does not know is taken as a webhook
		// because that is what users mean when they ask for it.
		if effective == ModeWebhook || (!known && effective != ModePoll) {
			return msgGHLTaskUpdated
		}
	}
	return ""
}
