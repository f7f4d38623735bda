package mapping

import (
	"errors"
	"strings"
	"testing"
)

func TestCompileErrorsCollected(t *testing.T) {
	t.Parallel()

	spec := Spec{
		Fields: []FieldSpec{
			{Target: "ok", Source: "client.Email"},
			{Target: "typo", Expr: "clinet.Email"},
			{Target: "misuse", Expr: `trim(1)`},
			{Target: "arity", Expr: `e164(client.Phone)`},
			{Target: "table", Expr: `lookup("repz", client.Rep)`},
			{Target: "syntax", Expr: "upper(\n  client.Name +\n)"},
			{Target: "mismatch", Expr: `"a" + 1`},
			{Target: "empty"},
			{Target: "", Source: "client.X"},
			{Target: "ok", Source: "client.Y"},
			{Target: "ok.sub", Source: "client.Z"},
			{Target: "list[0]", Source: "client.Z"},
			{Target: "badsource", Source: "client..Z"},
			{Target: "wallclock", Expr: `now(1)`},
			{Target: "disabled", Expr: `max(1, 2)`},
			{Target: "nested", Expr: `upper(clinet.Name)`},
			{Target: "variadic", Expr: `tags("a", clinet.Tag)`},
		},
		Lookups: map[string]map[string]string{"reps": {}},
	}
	_, err := Compile(spec, Options{Roots: []string{"client"}})
	var errs CompileErrors
	if !errors.As(err, &errs) {
		t.Fatalf("err = %v, want CompileErrors", err)
	}
	want := []struct {
		index     int
		part      string
		line, col int
		msg       string
	}{
		{1, "expr", 1, 1, "unknown name clinet"},
		{2, "expr", 1, 6, "cannot use int as argument (type string) to call trim"},
		{3, "expr", 1, 1, "not enough arguments to call e164"},
		{4, "expr", 1, 8, `no lookup table "repz" (have: reps)`},
		{5, "expr", 3, 1, "unexpected token"},
		{6, "expr", 1, 5, "mismatched types string and int"},
		{7, "", 0, 0, "needs a source path or an expression"},
		{8, "target", 0, 0, "target is empty"},
		{9, "target", 0, 0, `target "ok" is already set by field 1`},
		{10, "target", 0, 0, `overlaps target "ok" of field 1`},
		{11, "target", 0, 0, "cannot index a list"},
		{12, "source", 1, 8, "empty name"},
		{13, "expr", 1, 1, "too many arguments to call now"},
		{14, "expr", 1, 1, "max is not available in mappings"},
		{15, "expr", 1, 7, "unknown name clinet"},
		{16, "expr", 1, 11, "unknown name clinet"},
	}
	if len(errs) != len(want) {
		t.Fatalf("got %d errors, want %d:\n%v", len(errs), len(want), err)
	}
	for i, w := range want {
		e := errs[i]
		if e.Index != w.index || e.Part != w.part || e.Line != w.line || e.Column != w.col || !strings.Contains(e.Message, w.msg) {
			t.Errorf("error %d = %+v, want %+v", i, *e, w)
		}
		if e.Index >= 0 && e.Target != spec.Fields[e.Index].Target {
			t.Errorf("error %d names target %q", i, e.Target)
		}
	}
	if !strings.Contains(err.Error(), `field 2 "typo": expr 1:1: unknown name clinet`) {
		t.Errorf("Error() = %s", err)
	}
	if errs[1].Expr != `trim(1)` {
		t.Errorf("Expr = %q", errs[1].Expr)
	}
}

func TestCompileRoots(t *testing.T) {
	t.Parallel()

	// Roots come from Options and from source paths.
	_, err := Compile(Spec{Fields: []FieldSpec{
		{Target: "a", Source: "client.Email"},
		{Target: "b", Expr: "upper(client.Name) + contact.x"},
	}}, Options{Roots: []string{"contact"}})
	if err != nil {
		t.Fatal(err)
	}

	bad := []string{"source", "target", "value", "lookups", "$ctx", "trim", "9lives", "a-b", ""}
	for _, r := range bad {
		t.Run(r, func(t *testing.T) {
			t.Parallel()
			_, err := Compile(Spec{Fields: []FieldSpec{{Target: "a", Expr: "1"}}}, Options{Roots: []string{r}})
			var errs CompileErrors
			if !errors.As(err, &errs) || errs[0].Index != -1 || errs[0].Part != "roots" {
				t.Fatalf("root %q: err = %v", r, err)
			}
		})
	}

	_, err = Compile(Spec{Lookups: map[string]map[string]string{" ": {}}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "empty name") {
		t.Fatalf("empty table name: err = %v", err)
	}
}

func TestCompileMaxNodes(t *testing.T) {
	t.Parallel()

	big := strings.Repeat("1 + ", 300) + "1"
	_, err := Compile(Spec{Fields: []FieldSpec{{Target: "a", Expr: big}}}, Options{})
	if err == nil || !strings.Contains(err.Error(), "exceeds maximum allowed nodes") {
		t.Fatalf("err = %v", err)
	}
	if _, err := Compile(Spec{Fields: []FieldSpec{{Target: "a", Expr: big}}}, Options{MaxNodes: 5000}); err != nil {
		t.Fatalf("with MaxNodes 5000: %v", err)
	}
}

func TestCompileCache(t *testing.T) {
	t.Parallel()

	cache := NewCache(2)
	spec := Spec{
		Fields:  []FieldSpec{{Target: "a", Expr: `lookup("t", client.x)`}, {Target: "b", Expr: `upper(client.y)`}},
		Lookups: map[string]map[string]string{"t": {"1": "one"}},
	}
	m1, err := Compile(spec, Options{Roots: []string{"client"}, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if cache.Len() != 2 {
		t.Fatalf("cache holds %d programs, want 2", cache.Len())
	}
	// Same expressions, other tables: the cached programs are reused and
	// each mapping reads its own table.
	spec.Lookups = map[string]map[string]string{"t": {"1": "uno"}}
	m2, err := Compile(spec, Options{Roots: []string{"client"}, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if m1.fields[0].program != m2.fields[0].program {
		t.Fatal("program was not reused")
	}
	in := map[string]any{"client": map[string]any{"x": "1"}}
	o1, _ := m1.Apply(t.Context(), in)
	o2, _ := m2.Apply(t.Context(), in)
	if o1["a"] != "one" || o2["a"] != "uno" {
		t.Fatalf("outputs %v and %v", o1, o2)
	}

	// A cached program still gets its lookup tables checked.
	spec.Lookups = nil
	if _, err := Compile(spec, Options{Roots: []string{"client"}, Cache: cache}); err == nil {
		t.Fatal("missing table not reported on a cache hit")
	}
	// Other roots: another program; the cache stays bounded.
	if _, err := Compile(Spec{Fields: []FieldSpec{{Target: "a", Expr: "1"}}}, Options{Roots: []string{"zz"}, Cache: cache}); err != nil {
		t.Fatal(err)
	}
	if cache.Len() != 2 {
		t.Fatalf("cache holds %d programs, want at most 2", cache.Len())
	}
	if got := m1.Targets(); len(got) != 2 || got[0] != "a" || got[1] != "b" {
		t.Fatalf("Targets() = %v", got)
	}
}
