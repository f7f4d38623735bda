package catalog

import (
	"context"
	"encoding/json"
	"fmt"
)

// spec holds the descriptive fields every entry builder takes.
type spec struct {
	id, title, desc string
	app             App
	// ops are the API operations called (HighLevel operation ids, whose
	// scopes the entry inherits, or Repsly endpoint names).
	ops []string
	// scopes are needed beyond those of ops (webhook triggers call nothing).
	scopes  []string
	input   json.RawMessage
	output  json.RawMessage
	example string
}

func (s spec) entry(kind Kind, mode Mode) *Entry {
	e := &Entry{
		ID: s.id, App: s.app, Kind: kind, Mode: mode, Title: s.title, Description: s.desc,
		Scopes: s.scopes, Operations: s.ops, Input: s.input, Output: s.output,
	}
	if e.Operations == nil {
		e.Operations = []string{}
	}
	if s.example != "" {
		e.Example = json.RawMessage(s.example)
	}
	return e
}

// action builds an action whose validated input is decoded into In.
func action[In any](s spec, run func(ctx context.Context, x *exec, in In) (any, error)) *Entry {
	e := s.entry(KindAction, "")
	e.run = func(ctx context.Context, x *exec, raw json.RawMessage) (any, error) {
		var in In
		if err := json.Unmarshal(raw, &in); err != nil {
			// The schema let it through, but Go's types are stricter
			// (an integer field given 1.5): report it as bad input.
			return nil, &InputError{Entry: s.id, Problems: []string{err.Error()}}
		}
		return run(ctx, x, in)
	}
	return e
}

// pollTrigger builds a poll trigger.
func pollTrigger(s spec, poll pollFunc) *Entry {
	e := s.entry(KindTrigger, ModePoll)
	e.poll = poll
	return e
}

// webhookTrigger builds a webhook trigger for one HighLevel event type.
func webhookTrigger(s spec, event string, decode decodeFunc) *Entry {
	e := s.entry(KindTrigger, ModeWebhook)
	e.Event = event
	e.decode = decode
	return e
}

// rawList encodes items one by one, for trigger records.
func rawList[T any](items []T) ([]json.RawMessage, error) {
	out := make([]json.RawMessage, 0, len(items))
	for _, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return nil, fmt.Errorf("encode record: %w", err)
		}
		out = append(out, b)
	}
	return out, nil
}

// ids are the path parameters most HighLevel inputs carry.
type contactRef struct {
	ContactID string `json:"contactId"`
}

// contactIDProp is the schema of a contactId input.
var contactIDProp = nonEmpty("the HighLevel contact id")
