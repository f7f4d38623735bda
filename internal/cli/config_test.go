package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

// TestBadConfigIsOneClearLine runs serve with broken settings and checks the
// exit code and that stderr is a single line naming the setting, with no
// panic or stack trace.
func TestBadConfigIsOneClearLine(t *testing.T) {
	t.Parallel()
	key := "FIELDBRIDGE_MASTER_KEY=" + testMasterKey()
	tests := []struct {
		name string
		env  []string
		want string
	}{
		{"short master key", []string{"FIELDBRIDGE_DB=sqlite:" + t.TempDir() + "/fb.db", "FIELDBRIDGE_MASTER_KEY=c2hvcnQ="}, "fieldbridge: vault: "},
		{"bad dsn", []string{"FIELDBRIDGE_DB=mysql://x", key}, "fieldbridge: FIELDBRIDGE_DB: unknown scheme"},
		{"missing master key", []string{"FIELDBRIDGE_DB=sqlite:" + t.TempDir() + "/fb.db"}, "fieldbridge: FIELDBRIDGE_MASTER_KEY: not set"},
		{"unreachable postgres", []string{"FIELDBRIDGE_DB=postgres://u:hunter2@127.0.0.1:1/db", key}, "fieldbridge: FIELDBRIDGE_DB: cannot reach PostgreSQL at 127.0.0.1:1"},
		{"bad listen", []string{"FIELDBRIDGE_DB=sqlite:" + t.TempDir() + "/fb.db", "FIELDBRIDGE_LISTEN=nope", key}, "fieldbridge: FIELDBRIDGE_LISTEN"},
		{"bad duration", []string{"FIELDBRIDGE_SHUTDOWN_TIMEOUT=soon", key}, "fieldbridge: FIELDBRIDGE_SHUTDOWN_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := append([]string{"FIELDBRIDGE_LISTEN=127.0.0.1:0"}, tt.env...) // later entries win
			c := startChild(t, env, "serve")
			code := c.wait(context.Background(), t)
			out := c.stderr.String()
			if code != 1 {
				t.Fatalf("exit code %d, want 1; stderr:\n%s", code, out)
			}
			if strings.Count(strings.TrimSpace(out), "\n") != 0 {
				t.Fatalf("stderr has several lines:\n%s", out)
			}
			if !strings.HasPrefix(out, tt.want) {
				t.Fatalf("stderr %q, want prefix %q", out, tt.want)
			}
			for _, bad := range []string{"panic", "goroutine", "hunter2"} {
				if strings.Contains(out, bad) {
					t.Fatalf("stderr contains %q: %s", bad, out)
				}
			}
		})
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"version"}, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.HasPrefix(out.String(), "fieldbridge ") {
		t.Fatalf("version printed %q", out.String())
	}
}

func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	args := []string{"migrate", "--db", "sqlite:" + t.TempDir() + "/fb.db", "--log-format", "json"}
	if code := cli.Main(context.Background(), args, nil, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "database is up to date (sqlite)") {
		t.Fatalf("migrate printed %q", out.String())
	}
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	var out, errOut bytes.Buffer
	if code := cli.Main(context.Background(), []string{"frobnicate"}, nil, &out, &errOut); code == 0 {
		t.Fatal("unknown command exited 0")
	}
	if !strings.Contains(errOut.String(), "unknown command") {
		t.Fatalf("stderr %q", errOut.String())
	}
}
