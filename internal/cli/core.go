package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
)

// openCore opens the database and vault for a CLI command, beside a
// running server if there is one (no exclusive lock).
func openCore(ctx context.Context, e *env, f *configFlags) (*app.Core, error) {
	cfg, err := f.load(e)
	if err != nil {
		return nil, err
	}
	if f.logLevel == "" && e.getenv("FIELDBRIDGE_LOG_LEVEL") == "" {
		cfg.LogLevel = "warn"
	}
	return app.OpenCore(ctx, cfg, newLogger(e.stderr, cfg.LogLevel, cfg.LogFormat), app.CoreOptions{})
}

// withCore opens the database and vault for a command, runs fn and closes
// them.
func withCore(cmd *cobra.Command, e *env, f *configFlags, fn func(ctx context.Context, core *app.Core) error) error {
	core, err := openCore(cmd.Context(), e, f)
	if err != nil {
		return err
	}
	defer core.Close()
	return fn(cmd.Context(), core)
}

// readSecret resolves a secret flag: "-" reads the first line of stdin,
// "@PATH" reads a file, anything else is the secret itself. Reading from
// stdin or a file keeps the secret out of the shell history and ps.
func readSecret(e *env, flag, v string) (string, error) {
	switch {
	case v == "-":
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", fmt.Errorf("--%s -: nothing on standard input", flag)
		}
		return strings.TrimRight(line, "\r\n"), nil
	case strings.HasPrefix(v, "@"):
		b, err := os.ReadFile(v[1:])
		if err != nil {
			return "", fmt.Errorf("--%s: %w", flag, err)
		}
		return strings.TrimSpace(string(b)), nil
	default:
		return v, nil
	}
}

func printJSON(e *env, v any) error {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
