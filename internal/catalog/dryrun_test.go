package catalog_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

func TestDryRunSendsNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, input, method, path, auth, body, note string
	}{
		{"ghl.contact.create", `{"firstName":"Ada","email":"ada@example.com"}`, "POST", "/contacts/", "Bearer REDACTED", `"email":"ada@example.com"`, ""},
		{"ghl.contact.get", `{"contactId":"{{contact}}"}`, "GET", "/contacts/{{contact}}", "Bearer REDACTED", "", ""},
		{"ghl.contact.find_or_create", `{"email":"new@example.com"}`, "GET", "/contacts/search/duplicate", "Bearer REDACTED", "", "later ones depend"},
		{"ghl.contact.updated.poll", `{}`, "POST", "/contacts/search", "Bearer REDACTED", `"dateUpdated"`, ""},
		{"repsly.client.upsert", `{"Code":"C-9","Name":"Nine"}`, "POST", "/v3/import/client", "Basic REDACTED", `"Code":"C-9"`, ""},
		{"repsly.client.updated", ``, "GET", "/v3/export/clients/0", "Basic REDACTED", "", ""},
		{"repsly.client.deactivate", `{"Code":"{{client}}"}`, "GET", "/v3/export/internal/client/{{client}}", "Basic REDACTED", "", "later ones depend"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			res, err := testCatalog.Call(context.Background(), b.clients, tt.id, string(tt.id[:strings.IndexByte(tt.id, '.')]),
				json.RawMessage(b.expand(tt.input)), true)
			if err != nil {
				t.Fatal(err)
			}
			d := res.DryRun
			if d == nil || res.Output != nil || res.Poll != nil {
				t.Fatalf("result %+v", res)
			}
			wantEq(t, "method", d.Request.Method, tt.method)
			if !strings.HasSuffix(strings.SplitN(d.Request.URL, "?", 2)[0], b.expand(tt.path)) {
				t.Errorf("url %s, want a path ending %s", d.Request.URL, b.expand(tt.path))
			}
			wantEq(t, "authorization", d.Request.Headers["Authorization"], tt.auth)
			if !strings.Contains(string(d.Request.Body), tt.body) {
				t.Errorf("body %s lacks %s", d.Request.Body, tt.body)
			}
			if !strings.Contains(d.Note, tt.note) {
				t.Errorf("note %q lacks %q", d.Note, tt.note)
			}
			raw, _ := json.Marshal(res)
			_, pw := b.repsly.Credentials()
			if strings.Contains(string(raw), b.clients.ghlToken) || strings.Contains(string(raw), pw) {
				t.Errorf("a secret is shown: %s", raw)
			}
			if n, m := b.ghlRequests(), b.repslyRequests(); n != 0 || m != 0 {
				t.Errorf("the dry run sent %d HighLevel and %d Repsly requests", n, m)
			}
		})
	}
}

func TestDryRunChecksFirst(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if _, err := testCatalog.Call(ctx, b.clients, "ghl.contact.create", "ghl", json.RawMessage(`{"tags":1}`), true); !errors.Is(err, catalog.ErrInvalidInput) {
		t.Errorf("bad input: %v", err)
	}
	b.clients.scopes = []string{"contacts.readonly"}
	if _, err := testCatalog.Call(ctx, b.clients, "ghl.contact.create", "ghl", json.RawMessage(`{}`), true); !errors.Is(err, catalog.ErrMissingScope) {
		t.Errorf("missing scope: %v", err)
	}
	if _, err := testCatalog.Call(ctx, b.clients, "ghl.contact.create", "nope", json.RawMessage(`{}`), true); err == nil {
		t.Error("unknown connection accepted")
	}
	e, _ := testCatalog.Get("ghl.contact.created")
	if _, err := e.DryRun(ctx, b.clients, "ghl", nil); !errors.Is(err, catalog.ErrWrongKind) {
		t.Errorf("webhook trigger dry run: %v", err)
	}
	// Clients that cannot describe their connections cannot dry-run.
	plain := struct{ catalog.Clients }{b.clients}
	b.clients.scopes = nil
	if _, err := testCatalog.Call(ctx, plain, "ghl.contact.create", "ghl", json.RawMessage(`{}`), true); err == nil {
		t.Error("dry run without a TargetResolver succeeded")
	}
	if b.ghlRequests() != 0 {
		t.Error("a request was sent")
	}
}

func TestCall(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	res, err := testCatalog.Call(ctx, b.clients, "ghl.contact.get", "ghl", json.RawMessage(b.expand(`{"contactId":"{{contact}}"}`)), false)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "email", str(t, res.Output, "email"), "ada@example.com")

	res, err = testCatalog.Call(ctx, b.clients, "repsly.client.updated", "repsly", json.RawMessage(`{"cursor":""}`), false)
	if err != nil {
		t.Fatal(err)
	}
	if p := res.Poll; p == nil || len(p.Records) != 12 || !strings.HasPrefix(p.NextCursor, "timestamp:") || !p.More {
		t.Errorf("poll call: %+v", res)
	}
	if _, err := testCatalog.Call(ctx, b.clients, "repsly.client.updated", "repsly", json.RawMessage(`{"cursr":""}`), false); !errors.Is(err, catalog.ErrInvalidInput) {
		t.Errorf("bad poll input: %v", err)
	}

	res, err = testCatalog.Call(ctx, b.clients, "ghl.note.created", "", json.RawMessage(`{"type":"NoteCreate","locationId":"l","id":"n1","contactId":"c1","body":"hi"}`), false)
	if err != nil {
		t.Fatal(err)
	}
	wantEq(t, "note body", str(t, res.Output, "note.body"), "hi")

	if _, err := testCatalog.Call(ctx, b.clients, "ghl.nope", "ghl", nil, false); !errors.Is(err, catalog.ErrUnknownEntry) {
		t.Errorf("unknown id: %v", err)
	}
	// API errors come back wrapped with the entry id.
	_, err = testCatalog.Call(ctx, b.clients, "ghl.contact.get", "ghl", json.RawMessage(`{"contactId":"missing"}`), false)
	if err == nil || !strings.HasPrefix(err.Error(), "ghl.contact.get: ") {
		t.Errorf("not found: %v", err)
	}
	_, err = testCatalog.Call(ctx, b.clients, "repsly.client.get", "repsly", json.RawMessage(`{"Code":"NOPE"}`), false)
	if err == nil {
		t.Error("unknown client code found")
	}
}
