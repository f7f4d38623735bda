package e2e_test

import (
	"context"
	"os"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

// envChild makes the test binary act as the fieldbridge binary, so tests
// can run real server processes and kill them.
const envChild = "FIELDBRIDGE_TEST_AS_BINARY"

func TestMain(m *testing.M) {
	if os.Getenv(envChild) == "1" {
		os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
