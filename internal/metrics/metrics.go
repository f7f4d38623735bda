// Package metrics owns Fieldbridge's Prometheus registry and the collectors
// every other part reports to. It is a leaf: it imports nothing of ours, and
// no label ever carries a secret, an email or a record id.
package metrics

import (
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is the set of collectors of one process. There is no global
// registry: tests build their own and read it back.
type Metrics struct {
	// Registry holds every collector below plus the Go and process ones.
	Registry *prometheus.Registry

	// HTTPRequests counts served requests by route pattern, method and status.
	HTTPRequests *prometheus.CounterVec
	// HTTPDuration observes served request latency by route pattern.
	HTTPDuration *prometheus.HistogramVec
	// Jobs counts finished job attempts by kind and outcome (completed,
	// failed, cancelled, snoozed).
	Jobs *prometheus.CounterVec
	// JobDuration observes job run time by kind.
	JobDuration *prometheus.HistogramVec
	// QueueDepth is the number of jobs waiting, by queue.
	QueueDepth *prometheus.GaugeVec
	// APICalls counts outbound API calls by app (ghl, repsly), operation and
	// status class.
	APICalls *prometheus.CounterVec
}

// New builds a registry with Fieldbridge's collectors registered.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		HTTPRequests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fieldbridge_http_requests_total",
			Help: "HTTP requests served, by route pattern, method and status code.",
		}, []string{"route", "method", "code"}),
		HTTPDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fieldbridge_http_request_duration_seconds",
			Help:    "Time to serve an HTTP request, by route pattern.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, []string{"route"}),
		Jobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fieldbridge_jobs_total",
			Help: "Finished job attempts, by job kind and outcome.",
		}, []string{"kind", "outcome"}),
		JobDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "fieldbridge_job_duration_seconds",
			Help:    "Time a job attempt ran, by job kind.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"kind"}),
		QueueDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "fieldbridge_queue_depth",
			Help: "Jobs waiting to run, by queue.",
		}, []string{"queue"}),
		APICalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "fieldbridge_api_calls_total",
			Help: "Outbound API calls, by app, operation and status class.",
		}, []string{"app", "operation", "status"}),
	}
	m.Registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.HTTPRequests, m.HTTPDuration, m.Jobs, m.JobDuration, m.QueueDepth, m.APICalls,
	)
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}
