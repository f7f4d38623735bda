package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/fieldbridge/fieldbridge/internal/metrics"
)

func TestTransportCountsCalls(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "missing") {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer srv.Close()
	m := metrics.New()
	c := &http.Client{Transport: m.Transport(nil)}
	for _, p := range []string{"/contacts/abc123", "/contacts/def456", "/v3/export/clients/0", "/missing/x"} {
		res, err := c.Get(srv.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		_ = res.Body.Close()
	}
	tests := []struct {
		app, op, status string
		want            float64
	}{
		{"ghl", "GET contacts", "2xx", 2},
		{"repsly", "GET export", "2xx", 1},
		{"ghl", "GET missing", "4xx", 1},
	}
	for _, tt := range tests {
		if got := testutil.ToFloat64(m.APICalls.WithLabelValues(tt.app, tt.op, tt.status)); got != tt.want {
			t.Errorf("%s %s %s = %v, want %v", tt.app, tt.op, tt.status, got, tt.want)
		}
	}
}
