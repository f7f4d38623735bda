// Package gcbudget lets a process's heap grow into a memory budget while
// its live heap is small, instead of collecting each time the heap doubles.
//
// Go's default (GOGC=100) collects when the heap reaches twice what the
// last collection found live. A sync process keeps little live (one batch
// of records, its buffers) and allocates fast, so it collected several
// times a second: a sixth of `sync run`'s CPU (docs/benchmarks.md). After
// every collection the tuner sets GOGC so that the next one comes when the
// heap reaches the budget, never below 100: the process never collects
// more often than it would untuned, and once its live heap passes half the
// budget it behaves exactly as untuned. See ADR 0014.
package gcbudget

import (
	"log/slog"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync/atomic"
)

// MaxPercent caps GOGC: right after start, or after a collection that
// found almost nothing live, a larger value would let one burst of live
// data grow the heap far past the budget before the next collection.
const MaxPercent = 400

// Percent is the GOGC that makes the heap goal budget for live bytes
// found live, within [100, MaxPercent].
func Percent(live, budget uint64) int {
	if live == 0 || budget <= 2*live {
		return 100
	}
	p := int((budget - live) * 100 / live)
	return max(100, min(p, MaxPercent))
}

// Tuner adjusts GOGC after every collection; Stop ends it.
type Tuner struct {
	budget  uint64
	logger  *slog.Logger
	stopped atomic.Bool
	prev    int
	sample  []metrics.Sample
}

// Start begins tuning for budget bytes and returns the tuner. A budget of
// zero tunes nothing.
func Start(budget uint64, logger *slog.Logger) *Tuner {
	t := &Tuner{budget: budget, logger: logger, sample: []metrics.Sample{{Name: "/gc/heap/live:bytes"}}}
	if budget == 0 {
		t.stopped.Store(true)
		return t
	}
	t.prev = t.adjust()
	t.arm()
	return t
}

// Stop ends the tuning and puts back the GOGC the process had.
func (t *Tuner) Stop() {
	if t.stopped.Swap(true) {
		return
	}
	debug.SetGCPercent(t.prev)
}

// sentinel is garbage as soon as it is made: its finalizer runs after the
// next collection, adjusts, and arms a new one.
type sentinel struct{ _ [16]byte }

func (t *Tuner) arm() {
	s := &sentinel{}
	runtime.SetFinalizer(s, func(*sentinel) {
		if t.stopped.Load() {
			return
		}
		t.adjust()
		t.arm()
	})
}

// adjust sets GOGC for the live heap now and returns the GOGC before.
func (t *Tuner) adjust() int {
	metrics.Read(t.sample)
	live := uint64(0)
	if t.sample[0].Value.Kind() == metrics.KindUint64 {
		live = t.sample[0].Value.Uint64()
	}
	p := Percent(live, t.budget)
	old := debug.SetGCPercent(p)
	if old != p && t.logger != nil {
		t.logger.Debug("gc percent", slog.Int("gogc", p), slog.Uint64("live_bytes", live), slog.Uint64("budget_bytes", t.budget))
	}
	return old
}
