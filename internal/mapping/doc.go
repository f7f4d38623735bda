// Package mapping turns one record into another with a declarative field
// map plus small expr-lang expressions. It is a leaf: it knows nothing about
// Repsly, HighLevel, flows or storage.
//
// # Spec
//
// A [Spec] is an ordered list of target fields. Each takes its value from a
// source path (client.Email, contact.customFields.repsly_client_code,
// client.phones[0]), from an expression, or from both (the expression then
// sees the source value as `value`), with an optional default used when the
// value is nothing or "". Target paths are dotted too and build nested maps.
// Named lookup tables (reps: {"R01": "userId1"}) are read with lookup().
//
// A name step into a list finds a custom-field entry by its key, id or name
// ([FindCustomField]); that is how HighLevel customFields [{id, key, value}]
// and Repsly CustomFields [{Field, Value}] are addressed by path.
//
// # Expressions
//
// Expressions see these variables:
//   - every input root (client, contact, ...) as declared in [Options].Roots
//     or used by a source path: unknown names fail at compile time;
//   - source: the whole input; target: the current target record (given to
//     [Mapping.ApplyTo]) overlaid with the fields computed so far;
//     value: the field's source value; lookups: the lookup tables.
//
// `+` treats nothing as empty text when the other side is text ("territory:"
// + client.Territory never fails on a client without a territory).
//
// Besides expr's builtins, these helpers exist (typed, so misuse fails at
// compile time; nothing in, nothing or "" out):
//
//	e164(phone, country)       E.164 ("+14155552671"), "" when invalid; country is a name or ISO code
//	country(name)              ISO 3166-1 alpha-2 for common names and codes ("USA" -> "US")
//	splitName(full)            {first, last}, split on the last space
//	firstName(full), lastName(full), joinName(first, last)
//	trim(s), lower(s), upper(s), title(s)
//	repslyDate(s)              time from /Date(ms+0000)/, /Date(ms)/, \/Date(...)\/, ISO 8601, 2006-01-02
//	formatDate(t, layout)      Go layout; t may also be text repslyDate reads
//	isoDate(t)                 2006-01-02T15:04:05.000Z (UTC)
//	repslyDateString(t)        /Date(ms+0000)/
//	now()                      the injected clock (Options.Now), never the wall clock directly
//	lookup(table, key)         the table's value, nil when absent
//	lookupOr(table, key, d)    the table's value, d when absent
//	default(x, d)              d when x is nil or "" (x ?? d only covers nil)
//	customField(record, key)   a custom field's value by key or id
//	tags(a, b, ...)            texts and lists merged: comma-split, de-duplicated, sorted
//
// # Limits
//
// Expressions always terminate (expr has no loops beyond bounded
// iteration), have at most [Options].MaxNodes nodes, and run under two
// budgets: expr's memory budget (list elements) and a byte budget for text,
// because expr does not count string bytes and a doubling reduce would
// otherwise exhaust memory. Builtins that walk nested lists recursively
// (flatten, min, max, mean, median) are disabled: on lists built from
// shared parts they take exponential time before any budget applies.
// Apply never panics and checks its context between fields and in helpers.
package mapping
