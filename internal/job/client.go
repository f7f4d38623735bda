// Package job holds Fieldbridge's River job kinds and workers, and builds
// the River client on either database with one transaction type, *sql.Tx,
// so that app code never branches on the dialect.
package job

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riversqlite"

	"github.com/fieldbridge/fieldbridge/internal/database"
)

// Queue names. Live work and backfills run on separate queues so that a
// backfill of 100,000 records never delays a webhook (DESIGN invariant 5).
const (
	QueueDefault  = river.QueueDefault
	QueueBackfill = "backfill"
)

// Client is the River client type used everywhere in Fieldbridge.
type Client = river.Client[*sql.Tx]

// Config tunes the River client.
type Config struct {
	// Logger receives River's own logs.
	Logger *slog.Logger
	// Workers are the registered workers; nil makes an insert-only client.
	Workers *river.Workers
	// JobTimeout bounds one attempt of any job.
	JobTimeout time.Duration
	// RescueAfter is how long a job may sit in the running state before
	// River's rescuer retries it (PostgreSQL; see store.RequeueOrphanedJobs
	// for SQLite).
	RescueAfter time.Duration
	// MaxWorkers is the concurrency of the default queue; the backfill queue
	// gets half of it (at least one).
	MaxWorkers int
	// RetryPolicy overrides River's attempt^4 backoff; tests use it to retry
	// at once.
	RetryPolicy river.ClientRetryPolicy
	// FetchPollInterval overrides how often an idle client polls for jobs.
	FetchPollInterval time.Duration
	// PollInterval schedules the sync polls (SchedulePollsArgs) on the
	// leader; zero schedules none.
	PollInterval time.Duration
	// RefreshTokens schedules RefreshTokensArgs hourly (its worker must be
	// registered).
	RefreshTokens bool
	// ClientID names this River client in the jobs it attempts; empty lets
	// River choose. It must be unique per process (see ClientID).
	ClientID string
}

// fetchCooldown is the least time between two fetches of a queue's jobs.
// Ten workers then run at most ten jobs per cooldown: at River's 100 ms
// default a queue of short jobs drained at 97 jobs/s whatever they cost
// (BenchmarkQueueDrain), and HighLevel sends one webhook per contact
// change, thousands for one import or bulk edit. A fetch is one query,
// made only while jobs keep coming.
const fetchCooldown = 10 * time.Millisecond

// ClientIDPrefix starts every client id NewClientID makes: processes
// that hold a process lock under their id (store.RequeueJobsOfGoneProcesses).
const ClientIDPrefix = "fieldbridge-"

// NewClientID returns a client id unique to this process: host, process
// id and a random part.
func NewClientID() string {
	host, _ := os.Hostname()
	if host == "" {
		host = "host"
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	return fmt.Sprintf("%s%s-%d-%s", ClientIDPrefix, host, os.Getpid(), hex.EncodeToString(b[:]))
}

// NewClient returns a River client on db. On SQLite it uses riversqlite; on
// PostgreSQL riverdatabasesql with the pgx pool as LISTEN/NOTIFY listener.
// Both give *sql.Tx, the transaction type of the store.
func NewClient(db *database.DB, cfg Config) (*Client, error) {
	var driver riverdriver.Driver[*sql.Tx]
	switch db.Dialect {
	case database.SQLite:
		driver = riversqlite.New(db.SQL)
	case database.Postgres:
		driver = riverdatabasesql.NewWithPgxListener(db.SQL, db.Pool)
	default:
		return nil, fmt.Errorf("job: unknown dialect %q", db.Dialect)
	}
	rc := &river.Config{
		Logger:               cfg.Logger,
		JobTimeout:           cfg.JobTimeout,
		RescueStuckJobsAfter: cfg.RescueAfter,
		RetryPolicy:          cfg.RetryPolicy,
		FetchPollInterval:    cfg.FetchPollInterval,
		FetchCooldown:        fetchCooldown,
		ID:                   cfg.ClientID,
	}
	if cfg.Workers != nil {
		n := max(cfg.MaxWorkers, 1)
		rc.Workers = cfg.Workers
		rc.Queues = map[string]river.QueueConfig{
			QueueDefault:  {MaxWorkers: n},
			QueueBackfill: {MaxWorkers: max(n/2, 1)},
		}
	}
	if db.Dialect == database.SQLite && rc.FetchPollInterval == 0 {
		// SQLite has no LISTEN/NOTIFY; River emulates it, but a short poll
		// keeps the latency of a freshly enqueued job low.
		rc.FetchPollInterval = 100 * time.Millisecond
	}
	if cfg.PollInterval > 0 && cfg.Workers != nil {
		rc.PeriodicJobs = []*river.PeriodicJob{river.NewPeriodicJob(river.PeriodicInterval(cfg.PollInterval),
			func() (river.JobArgs, *river.InsertOpts) { return SchedulePollsArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true})}
	}
	if cfg.RefreshTokens && cfg.Workers != nil {
		rc.PeriodicJobs = append(rc.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return RefreshTokensArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true}))
	}
	if rc.FetchPollInterval > 0 && rc.FetchPollInterval < river.FetchCooldownDefault {
		rc.FetchCooldown = rc.FetchPollInterval
	}
	c, err := river.NewClient(driver, rc)
	if err != nil {
		return nil, fmt.Errorf("job: river client: %w", err)
	}
	return c, nil
}

// completeTx marks the running job completed inside tx, so the job's
// effects and its completion commit together: a crash after the commit
// cannot run the job again.
//
// river.JobCompleteTx takes the driver type only to infer its generics; it
// reads the real driver from the client in ctx, so the SQLite driver type
// serves both dialects here.
func completeTx[T river.JobArgs](ctx context.Context, tx *sql.Tx, j *river.Job[T]) error {
	_, err := river.JobCompleteTx[*riversqlite.Driver](ctx, tx, j)
	if err != nil {
		return fmt.Errorf("job: complete %s %d: %w", j.Kind, j.ID, err)
	}
	return nil
}

// ErrHeld is returned by a probe that was told to hold and was cancelled.
var ErrHeld = errors.New("job: probe held until cancelled")
