package mapping

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// clientToContact is the default Repsly client -> HighLevel contact mapping
// from the design.
func clientToContact() Spec {
	return Spec{
		Fields: []FieldSpec{
			{Target: "companyName", Source: "client.Name"},
			{Target: "firstName", Expr: "firstName(client.ContactName)"},
			{Target: "lastName", Expr: "lastName(client.ContactName)"},
			{Target: "email", Source: "client.Email", Expr: "lower(trim(value))"},
			{Target: "phone", Expr: "e164(client.Phone, client.Country)"},
			{Target: "address1", Source: "client.StreetAddress"},
			{Target: "city", Source: "client.City"},
			{Target: "postalCode", Source: "client.ZIP"},
			{Target: "country", Expr: "country(client.Country)"},
			{Target: "website", Source: "client.Website"},
			{Target: "assignedTo", Expr: `lookup("reps", client.RepresentativeCode)`},
			{Target: "tags", Expr: `tags(target.tags, client.Tag, "territory:" + client.Territory, client.Active == false ? "repsly-inactive" : nil)`},
			{Target: "customFields.repsly_client_code", Source: "client.Code"},
			{Target: "source", Expr: `"repsly"`, Default: "unused"},
			{Target: "note", Source: "client.Note", Default: "none"},
		},
		Lookups: map[string]map[string]string{"reps": {"R07": "ghl-user-7"}},
	}
}

const sampleClient = `{"client": {"ClientID":101,"TimeStamp":638412,"Code":"C-0001","Name":"Main St Market","Active":true,
  "Tag":"grocery, vip","Territory":"Boston","RepresentativeCode":"R07","RepresentativeName":"Ana Li",
  "StreetAddress":"12 Main St","ZIP":"02108","City":"Boston","State":"MA","Country":"USA",
  "Email":" Store@Example.com","Phone":"(617) 555-0143","Mobile":"","Website":"","ContactName":"Bo Chan",
  "CustomFields":[{"Field":"Chain","Value":"Indie"}]}}`

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestApplyDefaultMapping(t *testing.T) {
	t.Parallel()

	m, err := Compile(clientToContact(), Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	input := decode(t, sampleClient)
	before := Hash(input)
	current := map[string]any{"tags": []any{"from-ghl"}, "email": "old@example.com"}
	got, err := m.ApplyTo(t.Context(), input, current)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"companyName":  "Main St Market",
		"firstName":    "Bo",
		"lastName":     "Chan",
		"email":        "store@example.com",
		"phone":        "+16175550143",
		"address1":     "12 Main St",
		"city":         "Boston",
		"postalCode":   "02108",
		"country":      "US",
		"website":      "",
		"assignedTo":   "ghl-user-7",
		"tags":         []any{"from-ghl", "grocery", "territory:Boston", "vip"},
		"customFields": map[string]any{"repsly_client_code": "C-0001"},
		"source":       "repsly",
		"note":         "none",
	}
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.MarshalIndent(got, "", " ")
		t.Fatalf("got %s", gj)
	}
	if Hash(input) != before {
		t.Fatal("Apply modified its input")
	}
	if !reflect.DeepEqual(current, map[string]any{"tags": []any{"from-ghl"}, "email": "old@example.com"}) {
		t.Fatalf("Apply modified the current record: %v", current)
	}

	// Deterministic: the same input gives the same record and hash.
	for range 5 {
		again, err := m.ApplyTo(t.Context(), decode(t, sampleClient), current)
		if err != nil || Hash(again) != Hash(got) {
			t.Fatalf("second run differs: %v", err)
		}
	}

	// Output does not alias the input.
	got["customFields"].(map[string]any)["repsly_client_code"] = "changed"
	if input["client"].(map[string]any)["Code"] != "C-0001" {
		t.Fatal("output shares memory with input")
	}

	// An inactive client gets the tag; a missing root yields nothing.
	input["client"].(map[string]any)["Active"] = false
	got, err = m.Apply(t.Context(), input)
	if err != nil || !reflect.DeepEqual(got["tags"], []any{"grocery", "repsly-inactive", "territory:Boston", "vip"}) {
		t.Fatalf("inactive: %v, %v", got["tags"], err)
	}
	got, err = m.Apply(t.Context(), map[string]any{})
	if err != nil {
		t.Fatalf("empty input: %v", err)
	}
	if got["note"] != "none" || got["email"] != "" {
		t.Fatalf("empty input: %v", got)
	}
}

