package flow

import (
	"regexp"
	"slices"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

var (
	identRE       = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	flowNameRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$`)
	operationIDRE = regexp.MustCompile(`^[a-z][a-z0-9]*(\.[a-z][a-zA-Z0-9_]*){2,}$`)
)

// exprBuiltins are expr-lang's own function names; a record named like one
// would shadow it and confuse readers, so names may not reuse them.
var exprBuiltins = []string{
	"all", "any", "none", "one", "filter", "map", "find", "findIndex", "findLast", "findLastIndex", "count",
	"sum", "groupBy", "sortBy", "reduce", "len", "abs", "ceil", "floor", "round", "int", "float", "string",
	"trimPrefix", "trimSuffix", "split", "splitAfter", "replace", "repeat", "indexOf", "lastIndexOf",
	"hasPrefix", "hasSuffix", "duration", "date", "timezone", "max", "min", "mean", "median", "toJSON",
	"fromJSON", "toBase64", "fromBase64", "first", "last", "get", "take", "keys", "values", "toPairs",
	"fromPairs", "sort", "type", "concat", "flatten", "uniq", "join", "reverse", "true", "false", "nil",
	"not", "and", "or", "in", "matches", "contains", "startsWith", "endsWith", "let", "if", "else",
}

// reservedNames are the variables every expression already has.
var reservedNames = []string{"source", "target", "value", "lookups"}

// nameProblem says why s cannot name a record in expressions, or "".
func nameProblem(s string) string {
	switch {
	case !identRE.MatchString(s):
		return "must be a name of letters, digits and _ that starts with a letter"
	case slices.Contains(reservedNames, s):
		return "is a name every expression already has (source, target, value, lookups); choose another"
	case slices.Contains(mapping.HelperNames(), s) || slices.Contains(exprBuiltins, s):
		return "is the name of a built-in function; choose another"
	}
	return ""
}
