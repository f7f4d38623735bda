package app_test

import (
	"context"
	crand "crypto/rand"
	"encoding/base64"
	"path/filepath"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/repsly/repslysandbox"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

// testConfig is a configuration on a fresh SQLite file with a random
// master key, listening on a free port; extra adds or overrides variables.
func testConfig(tb testing.TB, extra map[string]string) config.Config {
	tb.Helper()
	mk := make([]byte, 32)
	_, _ = crand.Read(mk)
	vars := map[string]string{
		"FIELDBRIDGE_DB":         "sqlite:" + filepath.Join(tb.TempDir(), "fb.db"),
		"FIELDBRIDGE_LISTEN":     "127.0.0.1:0",
		"FIELDBRIDGE_MASTER_KEY": base64.StdEncoding.EncodeToString(mk),
	}
	for k, v := range extra {
		vars[k] = v
	}
	cfg, err := config.FromEnv(func(k string) string { return vars[k] })
	if err != nil {
		tb.Fatal(err)
	}
	return cfg
}

// addSandboxConnections stores the "ghl" and "repsly" connections to the
// sandboxes of env, as the templates name them.
func addSandboxConnections(ctx context.Context, tb testing.TB, conns *connection.Service, env *sandbox.Env) {
	tb.Helper()
	if _, err := conns.AddGHLToken(ctx, connection.GHLTokenInput{Name: "ghl", BaseURL: env.GHLBaseURL(),
		LocationID: sandbox.LocationID, Token: vault.NewSecret(sandbox.GHLToken)}); err != nil {
		tb.Fatal(err)
	}
	if _, err := conns.AddRepsly(ctx, connection.RepslyInput{Name: "repsly", BaseURL: env.RepslyBaseURL(),
		Username: repslysandbox.DefaultUsername, Password: vault.NewSecret(repslysandbox.DefaultPassword)}); err != nil {
		tb.Fatal(err)
	}
}
