package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

// runMain runs the command line in-process (for commands that need no
// database) and returns stdout, stderr and the exit code.
func runMain(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// runProcess runs the command line as a child process with env (for
// commands that open the database, which read FIELDBRIDGE_* variables).
func runProcess(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envChild+"=1")
	cmd.Env = append(cmd.Env, env...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

func writeFile(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

const cliFlow = `name: cli-flow
description: a flow for the CLI tests
trigger: {operation: repsly.client.updated, connection: repsly}
steps:
  - id: contact
    map:
      email: lower(trim(client.Email))
      companyName: client.Name
tests:
  - name: lower-cased
    input: {client: {Email: " A@B.com", Name: Shop}}
    expect: {contact: {email: a@b.com, companyName: Shop}}
`

func TestFlowsValidate(t *testing.T) {
	t.Parallel()
	good := writeFile(t, "good.yaml", cliFlow)
	out, errOut, code := runMain(t, "", "flows", "validate", good)
	if code != 0 || !strings.Contains(out, `ok: automation flow "cli-flow", 1 steps, 1 tests`) {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}

	bad := writeFile(t, "bad.yaml", strings.NewReplacer("lower(trim(client.Email))", "lower(trim(clent.Email))",
		"connection: repsly}", "conection: repsly}").Replace(cliFlow))
	out, errOut, code = runMain(t, "", "flows", "validate", bad)
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s%s", code, out, errOut)
	}
	want := []string{
		bad + `:3:45: trigger.conection: unknown key (did you mean "connection"?)`,
		bad + `:7:25: steps[0].map.email: unknown name clent (did you mean "client"?)`,
		"fieldbridge: " + bad + ": 2 problems",
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if len(lines) != len(want) {
		t.Fatalf("stderr:\n%s", errOut)
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want prefix %q", i, lines[i], w)
		}
	}

	// Standard input works too.
	out, _, code = runMain(t, cliFlow, "flows", "validate", "-")
	if code != 0 || !strings.HasPrefix(out, "-: ok") {
		t.Fatalf("stdin: exit %d: %s", code, out)
	}
}

func TestFlowsTest(t *testing.T) {
	t.Parallel()
	good := writeFile(t, "good.yaml", cliFlow)
	out, errOut, code := runMain(t, "", "flows", "test", good)
	if code != 0 || !strings.Contains(out, "PASS  lower-cased") || !strings.Contains(out, "1 passed, 0 failed, 0 skipped") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}

	failing := writeFile(t, "failing.yaml", strings.Replace(cliFlow, "companyName: Shop}", "companyName: Shop, phone: x}", 1))
	out, errOut, code = runMain(t, "", "flows", "test", failing)
	if code != 1 || !strings.Contains(out, "FAIL  lower-cased\n      contact.phone: want \"x\", got nothing") ||
		!strings.Contains(errOut, "1 of 1 tests failed") {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}

	out, _, code = runMain(t, "", "flows", "test", "--json", good)
	var results []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &results) != nil || len(results) != 1 || results[0]["passed"] != true {
		t.Fatalf("json: exit %d: %s", code, out)
	}
}

func TestFlowsPreview(t *testing.T) {
	t.Parallel()
	good := writeFile(t, "good.yaml", cliFlow)
	out, errOut, code := runMain(t, "", "flows", "preview", good, "--sample", `{"Email":"X@Y.com","Name":"Deli","n":1}`)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct {
		Steps []struct {
			Output map[string]any `json:"output"`
		} `json:"steps"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || res.Steps[0].Output["email"] != "x@y.com" {
		t.Fatalf("preview %s: %v", out, err)
	}

	sample := writeFile(t, "sample.json", `{"client": {"Email": "Z@Y.com"}}`)
	out, _, code = runMain(t, "", "flows", "preview", good, "--sample", "@"+sample)
	if code != 0 || !strings.Contains(out, `"email": "z@y.com"`) {
		t.Fatalf("sample file: exit %d: %s", code, out)
	}

	_, errOut, code = runMain(t, "", "flows", "preview", good, "--sample", "[1]")
	if code == 0 || !strings.Contains(errOut, "--sample: not a JSON object") {
		t.Fatalf("bad sample: exit %d: %s", code, errOut)
	}
}

func TestTemplatesListAndCreate(t *testing.T) {
	t.Parallel()
	out, errOut, code := runMain(t, "", "templates", "list", "--json")
	var list []struct {
		ID     string `json:"id"`
		Kind   string `json:"kind"`
		Params []struct {
			Name string `json:"name"`
		} `json:"params"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) < 11 {
		t.Fatalf("exit %d: %s%s", code, out, errOut)
	}
	out, _, code = runMain(t, "", "templates", "list")
	if code != 0 || !strings.Contains(out, "repsly-ghl-two-way-sync") || !strings.Contains(out, "on_deactivate=tag (tag|delete|nothing)") {
		t.Fatalf("table: exit %d: %s", code, out)
	}

	for _, tpl := range list {
		out, errOut, code := runMain(t, "", "flows", "create", "--template", tpl.ID, "--name", "made-"+tpl.ID)
		if code != 0 {
			t.Fatalf("create %s: exit %d: %s", tpl.ID, code, errOut)
		}
		file := writeFile(t, tpl.ID+".yaml", out)
		if out, errOut, code := runMain(t, "", "flows", "test", file); code != 0 {
			t.Errorf("the flow made from %s fails its tests:\n%s%s", tpl.ID, out, errOut)
		}
	}

	_, errOut, code = runMain(t, "", "flows", "create", "--template", "repsly-client-to-ghl-contact", "--name", "x",
		"--set", "on_deactivate=archive")
	if code == 0 || !strings.Contains(errOut, `on_deactivate must be "tag", "delete" or "nothing", not "archive"`) {
		t.Fatalf("bad setting: exit %d: %s", code, errOut)
	}
	_, errOut, code = runMain(t, "", "flows", "create", "--template", "nope", "--name", "x")
	if code == 0 || !strings.Contains(errOut, `no template "nope"`) {
		t.Fatalf("unknown template: exit %d: %s", code, errOut)
	}
}

