package repslysandbox

import (
	"context"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Faults configures fault injection. Rates are fractions of requests in
// [0, 1]. Decisions come from a math/rand generator seeded with Seed, so the
// same sequence of requests meets the same faults.
type Faults struct {
	// Latency delays every affected response; LatencyJitter adds a uniform
	// random extra in [0, LatencyJitter).
	Latency, LatencyJitter time.Duration
	// ServerErrorRate answers 500 with the HTML error page.
	ServerErrorRate float64
	// RateLimitRate answers 429 with a Retry-After header. No source shows a
	// real Repsly 429; clients retry on it defensively.
	RateLimitRate float64
	// RetryAfter is the Retry-After of injected 429s, rounded up to whole
	// seconds; zero means 1s.
	RetryAfter time.Duration
	// BadCursorRate answers 400 to this fraction of paged exports called with
	// a non-zero cursor, as the real service has been seen to do (third-party
	// code bumps the ID and retries). The choice is made per (endpoint,
	// cursor), so retrying the same cursor fails again, unless
	// BadCursorTransient makes it a per-request draw.
	BadCursorRate      float64
	BadCursorTransient bool
	// Endpoints limits the faults to these endpoint names (as in Requests);
	// empty means every endpoint.
	Endpoints []string
	// Seed seeds the generator; zero uses Options.Seed.
	Seed int64
}

// faultInjector applies Faults. Its generator is separate from the data so
// that fault draws never change what the account holds.
type faultInjector struct {
	mu       sync.Mutex
	f        Faults
	seed     int64
	rng      *rand.Rand
	baseSeed int64
}

func newFaultInjector(seed int64) *faultInjector { return &faultInjector{baseSeed: seed} }

func (fi *faultInjector) set(f Faults) {
	fi.mu.Lock()
	defer fi.mu.Unlock()
	f.Endpoints = slices.Clone(f.Endpoints)
	fi.f = f
	fi.seed = f.Seed
	if fi.seed == 0 {
		fi.seed = fi.baseSeed
	}
	fi.rng = rand.New(rand.NewPCG(uint64(fi.seed), 0x5eed))
}

// SetFaults replaces the fault configuration and reseeds the generator, so
// faults are deterministic from this call on. The zero Faults turns
// injection off.
func (s *Server) SetFaults(f Faults) { s.faults.set(f) }

// Faults returns the current fault configuration.
func (s *Server) Faults() Faults {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	f := s.faults.f
	f.Endpoints = slices.Clone(f.Endpoints)
	return f
}

// apply injects the configured faults for one request. It reports true when
// it answered the request itself.
func (fi *faultInjector) apply(ctx context.Context, w http.ResponseWriter, rt *route, params []string) bool {
	fi.mu.Lock()
	f := fi.f
	if len(f.Endpoints) > 0 && !slices.Contains(f.Endpoints, rt.name) {
		fi.mu.Unlock()
		return false
	}
	delay := f.Latency
	if f.LatencyJitter > 0 {
		delay += time.Duration(fi.rng.Int64N(int64(f.LatencyJitter)))
	}
	limited := f.RateLimitRate > 0 && fi.rng.Float64() < f.RateLimitRate
	failed := f.ServerErrorRate > 0 && fi.rng.Float64() < f.ServerErrorRate
	badCursor := false
	if f.BadCursorRate > 0 && rt.cursor >= 0 && params[rt.cursor] != "0" {
		if f.BadCursorTransient {
			badCursor = fi.rng.Float64() < f.BadCursorRate
		} else {
			badCursor = cursorDraw(fi.seed, rt.name, params[rt.cursor]) < f.BadCursorRate
		}
	}
	fi.mu.Unlock()

	if delay > 0 {
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
		}
	}
	switch {
	case limited:
		ra := f.RetryAfter
		if ra <= 0 {
			ra = time.Second
		}
		secs := int64((ra + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		writeHTML(w, http.StatusTooManyRequests, "Too Many Requests", "The request rate limit was exceeded; retry later.")
	case failed:
		writeRequestError(w, http.StatusInternalServerError, "The server encountered an error processing the request.")
	case badCursor:
		writeRequestError(w, http.StatusBadRequest, "The server encountered an error processing the request.")
	default:
		return false
	}
	return true
}

// cursorDraw maps (seed, endpoint, cursor) to a stable number in [0, 1).
func cursorDraw(seed int64, endpoint, cursor string) float64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(endpoint + "\x00" + cursor))
	x := splitmix64(h.Sum64() ^ uint64(seed))
	return float64(x>>11) / (1 << 53)
}
