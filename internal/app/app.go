// Package app is Fieldbridge's composition root: it opens the database,
// builds the queue, the workers and the HTTP server, and starts and stops
// them in order. Every dependency is wired here, explicitly; nothing
// registers itself.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/config"
	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/web"
)

// App is one running Fieldbridge server.
type App struct {
	*Core
	Jobs *job.Client
	// Engines holds the sync engine of each enabled sync flow.
	Engines *Engines

	opts Options
	// clientID names this process in the queue and in its process lock.
	clientID string

	server   *http.Server
	listener net.Listener
	cancel   context.CancelFunc
	done     chan struct{}
}

// New opens and migrates the database and builds every part, without
// starting anything. On SQLite it takes the file lock, so a second server
// on the same file fails here with database.ErrLocked.
func New(ctx context.Context, cfg config.Config, logger *slog.Logger, opts Options) (*App, error) {
	core, err := OpenCore(ctx, cfg, logger, CoreOptions{Exclusive: true, Now: opts.Now, GHLBudget: opts.GHLBudget})
	if err != nil {
		return nil, err
	}
	a := &App{Core: core, Engines: NewEngines(core), opts: opts}
	if err := a.init(ctx); err != nil {
		_ = core.Close()
		return nil, err
	}
	return a, nil
}

func (a *App) init(ctx context.Context) error {
	a.clientID = job.NewClientID()
	if a.DB.Exclusive() {
		n, err := a.Store.RequeueOrphanedJobs(ctx, a.Now())
		if err != nil {
			return err
		}
		if n > 0 {
			a.Logger.Warn("requeued jobs left running by a previous process", slog.Int64("jobs", n))
		}
	}
	// Taken before the queue starts: see database.DB.HoldProcessLock.
	if err := a.DB.HoldProcessLock(ctx, a.clientID); err != nil {
		return err
	}
	if _, err := a.Store.RequeueJobsOfGoneProcesses(ctx, a.Now(), a.clientID, job.ClientIDPrefix, a.Logger); err != nil {
		return err
	}
	workers := job.NewWorkers(job.Deps{Logger: a.Logger, Now: a.Now, Store: a.Store, Engines: a.Engines, Tokens: a.Connections,
		Automations: a.automations(), Jobs: func() *job.Client { return a.Jobs }})
	jobs, err := job.NewClient(a.DB, job.Config{
		Logger:            a.Logger,
		Workers:           workers,
		JobTimeout:        a.Config.JobTimeout,
		RescueAfter:       a.Config.EffectiveRescueAfter(),
		MaxWorkers:        10,
		PollInterval:      a.Config.PollInterval,
		RefreshTokens:     true,
		FetchPollInterval: a.opts.FetchPollInterval,
		ClientID:          a.clientID,
	})
	if err != nil {
		return err
	}
	a.Jobs = jobs
	hook, err := a.webhookHandler()
	if err != nil {
		return err
	}
	a.server = &http.Server{
		Handler: web.Handler(web.Deps{
			Logger:  a.Logger,
			Now:     a.Now,
			Metrics: a.Metrics,
			Ready: map[string]web.Checker{
				"database": a.Store.Ping,
				"queue":    a.queueReady,
			},
			Store:       a.Store,
			Connections: a.Connections,
			Routes:      map[string]http.Handler{"POST /hooks/ghl": hook},
			Catalog:     a.operations(),
		}),
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(a.Logger.Handler(), slog.LevelWarn),
	}
	return nil
}

// queueReady reports whether the River client is running and its tables
// answer.
func (a *App) queueReady(ctx context.Context) error {
	select {
	case <-a.Jobs.Stopped():
		return errors.New("queue: stopped")
	default:
	}
	if _, err := a.Store.QueueDepth(ctx); err != nil {
		return err
	}
	return nil
}

// Start binds the listener, starts the queue and serves HTTP in the
// background. Addr reports the bound address.
func (a *App) Start(ctx context.Context) error {
	ln, err := net.Listen("tcp", a.Config.Listen)
	if err != nil {
		return fmt.Errorf("FIELDBRIDGE_LISTEN: cannot listen on %s: %w", a.Config.Listen, err)
	}
	a.listener = ln
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.cancel = cancel
	if err := a.Jobs.Start(runCtx); err != nil {
		cancel()
		_ = ln.Close()
		return fmt.Errorf("app: start queue: %w", err)
	}
	go job.ReportMetrics(runCtx, a.Jobs, a.Metrics)
	go a.reportQueueDepth(runCtx)
	go a.requeueJobsOfGoneProcesses(runCtx)
	a.done = make(chan struct{})
	go func() {
		defer close(a.done)
		if err := a.server.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			a.Logger.Error("http server stopped", slog.Any("error", err))
		}
	}()
	a.Logger.Info("fieldbridge listening", slog.String("addr", ln.Addr().String()),
		slog.String("db", string(a.DB.Dialect)))
	return nil
}

// ClientID names this process in the job queue (River's client id) and in
// its process lock.
func (a *App) ClientID() string { return a.clientID }

// Addr is the address the server listens on, once started.
func (a *App) Addr() string {
	if a.listener == nil {
		return ""
	}
	return a.listener.Addr().String()
}

// goneProcessCheck is how often a server looks for jobs left running by a
// process that is gone (PostgreSQL): one query when no job runs.
const goneProcessCheck = 15 * time.Second

// requeueJobsOfGoneProcesses retries, while the server runs, the jobs of
// other processes that ended without finishing them: a machine that dies
// and does not come back costs its jobs seconds, not
// FIELDBRIDGE_RESCUE_AFTER.
func (a *App) requeueJobsOfGoneProcesses(ctx context.Context) {
	if a.DB.Dialect != database.Postgres {
		return
	}
	t := time.NewTicker(goneProcessCheck)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := a.Store.RequeueJobsOfGoneProcesses(ctx, a.Now(), a.clientID, job.ClientIDPrefix, a.Logger); err != nil && ctx.Err() == nil {
			a.Logger.Warn("looking for jobs of processes that are gone", slog.Any("error", err))
		}
	}
}

func (a *App) reportQueueDepth(ctx context.Context) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		depth, err := a.Store.QueueDepth(ctx)
		if err == nil {
			a.Metrics.QueueDepth.Reset()
			for q, n := range depth {
				a.Metrics.QueueDepth.WithLabelValues(q).Set(float64(n))
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Stop shuts down gracefully within ctx: it stops accepting requests, lets
// running jobs finish, and when ctx expires cancels the jobs still running
// (they are retried later; their effects commit with their completion, so
// nothing is done twice). It always closes the database.
func (a *App) Stop(ctx context.Context) error {
	var errs []error
	if a.listener != nil {
		if err := a.server.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("app: http shutdown: %w", err))
		}
		<-a.done
		if err := a.Jobs.Stop(ctx); err != nil {
			a.Logger.Warn("jobs still running at the shutdown deadline; cancelling them")
			cancelCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
			if err := a.Jobs.StopAndCancel(cancelCtx); err != nil {
				errs = append(errs, fmt.Errorf("app: stop queue: %w", err))
			}
			cancel()
		}
		a.cancel()
	}
	if err := a.DB.Close(); err != nil {
		errs = append(errs, fmt.Errorf("app: close database: %w", err))
	}
	return errors.Join(errs...)
}
