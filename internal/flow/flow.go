package flow

// Kinds of flows.
const (
	// KindAutomation is a trigger followed by steps.
	KindAutomation = "automation"
	// KindSync is a record sync between two apps, run by the sync engine.
	KindSync = "sync"
)

// Step kinds.
const (
	StepFilter = "filter"
	StepLookup = "lookup"
	StepMap    = "map"
	StepAction = "action"
	StepSync   = "sync"
)

// Trigger modes.
const (
	ModeWebhook = "webhook"
	ModePoll    = "poll"
)

// Sync directions, conflict policies and deactivation choices.
const (
	OneWay = "one_way" // left to right only
	TwoWay = "two_way"

	LastWriterWins = "last_writer_wins" // per field, by source change time
	LeftWins       = "left_wins"
	RightWins      = "right_wins"

	SideLeft  = "left"
	SideRight = "right"

	DeactivateTag     = "tag"     // tag the HighLevel contact
	DeactivateDelete  = "delete"  // delete the HighLevel contact
	DeactivateNothing = "nothing" // leave it as it is

	// DefaultInactiveTag is the tag a deactivated Repsly client's contact
	// gets, and the tag that deactivates the client when added in HighLevel.
	DefaultInactiveTag = "repsly-inactive"
	// DefaultCodeField is the HighLevel custom field holding the Repsly
	// client code.
	DefaultCodeField = "repsly_client_code"
)

// Match keys: how a sync finds the record on the other side before
// creating one.
const (
	MatchCode  = "code"  // Repsly client Code <-> the contact's code custom field
	MatchEmail = "email" // compared lower-cased
	MatchPhone = "phone" // compared in E.164
)

// Directions a sync mapping runs in.
const (
	LeftToRight = "left_to_right"
	RightToLeft = "right_to_left"
)

// Flow is what a user writes: a trigger and the steps that follow it, or a
// single sync step for a two-app record sync, plus test cases for its
// mappings. Parse reads one from YAML; Marshal writes it back.
type Flow struct {
	// Name identifies the flow (unique in a database).
	Name string `yaml:"name"`
	// Description says what the flow is for.
	Description string `yaml:"description,omitempty"`
	// Version is the stored version this text is; informational in a
	// file, set by export. Applying a flow always stores the next version.
	Version int `yaml:"version,omitempty"`
	// Trigger starts an automation; a sync flow has none.
	Trigger *Trigger `yaml:"trigger,omitempty"`
	// Lookups are named tables every expression of the flow reads with
	// lookup(name, key), e.g. reps: {R01: <HighLevel user id>}.
	Lookups map[string]map[string]string `yaml:"lookups,omitempty"`
	// Steps run in order.
	Steps []Step `yaml:"steps"`
	// Tests are examples of what the flow's mappings produce; `flows test`
	// runs them.
	Tests []TestCase `yaml:"tests,omitempty"`

	// nodes holds the YAML node of every field path, when parsed, for
	// positions in errors.
	nodes map[string]*node
	keys  map[string]*node
}

// Kind returns KindSync for a flow with a sync step, else KindAutomation.
func (f *Flow) Kind() string {
	for _, s := range f.Steps {
		if s.Sync != nil {
			return KindSync
		}
	}
	return KindAutomation
}

// SyncStep returns the flow's sync step, or nil for an automation.
func (f *Flow) SyncStep() *SyncStep {
	for _, s := range f.Steps {
		if s.Sync != nil {
			return s.Sync
		}
	}
	return nil
}

// Position returns where the field at path was written, or the zero Pos.
// A path that was not written resolves to its closest written parent.
func (f *Flow) Position(path string) Pos {
	for p := path; ; p = parentPath(p) {
		if n, ok := f.nodes[p]; ok {
			return n.pos
		}
		if p == "" {
			return Pos{}
		}
	}
}

// keyPosition returns where the key of the field at path was written,
// falling back to Position.
func (f *Flow) keyPosition(path string) Pos {
	if k, ok := f.keys[path]; ok {
		return k.pos
	}
	return f.Position(path)
}

// Trigger names the catalog trigger that starts an automation.
type Trigger struct {
	// Operation is a catalog trigger id, e.g. repsly.client.updated.
	Operation string `yaml:"operation"`
	// Connection is the name of the connection the trigger watches.
	Connection string `yaml:"connection"`
	// As names the triggering record in expressions; it defaults to the
	// object of the operation id (repsly.client.updated -> client).
	As string `yaml:"as,omitempty"`
	// Mode is webhook or poll; empty takes the operation's.
	Mode string `yaml:"mode,omitempty"`
	// PollInterval is how often a poll trigger polls (default 5m).
	PollInterval Duration `yaml:"poll_interval,omitempty"`
	// Options are passed to the trigger as they are (e.g. a tag name for
	// a tag trigger).
	Options map[string]any `yaml:"options,omitempty"`
}

// Step is one step of a flow. Exactly one of Filter, Lookup, Map, Action and
// Sync is set.
type Step struct {
	// ID names the step's result in later expressions (a lookup's record,
	// a map's output, an action's result) and in test expectations.
	ID string `yaml:"id,omitempty"`
	// When skips the step (but not the flow) unless it is true.
	When string `yaml:"when,omitempty"`
	// Filter stops the flow unless the expression is true.
	Filter string `yaml:"filter,omitempty"`
	// Lookup finds one record by a key.
	Lookup *LookupStep `yaml:"lookup,omitempty"`
	// Map computes a record from the trigger record and earlier steps.
	Map FieldMap `yaml:"map,omitempty"`
	// Action runs a catalog action with a mapped input.
	Action *ActionStep `yaml:"action,omitempty"`
	// Sync is the record sync settings of a sync flow.
	Sync *SyncStep `yaml:"sync,omitempty"`
}

