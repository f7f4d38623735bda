package connection

import "sync"

// keyedMutex serialises work per connection id inside one process, so ten
// goroutines needing a fresh token wait for one refresh instead of each
// queueing a transaction.
type keyedMutex struct {
	mu    sync.Mutex
	locks map[int64]*sync.Mutex
}

func newKeyedMutex() *keyedMutex { return &keyedMutex{locks: map[int64]*sync.Mutex{}} }

func (k *keyedMutex) lock(id int64) func() {
	k.mu.Lock()
	m, ok := k.locks[id]
	if !ok {
		m = &sync.Mutex{}
		k.locks[id] = m
	}
	k.mu.Unlock()
	m.Lock()
	return m.Unlock
}
