// Package cli is Fieldbridge's command line: one file per command. Commands
// parse flags, wire what they need through internal/app and call it; they
// hold no business logic.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// env is the process environment as the commands see it; tests replace it.
type env struct {
	stdout, stderr io.Writer
	stdin          io.Reader
	getenv         func(string) string
}

// Main runs the command line with args (without the program name) and
// returns the process exit code. Errors are printed to stderr as one line
// per cause, never with a stack trace.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr, stdin: stdin, getenv: os.Getenv}
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		printError(stderr, err)
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		return 1
	}
	return 0
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	err  error
}

func (e exitError) Error() string { return e.err.Error() }
func (e exitError) Unwrap() error { return e.err }

// printError writes each joined cause on its own line, prefixed with the
// program name.
func printError(w io.Writer, err error) {
	for line := range strings.SplitSeq(err.Error(), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			fmt.Fprintf(w, "fieldbridge: %s\n", line)
		}
	}
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:           "fieldbridge",
		Short:         "Keep Repsly and HighLevel in sync",
		Long:          "Fieldbridge keeps Repsly (field sales) and HighLevel (CRM) in sync: triggers, flows, field mappings and a two-way record sync.",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd(e),
		newMigrateCmd(e),
		newVersionCmd(e),
		newDemoCmd(e),
		newConnectionsCmd(e),
		newVaultCmd(e),
		newTokensCmd(e),
		newFlowsCmd(e), newTemplatesCmd(e),
		newOpsCmd(e),
		newSyncCmd(e), newReconcileCmd(e), newRunsCmd(e), newSandboxCmd(e),
	)
	return root
}
