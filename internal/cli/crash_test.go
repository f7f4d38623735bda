package cli_test

import (
	"context"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/job"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// TestJobSurvivesKill enqueues a probe job that holds on its first attempt,
// kills the server with SIGKILL while the job runs, restarts it, and
// checks the job then completes exactly once.
func TestJobSurvivesKill(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dsn, env := sqliteEnv(t)

	first := startChild(t, env, "serve")
	first.waitFor(ctx, t, "fieldbridge listening")

	// A second server on the same file must refuse to start.
	second := startChild(t, env, "serve")
	if code := second.wait(ctx, t); code != 1 {
		t.Fatalf("second serve exited %d, want 1", code)
	}
	if !strings.Contains(second.stderr.String(), "in use by another fieldbridge process") {
		t.Fatalf("second serve said:\n%s", second.stderr)
	}

	db, err := database.Open(ctx, dsn, database.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	st := store.New(db)
	inserter, err := job.NewClient(db, job.Config{})
	if err != nil {
		t.Fatal(err)
	}
	probeID, err := job.EnqueueProbe(ctx, st, inserter, store.Probe{HoldAttempts: 1, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	first.waitFor(ctx, t, "probe holding")
	first.signal(t, syscall.SIGKILL)
	first.wait(ctx, t)

	restarted := startChild(t, env, "serve")
	restarted.waitFor(ctx, t, "requeued jobs left running by a previous process")
	listening := restarted.waitFor(ctx, t, "fieldbridge listening")
	restarted.waitFor(ctx, t, "probe completed")

	res, err := http.Get("http://" + listening["addr"].(string) + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("readyz after restart: %d", res.StatusCode)
	}

	restarted.signal(t, syscall.SIGTERM)
	if code := restarted.wait(ctx, t); code != 0 {
		t.Fatalf("graceful stop exited %d; output:\n%s", code, restarted.stderr)
	}

	p, err := st.GetProbe(ctx, st.DB(), probeID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Completions != 1 {
		t.Fatalf("probe completed %d times, want exactly 1", p.Completions)
	}
	jobs, err := inserter.JobList(ctx, river.NewJobListParams().Kinds("probe").States(rivertype.JobStateCompleted))
	if err != nil {
		t.Fatal(err)
	}
	if len(jobs.Jobs) != 1 || jobs.Jobs[0].Attempt != 2 {
		t.Fatalf("want one completed probe job on attempt 2, got %d jobs", len(jobs.Jobs))
	}
}
