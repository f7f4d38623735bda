package repslysandbox

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"testing/synctest"
	"time"
)

// statuses sends n sequential requests for path and returns the statuses.
func statuses(b *bundle, path string, n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = b.get(path).status
	}
	return out
}

func TestFaultsAreDeterministic(t *testing.T) {
	t.Parallel()
	f := Faults{ServerErrorRate: 0.2, RateLimitRate: 0.2, Seed: 7}
	a := setup(t, 1, Options{Faults: f})
	b := setup(t, 1, Options{Faults: f})
	sa, sb := statuses(a, "/v3/export/clients/0", 60), statuses(b, "/v3/export/clients/0", 60)
	counts := map[int]int{}
	for i := range sa {
		if sa[i] != sb[i] {
			t.Fatalf("request %d: %d vs %d", i, sa[i], sb[i])
		}
		counts[sa[i]]++
	}
	if counts[http.StatusOK] == 0 || counts[http.StatusInternalServerError] == 0 || counts[http.StatusTooManyRequests] == 0 {
		t.Errorf("status mix = %v", counts)
	}
	// SetFaults reseeds: the same sequence comes again.
	a.s.SetFaults(f)
	if again := statuses(a, "/v3/export/clients/0", 60); !equalInts(again, sa) {
		t.Error("SetFaults with the same seed gave another sequence")
	}
	// The zero Faults turns injection off; faulted requests were counted.
	a.s.SetFaults(Faults{})
	for _, s := range statuses(a, "/v3/export/clients/0", 20) {
		if s != http.StatusOK {
			t.Fatalf("status %d with faults off", s)
		}
	}
	if n := a.s.RequestCount("export/clients"); n != 140 {
		t.Errorf("count = %d, want 140", n)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestRateLimitRetryAfter(t *testing.T) {
	t.Parallel()
	b := setup(t, 1, Options{Faults: Faults{RateLimitRate: 1, RetryAfter: 1500 * time.Millisecond}})
	res := b.get("/v3/export/clients/0")
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") != "2" {
		t.Errorf("%d Retry-After=%q", res.status, res.header.Get("Retry-After"))
	}
}

func TestBadCursorFaults(t *testing.T) {
	t.Parallel()
	b := setup(t, 300, Options{Faults: Faults{BadCursorRate: 0.3, Seed: 3, Endpoints: []string{"export/clientnotes"}}})
	if res := b.get("/v3/export/clientnotes/0"); res.status != http.StatusOK {
		t.Fatalf("cursor 0 must never fail: %d", res.status)
	}
	if res := b.get("/v3/export/clients/12345"); res.status != http.StatusOK {
		t.Fatalf("endpoint outside the filter failed: %d", res.status)
	}
	bad := -1
	for id := int64(5001); id < 5100; id++ {
		if b.get("/v3/export/clientnotes/"+strconv.FormatInt(id, 10)).status == http.StatusBadRequest {
			bad = int(id)
			break
		}
	}
	if bad < 0 {
		t.Fatal("no cursor failed at rate 0.3")
	}
	// Sticky: the same cursor fails again; the next one (as third-party
	// clients retry with ID+1) is decided on its own.
	if res := b.get("/v3/export/clientnotes/" + strconv.Itoa(bad)); res.status != http.StatusBadRequest {
		t.Errorf("retrying cursor %d: %d, want 400 again", bad, res.status)
	}
	b.s.SetFaults(Faults{BadCursorRate: 1, BadCursorTransient: true})
	if res := b.get("/v3/export/clients/1"); res.status != http.StatusBadRequest {
		t.Errorf("transient at rate 1: %d", res.status)
	}
	if got := b.s.Faults(); !got.BadCursorTransient || got.BadCursorRate != 1 {
		t.Errorf("Faults() = %+v", got)
	}
}

func TestLatency(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{Faults: Faults{Latency: 3 * time.Second, LatencyJitter: time.Second, Seed: 1}})
		u, p := s.Credentials()
		start := time.Now()
		req := httptest.NewRequest(http.MethodGet, "/v3/export/representatives", nil)
		req.SetBasicAuth(u, p)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		elapsed := time.Since(start) // fake time inside the bubble
		if rec.Code != http.StatusOK || elapsed < 3*time.Second || elapsed >= 4*time.Second {
			t.Errorf("status %d after %v", rec.Code, elapsed)
		}
	})
}
