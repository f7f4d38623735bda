package automation_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/automation"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
)

func TestClassify(t *testing.T) {
	t.Parallel()
	step := func(err error) error { return &flow.StepError{Index: 2, Kind: flow.StepAction, Err: err} }
	tests := []struct {
		name string
		err  error
		want automation.Class
	}{
		{"nil", nil, automation.ClassRecord},
		{"ghl 5xx", step(fmt.Errorf("ghl.note.create: %w", ghl.ErrServer)), automation.ClassTransient},
		{"ghl 429", step(ghl.ErrRateLimited), automation.ClassTransient},
		{"repsly 5xx", &repsly.Error{Method: "GET", Path: "export/clients/0", StatusCode: 503, Kind: repsly.ErrServer}, automation.ClassTransient},
		{"repsly 429", step(&repsly.Error{StatusCode: 429, Kind: repsly.ErrRateLimited}), automation.ClassTransient},
		{"import pending", step(repsly.ErrImportTimeout), automation.ClassTransient},
		{"timeout", step(context.DeadlineExceeded), automation.ClassTransient},
		{"network", step(&url.Error{Op: "Post", URL: "https://example.invalid", Err: errors.New("connection refused")}), automation.ClassTransient},
		{"ghl unauthorized", step(ghl.ErrUnauthorized), automation.ClassConnection},
		{"ghl missing scope", step(ghl.ErrMissingScope), automation.ClassConnection},
		{"repsly unauthorized", &repsly.Error{StatusCode: 401, Kind: repsly.ErrUnauthorized}, automation.ClassConnection},
		{"catalog scope", step(&catalog.MissingScopeError{Entry: "ghl.note.create", Connection: "ghl", Scope: "contacts.write"}), automation.ClassConnection},
		{"no connection", &automation.ConnectionError{Connection: "ghl", Err: errors.New("no such connection")}, automation.ClassConnection},
		{"connection unreachable", &automation.ConnectionError{Connection: "ghl", Err: &url.Error{Op: "Get", Err: errors.New("refused")}}, automation.ClassTransient},
		{"ghl not found", step(ghl.ErrNotFound), automation.ClassRecord},
		{"ghl validation", step(ghl.ErrValidation), automation.ClassRecord},
		{"repsly import failed", step(&repsly.ImportError{Endpoint: "import_schedule", Reasons: []string{"unknown client"}}), automation.ClassRecord},
		{"invalid input", step(&catalog.InputError{Entry: "ghl.note.create", Problems: []string{"body: missing"}}), automation.ClassRecord},
		{"expression", step(errors.New("filter must give true or false")), automation.ClassRecord},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if got := automation.Classify(tc.err); got != tc.want {
				t.Errorf("Classify(%v) = %s, want %s", tc.err, got, tc.want)
			}
		})
	}
}

func ExampleClassify() {
	err := fmt.Errorf("flow: steps[2] action: ghl.note.create: %w", ghl.ErrServer)
	fmt.Println(automation.Classify(err))
	fmt.Println(automation.Classify(fmt.Errorf("ghl.contact.get: %w", ghl.ErrNotFound)))
	// Output:
	// transient
	// record
}
