package ghl

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// HighLevel's published limits per app and location (docs/oauth/Authorization.md).
const (
	DefaultBurstMax      = 100
	DefaultBurstInterval = 10 * time.Second
	DefaultDailyLimit    = 200_000
)

// Rate limit response headers.
const (
	headerRateMax            = "X-RateLimit-Max"
	headerRateRemaining      = "X-RateLimit-Remaining"
	headerRateInterval       = "X-RateLimit-Interval-Milliseconds"
	headerRateDailyLimit     = "X-RateLimit-Limit-Daily"
	headerRateDailyRemaining = "X-RateLimit-Daily-Remaining"
	headerRateDailyReset     = "X-RateLimit-Daily-Reset"
)

// dailyProbeWait is how long to stay away once the daily allowance is gone
// and HighLevel names no reset time: long enough not to waste requests,
// short enough to notice a reset soon.
const dailyProbeWait = time.Hour

// BudgetOptions configures a Budget. Zero fields take HighLevel's defaults.
type BudgetOptions struct {
	// BurstMax requests are allowed per BurstInterval (default 100 per 10 s).
	BurstMax int
	// BurstInterval is the burst window (default 10 s).
	BurstInterval time.Duration
	// DailyLimit requests are allowed per day (default 200,000).
	DailyLimit int
	// Clock returns the current time (default time.Now). Waits use real
	// timers, so tests that need time to pass run inside testing/synctest.
	Clock func() time.Time
}

// Budget is the request allowance of one location (HighLevel counts per app
// and location). Every Client calling the same location in this process
// should share one Budget. It paces requests with token buckets and also
// obeys the X-RateLimit-* headers of every answer, so it slows down when
// other clients (other processes, other apps' traffic counted against the
// same location) spend the allowance too. Safe for concurrent use.
type Budget struct {
	clock func() time.Time

	mu            sync.Mutex
	burst         *rate.Limiter
	daily         *rate.Limiter
	burstMax      int
	burstInterval time.Duration
	dailyLimit    int
	pausedUntil   time.Time
	observed      *observedLimits
}

// observedLimits holds the last rate limit headers seen.
type observedLimits struct {
	at             time.Time
	max            int
	remaining      int
	interval       time.Duration
	dailyLimit     int
	dailyRemaining int
	hasBurst       bool
	hasDaily       bool
	// windowStart estimates when the current burst window began.
	windowStart time.Time
}

// BudgetStatus is a snapshot of a Budget, for `connections test` and metrics.
type BudgetStatus struct {
	// BurstMax requests are allowed per BurstInterval.
	BurstMax      int
	BurstInterval time.Duration
	// BurstRemaining is what HighLevel last reported left in the current
	// window, or this process's own estimate when no answer carried headers.
	BurstRemaining int
	// DailyLimit and DailyRemaining are the daily allowance and what is left.
	DailyLimit     int
	DailyRemaining int
	// FromHeaders is true when the Remaining values come from HighLevel.
	FromHeaders bool
	// ObservedAt is when the headers were read (zero if never).
	ObservedAt time.Time
	// PausedUntil is set while requests wait out a 429 or an exhausted window.
	PausedUntil time.Time
}

// NewBudget returns a budget with the given limits.
func NewBudget(opts BudgetOptions) *Budget {
	b := &Budget{clock: opts.Clock}
	if b.clock == nil {
		b.clock = time.Now
	}
	burstMax, interval, daily := opts.BurstMax, opts.BurstInterval, opts.DailyLimit
	if burstMax <= 0 {
		burstMax = DefaultBurstMax
	}
	if interval <= 0 {
		interval = DefaultBurstInterval
	}
	if daily <= 0 {
		daily = DefaultDailyLimit
	}
	refill, capacity := burstParams(burstMax, interval)
	b.burst = rate.NewLimiter(refill, capacity)
	b.burstMax, b.burstInterval = burstMax, interval
	b.daily = rate.NewLimiter(dailyRate(daily), daily)
	b.dailyLimit = daily
	return b
}