// Kind returns the kind of the step ("" when none is set; more than one is
// a validation error and the first wins here).
func (s *Step) Kind() string {
	switch {
	case s.Filter != "":
		return StepFilter
	case s.Lookup != nil:
		return StepLookup
	case s.Map != nil:
		return StepMap
	case s.Action != nil:
		return StepAction
	case s.Sync != nil:
		return StepSync
	}
	return ""
}

// LookupStep finds one record in an app by a key, e.g. the HighLevel
// contact with a given email.
type LookupStep struct {
	// Object is what to find: ghl.contact, repsly.client, ...
	Object string `yaml:"object"`
	// Connection is the connection to search.
	Connection string `yaml:"connection"`
	// By is the key: id, email, phone, code, or customFields.<key>.
	By string `yaml:"by"`
	// Value is an expression giving the key's value.
	Value string `yaml:"value"`
	// Required stops the flow when nothing is found; otherwise the step's
	// record is empty and later steps decide.
	Required bool `yaml:"required,omitempty"`
}

// ActionStep runs one catalog action.
type ActionStep struct {
	// Operation is a catalog action id, e.g. ghl.note.create.
	Operation string `yaml:"operation"`
	// Connection is the connection to run it on.
	Connection string `yaml:"connection"`
	// Input maps the action's input fields.
	Input FieldMap `yaml:"input"`
}

// SyncStep configures a two-app record sync for the sync engine: which
// records pair up, how fields map each way, how records are matched and
// conflicts settled, and what a deactivated Repsly client becomes.
type SyncStep struct {
	// Left and Right are the two sides; a one-way sync writes Right only.
	Left  SyncSide `yaml:"left"`
	Right SyncSide `yaml:"right"`
	// Direction is one_way or two_way.
	Direction string `yaml:"direction"`
	// Match lists the keys tried, in order, to find an unlinked record on
	// the other side before creating one: code, email, phone.
	Match []string `yaml:"match"`
	// CodeField is the HighLevel custom field key that holds the Repsly
	// client code (default repsly_client_code).
	CodeField string `yaml:"code_field,omitempty"`
	// Conflict settles a field changed on both sides: last_writer_wins
	// (default), left_wins or right_wins.
	Conflict string `yaml:"conflict,omitempty"`
	// Prefer gives one side priority for single fields, whatever Conflict
	// says: {email: right}. Keys are target fields of either mapping.
	Prefer map[string]string `yaml:"prefer,omitempty"`
	// OnDeactivate says what a deactivated Repsly client (Active=false)
	// does to its HighLevel contact: tag (default), delete or nothing.
	OnDeactivate string `yaml:"on_deactivate,omitempty"`
	// InactiveTag is the tag for on_deactivate: tag (default
	// repsly-inactive). In a two-way sync the tag added in HighLevel
	// deactivates the client, and removing it reactivates the client.
	InactiveTag string `yaml:"inactive_tag,omitempty"`
	// LeftToRight maps a left record to the right side's fields.
	LeftToRight FieldMap `yaml:"left_to_right"`
	// RightToLeft maps a right record to the left side's fields (two-way
	// only).
	RightToLeft FieldMap `yaml:"right_to_left,omitempty"`
}

// SyncSide is one side of a sync.
type SyncSide struct {
	// Connection is the connection of this side.
	Connection string `yaml:"connection"`
	// Object is the record type: repsly.client or ghl.contact.
	Object string `yaml:"object"`
	// As names the record in expressions; it defaults to the object's
	// name (client, contact).
	As string `yaml:"as,omitempty"`
}

// TestCase is one example of what a flow does with an input, run by
// `flows test`.
type TestCase struct {
	// Name identifies the case in reports.
	Name string `yaml:"name"`
	// When skips the case unless the expression is true (useful in
	// templates whose behaviour depends on a setting).
	When string `yaml:"when,omitempty"`
	// Direction picks the mapping of a sync flow; it defaults to the side
	// whose record Input holds.
	Direction string `yaml:"direction,omitempty"`
	// Input holds the records by name: the trigger record under its name,
	// and for lookups and actions the record each would return, under the
	// step's id (a lookup with no entry finds nothing). For a sync flow,
	// the record of the source side.
	Input map[string]any `yaml:"input"`
	// Now fixes the clock of now() for the case (RFC 3339), so a case
	// that depends on the time gives the same result every day.
	Now string `yaml:"now,omitempty"`
	// Current is, for a sync flow, the target record as it is now (tags
	// merge into it).
	Current map[string]any `yaml:"current,omitempty"`
	// Expect is, for an automation, the expected output of steps by id (a
	// map's record, an action's input; null: the step does not run). For
	// a sync flow, the expected mapped record.
	Expect map[string]any `yaml:"expect,omitempty"`
	// Stopped expects an automation to stop at a filter or a required
	// lookup.
	Stopped bool `yaml:"stopped,omitempty"`
	// Delete expects a sync to delete the target record.
	Delete bool `yaml:"delete,omitempty"`
}
