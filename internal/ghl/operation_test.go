package ghl

import (
	"slices"
	"testing"
)

func TestOperationsMatchSpec(t *testing.T) {
	t.Parallel()
	spec := testSpec(t)
	seen := make(map[string]bool)
	for _, op := range Operations() {
		t.Run(op.ID, func(t *testing.T) {
			t.Parallel()
			doc := spec.Doc("apps/" + op.Spec + ".json")
			if doc == nil {
				t.Fatalf("no spec file for %q", op.Spec)
			}
			item := doc.Paths.Value(op.Path)
			if item == nil || item.GetOperation(op.Method) == nil {
				t.Fatalf("%s %s not in %s.json", op.Method, op.Path, op.Spec)
			}
			sop := item.GetOperation(op.Method)
			if sop.OperationID != op.ID {
				t.Errorf("operationId = %q, table says %q", sop.OperationID, op.ID)
			}
			version := ""
			if p := sop.Parameters.GetByInAndName("header", "Version"); p != nil {
				version = p.Schema.Value.Enum[0].(string)
			}
			if version != op.Version {
				t.Errorf("Version = %q, table says %q", version, op.Version)
			}
			var scopes []string
			if sop.Security != nil && len(*sop.Security) > 0 {
				for _, s := range (*sop.Security)[0] {
					scopes = append(scopes, s...)
				}
			}
			switch {
			case op.ScopesInferred && len(scopes) != 0:
				t.Errorf("scopes marked inferred but the spec declares %v", scopes)
			case !op.ScopesInferred && !slices.Equal(scopes, op.Scopes):
				t.Errorf("scopes = %v, table says %v", scopes, op.Scopes)
			}
			if sop.Deprecated != op.Deprecated {
				t.Errorf("deprecated = %v, table says %v", sop.Deprecated, op.Deprecated)
			}
		})
		if seen[op.ID] {
			t.Errorf("operation %s listed twice", op.ID)
		}
		seen[op.ID] = true
	}
}

func TestOperationsCoverContactsAPI(t *testing.T) {
	t.Parallel()
	doc := testSpec(t).Doc("apps/contacts.json")
	ids := make(map[string]bool)
	for _, op := range Operations() {
		ids[op.ID] = true
	}
	n := 0
	for _, item := range doc.Paths.Map() {
		for _, sop := range item.Operations() {
			n++
			if !ids[sop.OperationID] {
				t.Errorf("contacts operation %s missing from the table", sop.OperationID)
			}
		}
	}
	if n != 32 {
		t.Errorf("contacts.json has %d operations, the table was written for 32", n)
	}
	count := map[string]int{}
	for _, op := range Operations() {
		count[op.Spec]++
	}
	if count["contacts"] != 32 || count["calendars"] != 13 {
		t.Errorf("table has %d contacts and %d calendars operations, want 32 and 13", count["contacts"], count["calendars"])
	}
}

func TestExpandPath(t *testing.T) {
	t.Parallel()
	op := Operation{ID: "x", Method: "GET", Path: "/contacts/{contactId}/notes/{id}"}
	tests := []struct {
		params  []string
		want    string
		wantErr bool
	}{
		{params: []string{"a", "b"}, want: "/contacts/a/notes/b"},
		{params: []string{"a/b", "c d"}, want: "/contacts/a%2Fb/notes/c%20d"},
		{params: []string{"", "b"}, wantErr: true},
		{params: []string{"a"}, wantErr: true},
		{params: []string{"a", "b", "c"}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := expandPath(op, tt.params)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("expandPath(%q) = %q, %v; want %q, err=%v", tt.params, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLookupOperation(t *testing.T) {
	t.Parallel()
	op, ok := LookupOperation(OpGetContact)
	if !ok || op.Path != "/contacts/{contactId}" || op.Version != Version20210728 {
		t.Fatalf("LookupOperation(get-contact) = %+v, %v", op, ok)
	}
	if _, ok := LookupOperation("nope"); ok {
		t.Fatal("LookupOperation(nope) found something")
	}
}
