package metrics

import (
	"net/http"
	"strconv"
	"strings"
)

// Transport counts outbound API calls in APICalls. The app label is
// "repsly" for Repsly's /v3/ paths and "ghl" otherwise; the operation is
// the method and the first path segment after the API root, so record ids
// never become labels.
func (m *Metrics) Transport(next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		app, path := "ghl", strings.TrimPrefix(r.URL.Path, "/")
		if i := strings.Index(path, "v3/"); i >= 0 {
			app, path = "repsly", path[i+3:]
		}
		seg, _, _ := strings.Cut(path, "/")
		res, err := next.RoundTrip(r)
		status := "error"
		if err == nil {
			status = strconv.Itoa(res.StatusCode/100) + "xx"
		}
		m.APICalls.WithLabelValues(app, r.Method+" "+seg, status).Inc()
		return res, err
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
