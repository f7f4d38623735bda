package cli

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"

	"github.com/fieldbridge/fieldbridge/internal/web"
)

func newTokensCmd(e *env) *cobra.Command {
	cmd := &cobra.Command{Use: "tokens", Short: "Manage admin API tokens for the REST API"}
	var f configFlags
	create := &cobra.Command{
		Use:   "create NAME",
		Short: "Create an admin API token; it is printed once and stored only as a hash",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withCore(cmd, e, &f, func(ctx context.Context, core *app.Core) error {
				raw := make([]byte, 32)
				if _, err := rand.Read(raw); err != nil {
					return err
				}
				tok := "fbk_" + base64.RawURLEncoding.EncodeToString(raw)
				if err := core.Store.InsertAPIToken(ctx, args[0], web.HashAPIToken(tok), core.Now()); err != nil {
					return err
				}
				fmt.Fprintln(e.stdout, tok)
				return nil
			})
		},
	}
	f.bind(create, false)
	cmd.AddCommand(create)
	return cmd
}
