package mapping

import "sync"

// boundedCache is a bounded, concurrency-safe map of pure function results.
// When full it is emptied: simpler than LRU and good enough for values
// that are cheap to recompute but costly in bulk.
type boundedCache[K comparable, V any] struct {
	mu  sync.RWMutex
	max int
	m   map[K]V
}

func newBoundedCache[K comparable, V any](max int) *boundedCache[K, V] {
	return &boundedCache[K, V]{max: max, m: make(map[K]V)}
}

func (c *boundedCache[K, V]) get(k K) (V, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *boundedCache[K, V]) put(k K, v V) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = make(map[K]V, c.max/2)
	}
	c.m[k] = v
	c.mu.Unlock()
}
