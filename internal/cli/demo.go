package cli

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/config"
)

func newDemoCmd(e *env) *cobra.Command {
	var (
		listen  string
		once    bool
		asJSON  bool
		clients int
	)
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Run Fieldbridge on a throw-away SQLite database with everything set up",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			dir, err := os.MkdirTemp("", "fieldbridge-demo-")
			if err != nil {
				return fmt.Errorf("demo: temp folder: %w", err)
			}
			defer os.RemoveAll(dir)
			key := make([]byte, 32)
			_, _ = rand.Read(key)
			cfg, err := config.FromEnv(func(string) string { return "" })
			if err != nil {
				return err
			}
			cfg.DB = "sqlite:" + filepath.Join(dir, "fieldbridge.db")
			cfg.Listen = listen
			cfg.MasterKey = base64.StdEncoding.EncodeToString(key)
			cfg.LogFormat = "text"
			cfg.LogLevel = "warn"
			if err := cfg.Validate(); err != nil {
				return err
			}
			err = serve(cmd.Context(), e, cfg, func(a *app.App) error {
				url := "http://" + a.Addr()
				if asJSON {
					fmt.Fprintf(e.stdout, "{\"url\":%q,\"database\":%q}\n", url, cfg.DB)
				} else {
					fmt.Fprintf(e.stdout, "Fieldbridge demo running at %s\n  database: %s (deleted on exit)\n  press Ctrl-C to stop\n", url, cfg.DB)
				}
				if once {
					return errStopDemo
				}
				return nil
			})
			if errors.Is(err, errStopDemo) {
				return nil
			}
			return err
		},
	}
	cmd.Flags().StringVar(&listen, "listen", "127.0.0.1:8080", "HTTP listen address")
	cmd.Flags().BoolVar(&once, "once", false, "exit after setup instead of running until Ctrl-C")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the summary as JSON")
	cmd.Flags().IntVar(&clients, "clients", 500, "number of Repsly clients to seed")
	return cmd
}
