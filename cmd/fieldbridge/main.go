// Command fieldbridge keeps Repsly and HighLevel in sync. See the README.
package main

import (
	"context"
	"os"

	"github.com/fieldbridge/fieldbridge/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
