package app_test

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/app"
	"github.com/fieldbridge/fieldbridge/internal/flow"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// TestEnginesBuildOnce asks for a sync flow's engine from many jobs at
// once, as a restarted server does: every job must get the same engine,
// or their per-record locks would not exclude each other and two jobs
// could store the same link from stale reads.
func TestEnginesBuildOnce(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	logger := slog.New(slog.DiscardHandler)
	env, err := sandbox.Start(sandbox.Options{Seed: 1, Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(env.Close)
	cfg := testConfig(t, nil)
	core, err := app.OpenCore(ctx, cfg, logger, app.CoreOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = core.Close() })
	addSandboxConnections(ctx, t, core.Connections, env)
	tmpl, err := flow.TemplateByID("repsly-ghl-two-way-sync")
	if err != nil {
		t.Fatal(err)
	}
	prog, err := tmpl.Instantiate("two-way", map[string]string{"repsly_connection": "repsly", "ghl_connection": "ghl"}, flow.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src, err := flow.Marshal(prog.Flow())
	if err != nil {
		t.Fatal(err)
	}
	if err := core.Store.InTx(ctx, func(tx store.Tx) error {
		_, _, err := core.Store.PutFlow(ctx, tx, store.FlowInput{Name: "two-way", Kind: prog.Flow().Kind(), YAML: string(src)}, time.Now())
		return err
	}); err != nil {
		t.Fatal(err)
	}
	engines := app.NewEngines(core)
	const jobs = 16
	got := make([]*syncer.Engine, jobs)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range jobs {
		wg.Go(func() {
			<-start
			eng, err := engines.Engine(context.WithoutCancel(ctx), "two-way")
			if err != nil {
				t.Error(err)
			}
			got[i] = eng
		})
	}
	close(start)
	wg.Wait()
	for i, eng := range got {
		if eng == nil || eng != got[0] {
			t.Fatalf("job %d got engine %p, job 0 got %p: engines were built more than once", i, eng, got[0])
		}
	}
}
