package ghl_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
)

// BenchmarkBudgetFiveLocations runs five locations at once against the
// sandbox with HighLevel's real limit (100 requests / 10 s per location),
// each pushed by eight eager goroutines through its own Budget, and
// reports the share of the allowed rate each location got and the share
// of requests answered 429. BENCH_SECONDS sets the duration (default 30).
func BenchmarkBudgetFiveLocations(b *testing.B) {
	secs := 30
	if s, err := strconv.Atoi(os.Getenv("BENCH_SECONDS")); err == nil && s > 0 {
		secs = s
	}
	const locations = 5
	var locs []ghlsandbox.Location
	for i := range locations {
		locs = append(locs, ghlsandbox.Location{ID: fmt.Sprintf("loc%d", i), Name: fmt.Sprintf("Location %d", i)})
	}
	sb := ghlsandbox.New(ghlsandbox.Options{Locations: locs, RateLimit: ghlsandbox.RealRateLimit()})
	defer sb.Close()
	srv := httptest.NewServer(sb.Handler())
	defer srv.Close()
	for range b.N {
		ctx, cancel := context.WithTimeout(context.Background(), time.Duration(secs)*time.Second)
		var wg sync.WaitGroup
		ok := make([]atomic.Int64, locations)
		limited := make([]atomic.Int64, locations)
		start := time.Now()
		for i, loc := range locs {
			token := sb.IssueToken(loc.ID)
			c := ghl.New(ghl.Options{BaseURL: srv.URL, TokenSource: ghl.StaticToken(token), LocationID: loc.ID,
				Budget: ghl.NewBudget(ghl.BudgetOptions{})})
			for range 8 {
				wg.Go(func() {
					for ctx.Err() == nil {
						_, err := c.GetLocation(ctx)
						var rl *ghl.RateLimitError
						switch {
						case err == nil:
							ok[i].Add(1)
						case errors.As(err, &rl):
							limited[i].Add(1)
						}
					}
				})
			}
		}
		wg.Wait()
		cancel()
		elapsed := time.Since(start).Seconds()
		allowed := 10.0 * elapsed // 100 per 10 s
		minShare, total, total429 := 1e9, 0.0, 0.0
		for i := range locations {
			share := float64(ok[i].Load()) / allowed
			minShare = min(minShare, share)
			total += float64(ok[i].Load() + limited[i].Load())
			total429 += float64(limited[i].Load())
			b.Logf("location %d: %d ok, %d answered 429, %.1f%% of the allowed rate", i, ok[i].Load(), limited[i].Load(), 100*share)
		}
		b.ReportMetric(100*minShare, "min-%-of-allowed")
		b.ReportMetric(100*total429/total, "%-429")
	}
}
