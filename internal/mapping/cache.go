package mapping

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr/vm"
)

// Cache keeps compiled expression programs by the hash of everything that
// shapes them (the expression, the input roots, the node limit), so saving or
// loading the same mapping again skips compilation. Programs hold no
// per-mapping state (see runState), so two mappings may share one. A Cache is
// safe for concurrent use.
type Cache struct {
	mu    sync.Mutex
	max   int
	progs map[[sha256.Size]byte]*vm.Program
}

// NewCache returns a cache of at most size programs (at least 1).
func NewCache(size int) *Cache {
	return &Cache{max: max(size, 1), progs: map[[sha256.Size]byte]*vm.Program{}}
}

// Len returns the number of cached programs.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.progs)
}

func (c *Cache) get(key [sha256.Size]byte) *vm.Program {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.progs[key]
}

func (c *Cache) put(key [sha256.Size]byte, p *vm.Program) {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.progs) >= c.max {
		// Evict one arbitrary program: mappings are few and a miss only
		// costs a compile.
		for k := range c.progs {
			delete(c.progs, k)
			break
		}
	}
	c.progs[key] = p
}

// cacheKey hashes the inputs of one compilation. The format version changes
// whenever helpers or patchers change what a program means.
func cacheKey(src string, roots []string, maxNodes uint) [sha256.Size]byte {
	return sha256.Sum256([]byte("mapping/v1\x00" + strconv.FormatUint(uint64(maxNodes), 10) + "\x00" +
		strings.Join(roots, "\x01") + "\x00" + src))
}
