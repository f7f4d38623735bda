package flow_test

import (
	"context"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/flow"
)

// FuzzParse feeds arbitrary text to the YAML loader: it must never panic,
// every error must carry a message, and a flow it accepts must survive
// Marshal and a second read.
func FuzzParse(f *testing.F) {
	f.Add([]byte(validFlow))
	f.Add([]byte(strings.Replace(syncFlow, "%s", "tag", 1)))
	f.Add([]byte(runFlow))
	f.Add([]byte("name: a\nsteps:\n  - filter: a ? b : c\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("<<: {name: x}\nsteps: [{map: {<<: [{a: b}]}}]\n"))
	f.Add([]byte("name: x\nsteps:\n  - id: m\n    map:\n      a: >-\n        lower(\n        nope)\n"))
	f.Add([]byte("- [\n"))
	if all, err := flow.Templates(); err == nil {
		for _, t := range all {
			f.Add(t.Source())
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := flow.Load(src, flow.Options{Now: testNow})
		if err != nil {
			errs, ok := err.(flow.Errors)
			if !ok || len(errs) == 0 {
				t.Fatalf("error %v (%T) is not a non-empty flow.Errors", err, err)
			}
			for _, e := range errs {
				if e.Message == "" || e.Line < 0 || e.Column < 0 {
					t.Fatalf("bad error %+v", e)
				}
			}
			return
		}
		out, err := flow.Marshal(p.Flow())
		if err != nil {
			t.Fatalf("marshal an accepted flow: %v", err)
		}
		if _, err := flow.Load(out, flow.Options{Now: testNow}); err != nil {
			t.Fatalf("an accepted flow does not read back:\n%s\n%v\nfrom\n%s", out, err, src)
		}
		_ = p.RunTests(context.Background())
	})
}

// FuzzCompileExpression puts an arbitrary expression into each place a
// flow holds one: compiling never panics, and what compiles runs without
// panicking on a sample record.
func FuzzCompileExpression(f *testing.F) {
	for _, s := range []string{`lower(client.Email)`, `client.A ?? "x"`, `tags(client.T, "a")`, `e164(client.Phone, "US")`,
		`len(client.Items) > 2`, `[1, 2, 3][5]`, `int("x")`, `lookup("reps", client.R)`, `now().Add(duration("1h"))`,
		`reduce(1..100, # + #acc)`, `repeat("x", 1000000)`, `client.`, `"\xff"`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		if strings.ContainsAny(expr, "\r\n") || len(expr) > 500 {
			return // one line of YAML, a size users write
		}
		quoted := "'" + strings.ReplaceAll(expr, "'", "''") + "'"
		src := "name: fuzz\ntrigger: {operation: repsly.client.updated, connection: repsly}\nlookups: {reps: {R1: u1}}\nsteps:\n" +
			"  - filter: " + quoted + "\n" +
			"  - id: m\n    when: " + quoted + "\n    map: {out: " + quoted + "}\n"
		p, err := flow.Load([]byte(src), flow.Options{Now: testNow})
		if err != nil {
			if _, ok := err.(flow.Errors); !ok {
				t.Fatalf("error %v (%T) is not flow.Errors", err, err)
			}
			return
		}
		input := map[string]any{"client": map[string]any{"Email": "A@B.c", "Phone": "617-555-0100", "T": "x,y",
			"Items": []any{1, 2, 3}, "R": "R1"}}
		_, _ = p.Run(context.Background(), input, &recorder{})
	})
}
