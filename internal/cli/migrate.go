package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

func newMigrateCmd(e *env) *cobra.Command {
	var f configFlags
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Create or update the database schema (serve also does this on start)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.load(e)
			if err != nil {
				return err
			}
			logger := newLogger(e.stderr, cfg.LogLevel, cfg.LogFormat)
			db, err := database.Open(cmd.Context(), cfg.DB, database.Options{Logger: logger})
			if err != nil {
				return err
			}
			defer db.Close()
			if err := db.Migrate(cmd.Context()); err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "database is up to date (%s)\n", db.Dialect)
			return nil
		},
	}
	f.bind(cmd, false)
	return cmd
}
