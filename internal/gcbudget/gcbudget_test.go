package gcbudget_test

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/fieldbridge/fieldbridge/internal/gcbudget"
)

func TestPercent(t *testing.T) {
	t.Parallel()
	const mib = 1 << 20
	tests := []struct {
		name         string
		live, budget uint64
		want         int
	}{
		{"nothing live yet", 0, 128 * mib, 100},
		{"tiny live heap is capped", 1 * mib, 128 * mib, gcbudget.MaxPercent},
		{"budget four times live", 32 * mib, 128 * mib, 300},
		{"budget five times live", 25 * mib, 125 * mib, 400},
		{"past half the budget: untuned", 70 * mib, 128 * mib, 100},
		{"exactly half", 64 * mib, 128 * mib, 100},
		{"just under half", 60 * mib, 128 * mib, 113},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := gcbudget.Percent(tt.live, tt.budget); got != tt.want {
				t.Fatalf("Percent(%d, %d) = %d, want %d", tt.live, tt.budget, got, tt.want)
			}
		})
	}
}

// gogc reads the process's GOGC.
func gogc() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// The tuner raises GOGC while the live heap is far under the budget, keeps
// doing so after collections, and puts the old value back when stopped.
// (Not parallel: GOGC belongs to the whole process.)
func TestTunerRaisesAndRestores(t *testing.T) {
	before := gogc()
	tuner := gcbudget.Start(1<<30, nil)
	runtime.GC()
	runtime.GC() // the finalizer of the first cycle's sentinel has run
	if got := gogc(); got != gcbudget.MaxPercent {
		t.Errorf("GOGC %d under a 1 GiB budget with a small live heap, want %d", got, gcbudget.MaxPercent)
	}
	tuner.Stop()
	runtime.GC()
	runtime.GC()
	if got := gogc(); got != before {
		t.Fatalf("GOGC %d after Stop, want %d back", got, before)
	}
}

// A budget smaller than twice the live heap leaves GOGC at 100, and a zero
// budget leaves GOGC alone.
func TestTunerNeverBelowDefault(t *testing.T) {
	before := gogc()
	tuner := gcbudget.Start(1, nil)
	runtime.GC()
	runtime.GC()
	if got := gogc(); got != 100 {
		t.Errorf("GOGC %d with a budget under the live heap, want 100", got)
	}
	tuner.Stop()
	off := gcbudget.Start(0, nil)
	runtime.GC()
	if got := gogc(); got != before {
		t.Errorf("a zero budget changed GOGC to %d", got)
	}
	off.Stop()
}
