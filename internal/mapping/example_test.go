package mapping_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/mapping"
)

func ExampleCompile() {
	spec := mapping.Spec{
		Fields: []mapping.FieldSpec{
			{Target: "firstName", Expr: "firstName(client.ContactName)"},
			{Target: "lastName", Expr: "lastName(client.ContactName)"},
			{Target: "email", Source: "client.Email", Expr: "lower(trim(value))"},
			{Target: "phone", Expr: "e164(client.Phone, client.Country)"},
			{Target: "country", Expr: "country(client.Country)"},
			{Target: "assignedTo", Expr: `lookupOr("reps", client.RepresentativeCode, "")`},
			{Target: "tags", Expr: `tags(target.tags, "territory:" + client.Territory)`},
			{Target: "customFields.repsly_client_code", Source: "client.Code"},
			{Target: "lastVisit", Expr: "isoDate(repslyDate(client.LastVisit))"},
		},
		Lookups: map[string]map[string]string{"reps": {"R07": "ghl-user-7"}},
	}
	m, err := mapping.Compile(spec, mapping.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	client := map[string]any{
		"Code": "C-0001", "ContactName": "Mary Ann Smith", "Email": " Mary@Example.com ",
		"Phone": "(617) 555-0143", "Country": "USA", "RepresentativeCode": "R07", "Territory": "Boston",
		"LastVisit": `\/Date(1704189600000+0000)\/`,
	}
	current := map[string]any{"tags": []any{"vip"}} // the contact as HighLevel has it
	out, err := m.ApplyTo(context.Background(), map[string]any{"client": client}, current)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, target := range m.Targets() {
		fmt.Printf("%s: %v\n", target, valueAt(out, target))
	}
	// Output:
	// firstName: Mary Ann
	// lastName: Smith
	// email: mary@example.com
	// phone: +16175550143
	// country: US
	// assignedTo: ghl-user-7
	// tags: [territory:Boston vip]
	// customFields.repsly_client_code: C-0001
	// lastVisit: 2024-01-02T10:00:00.000Z
}

func valueAt(record map[string]any, target string) any {
	p, _ := mapping.ParsePath(target)
	v, _ := p.Lookup(record)
	return v
}

func ExampleCompile_errors() {
	spec := mapping.Spec{Fields: []mapping.FieldSpec{
		{Target: "email", Expr: "lower(clinet.Email)"},
		{Target: "phone", Expr: "e164(client.Phone)"},
		{Target: "owner", Expr: `lookup("users", client.Rep)`},
	}}
	_, err := mapping.Compile(spec, mapping.Options{Roots: []string{"client"}})
	var errs mapping.CompileErrors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
		}
	}
	// Output:
	// field 1 "email": expr 1:7: unknown name clinet
	// field 2 "phone": expr 1:1: not enough arguments to call e164
	// field 3 "owner": expr 1:8: no lookup table "users" (no lookup tables are defined)
}

func ExampleMapping_Apply_budget() {
	m, _ := mapping.Compile(mapping.Spec{Fields: []mapping.FieldSpec{
		{Target: "numbers", Expr: "map(1..1000000, # * 2)"},
	}}, mapping.Options{})
	_, err := m.Apply(context.Background(), nil)
	fmt.Println(errors.Is(err, mapping.ErrBudgetExceeded))
	fmt.Println(err)
	// Output:
	// true
	// mapping: field "numbers": expr "map(1..1000000, # * 2)" at 1:6: memory budget exceeded
}

func ExampleOptions_now() {
	clock := func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) }
	m, _ := mapping.Compile(mapping.Spec{Fields: []mapping.FieldSpec{
		{Target: "syncedAt", Expr: "isoDate(now())"},
		{Target: "repslyDate", Expr: "repslyDateString(now())"},
	}}, mapping.Options{Now: clock})
	out, _ := m.Apply(context.Background(), nil)
	fmt.Println(out["syncedAt"], out["repslyDate"])
	// Output: 2026-01-02T03:04:05.000Z /Date(1767323045000+0000)/
}

func ExampleHash() {
	a := map[string]any{"email": "a@b.c", "n": 1, "tags": []any{"x"}}
	b := map[string]any{"tags": []any{"x"}, "n": 1.0, "email": "a@b.c"}
	fmt.Println(mapping.Hash(a) == mapping.Hash(b))
	// Output: true
}

func ExampleParsePath() {
	p, _ := mapping.ParsePath("contact.customFields.repsly_client_code")
	contact := map[string]any{"customFields": []any{
		map[string]any{"id": "Xy12", "key": "contact.repsly_client_code", "value": "C-0001"},
	}}
	v, ok := p.Lookup(map[string]any{"contact": contact})
	fmt.Println(v, ok)
	// Output: C-0001 true
}
