package ghl

import (
	"context"
	"sync"
	"time"
)

// MemoryDeduper is an in-process Deduper that forgets ids after a TTL. It
// suits tests and single-process setups; the inbox table's unique webhook id
// is the durable guard.
type MemoryDeduper struct {
	ttl   time.Duration
	clock func() time.Time

	mu   sync.Mutex
	seen map[string]time.Time
}

// NewMemoryDeduper returns a deduper remembering ids for ttl; 0 means one
// hour, which outlasts the webhook timestamp window many times over.
func NewMemoryDeduper(ttl time.Duration, clock func() time.Time) *MemoryDeduper {
	if ttl <= 0 {
		ttl = time.Hour
	}
	if clock == nil {
		clock = time.Now
	}
	return &MemoryDeduper{ttl: ttl, clock: clock, seen: make(map[string]time.Time)}
}

// Seen implements Deduper.
func (d *MemoryDeduper) Seen(_ context.Context, id string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	at, ok := d.seen[id]
	return ok && d.clock().Sub(at) < d.ttl, nil
}

// Mark implements Deduper.
func (d *MemoryDeduper) Mark(_ context.Context, id string) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.clock()
	// Sweep on write so the map stays bounded by the rate of deliveries.
	for k, at := range d.seen {
		if now.Sub(at) >= d.ttl {
			delete(d.seen, k)
		}
	}
	d.seen[id] = now
	return nil
}
