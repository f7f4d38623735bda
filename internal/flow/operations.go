package flow

import (
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

// Operations is what validation needs from the operations catalog. The
// composition root adapts the catalog to it; tests use a fake.
type Operations interface {
	// Lookup returns the operation with the id, if the catalog has it.
	Lookup(id string) (OperationInfo, bool)
}

// OperationLister is optionally implemented by an Operations to suggest a
// close id when one is unknown.
type OperationLister interface {
	IDs() []string
}

// OperationInfo describes one catalog operation.
type OperationInfo struct {
	// ID is the stable id, e.g. ghl.contact.create.
	ID string
	// App is "ghl" or "repsly".
	App string
	// Kind is "action" or "trigger".
	Kind string
	// Mode is "webhook" or "poll" for triggers.
	Mode string
	// Scopes are the OAuth scopes the operation needs.
	Scopes []string
	// Writes lists what the operation creates or changes, e.g.
	// ["repsly.client"]; validation refuses writes an API cannot make.
	Writes []string
	// Fields are the top-level input field names an action takes; when
	// set, an action's input may map no others.
	Fields []string
}

// Operation kinds and apps, as OperationInfo and ConnectionInfo give them.
const (
	OpAction  = "action"
	OpTrigger = "trigger"
	AppGHL    = "ghl"
	AppRepsly = "repsly"
)

// Connections tells validation which app a named connection is on and
// which scopes it was granted.
type Connections interface {
	Connection(name string) (ConnectionInfo, bool)
}

// ConnectionLister is optionally implemented by a Connections to suggest a
// close name when one is unknown.
type ConnectionLister interface {
	Names() []string
}

// ConnectionInfo describes one connection.
type ConnectionInfo struct {
	Name string
	App  string
	// Scopes are the granted scopes. Nil means they are not known (a
	// HighLevel private token added without --scopes) and are not checked.
	Scopes []string
}

// Options tune validation and compilation. The zero value checks what the
// flow says on its own: structure, expressions and what the APIs cannot do.
type Options struct {
	// Operations, when set, checks operation ids, kinds, apps and action
	// input fields against the catalog.
	Operations Operations
	// Connections, when set, checks that every connection exists, is on
	// the right app and has the scopes the flow needs.
	Connections Connections
	// Now is the clock behind now() in expressions (default time.Now).
	Now func() time.Time
	// Cache shares compiled expressions between flows.
	Cache *mapping.Cache
}
