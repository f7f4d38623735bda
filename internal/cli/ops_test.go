package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/cli"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
)

func TestOpsListAndDescribe(t *testing.T) {
	t.Parallel()
	run := func(args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		code := cli.Main(context.Background(), args, nil, &out, &errOut)
		return out.String(), errOut.String(), code
	}
	out, errOut, code := run("ops", "list", "--json")
	var list []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &list) != nil || len(list) < 126 {
		t.Fatalf("ops list --json: exit %d, %d entries, stderr %s", code, len(list), errOut)
	}
	for _, k := range []string{"id", "app", "kind", "scopes", "title"} {
		if _, ok := list[0][k]; !ok {
			t.Errorf("listed operations lack %q", k)
		}
	}

	out, _, code = run("ops", "list", "--app", "repsly", "--kind", "trigger")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) < 10 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("ops list --app repsly --kind trigger: exit %d\n%s", code, out)
	}
	for _, l := range lines[1:] {
		if !strings.HasPrefix(l, "repsly.") || !strings.Contains(l, " poll ") {
			t.Errorf("unexpected line %q", l)
		}
	}
	if _, errOut, code = run("ops", "list", "--app", "hubspot"); code == 0 || !strings.Contains(errOut, "use ghl or repsly") {
		t.Errorf("bad --app: exit %d, %s", code, errOut)
	}

	out, _, code = run("ops", "describe", "ghl.contact.note.add_by_email")
	for _, want := range []string{"Add note to contact found by email", "Scopes: `contacts.readonly`, `contacts.write`", "| `email` | string | yes |", "Example input:"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("describe lacks %q (exit %d):\n%s", want, code, out)
		}
	}
	out, _, code = run("ops", "describe", "repsly.client.upsert", "--json")
	var e map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &e) != nil || e["input_schema"] == nil || e["example"] == nil {
		t.Errorf("describe --json: exit %d\n%s", code, out)
	}
	if _, errOut, code = run("ops", "describe", "ghl.nope"); code != 1 || !strings.Contains(errOut, "unknown operation") {
		t.Errorf("describe unknown: exit %d, %s", code, errOut)
	}
}

// runChild runs the fieldbridge command line in a child process (the master
// key comes from the environment) and returns stdout, stderr and the exit code.
func runChild(t *testing.T, env []string, args ...string) (string, string, int) {
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

func TestOpsCall(t *testing.T) {
	t.Parallel()
	sb := ghlsandbox.New(ghlsandbox.Options{Seed: 5})
	t.Cleanup(func() { _ = sb.Close() })
	gsrv := httptest.NewServer(sb)
	t.Cleanup(gsrv.Close)
	loc := sb.DefaultLocationID()
	pit := sb.IssueToken(loc)
	if _, err := sb.UserCreateContact(ghlsandbox.Contact{FirstName: "Ada", Email: "ada@example.com"}); err != nil {
		t.Fatal(err)
	}
	rs := repslysandbox.New(repslysandbox.Options{PendingPolls: repslysandbox.NoPendingPolls})
	if err := rs.Seed(repslysandbox.SeedOptions{Clients: 3, Seed: 1, Days: 1, Representatives: 1}); err != nil {
		t.Fatal(err)
	}
	rsrv := httptest.NewServer(rs)
	t.Cleanup(rsrv.Close)
	user, pw := rs.Credentials()

	dir := t.TempDir()
	env := []string{"FIELDBRIDGE_DB=sqlite:" + filepath.Join(dir, "fb.db"), "FIELDBRIDGE_MASTER_KEY=" + testMasterKey()}
	for _, args := range [][]string{
		{"connections", "add", "ghl", "--name", "g", "--base-url", gsrv.URL, "--location", loc, "--token", pit},
		{"connections", "add", "repsly", "--name", "r", "--base-url", rsrv.URL + "/v3/", "--username", user, "--password", pw},
	} {
		if _, errOut, code := runChild(t, env, args...); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errOut)
		}
	}
	sb.ResetCalls()
	rs.ResetRequests()

	out, errOut, code := runChild(t, env, "ops", "call", "ghl.contact.find_by_email", "--connection", "g", "--input", `{"email":"ada@example.com"}`)
	if code != 0 || !strings.Contains(out, `"found": true`) {
		t.Fatalf("call: exit %d\n%s%s", code, out, errOut)
	}

	calls := sb.CallCount()
	out, errOut, code = runChild(t, env, "ops", "call", "ghl.contact.create", "--connection", "g", "--input", `{"firstName":"Grace"}`, "--dry-run")
	if code != 0 || !strings.Contains(out, `"Authorization": "Bearer REDACTED"`) || !strings.Contains(out, `"firstName": "Grace"`) {
		t.Fatalf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if strings.Contains(out+errOut, pit) || sb.CallCount() != calls {
		t.Errorf("the dry run showed the token or sent %d requests", sb.CallCount()-calls)
	}

	file := filepath.Join(dir, "client.json")
	if err := os.WriteFile(file, []byte(`{"Code":"C-9","Name":"Nine"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, code = runChild(t, env, "ops", "call", "repsly.client.upsert", "--connection", "r", "--input", "@"+file, "--dry-run")
	if code != 0 || !strings.Contains(out, `"Authorization": "Basic REDACTED"`) || !strings.Contains(out, "import/client") || strings.Contains(out, pw) {
		t.Fatalf("repsly dry run: exit %d\n%s%s", code, out, errOut)
	}
	if n := rs.RequestCount("import/client"); n != 0 {
		t.Errorf("the dry run posted %d imports", n)
	}

	_, errOut, code = runChild(t, env, "ops", "call", "ghl.contact.get", "--connection", "g", "--input", `{"contactId":5}`)
	if code != 1 || !strings.Contains(errOut, `field "contactId": got number, want string`) || sb.CallCount() != calls {
		t.Errorf("bad input: exit %d, %s, %d requests", code, errOut, sb.CallCount()-calls)
	}

	out, errOut, code = runChild(t, env, "ops", "call", "repsly.client.updated", "--connection", "r")
	var poll struct {
		Records    []json.RawMessage `json:"records"`
		NextCursor string            `json:"next_cursor"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &poll) != nil || len(poll.Records) != 3 || poll.NextCursor == "" {
		t.Errorf("poll: exit %d\n%s%s", code, out, errOut)
	}

	if _, errOut, code = runChild(t, env, "ops", "call", "ghl.contact.get", "--input", `{}`); code != 1 || !strings.Contains(errOut, "--connection is required") {
		t.Errorf("no connection: exit %d, %s", code, errOut)
	}
}
