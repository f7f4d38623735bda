package repslysandbox

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// BenchmarkSandboxClientsExport measures full 50-row pages of
// export/clients served over loopback HTTP (httptest, keep-alive) from an
// account of 100,000 clients, walking the timestamp cursor. It reports
// requests/s; docs/benchmarks.md cites it.
func BenchmarkSandboxClientsExport(b *testing.B) {
	s := New(Options{Clock: func() time.Time { return testNow }})
	if err := s.Seed(SeedOptions{Clients: 100_000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(s)
	defer ts.Close()
	u, p := s.Credentials()
	// Cursors of the first 1,000 pages, so every request returns 50 rows.
	var cursors []int64
	for c := int64(0); len(cursors) < 1000; {
		cursors = append(cursors, c)
		s.mu.RLock()
		rows := s.st.clientTS.after(c, pageSize)
		s.mu.RUnlock()
		c = rows[len(rows)-1].TimeStamp
	}
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
		i := 0
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/v3/export/clients/"+strconv.FormatInt(cursors[i%len(cursors)], 10), nil)
			req.SetBasicAuth(u, p)
			res, err := client.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || n < 10_000 {
				b.Fatalf("status %d, %d bytes", res.StatusCode, n)
			}
			i++
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
}

// BenchmarkSandboxSeed measures seeding an account of 100,000 clients with
// its history.
func BenchmarkSandboxSeed(b *testing.B) {
	for b.Loop() {
		s := New(Options{Clock: func() time.Time { return testNow }})
		if err := s.Seed(SeedOptions{Clients: 100_000, Seed: 1}); err != nil {
			b.Fatal(err)
		}
	}
}
