package syncer

import (
	"sync"
	"sync/atomic"
)

// each calls work(i) for every i in [0, n), up to the engine's concurrency
// at once, taking them in order, and returns when all are done.
//
// A few workers take the items rather than a goroutine per item: working
// one record grows its goroutine's stack to tens of KB (HTTP, expressions),
// and a fresh goroutine per record copied it up each time (3% of a
// backfill's CPU).
func (e *Engine) each(n int, work func(i int)) {
	var wg sync.WaitGroup
	var next atomic.Int64
	for range min(e.conc, n) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				work(i)
			}
		}()
	}
	wg.Wait()
}
