package cli_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// TestSyncDryRunPlansBothSides: `sync run --dry-run` of a two-way flow
// lists the writes on both sides (contacts for unmatched clients, clients
// for unmatched contacts) and writes nothing anywhere.
func TestSyncDryRunPlansBothSides(t *testing.T) {
	t.Parallel()
	sb, err := sandbox.Start(sandbox.Options{Clients: 5, Contacts: 4, Overlap: 1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sb.Close)
	env := []string{"FIELDBRIDGE_DB=sqlite:" + filepath.Join(t.TempDir(), "fb.db"), "FIELDBRIDGE_MASTER_KEY=" + testMasterKey()}
	for _, args := range [][]string{
		{"connections", "add", "ghl", "--name", "g", "--base-url", sb.GHLBaseURL(), "--location", sandbox.LocationID, "--token", sandbox.GHLToken},
		{"connections", "add", "repsly", "--name", "r", "--base-url", sb.RepslyBaseURL(), "--username", repslysandbox.DefaultUsername, "--password", repslysandbox.DefaultPassword},
	} {
		if _, errOut, code := runProcess(t, env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	out, errOut, code := runProcess(t, env, "flows", "create", "--template", "repsly-ghl-two-way-sync", "--name", "two-way",
		"--set", "repsly_connection=r", "--set", "ghl_connection=g")
	if code != 0 {
		t.Fatalf("flows create: exit %d: %s", code, errOut)
	}
	if _, errOut, code := runProcess(t, env, "flows", "apply", writeFile(t, "two-way.yaml", out)); code != 0 {
		t.Fatalf("flows apply: exit %d: %s", code, errOut)
	}
	contacts, clients := len(sb.GHL.Contacts()), len(sb.Repsly.Clients())
	calls := sb.GHL.CallCount()

	out, errOut, code = runProcess(t, env, "sync", "run", "two-way", "--dry-run", "--json")
	if code != 0 {
		t.Fatalf("dry run: exit %d: %s", code, errOut)
	}
	var plan struct {
		DryRun bool `json:"dry_run"`
		Plan   []struct {
			Side, Action string
			Fields       []string
		} `json:"plan"`
	}
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("plan is not JSON: %v\n%s", err, out)
	}
	got := map[string]int{}
	for _, o := range plan.Plan {
		got[o.Side+"."+o.Action]++
		if o.Action == "create" && len(o.Fields) == 0 {
			t.Errorf("a planned %s create names no fields", o.Side)
		}
	}
	// One client and one contact share an email or phone: they link.
	if got["ghl.create"] != clients-1 || got["repsly.create"] != contacts-1 {
		t.Errorf("plan %v, want %d contacts and %d clients created", got, clients-1, contacts-1)
	}
	if len(sb.GHL.Contacts()) != contacts || len(sb.Repsly.Clients()) != clients {
		t.Errorf("the dry run wrote records: %d contacts, %d clients", len(sb.GHL.Contacts()), len(sb.Repsly.Clients()))
	}
	if n := sb.Repsly.RequestCount("import/client"); n != 0 {
		t.Errorf("the dry run posted %d imports", n)
	}
	if routes := sb.GHL.Calls().ByRoute; routes["POST /contacts/"] != 0 || routes["PUT /contacts/{contactId}"] != 0 {
		t.Errorf("the dry run wrote contacts: %v (%d calls)", routes, sb.GHL.CallCount()-calls)
	}
}
