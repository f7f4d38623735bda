package syncer

import (
	"runtime"
	"sync"
	"testing"
)

// each works every item exactly once, never more than the engine's
// concurrency at once, and fewer workers than items when items are few.
func TestEach(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ conc, n int }{{1, 5}, {4, 0}, {4, 3}, {4, 100}, {16, 1000}} {
		e := &Engine{conc: tc.conc}
		var mu sync.Mutex
		seen := make([]int, tc.n)
		running, peak := 0, 0
		e.each(tc.n, func(i int) {
			mu.Lock()
			seen[i]++
			running++
			peak = max(peak, running)
			mu.Unlock()
			runtime.Gosched() // let the other workers overlap this one
			mu.Lock()
			running--
			mu.Unlock()
		})
		for i, c := range seen {
			if c != 1 {
				t.Fatalf("conc %d, %d items: item %d worked %d times", tc.conc, tc.n, i, c)
			}
		}
		if peak > tc.conc {
			t.Fatalf("conc %d, %d items: %d at once", tc.conc, tc.n, peak)
		}
	}
}
