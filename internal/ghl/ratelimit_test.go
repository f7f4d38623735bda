package ghl

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// waitN calls Wait n times and returns how much (fake) time passed.
func waitN(t *testing.T, b *Budget, n int) time.Duration {
	t.Helper()
	start := time.Now()
	for i := range n {
		if err := b.Wait(t.Context()); err != nil {
			t.Fatalf("wait %d: %v", i, err)
		}
	}
	return time.Since(start)
}

func TestBudgetPacesBursts(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := NewBudget(BudgetOptions{})
		if d := waitN(t, b, 2); d != 0 {
			t.Fatalf("first 2 requests waited %v, want none", d)
		}
		// Beyond the bucket, requests are spread so that no 10 s window
		// holds more than 100, at 98% of that rate.
		if d := waitN(t, b, 98); d < 9800*time.Millisecond || d > 10*time.Second {
			t.Fatalf("next 98 requests took %v, want 9.8-10 s", d)
		}
	})
}

func TestBudgetFollowsHeaders(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		header   http.Header
		status   int
		wantWait time.Duration
	}{
		{name: "others spent the window", header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Max": {"100"},
			"X-Ratelimit-Interval-Milliseconds": {"10000"}}, status: 200, wantWait: 10 * time.Second},
		{name: "429 with Retry-After", header: http.Header{"Retry-After": {"30"}}, status: 429, wantWait: 30 * time.Second},
		{name: "daily allowance gone", header: http.Header{"X-Ratelimit-Daily-Remaining": {"0"}, "X-Ratelimit-Daily-Reset": {"7200000"}},
			status: 200, wantWait: 2 * time.Hour},
		{name: "plenty left", header: http.Header{"X-Ratelimit-Remaining": {"80"}, "X-Ratelimit-Daily-Remaining": {"150000"}}, status: 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) {
				b := NewBudget(BudgetOptions{})
				b.Observe(tt.header, tt.status)
				if d := waitN(t, b, 1); d != tt.wantWait {
					t.Fatalf("waited %v, want %v", d, tt.wantWait)
				}
			})
		})
	}
}

func TestBudgetDrainsToRemaining(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := NewBudget(BudgetOptions{})
		// Another client sharing the location left only 1 request.
		b.Observe(http.Header{"X-Ratelimit-Remaining": {"1"}}, 200)
		if d := waitN(t, b, 1); d != 0 {
			t.Fatalf("the remaining request waited %v", d)
		}
		if d := waitN(t, b, 1); d == 0 {
			t.Fatal("the request after the remaining one did not wait")
		}
	})
}

func TestBudgetAdoptsServerLimits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := NewBudget(BudgetOptions{})
		// Private integration tokens of sandbox accounts get 25/10 s and 10,000/day.
		b.Observe(http.Header{"X-Ratelimit-Max": {"25"}, "X-Ratelimit-Interval-Milliseconds": {"10000"},
			"X-Ratelimit-Remaining": {"24"}, "X-Ratelimit-Limit-Daily": {"10000"}, "X-Ratelimit-Daily-Remaining": {"9999"}}, 200)
		s := b.Status()
		want := BudgetStatus{BurstMax: 25, BurstInterval: 10 * time.Second, BurstRemaining: 24, DailyLimit: 10000,
			DailyRemaining: 9999, FromHeaders: true, ObservedAt: time.Now()}
		if s != want {
			t.Fatalf("status = %+v\nwant     %+v", s, want)
		}
		if d := waitN(t, b, 25); d < 9*time.Second || d > 10*time.Second {
			t.Fatalf("25 requests took %v, want 9-10 s", d)
		}
	})
}

func TestBudgetStatusBeforeAnyAnswer(t *testing.T) {
	t.Parallel()
	s := NewBudget(BudgetOptions{}).Status()
	if s.BurstMax != 100 || s.BurstRemaining != 2 || s.DailyLimit != 200000 || s.DailyRemaining != 200000 || s.FromHeaders {
		t.Fatalf("status = %+v", s)
	}
}

func TestBudgetWaitRespectsContext(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		b := NewBudget(BudgetOptions{})
		b.Pause(time.Now().Add(time.Hour))
		ctx, cancel := context.WithTimeout(t.Context(), time.Second)
		defer cancel()
		start := time.Now()
		if err := b.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Wait = %v, want deadline exceeded", err)
		}
		if d := time.Since(start); d != time.Second {
			t.Fatalf("Wait returned after %v, want 1s", d)
		}
	})
}

func TestBudgetFrozenClockTerminates(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		frozen := time.Now()
		b := NewBudget(BudgetOptions{Clock: func() time.Time { return frozen }})
		b.Pause(frozen.Add(time.Minute))
		// A clock that never moves must not make Wait spin forever.
		waitN(t, b, 20)
	})
}

func TestClientObservesHeaders(t *testing.T) {
	t.Parallel()
	b := setup(t, setupOptions{}, reply{Status: 200, Body: `{"contact":{"id":"c1"}}`,
		Header: http.Header{"X-Ratelimit-Remaining": {"57"}, "X-Ratelimit-Max": {"100"}, "X-Ratelimit-Interval-Milliseconds": {"10000"},
			"X-Ratelimit-Limit-Daily": {"200000"}, "X-Ratelimit-Daily-Remaining": {"199000"}}})
	if _, err := b.client.GetContact(t.Context(), "c1"); err != nil {
		t.Fatal(err)
	}
	s := b.client.RateBudget()
	if !s.FromHeaders || s.BurstRemaining != 57 || s.DailyRemaining != 199000 {
		t.Fatalf("budget = %+v", s)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := testNow
	tests := []struct {
		name      string
		header    http.Header
		want      time.Duration
		wantDaily bool
	}{
		{name: "seconds", header: http.Header{"Retry-After": {"12"}}, want: 12 * time.Second},
		{name: "http date", header: http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, want: 90 * time.Second},
		{name: "date in the past", header: http.Header{"Retry-After": {now.Add(-time.Hour).Format(http.TimeFormat)}}, want: 0},
		{name: "absurd seconds", header: http.Header{"Retry-After": {"999999999999"}}, want: maxWait},
		{name: "interval", header: http.Header{"X-Ratelimit-Interval-Milliseconds": {"2500"}}, want: 2500 * time.Millisecond},
		{name: "default", header: http.Header{}, want: 10 * time.Second},
		{name: "daily reset epoch ms", header: http.Header{"X-Ratelimit-Daily-Remaining": {"0"},
			"X-Ratelimit-Daily-Reset": {"1772636400000"}}, want: 3 * time.Hour, wantDaily: true},
		{name: "daily without reset", header: http.Header{"X-Ratelimit-Daily-Remaining": {"-1"}}, want: time.Hour, wantDaily: true},
		{name: "garbage", header: http.Header{"Retry-After": {"soon"}, "X-Ratelimit-Interval-Milliseconds": {"x"}}, want: 10 * time.Second},
	}
	for _, tt := range tests {
		got, daily := retryAfter(tt.header, now)
		if got != tt.want || daily != tt.wantDaily {
			t.Errorf("%s: retryAfter = %v, %v; want %v, %v", tt.name, got, daily, tt.want, tt.wantDaily)
		}
	}
}
