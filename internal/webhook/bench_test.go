package webhook_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
)

// BenchmarkServeHTTP measures accepted deliveries on SQLite: read the
// body, verify its Ed25519 signature, check the location, insert the inbox
// row and its job row and commit. Requests are built and signed outside
// the timer. p50-ms and p99-ms are the per-delivery latencies of the run
// (target in docs/benchmarks.md: p99 under 50 ms).
func BenchmarkServeHTTP(b *testing.B) {
	bb := setup(b, database.SQLite, options{})
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		body := delivery(fmt.Sprintf("wh-%d", i), knownLocation, 0)
		req := httptest.NewRequest(http.MethodPost, "/hooks/ghl", bytes.NewReader(body))
		req.Header.Set(ghl.HeaderSignature, sign(bb.key, body))
		reqs[i] = req
	}
	durs := make([]time.Duration, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i, req := range reqs {
		rec := httptest.NewRecorder()
		start := time.Now()
		bb.h.ServeHTTP(rec, req)
		durs[i] = time.Since(start)
		if rec.Code != http.StatusOK {
			b.Fatalf("delivery %d: status %d %q", i, rec.Code, rec.Body)
		}
	}
	b.StopTimer()
	if n := bb.inboxRows(b); n != b.N {
		b.Fatalf("%d inbox rows after %d deliveries", n, b.N)
	}
	slices.Sort(durs)
	pct := func(p float64) float64 {
		return float64(durs[int(p*float64(len(durs)-1))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
	b.ReportMetric(pct(1), "max-ms")
}
