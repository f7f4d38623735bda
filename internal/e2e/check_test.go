package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// convergence is what waitInSync saw last.
type convergence struct {
	ok      bool          // in sync with no work left
	stuck   bool          // not in sync, no work left, no progress for stuckAfter
	took    time.Duration // until ok, stuck or the deadline
	rep     syncer.Report
	repErr  error
	pending []string
}

// stuckAfter is how long both sides may differ, with no job left that could
// change them, before the drift counts as permanent: ten poll periods.
const stuckAfter = 10 * time.Second

// stuckFor is stuckAfter, doubled under the race detector.
func stuckFor() time.Duration {
	if raceEnabled {
		return 2 * stuckAfter
	}
	return stuckAfter
}

// waitInSync waits, with the server running, until a full reconcile from
// this process finds both sides in sync and the server has no work left
// that could still change them (no job waiting to retry, no webhook or
// backfill job queued), or until the drift is stuck, or the deadline.
func (h *harness) waitInSync(ctx context.Context, timeout time.Duration) convergence {
	h.t.Helper()
	started := time.Now()
	timeout = slow(timeout)
	deadline := started.Add(timeout)
	core := h.openCore(ctx)
	defer core.Close()
	eng, err := app.NewEngines(core).Engine(ctx, flowName)
	if err != nil {
		h.t.Fatal(err)
	}
	jobs, err := job.NewClient(core.DB, job.Config{})
	if err != nil {
		h.t.Fatal(err)
	}
	var (
		c          convergence
		lastLog    = started
		idleSince  time.Time
		idleReport string
	)
	for {
		h.srv.running()
		flushCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_ = h.env.GHL.Flush(flushCtx)
		cancel()
		c.pending = pendingJobs(ctx, jobs)
		c.took = time.Since(started)
		if len(c.pending) == 0 {
			c.rep, c.repErr = eng.Reconcile(ctx, false)
			if c.repErr == nil && c.rep.InSync() {
				c.ok = true
				return c
			}
			// Drift with nothing left to do: permanent if it does not move.
			if s := summary(c.rep); c.repErr != nil || s != idleReport {
				idleSince, idleReport = time.Now(), s
			} else if time.Since(idleSince) >= stuckFor() {
				c.stuck = true
				return c
			}
		} else {
			idleReport = ""
		}
		if time.Since(lastLog) > 5*time.Second {
			lastLog = time.Now()
			h.t.Logf("converging for %.0fs: %d jobs pending %v; %s", c.took.Seconds(), len(c.pending), first(c.pending, 3), summary(c.rep))
		}
		if time.Now().After(deadline) {
			return c
		}
		select {
		case <-time.After(250 * time.Millisecond):
		case <-ctx.Done():
			return c
		}
	}
}

// settle is waitInSync that fails the test at the deadline, and logs but
// returns a stuck drift (tests that make writes fail expect one while
// bugFailedWrite stands).
func (h *harness) settle(ctx context.Context, timeout time.Duration) convergence {
	h.t.Helper()
	c := h.waitInSync(ctx, timeout)
	switch {
	case c.stuck:
		h.t.Logf("stuck %.0fs after the edits: no job left to run and this drift unchanged for %s: %s", c.took.Seconds(), stuckFor(), summary(c.rep))
	case !c.ok:
		h.t.Fatalf("seed %d: no convergence within %s: reconcile error %v; %s\njobs still pending (%d): %s\nserver log tail:\n%s",
			h.seed, timeout, c.repErr, summary(c.rep), len(c.pending), strings.Join(first(c.pending, 10), "; "), h.srv.tail(30))
	}
	return c
}

// converge is waitInSync that fails the test unless both sides agree.
func (h *harness) converge(ctx context.Context, timeout time.Duration) time.Duration {
	h.t.Helper()
	c := h.settle(ctx, timeout)
	if c.stuck {
		h.t.Fatalf("seed %d: stuck %.0fs after the edits: no job left to run and this drift unchanged for %s: %s\nserver log tail:\n%s",
			h.seed, c.took.Seconds(), stuckAfter, summary(c.rep), h.srv.tail(20))
	}
	return c.took
}

// pendingJobs lists the jobs that may still change a side: any job
// waiting to retry or snoozed, and queued or running webhook and backfill
// jobs (polls come every second and are not work left over).
func pendingJobs(ctx context.Context, jobs *job.Client) []string {
	res, err := jobs.JobList(ctx, river.NewJobListParams().First(1000).States(rivertype.JobStateRetryable,
		rivertype.JobStateScheduled, rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStatePending))
	if err != nil {
		return []string{"list jobs: " + err.Error()}
	}
	var out []string
	for _, j := range res.Jobs {
		live := j.State == rivertype.JobStateAvailable || j.State == rivertype.JobStateRunning || j.State == rivertype.JobStatePending
		if live && j.Kind != "ghl_webhook" && j.Kind != "backfill" {
			continue
		}
		desc := fmt.Sprintf("%s#%d %s attempt %d", j.Kind, j.ID, j.State, j.Attempt)
		if n := len(j.Errors); n > 0 {
			desc += fmt.Sprintf(" at %s, last error: %s", j.ScheduledAt.Format(time.TimeOnly), j.Errors[n-1].Error)
		}
		out = append(out, desc)
	}
	return out
}

func summary(r syncer.Report) string {
	return fmt.Sprintf("reconcile: %d clients, %d contacts, %d links; missing in HighLevel %d %v, missing in Repsly %d %v, orphaned %d %v, differing %d %v, duplicates %d %v",
		r.Clients, r.Contacts, r.Links, len(r.MissingInGHL), first(r.MissingInGHL, 5), len(r.MissingInRepsly), first(r.MissingInRepsly, 5),
		len(r.Orphaned), first(r.Orphaned, 5), len(r.Differing), first(r.Differing, 5), len(r.Duplicates), first(r.Duplicates, 5))
}

func first[T any](list []T, n int) []T {
	if len(list) > n {
		return list[:n]
	}
	return list
}
