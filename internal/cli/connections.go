package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"

	"github.com/fieldbridge/fieldbridge/internal/connection"
	"github.com/fieldbridge/fieldbridge/internal/vault"
)

func newConnectionsCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{
		Use:     "connections",
		Aliases: []string{"connection"},
		Short:   "Add, list, test and remove HighLevel and Repsly connections",
	}
	cmd.AddCommand(newConnectionsAddCmd(e), newConnectionsListCmd(e), newConnectionsTestCmd(e), newConnectionsRemoveCmd(e))
	return cmd
}

func newConnectionsAddCmd(e *env) *cobra.Command {
	var (
		f                              configFlags
		name, baseURL, token, location string
		scopes, username, password     string
		oauth, asJSON                  bool
	)
	cmd := &cobra.Command{
		Use:   "add ghl|repsly --name NAME ...",
		Short: "Add a connection (secrets may be given as -, read from stdin, or @FILE)",
		Example: `  fieldbridge connections add ghl --name acme --location LOC_ID --token - < pit.txt
  fieldbridge connections add ghl --name acme --oauth
  fieldbridge connections add repsly --name field --username API_USER --password @repsly-password.txt`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				var v connection.View
				switch args[0] {
				case "ghl":
					if oauth {
						u, err := core.Connections.StartOAuth(ctx, name, baseURL)
						if err != nil {
							return err
						}
						fmt.Fprintf(e.stdout, "Open this URL in a browser to install on a HighLevel location:\n%s\n"+
							"`fieldbridge serve` must be running at %s to receive the callback.\n", u, core.Config.EffectivePublicURL())
						return nil
					}
					tok, err := readSecret(e, "token", token)
					if err != nil {
						return err
					}
					v, err = core.Connections.AddGHLToken(ctx, connection.GHLTokenInput{Name: name, BaseURL: baseURL,
						LocationID: location, Token: vault.NewSecret(tok), Scopes: strings.Fields(strings.ReplaceAll(scopes, ",", " "))})
					if err != nil {
						return err
					}
				case "repsly":
					pw, err := readSecret(e, "password", password)
					if err != nil {
						return err
					}
					v, err = core.Connections.AddRepsly(ctx, connection.RepslyInput{Name: name, BaseURL: baseURL,
						Username: username, Password: vault.NewSecret(pw)})
					if err != nil {
						return err
					}
				default:
					return fmt.Errorf("unknown app %q: use ghl or repsly", args[0])
				}
				if asJSON {
					return printJSON(e, v)
				}
				fmt.Fprintf(e.stdout, "added %s connection %q\n", v.App, v.Name)
				return nil
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().StringVar(&name, "name", "", "connection name (required)")
	cmd.Flags().StringVar(&baseURL, "base-url", "", "API base URL (default the real service; point at a sandbox to test)")
	cmd.Flags().StringVar(&token, "token", "", "HighLevel Private Integration Token, or - for stdin, or @FILE")
	cmd.Flags().StringVar(&location, "location", "", "HighLevel location (sub-account) id, with --token")
	cmd.Flags().StringVar(&scopes, "scopes", "", "scopes the token was created with, space or comma separated")
	cmd.Flags().BoolVar(&oauth, "oauth", false, "install through HighLevel's OAuth page instead of a token")
	cmd.Flags().StringVar(&username, "username", "", "Repsly API username")
	cmd.Flags().StringVar(&password, "password", "", "Repsly API password, or - for stdin, or @FILE")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the connection as JSON")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newConnectionsListCmd(e *env) *cobra.Command {
	var (
		f      configFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List connections (never their secrets)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				list, err := core.Connections.List(ctx)
				if err != nil {
					return err
				}
				if asJSON {
					return printJSON(e, list)
				}
				tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(tw, "NAME\tAPP\tAUTH\tACCOUNT\tSTATUS\tBASE URL")
				for _, c := range list {
					account := c.LocationID
					if c.App == "repsly" {
						account = c.Username
					}
					status := c.Status
					if c.StatusReason != "" {
						status += " (" + c.StatusReason + ")"
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", c.Name, c.App, c.AuthKind, account, status, c.BaseURL)
				}
				return tw.Flush()
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newConnectionsTestCmd(e *env) *cobra.Command {
	var (
		f      configFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "test NAME",
		Short: "Make one cheap authenticated call; exits non-zero with the reason when it fails",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				res, err := core.Connections.Test(ctx, args[0])
				if err != nil {
					return err
				}
				if asJSON {
					if err := printJSON(e, res); err != nil {
						return err
					}
				} else if res.OK {
					fmt.Fprintf(e.stdout, "ok: %s %s in %d ms", res.App, res.Detail, res.LatencyMS)
					if len(res.Scopes) > 0 {
						fmt.Fprintf(e.stdout, "; scopes: %s", strings.Join(res.Scopes, " "))
					}
					if b := res.RateBudget; b != nil && b.FromHeaders {
						fmt.Fprintf(e.stdout, "; HighLevel reports %d of %d requests left in this window, %d of %d today", b.BurstRemaining, b.BurstMax, b.DailyRemaining, b.DailyLimit)
					} else if b != nil {
						fmt.Fprintf(e.stdout, "; rate limit %d requests per window, %d per day (no usage reported yet)", b.BurstMax, b.DailyLimit)
					}
					fmt.Fprintln(e.stdout)
				}
				if !res.OK {
					return errors.New("connection " + res.Connection + " failed: " + res.Reason)
				}
				return nil
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func newConnectionsRemoveCmd(e *env) *cobra.Command {
	var f configFlags
	cmd := &cobra.Command{
		Use:   "remove NAME",
		Short: "Remove a connection and its secrets",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				if err := core.Connections.Remove(ctx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "removed connection %q\n", args[0])
				return nil
			})
		},
	}
	f.bind(cmd, false)
	return cmd
}
