package cli

import (
	"context"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/gcbudget"
)

func newServeCmd(e *env) *cobra.Command {
	var f configFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the server: migrations, the job queue, webhooks and the REST API",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := f.load(e)
			if err != nil {
				return err
			}
			return serve(cmd.Context(), e, cfg, nil)
		},
	}
	f.bind(cmd, true)
	return cmd
}

// serve runs the app until SIGINT or SIGTERM, then shuts down within the
// configured deadline. started, if not nil, is called once the server
// listens.
func serve(ctx context.Context, e *env, cfg config.Config, started func(*app.App) error) error {
	return serveOpts(ctx, e, cfg, app.Options{}, started)
}

func serveOpts(ctx context.Context, e *env, cfg config.Config, opts app.Options, started func(*app.App) error) error {
	logger := newLogger(e.stderr, cfg.LogLevel, cfg.LogFormat)
	tuner := gcbudget.Start(cfg.HeapBudget(), logger)
	defer tuner.Stop()
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	a, err := app.New(ctx, cfg, logger, opts)
	if err != nil {
		return err
	}
	if err := a.Start(ctx); err != nil {
		_ = a.Stop(context.Background())
		return err
	}
	var runErr error
	if started != nil {
		runErr = started(a)
	}
	if runErr == nil {
		<-ctx.Done()
		logger.Info("shutting down", "deadline", cfg.ShutdownTimeout.String())
	}
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := a.Stop(stopCtx); err != nil {
		return err
	}
	logger.Info("stopped")
	return runErr
}
