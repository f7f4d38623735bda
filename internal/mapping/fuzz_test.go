package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// FuzzCompile compiles arbitrary expressions and source paths and runs
// whatever compiles: neither may panic, and every failure must be a
// CompileErrors or an *ApplyError.
func FuzzCompile(f *testing.F) {
	seeds := []string{
		`e164(client.Phone, client.Country)`, `splitName(client.ContactName).first`, `lookup("reps", client.Rep) ?? "x"`,
		`tags(target.tags, "territory:" + client.Territory)`, `isoDate(repslyDate(client.Date))`, `map(1..1000000, # * 2)`,
		`reduce(1..50, #acc + #acc, "x")`, `let a = [1, 1]; let b = [a, a]; [b, b]`, `client?.a?.b ?? default(value, 1)`,
		`formatDate(now(), "2006")`, "1 +\n", `"\u0000"`, `[1, 2][5]`, `{"a": 1}.b.c`, `customField(contact, "k")`,
		`toJSON(source)`, `string(target)`, `split(client.Name, "")`, `join(["a"], ",")`, `replace("aa", "", "b")`,
		`lookup(client.x, 1)`, `now()`, `1 / 0`, `"a" * 2`, `client.Name matches "(a+)+$"`, `sortBy(source.list, #)`,
	}
	for _, s := range seeds {
		f.Add(s, "client.Name")
	}
	f.Add(`value`, "contact.customFields.repsly_client_code")
	f.Add(`value`, `a["b"][0]`)
	input := map[string]any{
		"client":  map[string]any{"Name": "Bo Chan", "Phone": "(415) 555-2671", "Country": "US", "Date": "/Date(1577664000000)/", "Rep": "R01"},
		"contact": map[string]any{"customFields": []any{map[string]any{"id": "x", "key": "k", "value": "v"}}},
		"list":    []any{3.0, 1.0, 2.0},
	}
	f.Fuzz(func(t *testing.T, src, source string) {
		spec := Spec{
			Fields:  []FieldSpec{{Target: "out", Expr: src, Source: source}, {Target: "plain", Source: source}},
			Lookups: map[string]map[string]string{"reps": {"R01": "u1"}},
		}
		m, err := Compile(spec, Options{Roots: []string{"client", "contact"}, Now: testNow})
		if err != nil {
			var ce CompileErrors
			if !errors.As(err, &ce) || len(ce) == 0 {
				t.Fatalf("Compile error %v is not CompileErrors", err)
			}
			return
		}
		out, err := m.Apply(context.Background(), input)
		if err != nil {
			if _, ok := errors.AsType[*ApplyError](err); !ok {
				t.Fatalf("Apply error %v is not an ApplyError", err)
			}
			return
		}
		_ = Hash(out)
	})
}

// FuzzParsePath checks that the path parser never panics and that a parsed
// path prints back to text that parses to the same path.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{"client.Email", "phones[0]", "a[-1].b", `a["x.y"]`, `["\u00e9"]`, "a..b", "[", `a["\xff"]`, "a]", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			if _, ok := err.(*PathError); !ok {
				t.Fatalf("error %v is not a *PathError", err)
			}
			return
		}
		if len(p.String()) > maxPathLen {
			return // quoting made it longer than ParsePath accepts
		}
		again, err := ParsePath(p.String())
		if err != nil || !reflect.DeepEqual(again, p) {
			t.Fatalf("ParsePath(%q) = %#v, printed %q, reparsed %#v, %v", s, p, p.String(), again, err)
		}
		_, _ = p.Lookup(map[string]any{"a": []any{map[string]any{"b": 1}}})
	})
}

// FuzzApplyInput runs the default mapping on arbitrary JSON payloads.
func FuzzApplyInput(f *testing.F) {
	f.Add([]byte(sampleClient))
	f.Add([]byte(`{"client": {"Phone": 1e400, "Tag": [[["x"]]], "Active": "yes"}}`))
	f.Add([]byte(`{"client": null}`))
	m, err := Compile(clientToContact(), Options{Now: testNow})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		var input map[string]any
		if json.Unmarshal(payload, &input) != nil {
			return
		}
		out, err := m.ApplyTo(context.Background(), input, input)
		if err != nil {
			if _, ok := errors.AsType[*ApplyError](err); !ok {
				t.Fatalf("error %v is not an ApplyError", err)
			}
			return
		}
		_ = Hash(out)
	})
}