func TestApplySeesEarlierFields(t *testing.T) {
	t.Parallel()

	m, err := Compile(Spec{Fields: []FieldSpec{
		{Target: "name.first", Expr: `"Bo"`},
		{Target: "name.last", Expr: `"Chan"`},
		{Target: "full", Expr: `joinName(target.name.first, target.name.last)`},
		{Target: "kept", Expr: `target.existing ?? "none"`},
	}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.ApplyTo(t.Context(), nil, map[string]any{"existing": "yes", "name": map[string]any{"middle": "X"}})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"name": map[string]any{"first": "Bo", "last": "Chan"}, "full": "Bo Chan", "kept": "yes"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v", got)
	}
}

func TestApplyBudgets(t *testing.T) {
	t.Parallel()

	tests := []struct {
		name, expr, wantMsg string
	}{
		{"range", `map(1..1000000, # * 2)`, "memory budget exceeded"},
		{"nested loops", `map(1..1000, map(1..1000, #))`, "memory budget exceeded"},
		{"doubling text", `len(reduce(1..40, #acc + #acc, "x"))`, "memory budget exceeded"},
		{"doubling with let", `let a = source.s + source.s; let b = a + a; let c = b + b; let d = c + c; let e = d + d; let f = e + e; let g = f + f; let h = g + g; let i = h + h; let j = i + i; let k = j + j; len(k + k)`, "memory budget exceeded"},
		{"shared list rendered", `let a = [source.s, source.s]; let b = [a, a]; let c = [b, b]; let d = [c, c]; let e = [d, d]; let f = [e, e]; let g = [f, f]; let h = [g, g]; let i = [h, h]; let j = [i, i]; let k = [j, j]; let l = [k, k]; len(toJSON([l, l]))`, "memory budget exceeded"},
		{"shared list string()", `let a = [source.s, source.s]; let b = [a, a]; let c = [b, b]; let d = [c, c]; let e = [d, d]; let f = [e, e]; let g = [f, f]; let h = [g, g]; let i = [h, h]; let j = [i, i]; let k = [j, j]; let l = [k, k]; len(string([l, l]))`, "memory budget exceeded"},
		{"shared list output", `let a = [1, 2]; let b = [a, a]; let c = [b, b]; let d = [c, c]; let e = [d, d]; let f = [e, e]; let g = [f, f]; let h = [g, g]; let i = [h, h]; let j = [i, i]; let k = [j, j]; let l = [k, k]; let m = [l, l]; let n = [m, m]; let o = [n, n]; let p = [o, o]; let q = [p, p]; [q, q]`, "memory budget exceeded"},
		{"join", `len(join(map(1..5000, source.s)))`, "memory budget exceeded"},
		{"upper in a loop", `len(map(1..5000, upper(source.s)))`, "memory budget exceeded"},
		{"replace", `len(replace(source.s, "", source.s))`, "memory budget exceeded"},
		{"split", `len(split(join(map(1..300, source.s)), ""))`, "memory budget exceeded"},
		{"repeat", `len(repeat("x", 100000000))`, "memory budget exceeded"},
	}
	s := strings.Repeat("x", 1000)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := Compile(Spec{Fields: []FieldSpec{{Target: "ok", Expr: "1"}, {Target: "greedy", Expr: tt.expr}}}, Options{})
			if err != nil {
				t.Fatal(err)
			}
			out, err := m.Apply(t.Context(), map[string]any{"s": s})
			if !errors.Is(err, ErrBudgetExceeded) {
				t.Fatalf("err = %v, want ErrBudgetExceeded", err)
			}
			if out != nil {
				t.Fatal("partial record returned with an error")
			}
			ae, ok := errors.AsType[*ApplyError](err)
			if !ok || ae.Target != "greedy" || ae.Expr != tt.expr {
				t.Fatalf("err = %#v, want an ApplyError for field greedy", err)
			}
			if msg := err.Error(); !strings.Contains(msg, tt.wantMsg) || !strings.Contains(msg, `field "greedy"`) || strings.Contains(msg, "\n") {
				t.Fatalf("unclear error: %s", msg)
			}
		})
	}
}

func TestApplyErrors(t *testing.T) {
	t.Parallel()

	tests := []struct {
		expr    string
		wantMsg string
	}{
		{`client.A.B`, "cannot fetch B from <nil>"},
		{`1 / client.zero`, ""},
		{`client.list[5]`, "index out of range"},
		{`int(client.name)`, "invalid operation: int(Bo)"},
		{`repslyDate(client.name)`, `repslyDate: cannot parse date "Bo"`},
		{`upper(client.list)`, "upper: expected text, got a list"},
		{`customField(client.name, "x")`, "customField: expected a record or a list, got text"},
		{`join(client.list)`, "join: element 0 is a number, not text"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			t.Parallel()
			_, err := eval(t, tt.expr, map[string]any{"client": map[string]any{"name": "Bo", "zero": 0, "list": []any{1.0}}})
			if tt.wantMsg == "" {
				return // only must not panic
			}
			ae, ok := errors.AsType[*ApplyError](err)
			if !ok || ae.Target != "out" || ae.Expr != tt.expr || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("err = %v, want an ApplyError for out with %q", err, tt.wantMsg)
			}
		})
	}
}

func TestApplyContext(t *testing.T) {
	t.Parallel()

	m, err := Compile(clientToContact(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = m.Apply(ctx, decode(t, sampleClient))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

func TestApplyMaliciousInput(t *testing.T) {
	t.Parallel()

	m, err := Compile(clientToContact(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	deep := any("leaf")
	for range 200 {
		deep = map[string]any{"x": deep}
	}
	inputs := []map[string]any{
		nil,
		{"client": nil},
		{"client": "not a record"},
		{"client": []any{1, 2}},
		{"client": map[string]any{"Name": map[string]any{"nested": true}, "Email": 42.0, "Phone": []any{}, "ContactName": nil}},
		{"client": map[string]any{"Email": strings.Repeat("A", 300_000), "ContactName": strings.Repeat("a ", 100_000)}},
		{"client": map[string]any{"Name": deep, "Code": deep}},
		{"client": map[string]any{"Phone": "\x00\xff\xfe", "Country": "\u202e", "Tag": strings.Repeat(",", 10000)}},
	}
	for i, in := range inputs {
		out, err := m.Apply(t.Context(), in)
		if err != nil {
			if _, ok := errors.AsType[*ApplyError](err); !ok {
				t.Errorf("input %d: err %v is not an ApplyError", i, err)
			}
			continue
		}
		_ = Hash(out)
	}
}

func TestApplyConcurrent(t *testing.T) {
	t.Parallel()

	m, err := Compile(clientToContact(), Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	want, err := m.Apply(t.Context(), decode(t, sampleClient))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			for range 20 {
				got, err := m.Apply(context.Background(), decode(t, sampleClient))
				if err != nil || Hash(got) != Hash(want) {
					errs <- errors.New("concurrent Apply differs")
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