// burstParams sizes the burst bucket so that no window of length interval
// can hold more than limit requests: capacity plus refill*interval <= limit.
// A tenth of the limit as capacity keeps short bursts cheap while the refill
// spreads the rest evenly.
func burstParams(limit int, interval time.Duration) (rate.Limit, int) {
	// A small bucket (2 of HighLevel's 100) keeps the steady rate at 98%
	// of the allowance; a tenth would leave 10% of it unused.
	capacity := max(1, limit/50)
	if limit == 1 {
		return rate.Limit(1 / interval.Seconds()), 1
	}
	return rate.Limit(float64(limit-capacity) / interval.Seconds()), capacity
}

// dailyRate refills the daily bucket, which holds the whole allowance,
// evenly over a day; the daily headers correct it when others spend too.
func dailyRate(limit int) rate.Limit {
	return rate.Limit(float64(limit) / (24 * time.Hour).Seconds())
}

// setBurst applies burst limits announced by HighLevel's headers.
func (b *Budget) setBurst(now time.Time, limit int, interval time.Duration) {
	refill, capacity := burstParams(limit, interval)
	b.burst.SetLimitAt(now, refill)
	b.burst.SetBurstAt(now, capacity)
	b.burstMax, b.burstInterval = limit, interval
}

// setDaily applies a daily limit announced by HighLevel's headers.
func (b *Budget) setDaily(now time.Time, limit int) {
	b.daily.SetLimitAt(now, dailyRate(limit))
	b.daily.SetBurstAt(now, limit)
	b.dailyLimit = limit
}

