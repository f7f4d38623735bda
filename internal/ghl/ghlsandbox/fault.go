package ghlsandbox

import (
	"net/http"
	"slices"
	"time"
)

// Faults configures injected failures. Each targeted API request draws once
// from the seeded random stream, so a sequential test sees the same faults
// on every run. Rates are fractions in [0, 1]; their sum should not exceed 1.
type Faults struct {
	// Latency is added to every targeted request.
	Latency time.Duration
	// ErrorRate is the fraction answered 500 without being processed.
	ErrorRate float64
	// RateLimitRate is the fraction answered 429 without being processed.
	RateLimitRate float64
	// TimeoutRate is the fraction that hang until the client gives up, the
	// server closes, or TimeoutMax (default 30 s) passes; then 504.
	TimeoutRate float64
	TimeoutMax  time.Duration
	// LostResponseRate is the fraction that are processed (the change is
	// made and its webhook sent) but answered 500, as when a connection
	// drops after the service committed.
	LostResponseRate float64
	// WebhookDropRate is the fraction of webhook deliveries never sent;
	// WebhookDuplicateRate the fraction sent twice.
	WebhookDropRate      float64
	WebhookDuplicateRate float64
	// Routes limits request faults to these operations ("POST
	// /contacts/search"); all operations when empty.
	Routes []string
}

type faultKind int

const (
	faultNone faultKind = iota
	fault500
	fault429
	faultTimeout
)

type faultDecision struct {
	latency time.Duration
	kind    faultKind
	lost    bool
	max     time.Duration
}

// SetFaults replaces the fault configuration at run time.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = f
	s.faults.Routes = slices.Clone(f.Routes)
}

// drawFault decides the fault for one request. Callers hold s.mu.
func (s *Server) drawFault(rt *route) faultDecision {
	f := s.faults
	if len(f.Routes) > 0 && !slices.Contains(f.Routes, rt.name) {
		return faultDecision{}
	}
	fd := faultDecision{latency: f.Latency, max: f.TimeoutMax}
	if fd.max <= 0 {
		fd.max = 30 * time.Second
	}
	if f.ErrorRate+f.RateLimitRate+f.TimeoutRate+f.LostResponseRate <= 0 {
		return fd
	}
	u := s.faultRand.Float64()
	switch {
	case u < f.ErrorRate:
		fd.kind = fault500
	case u < f.ErrorRate+f.RateLimitRate:
		fd.kind = fault429
	case u < f.ErrorRate+f.RateLimitRate+f.TimeoutRate:
		fd.kind = faultTimeout
	case u < f.ErrorRate+f.RateLimitRate+f.TimeoutRate+f.LostResponseRate:
		fd.lost = true
	}
	return fd
}

// applyFault waits out injected latency and returns the error to answer
// instead of processing the request, if any.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, fd faultDecision) error {
	if fd.latency > 0 {
		if !s.wait(r, fd.latency) {
			return errGatewayTimeout()
		}
	}
	switch fd.kind {
	case fault500:
		return errInternal()
	case fault429:
		w.Header().Set("Retry-After", "1")
		return errTooManyRequests()
	case faultTimeout:
		s.wait(r, fd.max)
		return errGatewayTimeout()
	}
	return nil
}

// wait blocks for d, or until the client goes away or the server closes;
// it reports whether the full time passed.
func (s *Server) wait(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-s.done:
	}
	return false
}
