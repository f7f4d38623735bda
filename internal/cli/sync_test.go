package cli_test

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
)

// TestSyncDryRunPlansBothSides: `sync run --dry-run` of a two-way flow
// lists the writes on both sides (contacts for unmatched clients, clients
// for unmatched contacts) and writes nothing anywhere.
func TestSyncDryRunPlansBothSides(t *testing.T) {
	t.Parallel()
	sb, env := syncSetup(t, sandbox.Options{Clients: 5, Contacts: 4, Overlap: 1, Seed: 3})
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

// TestSyncRunWritesHistory: a foreground `sync run` records its backfill in
// run history, as the server's jobs do, with one record per contact it
// created, so `runs list` and `runs show` tell what it did.
func TestSyncRunWritesHistory(t *testing.T) {
	t.Parallel()
	_, env := syncSetup(t, sandbox.Options{Clients: 6, Seed: 3})
	for _, args := range [][]string{
		{"flows", "create", "--template", "repsly-ghl-two-way-sync", "--name", "two-way", "--set", "repsly_connection=r", "--set", "ghl_connection=g", "--apply"},
		{"sync", "run", "two-way"},
	} {
		if _, errOut, code := runProcess(t, env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	out, errOut, code := runProcess(t, env, "runs", "list", "--flow", "two-way", "--json")
	if code != 0 {
		t.Fatalf("runs list: exit %d: %s", code, errOut)
	}
	var runs []struct {
		ID     int64
		Kind   string
		Status string
		Stats  string
	}
	if err := json.Unmarshal([]byte(out), &runs); err != nil {
		t.Fatalf("runs list is not JSON: %v\n%s", err, out)
	}
	var backfill int64
	for _, r := range runs {
		if r.Kind == "backfill" {
			backfill = r.ID
			if r.Status != "succeeded" || !strings.Contains(r.Stats, `"ghl.create":6`) {
				t.Errorf("backfill run %+v, want succeeded with 6 contacts created", r)
			}
		}
	}
	if backfill == 0 {
		t.Fatalf("no backfill run in history: %s", out)
	}
	out, errOut, code = runProcess(t, env, "runs", "show", strconv.FormatInt(backfill, 10), "--json")
	if code != 0 {
		t.Fatalf("runs show: exit %d: %s", code, errOut)
	}
	var shown struct {
		Records []struct{ Action, RecordKey string } `json:"records"`
	}
	if err := json.Unmarshal([]byte(out), &shown); err != nil {
		t.Fatalf("runs show is not JSON: %v\n%s", err, out)
	}
	creates := 0
	for _, r := range shown.Records {
		if r.Action == "create" {
			creates++
		}
	}
	if creates != 6 {
		t.Errorf("%d create records in the backfill run, want 6: %s", creates, out)
	}
}

// syncSetup starts sandboxes seeded with opts and a database holding the
// connections "g" (HighLevel) and "r" (Repsly) to them, and returns the
// sandboxes and the environment of the CLI processes.
func syncSetup(t *testing.T, opts sandbox.Options) (*sandbox.Env, []string) {
	t.Helper()
	sb, err := sandbox.Start(opts)
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
	return sb, env
}