// Wait blocks until one request may be sent, or ctx is done.
func (b *Budget) Wait(ctx context.Context) error {
	for {
		b.mu.Lock()
		now := b.clock()
		if pause := b.pausedUntil; now.Before(pause) {
			b.mu.Unlock()
			if err := sleep(ctx, pause.Sub(now)); err != nil {
				return err
			}
			b.mu.Lock()
			// The pause has been served even if the clock does not say so
			// (a frozen test clock); a newer pause replaces it and is waited for.
			if b.pausedUntil.Equal(pause) {
				b.pausedUntil = time.Time{}
			}
			b.mu.Unlock()
			continue
		}
		br := b.burst.ReserveN(now, 1)
		dr := b.daily.ReserveN(now, 1)
		b.mu.Unlock()
		delay := max(br.DelayFrom(now), dr.DelayFrom(now))
		if delay == 0 {
			return nil
		}
		if err := sleep(ctx, delay); err != nil {
			b.mu.Lock()
			br.CancelAt(b.clock())
			dr.CancelAt(b.clock())
			b.mu.Unlock()
			return err
		}
		return nil
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Observe takes in the rate limit headers and status of an answer.
func (b *Budget) Observe(h http.Header, status int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	o := &observedLimits{at: now}
	if b.observed != nil {
		*o = *b.observed
		o.at = now
	}
	if limit, ok := headerInt(h, headerRateMax); ok && limit > 0 {
		interval := b.burstInterval
		if d, ok := headerMillis(h, headerRateInterval); ok {
			interval = d
		}
		if limit != b.burstMax || interval != b.burstInterval {
			b.setBurst(now, limit, interval)
		}
		o.max, o.interval = limit, interval
	}
	if rem, ok := headerInt(h, headerRateRemaining); ok {
		prev := b.observed
		// HighLevel counts in fixed windows and names no reset time: a
		// window began when the remaining count went up (or at the first
		// answer seen).
		if prev == nil || !prev.hasBurst || rem > prev.remaining || now.Sub(prev.windowStart) >= b.burstInterval {
			o.windowStart = now
		}
		o.remaining, o.hasBurst = rem, true
		if o.max == 0 {
			o.max, o.interval = b.burstMax, b.burstInterval
		}
		drain(b.burst, now, rem)
		if rem <= 0 {
			// Wait for the window to end, not a whole window from now.
			until := o.windowStart.Add(b.burstInterval)
			if !until.After(now) {
				until = now.Add(b.burstInterval)
			}
			b.pause(until)
		}
	}
	if limit, ok := headerInt(h, headerRateDailyLimit); ok && limit > 0 && limit != b.dailyLimit {
		b.setDaily(now, limit)
	}
	if rem, ok := headerInt(h, headerRateDailyRemaining); ok {
		o.dailyLimit, o.dailyRemaining, o.hasDaily = b.dailyLimit, rem, true
		drain(b.daily, now, rem)
		if rem <= 0 {
			wait, _ := retryAfter(h, now)
			b.pause(now.Add(wait))
		}
	}
	if o.hasBurst || o.hasDaily {
		b.observed = o
	}
	if status == http.StatusTooManyRequests {
		wait, _ := retryAfter(h, now)
		b.pause(now.Add(wait))
	}
}

// Pause stops all requests until t (e.g. when a job learns of a 429 elsewhere).
func (b *Budget) Pause(t time.Time) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.pause(t)
}

func (b *Budget) pause(t time.Time) {
	if t.After(b.pausedUntil) {
		b.pausedUntil = t
	}
}

// drain lowers the bucket to at most remaining tokens, so this process never
// plans on more than the server says is left.
func drain(l *rate.Limiter, now time.Time, remaining int) {
	excess := l.TokensAt(now) - float64(max(remaining, 0))
	if excess >= 1 {
		l.ReserveN(now, int(math.Ceil(excess)))
	}
}

// Status returns a snapshot of the budget.
func (b *Budget) Status() BudgetStatus {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	s := BudgetStatus{
		BurstMax:       b.burstMax,
		BurstInterval:  b.burstInterval,
		BurstRemaining: min(b.burstMax, max(0, int(b.burst.TokensAt(now)))),
		DailyLimit:     b.dailyLimit,
		DailyRemaining: max(0, int(b.daily.TokensAt(now))),
	}
	if now.Before(b.pausedUntil) {
		s.PausedUntil = b.pausedUntil
	}
	if o := b.observed; o != nil {
		s.FromHeaders, s.ObservedAt = true, o.at
		if o.hasBurst {
			s.BurstRemaining = o.remaining
		}
		if o.hasDaily {
			s.DailyRemaining = o.dailyRemaining
		}
	}
	return s
}

// retryAfter computes how long to wait after a 429 (or an exhausted
// allowance): Retry-After when present; else, when the daily allowance is
// gone, until X-RateLimit-Daily-Reset (or dailyProbeWait); else one burst
// window (X-RateLimit-Interval-Milliseconds, default 10 s), the longest a
// burst window can take to free up.
func retryAfter(h http.Header, now time.Time) (wait time.Duration, daily bool) {
	rem, ok := headerInt(h, headerRateDailyRemaining)
	daily = ok && rem <= 0
	if v := h.Get("Retry-After"); v != "" {
		if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
			return min(time.Duration(min(secs, maxWaitSeconds))*time.Second, maxWait), daily
		}
		if t, err := http.ParseTime(v); err == nil {
			return min(max(0, t.Sub(now)), maxWait), daily
		}
	}
	if daily {
		if reset, ok := headerInt(h, headerRateDailyReset); ok && reset > 0 {
			// The reset is documented only as milliseconds: an epoch
			// timestamp when it is that large, else a duration.
			if reset > 1_000_000_000_000 {
				return min(max(0, time.UnixMilli(int64(reset)).Sub(now)), maxWait), true
			}
			return min(time.Duration(reset)*time.Millisecond, maxWait), true
		}
		return dailyProbeWait, true
	}
	if d, ok := headerMillis(h, headerRateInterval); ok {
		return d, false
	}
	return DefaultBurstInterval, false
}

// maxWait caps every wait taken from headers: a day is the longest any
// HighLevel window lasts, and it keeps absurd values from overflowing.
const (
	maxWait        = 24 * time.Hour
	maxWaitSeconds = int(maxWait / time.Second)
)

// headerMillis reads a positive duration in milliseconds, at most maxWait.
func headerMillis(h http.Header, name string) (time.Duration, bool) {
	ms, ok := headerInt(h, name)
	if !ok || ms <= 0 || ms > int(maxWait/time.Millisecond) {
		return 0, false
	}
	return time.Duration(ms) * time.Millisecond, true
}

func headerInt(h http.Header, name string) (int, bool) {
	v := h.Get(name)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	// Bounded so durations and epoch milliseconds built from it cannot overflow.
	if err != nil || n > 1<<50 || n < -(1<<50) {
		return 0, false
	}
	return int(n), true
}
