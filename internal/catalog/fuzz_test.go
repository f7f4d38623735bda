package catalog_test

import (
	"encoding/json"
	"testing"
)

// FuzzValidate: any input is either accepted or refused with an error,
// never a panic, and accepted input is valid JSON.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{`{}`, `{"contactId":"c"}`, `{"contactId":1}`, `[`, `null`, `{"customFields":[{"key":1}]}`, `"x"`} {
		f.Add("ghl.contact.update", s)
		f.Add("repsly.client.upsert_many", s)
	}
	f.Fuzz(func(t *testing.T, id, input string) {
		e, err := testCatalog.Get(id)
		if err != nil {
			return
		}
		out, err := e.Validate(json.RawMessage(input))
		if err == nil && !json.Valid(out) {
			t.Fatalf("accepted invalid JSON %q", input)
		}
	})
}

// FuzzDecode: a webhook body, however broken, decodes or fails cleanly.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"type":"ContactCreate","id":"c"}`, `{"type":"AppointmentCreate","appointment":{"id":"a"}}`,
		`{"type":"NoteCreate","timestamp":1700000000000}`, `{"type":7}`, `{}`, `[]`, ``} {
		f.Add(s)
	}
	entries := testCatalog.Filter("ghl", "trigger")
	f.Fuzz(func(t *testing.T, body string) {
		for _, e := range entries {
			if e.Mode != "webhook" {
				continue
			}
			if out, err := e.Decode([]byte(body)); err == nil && !json.Valid(out) {
				t.Fatalf("%s: invalid record %s", e.ID, out)
			}
		}
	})
}
