package catalog

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// App names the service an entry talks to.
type App string

// Apps.
const (
	AppGHL    App = "ghl"
	AppRepsly App = "repsly"
)

// Kind says whether an entry is called (action) or yields records (trigger).
type Kind string

// Kinds.
const (
	KindAction  Kind = "action"
	KindTrigger Kind = "trigger"
)

// Mode says how a trigger learns of records.
type Mode string

// Trigger modes; actions have none.
const (
	// ModeWebhook: HighLevel posts the event; Decode turns the delivered
	// body into the record.
	ModeWebhook Mode = "webhook"
	// ModePoll: Poll fetches the records after a persisted cursor.
	ModePoll Mode = "poll"
)

// Clients hands out API clients for named connections. The catalog does not
// import the connection service (it sits above the catalog); the
// composition root adapts it.
type Clients interface {
	// GHL returns the HighLevel client of a connection and the scopes the
	// connection was granted; nil scopes mean unknown (not checked).
	GHL(ctx context.Context, connection string) (*ghl.Client, []string, error)
	// Repsly returns the Repsly client of a connection.
	Repsly(ctx context.Context, connection string) (*repsly.Client, error)
}

// Entry is one operation of the catalog. Its fields describe it; Run, Poll
// and Decode execute it.
type Entry struct {
	// ID is stable and dotted: app.object.verb, e.g. "ghl.contact.create";
	// poll triggers that shadow a webhook end in ".poll".
	ID string `json:"id"`
	// App is the service the entry talks to.
	App App `json:"app"`
	// Kind is action or trigger.
	Kind Kind `json:"kind"`
	// Mode is webhook or poll for triggers, empty for actions.
	Mode Mode `json:"mode,omitempty"`
	// Event is the HighLevel webhook type of a webhook trigger, e.g.
	// "ContactCreate".
	Event string `json:"event,omitempty"`
	// Title is a short human name.
	Title string `json:"title"`
	// Description says what the entry does and what the API cannot do.
	Description string `json:"description"`
	// Scopes are the HighLevel OAuth scopes the entry needs (none for Repsly).
	Scopes []string `json:"scopes"`
	// Operations names the API operations it calls: HighLevel operation ids
	// or Repsly endpoint names, in call order.
	Operations []string `json:"operations"`
	// Input is the JSON Schema of the input (an empty object for triggers).
	Input json.RawMessage `json:"input_schema"`
	// Output is the JSON Schema of the output (of one record for triggers).
	Output json.RawMessage `json:"output_schema"`
	// Example is an example input that passes Input.
	Example json.RawMessage `json:"example"`

	run    runFunc
	poll   pollFunc
	decode decodeFunc
	schema *jsonschema.Schema
	now    nowFunc
}

// exec is what an executor gets: the client of its app, resolved once, and
// the catalog's clock.
type exec struct {
	ghl    *ghl.Client
	repsly *repsly.Client
	now    nowFunc
}

type (
	runFunc    func(ctx context.Context, x *exec, input json.RawMessage) (any, error)
	pollFunc   func(ctx context.Context, x *exec, cursor string) ([]json.RawMessage, string, bool, error)
	decodeFunc func(body []byte) (any, error)
)

// Errors callers branch on.
var (
	// ErrUnknownEntry: no entry has the id.
	ErrUnknownEntry = errors.New("catalog: unknown operation")
	// ErrWrongKind: the entry cannot be executed that way (Run on a
	// trigger, Poll on an action or webhook trigger, ...).
	ErrWrongKind = errors.New("catalog: wrong kind of operation")
	// ErrInvalidInput: the input does not match the entry's schema; the
	// *InputError names the fields.
	ErrInvalidInput = errors.New("catalog: invalid input")
	// ErrMissingScope: the connection lacks a scope; the *MissingScopeError
	// names it.
	ErrMissingScope = errors.New("catalog: connection lacks a scope")
	// ErrNotFound: a lookup an action depends on found nothing (no contact
	// with that email, no such Repsly client).
	ErrNotFound = errors.New("catalog: not found")
)

