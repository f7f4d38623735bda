package syncer_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/sandbox"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/syncer"
)

// benchEnv is a seeded account and an engine on a fresh SQLite file.
func benchEnv(b *testing.B, clients int) (*sandbox.Env, *syncer.Engine) {
	b.Helper()
	env, err := sandbox.Start(sandbox.Options{Clients: clients, Seed: 3})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(env.Close)
	db, err := database.Open(context.Background(), "sqlite:"+filepath.Join(b.TempDir(), "fb.db"), database.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		b.Fatal(err)
	}
	gc, rc := env.Clients(nil)
	spec, err := syncer.DefaultSpec("bench", time.Now)
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("BENCH_TEMPLATE") != "" {
		spec = templateSpec(b, "bench")
	}
	eng, err := syncer.New(syncer.Config{Spec: spec, Store: store.New(db), GHL: gc, Repsly: rc, Concurrency: 16})
	if err != nil {
		b.Fatal(err)
	}
	return env, eng
}

// startProfile writes a CPU profile of the first backfill alone to the file
// BENCH_CPUPROFILE names (go test's -cpuprofile also covers seeding the
// sandboxes and the second run).
//
// BENCH_MEMPROFILE names a file prefix: PREFIX.before and PREFIX.after are
// heap profiles around the first backfill (go tool pprof -sample_index
// alloc_space -base PREFIX.before PREFIX.after shows what it allocated).
func startProfile(b *testing.B) (stop func()) {
	if prefix := os.Getenv("BENCH_MEMPROFILE"); prefix != "" {
		writeHeap(b, prefix+".before")
		return func() { writeHeap(b, prefix+".after") }
	}
	path := os.Getenv("BENCH_CPUPROFILE")
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		b.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// writeHeap writes a heap profile with every allocation made so far.
func writeHeap(b *testing.B, path string) {
	runtime.GC()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkBackfill measures a first backfill of N Repsly clients into an
// empty HighLevel location (every client becomes a contact), then a second
// run with nothing changed, which must make no write call.
func BenchmarkBackfill(b *testing.B) {
	n := 10_000
	if s := os.Getenv("BENCH_CLIENTS"); s != "" {
		_, _ = fmt.Sscan(s, &n)
	}
	for range b.N {
		b.StopTimer()
		env, eng := benchEnv(b, n)
		b.StartTimer()
		stopProfile := startProfile(b)
		cpu0 := cpuTime()
		start := time.Now()
		// The HighLevel phase (new contacts to Repsly) starts when the
		// last client batch is stored: its share is reported apart.
		var repslyDone time.Time
		progress := func(p syncer.Progress) {
			if p.Phase == "repsly" {
				repslyDone = time.Now()
			}
		}
		done, res, err := eng.Backfill(context.Background(), syncer.BackfillOptions{Progress: progress})
		stopProfile()
		if err != nil || !done {
			b.Fatalf("backfill: %v %v", done, err)
		}
		took := time.Since(start)
		// CPU of the whole process (engine and both sandboxes): how busy
		// the cores were, and what each record cost.
		if cpu := cpuTime() - cpu0; cpu > 0 {
			b.ReportMetric(cpu.Seconds()/took.Seconds(), "cores")
			b.ReportMetric(float64(cpu.Microseconds())/float64(n), "cpu-µs/record")
		}
		b.StopTimer()
		if got := len(env.GHL.Contacts()); got != n {
			b.Fatalf("%d contacts after backfilling %d clients (%v)", got, n, res.Counts)
		}
		b.ReportMetric(float64(n)/took.Seconds(), "records/s")
		b.ReportMetric(time.Since(repslyDone).Seconds()-time.Since(start.Add(took)).Seconds(), "ghl-phase-s")
		b.ReportMetric(float64(env.GHL.CallCount())/float64(n), "ghl-calls/record")
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		// Second run: nothing changed.
		if err := eng.ResetBackfill(context.Background()); err != nil {
			b.Fatal(err)
		}
		before := env.GHL.CallCount()
		start = time.Now()
		_, again, err := eng.Backfill(context.Background(), syncer.BackfillOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "unchanged-records/s")
		b.ReportMetric(float64(again.Writes()), "second-run-writes")
		b.ReportMetric(float64(env.GHL.CallCount()-before), "second-run-ghl-calls")
		b.StartTimer()
	}
}
