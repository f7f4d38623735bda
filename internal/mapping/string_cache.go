package mapping

import "sync"

// stringCache is a bounded, concurrency-safe map of pure function results.
// When full it is emptied: simpler than LRU and good enough for values
// that are cheap to recompute but costly in bulk.
type stringCache struct {
	mu  sync.RWMutex
	max int
	m   map[string]string
}

func newStringCache(max int) *stringCache {
	return &stringCache{max: max, m: make(map[string]string)}
}

func (c *stringCache) get(k string) (string, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	c.mu.RUnlock()
	return v, ok
}

func (c *stringCache) put(k, v string) {
	c.mu.Lock()
	if len(c.m) >= c.max {
		c.m = make(map[string]string, c.max/2)
	}
	c.m[k] = v
	c.mu.Unlock()
}
