package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
)

// newFlowsStateCmds returns `flows enable`, `flows disable` and `flows
// delete`: a disabled flow keeps its versions, links and cursors but is
// not polled, not backfilled and gets no webhooks until enabled again.
func newFlowsStateCmds(e *env) []*cobra.Command {
	set := func(use, short string, enabled bool) *cobra.Command {
		var f configFlags
		cmd := &cobra.Command{
			Use:   use + " NAME",
			Short: short,
			Args:  cobra.ExactArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
					if err := core.Store.SetFlowEnabled(ctx, core.Store.DB(), args[0], enabled, core.Now()); err != nil {
						return err
					}
					fmt.Fprintf(e.stdout, "flow %q %sd\n", args[0], use)
					return nil
				})
			},
		}
		f.bind(cmd, false)
		return cmd
	}
	var f configFlags
	del := &cobra.Command{
		Use:   "delete NAME",
		Short: "Delete a flow and its versions (its sync links stay, so re-creating it does not duplicate records)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				if err := core.Store.DeleteFlow(ctx, core.Store.DB(), args[0]); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "flow %q deleted\n", args[0])
				return nil
			})
		},
	}
	f.bind(del, false)
	return []*cobra.Command{
		set("enable", "Enable a flow: it is polled, backfilled and gets webhooks", true),
		set("disable", "Disable a flow: it keeps its state but nothing runs it", false),
		del,
	}
}
