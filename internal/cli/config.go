package cli

import (
	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/config"
)

// configFlags binds the process settings to flags; a flag that is set wins
// over its FIELDBRIDGE_* variable.
type configFlags struct {
	db, listen, logLevel, logFormat, publicURL string
}

func (f *configFlags) bind(cmd *cobra.Command, withServer bool) {
	cmd.Flags().StringVar(&f.db, "db", "", "database: sqlite:PATH or postgres://... (env FIELDBRIDGE_DB)")
	cmd.Flags().StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error (env FIELDBRIDGE_LOG_LEVEL)")
	cmd.Flags().StringVar(&f.logFormat, "log-format", "", "auto, text or json (env FIELDBRIDGE_LOG_FORMAT)")
	if withServer {
		cmd.Flags().StringVar(&f.listen, "listen", "", "HTTP listen address (env FIELDBRIDGE_LISTEN)")
		cmd.Flags().StringVar(&f.publicURL, "public-url", "", "URL users and HighLevel reach this server at (env FIELDBRIDGE_PUBLIC_URL)")
	}
}

// load reads the environment, applies the flags and validates.
func (f *configFlags) load(e *env) (config.Config, error) {
	cfg, err := config.FromEnv(e.getenv)
	if err != nil {
		return cfg, err
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&cfg.DB, f.db)
	set(&cfg.Listen, f.listen)
	set(&cfg.LogLevel, f.logLevel)
	set(&cfg.LogFormat, f.logFormat)
	set(&cfg.PublicURL, f.publicURL)
	return cfg, cfg.Validate()
}
