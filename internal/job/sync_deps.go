package job

import (
	"context"
	"errors"
	"time"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/runlog"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// Engines gives the sync engines of the enabled sync flows.
type Engines interface {
	Engine(ctx context.Context, flow string) (*syncer.Engine, error)
	SyncFlows(ctx context.Context) ([]string, error)
	ForLocation(ctx context.Context, locationID string) ([]string, error)
}

// outcomeOf turns a sync error into River's control flow: rate limits
// snooze the job until the wait the API named (DESIGN invariant 5),
// transient errors retry with backoff, the rest fail the attempt.
func outcomeOf(err error) error {
	if err == nil {
		return nil
	}
	var rl *ghl.RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		return river.JobSnooze(rl.RetryAfter)
	}
	if errors.Is(err, repsly.ErrRateLimited) {
		wait, ok := repsly.RetryAfter(err)
		if !ok || wait <= 0 {
			wait = 10 * time.Second
		}
		return river.JobSnooze(wait)
	}
	return err
}

// Entries converts an engine result for run history.
func Entries(res syncer.Result) []runlog.Entry {
	out := make([]runlog.Entry, 0, len(res.Outcomes))
	for _, o := range res.Outcomes {
		out = append(out, runlog.Entry{Side: string(o.Side), Key: o.Key, Action: string(o.Action), Fields: o.Fields, Error: o.Err})
	}
	return out
}
