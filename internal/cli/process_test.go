package cli_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// child is a fieldbridge process started from the test binary, whose JSON
// log lines are delivered on lines.
type child struct {
	cmd    *exec.Cmd
	lines  chan map[string]any
	stderr *strings.Builder
	exited chan error
}

func testMasterKey() string {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return base64.StdEncoding.EncodeToString(k)
}

func startChild(t *testing.T, env []string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), envChild+"=1", "FIELDBRIDGE_LOG_FORMAT=json", "FIELDBRIDGE_LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, lines: make(chan map[string]any, 100), stderr: &strings.Builder{}, exited: make(chan error, 1)}
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			c.stderr.WriteString(sc.Text() + "\n")
			var m map[string]any
			if json.Unmarshal(sc.Bytes(), &m) == nil {
				c.lines <- m
			}
		}
		close(c.lines)
		c.exited <- cmd.Wait()
	}()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	return c
}

// waitFor returns the first log line whose msg is msg, failing the test if
// the process exits or ctx ends first.
func (c *child) waitFor(ctx context.Context, t *testing.T, msg string) map[string]any {
	t.Helper()
	for {
		select {
		case m, ok := <-c.lines:
			if !ok {
				t.Fatalf("process exited before logging %q; output:\n%s", msg, c.stderr)
			}
			if m["msg"] == msg {
				return m
			}
		case <-ctx.Done():
			t.Fatalf("no %q log line in time; output:\n%s", msg, c.stderr)
		}
	}
}

// wait waits for the process to exit and returns its exit code.
func (c *child) wait(ctx context.Context, t *testing.T) int {
	t.Helper()
	for range c.lines {
	}
	select {
	case err := <-c.exited:
		if ee, ok := err.(*exec.ExitError); ok {
			return ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return 0
	case <-ctx.Done():
		t.Fatal("process did not exit in time")
		return -1
	}
}

func (c *child) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := c.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

func sqliteEnv(t *testing.T) (dsn string, env []string) {
	t.Helper()
	dsn = "sqlite:" + filepath.Join(t.TempDir(), "fb.db")
	return dsn, []string{
		"FIELDBRIDGE_DB=" + dsn,
		"FIELDBRIDGE_LISTEN=127.0.0.1:0",
		"FIELDBRIDGE_MASTER_KEY=" + testMasterKey(),
	}
}
