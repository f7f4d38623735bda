package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

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