// MissingScopeError names the scope a connection lacks for an entry.
type MissingScopeError struct {
	Entry      string
	Connection string
	Scope      string
}

func (e *MissingScopeError) Error() string {
	return fmt.Sprintf("catalog: %s: connection %q lacks the scope %s; reconnect it with that scope", e.Entry, e.Connection, e.Scope)
}

// Unwrap makes errors.Is(err, ErrMissingScope) true.
func (e *MissingScopeError) Unwrap() error { return ErrMissingScope }

// Run executes an action: it validates input against the entry's schema and
// checks the connection's scopes before any request, then calls the API and
// returns the output JSON. Empty input means {}.
func (e *Entry) Run(ctx context.Context, clients Clients, connection string, input json.RawMessage) (json.RawMessage, error) {
	if e.run == nil {
		return nil, fmt.Errorf("%w: %s is a %s trigger, not an action", ErrWrongKind, e.ID, e.Mode)
	}
	input, err := e.Validate(input)
	if err != nil {
		return nil, err
	}
	x, err := e.clients(ctx, clients, connection)
	if err != nil {
		return nil, err
	}
	out, err := e.run(ctx, x, input)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.ID, err)
	}
	return marshal(out)
}

// Poll fetches the records of a poll trigger after cursor: "" starts from
// the beginning (for the triggers that diff a listing, everything listed now
// is new). Persist next once the records are handled; more reports that
// calling again right away may return more.
func (e *Entry) Poll(ctx context.Context, clients Clients, connection, cursor string) (records []json.RawMessage, next string, more bool, err error) {
	if e.poll == nil {
		return nil, "", false, fmt.Errorf("%w: %s cannot be polled", ErrWrongKind, e.ID)
	}
	x, err := e.clients(ctx, clients, connection)
	if err != nil {
		return nil, "", false, err
	}
	records, next, more, err = e.poll(ctx, x, cursor)
	if err != nil {
		return nil, "", false, fmt.Errorf("%s: %w", e.ID, err)
	}
	if records == nil {
		records = []json.RawMessage{}
	}
	return records, next, more, nil
}

// Decode turns a delivered (already verified) webhook body into the
// trigger's record. A body of another event type is refused.
func (e *Entry) Decode(body []byte) (json.RawMessage, error) {
	if e.decode == nil {
		return nil, fmt.Errorf("%w: %s is not a webhook trigger", ErrWrongKind, e.ID)
	}
	out, err := e.decode(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", e.ID, err)
	}
	return marshal(out)
}

// clients resolves the entry's client and checks scopes, without any request.
func (e *Entry) clients(ctx context.Context, clients Clients, connection string) (*exec, error) {
	x := &exec{now: e.now}
	switch e.App {
	case AppGHL:
		cl, granted, err := clients.GHL(ctx, connection)
		if err != nil {
			return nil, err
		}
		if err := e.checkScopes(connection, granted); err != nil {
			return nil, err
		}
		x.ghl = cl
	case AppRepsly:
		cl, err := clients.Repsly(ctx, connection)
		if err != nil {
			return nil, err
		}
		x.repsly = cl
	}
	return x, nil
}

// checkScopes fails when the granted scopes are known and miss one the entry
// needs. A readonly scope is met by its write scope, as HighLevel accepts.
func (e *Entry) checkScopes(connection string, granted []string) error {
	if granted == nil {
		return nil
	}
	have := make(map[string]bool, len(granted))
	for _, s := range granted {
		have[s] = true
	}
	for _, need := range e.Scopes {
		if have[need] {
			continue
		}
		if base, ok := strings.CutSuffix(need, ".readonly"); ok && have[base+".write"] {
			continue
		}
		return &MissingScopeError{Entry: e.ID, Connection: connection, Scope: need}
	}
	return nil
}

func marshal(v any) (json.RawMessage, error) {
	if raw, ok := v.(json.RawMessage); ok {
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("catalog: encode output: %w", err)
	}
	return b, nil
}
