// Command fieldbridge keeps Repsly and HighLevel in sync. See the README.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

func main() {
	path := os.Getenv("FIELDBRIDGE_CPUPROFILE")
	_ = os.Unsetenv("FIELDBRIDGE_CPUPROFILE") // for this process, not its children
	stop, err := profile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fieldbridge:", err)
		os.Exit(1)
	}
	code := cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// profile writes a CPU profile of the whole command to path when it is set:
// how docs/benchmarks.md looks inside a real `sync run`.
func profile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		_ = f.Close()
	}, nil
}
