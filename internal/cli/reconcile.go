package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
)

func newReconcileCmd(e *env) *cobra.Command {
	var (
		f              configFlags
		repair, asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "reconcile FLOW",
		Short: "Compare both sides in full and report drift; --repair fixes it",
		Long: `Reads every Repsly client and every HighLevel contact and compares them through the
flow's links and mappings. It reports records missing on one side, links whose record is
gone, pairs whose fields differ, and client codes carried by several contacts. A client's
email or phone that another contact holds, in a location that refuses duplicate contacts, is
listed apart (shared values): HighLevel keeps it on one contact, so it is not drift.

--repair syncs the missing records, drops orphaned links (their records are matched again)
and pushes differing pairs again with Repsly's values, except for fields the flow gives
HighLevel priority. Exits 1 when drift remains.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				eng, err := app.NewEngines(core).Engine(ctx, args[0])
				if err != nil {
					return err
				}
				rep, err := eng.Reconcile(ctx, repair)
				if err != nil {
					return err
				}
				if repair {
					// Report what is left, with what the repair did.
					done := rep
					if rep, err = eng.Reconcile(ctx, false); err != nil {
						return err
					}
					rep.Repaired, rep.Failed = done.Repaired, done.Failed
				}
				if asJSON {
					if err := printJSON(e, map[string]any{"report": rep, "in_sync": rep.InSync()}); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(e.stdout, "%s: %d clients, %d contacts, %d links\n", rep.Flow, rep.Clients, rep.Contacts, rep.Links)
					fmt.Fprintf(e.stdout, "  missing in HighLevel: %d\n  missing in Repsly:    %d\n  orphaned links:       %d\n  differing pairs:      %d\n  duplicate codes:      %d\n",
						len(rep.MissingInGHL), len(rep.MissingInRepsly), len(rep.Orphaned), len(rep.Differing), len(rep.Duplicates))
					for i, d := range rep.Differing {
						if i == 20 {
							fmt.Fprintf(e.stdout, "  ... and %d more\n", len(rep.Differing)-20)
							break
						}
						fmt.Fprintf(e.stdout, "    %s <-> %s: %v\n", d.Code, d.ContactID, d.Fields)
					}
					if len(rep.Shared) > 0 {
						fmt.Fprintf(e.stdout, "  shared emails/phones: %d (another contact holds the client's value and the location refuses duplicates: not drift)\n", len(rep.Shared))
						for i, sv := range rep.Shared {
							if i == 5 {
								fmt.Fprintf(e.stdout, "  ... and %d more\n", len(rep.Shared)-5)
								break
							}
							fmt.Fprintf(e.stdout, "    %s <-> %s: %s held by contact %s\n", sv.Code, sv.ContactID, sv.Field, sv.HeldBy)
						}
					}
					if repair {
						fmt.Fprintf(e.stdout, "  repaired: %d writes\n", rep.Repaired)
					}
					for _, f := range rep.Failed {
						fmt.Fprintf(e.stdout, "  repair failed: %s\n", f)
					}
				}
				if !rep.InSync() {
					return exitError{code: 1, err: fmt.Errorf("flow %s: the two sides differ", rep.Flow)}
				}
				return nil
			})
		},
	}
	f.bind(cmd, false)
	cmd.Flags().BoolVar(&repair, "repair", false, "fix the drift found")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	return cmd
}
