package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
)

func newOpsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "ops",
		Aliases: []string{"operations"},
		Short:   "List, describe and test-call the HighLevel and Repsly operations",
	}
	cmd.AddCommand(newOpsListCmd(e), newOpsDescribeCmd(e), newOpsCallCmd(e))
	return cmd
}

func newCatalog() (*catalog.Catalog, error) { return catalog.New(catalog.Options{}) }

func newOpsListCmd(e *env) *cobra.Command {
	var (
		appName, kind string
		asJSON        bool
	)
	cmd := &cobra.Command{
		Use:   "list [--app ghl|repsly] [--kind action|trigger]",
		Short: "List operations",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if appName != "" && appName != string(catalog.AppGHL) && appName != string(catalog.AppRepsly) {
				return fmt.Errorf("--app %q: use ghl or repsly", appName)
			}
			if kind != "" && kind != string(catalog.KindAction) && kind != string(catalog.KindTrigger) {
				return fmt.Errorf("--kind %q: use action or trigger", kind)
			}
			cat, err := newCatalog()
			if err != nil {
				return err
			}
			entries := cat.Filter(catalog.App(appName), catalog.Kind(kind))
			if asJSON {
				list := make([]catalog.Summary, 0, len(entries))
				for _, en := range entries {
					list = append(list, en.Summary())
				}
				return printJSON(e, list)
			}
			tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tKIND\tMODE\tTITLE")
			for _, en := range entries {
				mode := string(en.Mode)
				if mode == "" {
					mode = "-"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", en.ID, en.Kind, mode, en.Title)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&appName, "app", "", "only ghl or repsly operations")
	cmd.Flags().StringVar(&kind, "kind", "", "only actions or triggers")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newOpsDescribeCmd(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "describe ID",
		Short: "Show an operation: what it does, scopes, input fields and an example",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cat, err := newCatalog()
			if err != nil {
				return err
			}
			en, err := cat.Get(args[0])
			if err != nil {
				return err
			}
			if asJSON {
				return printJSON(e, en)
			}
			_, err = e.stdout.Write(en.Markdown())
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the operation with its JSON Schemas")
	return cmd
}

func newOpsCallCmd(e *env) *cobra.Command {
	var (
		f                 configFlags
		connection, input string
		dryRun            bool
	)
	cmd := &cobra.Command{
		Use:   "call ID --connection NAME [--input JSON|@FILE|-] [--dry-run]",
		Short: "Test-call an operation; --dry-run prints the request it would send instead, with secrets redacted",
		Long: "Runs an action with the input and prints its output; polls a poll trigger once (input {\"cursor\": \"...\"}) and prints " +
			"the records and next cursor; decodes a webhook body given as input. The input is checked against the operation's " +
			"schema first, and nothing is sent when it does not match.",
		Example: `  fieldbridge ops call ghl.contact.find_by_email --connection acme --input '{"email":"ada@example.com"}'
  fieldbridge ops call repsly.client.upsert --connection field --input @client.json --dry-run
  fieldbridge ops call repsly.client.updated --connection field`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			raw, err := readInput(e, input)
			if err != nil {
				return err
			}
			cat, err := newCatalog()
			if err != nil {
				return err
			}
			en, err := cat.Get(args[0])
			if err != nil {
				return err
			}
			if en.Mode != catalog.ModeWebhook && connection == "" {
				return fmt.Errorf("--connection is required: name a %s connection (see `fieldbridge connections list`)", en.App)
			}
			core, err := openCore(cmd.Context(), e, &f)
			if err != nil {
				return err
			}
			defer core.Close()
			res, err := cat.Call(cmd.Context(), app.CatalogClients{Connections: core.Connections}, en.ID, connection, raw, dryRun)
			if err != nil {
				return err
			}
			switch {
			case res.DryRun != nil:
				return printJSON(e, res.DryRun)
			case res.Poll != nil:
				return printJSON(e, res.Poll)
			}
			return printJSON(e, res.Output)
		},
	}
	f.bind(cmd, false)
	cmd.Flags().StringVar(&connection, "connection", "", "the connection to call through")
	cmd.Flags().StringVar(&input, "input", "", "input JSON, @FILE to read it from a file, or - for stdin (default {})")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "print the request that would be sent, with secrets redacted, and send nothing")
	return cmd
}

// readInput resolves --input: inline JSON, @FILE or - (stdin).
func readInput(e *env, v string) (json.RawMessage, error) {
	var b []byte
	switch {
	case v == "-":
		var err error
		if b, err = io.ReadAll(e.stdin); err != nil {
			return nil, fmt.Errorf("--input -: %w", err)
		}
	case strings.HasPrefix(v, "@"):
		var err error
		if b, err = os.ReadFile(v[1:]); err != nil {
			return nil, fmt.Errorf("--input: %w", err)
		}
	default:
		b = []byte(v)
	}
	if strings.TrimSpace(string(b)) == "" {
		return nil, nil
	}
	if !json.Valid(b) {
		return nil, fmt.Errorf("--input is not valid JSON")
	}
	return b, nil
}
