package job

import (
	"context"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
)

// TokenRefresher refreshes OAuth tokens that expire soon.
type TokenRefresher interface {
	RefreshDue(ctx context.Context, ahead time.Duration) (int, error)
}

// refreshAhead refreshes tokens with less than this left, so an idle
// connection never lets its day-long access token lapse and a refresh
// failure is found hours before it matters.
const refreshAhead = 4 * time.Hour

// RefreshTokensArgs refreshes every OAuth token that expires within a few
// hours; it runs periodically on the leader.
type RefreshTokensArgs struct{}

// Kind implements river.JobArgs.
func (RefreshTokensArgs) Kind() string { return "refresh_tokens" }

// RefreshTokensWorker works RefreshTokensArgs.
type RefreshTokensWorker struct {
	river.WorkerDefaults[RefreshTokensArgs]
	Logger *slog.Logger
	Tokens TokenRefresher
}

// Work refreshes due tokens. A refused refresh marks its connection
// needs_reauth and records an alert event (see connection.Service); the
// job itself only fails when the database does.
func (w *RefreshTokensWorker) Work(ctx context.Context, _ *river.Job[RefreshTokensArgs]) error {
	n, err := w.Tokens.RefreshDue(ctx, refreshAhead)
	if n > 0 {
		w.Logger.InfoContext(ctx, "refreshed OAuth tokens ahead of expiry", slog.Int("connections", n))
	}
	return err
}
