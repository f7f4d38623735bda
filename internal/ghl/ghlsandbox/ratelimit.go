package ghlsandbox

import (
	"net/http"
	"strconv"
	"time"
)

// RateLimit configures the per-location request limits. The zero value is
// off: no limit and no X-RateLimit-* headers.
type RateLimit struct {
	Enabled bool
	// Burst requests are allowed per Interval, Daily per UTC day.
	Burst    int
	Interval time.Duration
	Daily    int
}

// RealRateLimit returns HighLevel's documented limits: 100 requests per
// 10 seconds and 200,000 per day, per app and location (Authorization.md).
func RealRateLimit() RateLimit {
	return RateLimit{Enabled: true, Burst: 100, Interval: 10 * time.Second, Daily: 200_000}
}

// limiter keeps a fixed window and a daily count per resource (location or
// company). It lives under s.mu.
type limiter struct {
	cfg     RateLimit
	buckets map[string]*bucket
}

type bucket struct {
	windowStart time.Time
	count       int
	day         string
	dayCount    int
}

// take counts one request for resource at now and writes the rate-limit
// headers the real service sends (names exactly as Authorization.md lists
// them). It reports false when a limit is exhausted; refused requests do not
// count.
func (l *limiter) take(resource string, now time.Time, h http.Header) bool {
	cfg := l.cfg
	if !cfg.Enabled {
		return true
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 10 * time.Second
	}
	if l.buckets == nil {
		l.buckets = make(map[string]*bucket)
	}
	b := l.buckets[resource]
	if b == nil {
		b = &bucket{}
		l.buckets[resource] = b
	}
	if b.windowStart.IsZero() || now.Sub(b.windowStart) >= cfg.Interval || now.Before(b.windowStart) {
		b.windowStart, b.count = now, 0
	}
	if day := now.UTC().Format(time.DateOnly); day != b.day {
		b.day, b.dayCount = day, 0
	}
	allowed := b.count < cfg.Burst && b.dayCount < cfg.Daily
	if allowed {
		b.count++
		b.dayCount++
	}
	h.Set("X-RateLimit-Limit-Daily", strconv.Itoa(cfg.Daily))
	h.Set("X-RateLimit-Daily-Remaining", strconv.Itoa(max(cfg.Daily-b.dayCount, 0)))
	h.Set("X-RateLimit-Interval-Milliseconds", strconv.FormatInt(cfg.Interval.Milliseconds(), 10))
	h.Set("X-RateLimit-Max", strconv.Itoa(cfg.Burst))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(max(cfg.Burst-b.count, 0)))
	if !allowed {
		// Retry-After is not documented for HighLevel; it is sent here
		// because it costs nothing and clients may use it.
		wait := b.windowStart.Add(cfg.Interval).Sub(now)
		if b.dayCount >= cfg.Daily {
			y, m, d := now.UTC().Date()
			wait = time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC).Sub(now)
		}
		h.Set("Retry-After", strconv.Itoa(int((wait+time.Second-1)/time.Second)))
	}
	return allowed
}

// SetRateLimit changes the rate limits at run time; counts are kept.
func (s *Server) SetRateLimit(rl RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limiter.cfg = rl
}
