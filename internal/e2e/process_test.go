package e2e_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// server runs `fieldbridge serve` as a child process, one at a time, and
// keeps the log of every start in one file for the failure messages.
type server struct {
	t       *testing.T
	env     []string
	logPath string
	starts  int
	cur     *child
}

// child is one run of the server process.
type child struct {
	cmd    *exec.Cmd
	addr   chan string   // the listening address, once
	done   chan struct{} // closed when the process has exited
	err    error         // cmd.Wait's result, set before done closes
	errors int           // ERROR log lines, read after done
}

// newServer returns the server of one test; its log goes to dir (kept
// with the database under FIELDBRIDGE_E2E_KEEP).
func newServer(t *testing.T, env []string, dir string) *server {
	t.Helper()
	s := &server{t: t, env: env, logPath: filepath.Join(dir, "fieldbridge.log")}
	t.Cleanup(func() {
		if s.cur != nil {
			_ = s.cur.cmd.Process.Kill()
			<-s.cur.done
		}
	})
	return s
}

// start runs the server and returns its address once it listens.
func (s *server) start(ctx context.Context) string {
	s.t.Helper()
	if s.cur != nil {
		s.t.Fatalf("server: start while run %d is still running", s.starts)
	}
	s.starts++
	logf, err := os.OpenFile(s.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		s.t.Fatal(err)
	}
	fmt.Fprintf(logf, "=== start %d at %s\n", s.starts, time.Now().Format(time.RFC3339Nano))
	cmd := exec.Command(os.Args[0], "serve")
	cmd.Env = append(os.Environ(), envChild+"=1", "FIELDBRIDGE_LOG_FORMAT=json", "FIELDBRIDGE_LOG_LEVEL=info")
	cmd.Env = append(cmd.Env, s.env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		s.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	c := &child{cmd: cmd, addr: make(chan string, 1), done: make(chan struct{})}
	go c.read(stderr, logf)
	s.cur = c
	select {
	case addr := <-c.addr:
		return addr
	case <-c.done:
		s.t.Fatalf("server run %d exited before listening (%v); log tail:\n%s", s.starts, c.err, s.tail(40))
	case <-ctx.Done():
		s.t.Fatalf("server run %d did not listen in time; log tail:\n%s", s.starts, s.tail(40))
	}
	return ""
}

// read copies the process's log to the file, never blocking the process,
// and picks out the listening address.
func (c *child) read(r io.Reader, logf *os.File) {
	defer func() {
		c.err = c.cmd.Wait()
		fmt.Fprintf(logf, "=== exited: %v\n", c.err)
		_ = logf.Close()
		close(c.done)
	}()
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 4*1024*1024)
	sent := false
	for sc.Scan() {
		line := sc.Bytes()
		_, _ = logf.Write(append(line, '\n'))
		if bytes.Contains(line, []byte(`"level":"ERROR"`)) {
			c.errors++
		}
		if !sent && bytes.Contains(line, []byte("fieldbridge listening")) {
			var m struct {
				Addr string `json:"addr"`
			}
			if json.Unmarshal(line, &m) == nil && m.Addr != "" {
				c.addr <- m.Addr
				sent = true
			}
		}
	}
}

// running fails the test if the server exited on its own.
func (s *server) running() {
	s.t.Helper()
	if s.cur == nil {
		s.t.Fatal("server: not started")
	}
	select {
	case <-s.cur.done:
		s.t.Fatalf("server run %d exited on its own (%v); log tail:\n%s", s.starts, s.cur.err, s.tail(40))
	default:
	}
}

// kill ends the server with SIGKILL, as a crash or an OOM kill would.
func (s *server) kill() {
	s.t.Helper()
	s.running()
	if err := s.cur.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		s.t.Fatal(err)
	}
	<-s.cur.done
	s.cur = nil
}

// stop asks the server to shut down and fails unless it exits 0 in time.
// It returns the number of ERROR lines the run logged.
func (s *server) stop(ctx context.Context) int {
	s.t.Helper()
	s.running()
	if err := s.cur.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.t.Fatal(err)
	}
	select {
	case <-s.cur.done:
	case <-ctx.Done():
		s.t.Fatalf("server run %d did not stop after SIGTERM; log tail:\n%s", s.starts, s.tail(40))
	}
	c := s.cur
	s.cur = nil
	if c.err != nil {
		s.t.Fatalf("server run %d: graceful stop ended with %v; log tail:\n%s", s.starts, c.err, s.tail(40))
	}
	return c.errors
}

// tail returns the last n lines of the log of every run.
func (s *server) tail(n int) string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
