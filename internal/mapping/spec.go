package mapping

import "time"

// Spec is a mapping as users write it (in the UI, a flow's YAML, the API):
// an ordered list of target fields plus named lookup tables.
type Spec struct {
	// Fields are computed in order; an expression sees the fields before it
	// through `target`.
	Fields []FieldSpec `json:"fields" yaml:"fields"`
	// Lookups are named tables that expressions read with lookup(name, key)
	// and lookupOr(name, key, default), e.g. reps: {"R01": "userId1"}.
	Lookups map[string]map[string]string `json:"lookups,omitempty" yaml:"lookups,omitempty"`
}

// FieldSpec computes one target field.
type FieldSpec struct {
	// Target is the dotted path the value is written to; nested maps are
	// created as needed ("address.city").
	Target string `json:"target" yaml:"target"`
	// Source is a dotted path into the input (client.Email,
	// contact.customFields.repsly_client_code, client.phones[0]). A missing
	// path yields nothing, never an error.
	Source string `json:"source,omitempty" yaml:"source,omitempty"`
	// Expr is an expr-lang expression computing the value. When Source is
	// set too, the expression sees the source value as `value`.
	Expr string `json:"expr,omitempty" yaml:"expr,omitempty"`
	// Default is used when the value is nothing or "".
	Default any `json:"default,omitempty" yaml:"default,omitempty"`
}

// Options tune Compile. The zero value is usable.
type Options struct {
	// Roots names the top-level input keys that expressions may use as
	// variables ("client", "contact"). The first step of every source path
	// is added automatically. Any other name is a compile error, so typos
	// are caught when the mapping is saved; `source` reaches every key.
	Roots []string
	// Now is the clock behind now(). Defaults to time.Now.
	Now func() time.Time
	// MaxNodes bounds the size of each expression. Defaults to
	// DefaultMaxNodes.
	MaxNodes uint
	// MemoryBudget is expr's budget per expression run (list elements
	// allocated or iterated). Defaults to DefaultMemoryBudget.
	MemoryBudget uint
	// ByteBudget bounds the text all expressions of one Apply may produce.
	// Defaults to DefaultByteBudget.
	ByteBudget int
	// Cache shares compiled programs between Compile calls; nil compiles
	// every time.
	Cache *Cache
}
