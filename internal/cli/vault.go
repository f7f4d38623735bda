package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
)

func newVaultCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "vault", Short: "Manage the encryption keys of stored secrets"}
	var f configFlags
	rotate := &cobra.Command{
		Use:   "rotate-key",
		Short: "Make a new data key and re-encrypt every secret under it (safe while the server runs)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				res, err := core.Connections.RotateKey(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "new primary key %s; re-encrypted %d secrets, %d already current\n", res.PrimaryID, res.Reencrypted, res.Unchanged)
				return nil
			})
		},
	}
	f.bind(rotate, false)
	cmd.AddCommand(rotate)
	return cmd
}
