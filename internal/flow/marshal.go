package flow

import (
	"fmt"

	"github.com/goccy/go-yaml"
)

// Marshal writes a flow as YAML that Parse reads back to the same flow.
// Comments and the order of map keys in records are not kept; text stored
// by `flows apply` is exported as it was written instead.
func Marshal(f *Flow) ([]byte, error) {
	out, err := yaml.MarshalWithOptions(f, yaml.Indent(2), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true), yaml.UseSingleQuote(true))
	if err != nil {
		return nil, fmt.Errorf("flow: marshal %q: %w", f.Name, err)
	}
	return out, nil
}