func TestFlowsApplyListExport(t *testing.T) {
	t.Parallel()
	env := []string{"FIELDBRIDGE_DB=sqlite:" + filepath.Join(t.TempDir(), "fb.db"), "FIELDBRIDGE_MASTER_KEY=" + testMasterKey()}
	file := writeFile(t, "flow.yaml", cliFlow)

	// The flow's connection does not exist yet.
	_, errOut, code := runProcess(t, env, "flows", "apply", file)
	if code != 1 || !strings.Contains(errOut, `trigger.connection: no connection named "repsly"; add it with fieldbridge connections add repsly`) {
		t.Fatalf("apply without the connection: exit %d: %s", code, errOut)
	}
	if _, errOut, code := runProcess(t, env, "connections", "add", "repsly", "--name", "repsly", "--username", "u", "--password", "p"); code != 0 {
		t.Fatalf("add connection: %s", errOut)
	}
	out, errOut, code := runProcess(t, env, "flows", "validate", "--check-connections", file)
	if code != 0 {
		t.Fatalf("validate --check-connections: exit %d: %s%s", code, out, errOut)
	}

	out, errOut, code = runProcess(t, env, "flows", "apply", file)
	if code != 0 || !strings.Contains(out, `applied automation flow "cli-flow" as version 1`) {
		t.Fatalf("apply: exit %d: %s%s", code, out, errOut)
	}
	out, _, _ = runProcess(t, env, "flows", "apply", file)
	if !strings.Contains(out, `flow "cli-flow" unchanged at version 1`) {
		t.Fatalf("apply again: %s", out)
	}
	changed := strings.Replace(cliFlow, "a flow for the CLI tests", "changed", 1)
	if err := os.WriteFile(file, []byte(changed), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, _ = runProcess(t, env, "flows", "apply", "--json", file)
	var applied map[string]any
	if err := json.Unmarshal([]byte(out), &applied); err != nil || applied["version"] != 2.0 || applied["changed"] != true {
		t.Fatalf("apply a change: %s", out)
	}

	out, _, code = runProcess(t, env, "flows", "list", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) != 1 || list[0]["name"] != "cli-flow" ||
		list[0]["description"] != "changed" || list[0]["enabled"] != true {
		t.Fatalf("list: %s", out)
	}
	out, _, _ = runProcess(t, env, "flows", "list")
	if !strings.Contains(out, "cli-flow") || !strings.Contains(out, "automation") {
		t.Fatalf("list table: %s", out)
	}

	out, _, code = runProcess(t, env, "flows", "export", "cli-flow")
	if code != 0 || out != changed {
		t.Fatalf("export: exit %d:\n%s", code, out)
	}
	out, _, _ = runProcess(t, env, "flows", "export", "cli-flow", "--version", "1")
	if out != cliFlow {
		t.Fatalf("export version 1:\n%s", out)
	}
	_, errOut, code = runProcess(t, env, "flows", "export", "nope")
	if code == 0 || !strings.Contains(errOut, `no flow "nope"`) {
		t.Fatalf("export unknown: exit %d: %s", code, errOut)
	}

	// A template applied straight away; its HighLevel connection is missing.
	_, errOut, code = runProcess(t, env, "flows", "create", "--template", "repsly-client-notes-to-ghl-notes", "--name", "notes", "--apply")
	if code != 1 || !strings.Contains(errOut, `no connection named "ghl"`) {
		t.Fatalf("create --apply without ghl: exit %d: %s", code, errOut)
	}
	if _, errOut, code := runProcess(t, env, "connections", "add", "ghl", "--name", "ghl", "--token", "pit-x", "--location", "loc",
		"--scopes", "contacts.readonly"); code != 0 {
		t.Fatalf("add ghl: %s", errOut)
	}
	_, errOut, code = runProcess(t, env, "flows", "create", "--template", "repsly-client-notes-to-ghl-notes", "--name", "notes", "--apply")
	if code != 1 || !strings.Contains(errOut, `connection "ghl" lacks the scope contacts.write`) {
		t.Fatalf("create --apply with a read-only token: exit %d: %s", code, errOut)
	}
	out, errOut, code = runProcess(t, env, "flows", "create", "--template", "repsly-client-notes-to-ghl-notes", "--name", "notes",
		"--set", "ghl_connection=ghl2", "--apply")
	if code != 1 || !strings.Contains(errOut, `no connection named "ghl2" (did you mean "ghl"?)`) {
		t.Fatalf("create --apply with another connection: exit %d: %s%s", code, out, errOut)
	}
}
