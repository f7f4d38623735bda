package flow_test

import (
	"context"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

// recordTypes gives the Go type of the record each trigger yields and each
// lookup finds, to check that templates' test records use the APIs' real
// field names. HighLevel webhook triggers yield {event, <object>}.
var recordTypes = map[string]reflect.Type{
	"repsly.client":         reflect.TypeFor[repsly.ClientRecord](),
	"repsly.client_note":    reflect.TypeFor[repsly.ClientNote](),
	"repsly.visit":          reflect.TypeFor[repsly.Visit](),
	"repsly.schedule":       reflect.TypeFor[repsly.Schedule](),
	"repsly.purchase_order": reflect.TypeFor[repsly.PurchaseOrder](),
	"repsly.form":           reflect.TypeFor[repsly.Form](),
	"ghl.contact":           reflect.TypeFor[ghl.Contact](),
	"ghl.task":              reflect.TypeFor[ghl.Task](),
	"ghl.appointment":       reflect.TypeFor[ghl.Appointment](),
}

func TestTemplates(t *testing.T) {
	t.Parallel()
	all, err := flow.Templates()
	if err != nil {
		t.Fatal(err)
	}
	if len(all) < 11 {
		t.Fatalf("%d templates, want at least 11", len(all))
	}
	seen := map[string]bool{}
	for _, tpl := range all {
		if seen[tpl.ID] {
			t.Errorf("template id %s repeated", tpl.ID)
		}
		seen[tpl.ID] = true
		t.Run(tpl.ID, func(t *testing.T) {
			t.Parallel()
			if tpl.Title == "" || tpl.Description == "" {
				t.Error("template needs a title and a description")
			}
			for _, set := range paramVariants(tpl) {
				p, err := tpl.Instantiate("", set, fullOptions())
				if err != nil {
					t.Fatalf("settings %v: %v", set, err)
				}
				f := p.Flow()
				if f.Name != tpl.ID {
					t.Errorf("flow name %q, want the template id", f.Name)
				}
				if f.Kind() != tpl.Kind {
					t.Errorf("flow kind %s, template says %s", f.Kind(), tpl.Kind)
				}
				ran := 0
				for _, r := range p.RunTests(context.Background()) {
					if !r.Passed {
						t.Errorf("settings %v: test %q failed: %s %s", set, r.Name, r.Error, strings.Join(r.Diffs, "; "))
					}
					if !r.Skipped {
						ran++
					}
				}
				if ran == 0 {
					t.Errorf("settings %v: no test case ran", set)
				}
				checkRecordFields(t, f)
			}
		})
	}
}

// paramVariants returns the defaults and one setting per enum value.
func paramVariants(tpl *flow.Template) []map[string]string {
	out := []map[string]string{nil}
	for _, p := range tpl.Params {
		for _, v := range p.Enum {
			if v != p.Default {
				out = append(out, map[string]string{p.Name: v})
			}
		}
	}
	return out
}

// checkRecordFields checks the field names of the records in the flow's
// test inputs against the API types.
func checkRecordFields(t *testing.T, f *flow.Flow) {
	t.Helper()
	roots := map[string]string{} // record name -> object
	if s := f.SyncStep(); s != nil {
		roots[rootName(s.Left)] = s.Left.Object
		roots[rootName(s.Right)] = s.Right.Object
	}
	if tr := f.Trigger; tr != nil {
		parts := strings.SplitN(tr.Operation, ".", 3)
		name := tr.As
		if name == "" {
			name = parts[1]
		}
		roots[name] = parts[0] + "." + parts[1]
	}
	for _, s := range f.Steps {
		if s.Lookup != nil {
			roots[s.ID] = s.Lookup.Object
		}
	}
	for _, tc := range f.Tests {
		for name, rec := range tc.Input {
			obj, ok := roots[name]
			if !ok {
				continue // an action's result
			}
			typ := recordTypes[obj]
			m, _ := rec.(map[string]any)
			if typ == nil || m == nil {
				t.Errorf("test %q: no record type for %s", tc.Name, obj)
				continue
			}
			if strings.HasPrefix(obj, "ghl.") && f.Trigger != nil && name == f.Trigger.As && !isSyncRoot(f, name) {
				// A webhook record: {event: {...}, <object>: {...}}.
				_, object, _ := strings.Cut(obj, ".")
				for k := range m {
					if k != "event" && k != object {
						t.Errorf("test %q: webhook record has %q; it holds event and %s", tc.Name, k, object)
					}
				}
				m, _ = m[object].(map[string]any)
			}
			fields := jsonFields(typ)
			for _, k := range slices.Sorted(maps.Keys(m)) {
				if !slices.Contains(fields, k) {
					t.Errorf("test %q: %s record has no field %q", tc.Name, obj, k)
				}
			}
		}
	}
}

func rootName(s flow.SyncSide) string {
	if s.As != "" {
		return s.As
	}
	_, object, _ := strings.Cut(s.Object, ".")
	return object
}

func isSyncRoot(f *flow.Flow, name string) bool {
	s := f.SyncStep()
	return s != nil && (rootName(s.Left) == name || rootName(s.Right) == name)
}

func TestTemplateSettings(t *testing.T) {
	t.Parallel()
	tpl, err := flow.TemplateByID("repsly-client-to-ghl-contact")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		set  map[string]string
		want string
	}{
		{"unknown setting", map[string]string{"on_deactivat": "tag"}, `did you mean "on_deactivate"`},
		{"value outside enum", map[string]string{"on_deactivate": "archive"}, `on_deactivate must be "tag", "delete" or "nothing"`},
		{"quote in free text", map[string]string{"inactive_tag": `x" || true || "`}, "may not hold quotes"},
		{"empty", map[string]string{"ghl_connection": " "}, "cannot be empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tpl.Instantiate("x", tt.set, flow.Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
		})
	}

	t.Run("connections and name", func(t *testing.T) {
		t.Parallel()
		p, err := tpl.Instantiate("acme-clients", map[string]string{"ghl_connection": "acme", "inactive_tag": "gone"}, flow.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f := p.Flow()
		if f.Name != "acme-clients" || f.Steps[0].Lookup.Connection != "acme" {
			t.Fatalf("name %q, lookup connection %q", f.Name, f.Steps[0].Lookup.Connection)
		}
		for _, r := range p.RunTests(context.Background()) {
			if !r.Passed {
				t.Errorf("test %q with another tag: %v %v", r.Name, r.Error, r.Diffs)
			}
		}
	})

	t.Run("missing connection is refused", func(t *testing.T) {
		t.Parallel()
		_, err := tpl.Instantiate("", map[string]string{"ghl_connection": "nope"}, fullOptions())
		if err == nil || !strings.Contains(err.Error(), `no connection named "nope"`) {
			t.Fatalf("err = %v", err)
		}
	})

	if _, err := flow.TemplateByID("repsly-client-to-ghl-contct"); err == nil || !strings.Contains(err.Error(), "did you mean") {
		t.Errorf("unknown template: %v", err)
	}
}
