package job

import (
	"context"

	"github.com/riverqueue/river"

	"github.com/fieldbridge/fieldbridge/internal/metrics"
)

// ReportMetrics counts every finished job attempt by kind and outcome and
// observes its run time, until ctx ends. Run it in its own goroutine after
// the client is created.
func ReportMetrics(ctx context.Context, c *Client, m *metrics.Metrics) {
	events, cancel := c.Subscribe(
		river.EventKindJobCompleted, river.EventKindJobFailed,
		river.EventKindJobCancelled, river.EventKindJobSnoozed,
	)
	defer cancel()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-events:
			if !ok {
				return
			}
			outcome := map[river.EventKind]string{
				river.EventKindJobCompleted: "completed",
				river.EventKindJobFailed:    "failed",
				river.EventKindJobCancelled: "cancelled",
				river.EventKindJobSnoozed:   "snoozed",
			}[ev.Kind]
			m.Jobs.WithLabelValues(ev.Job.Kind, outcome).Inc()
			if ev.JobStats != nil {
				m.JobDuration.WithLabelValues(ev.Job.Kind).Observe(ev.JobStats.RunDuration.Seconds())
			}
		}
	}
}
