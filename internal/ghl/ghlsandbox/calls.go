package ghlsandbox

import (
	"maps"
	"sync"
)

// CallStats counts the API requests the sandbox answered (whatever the
// status), so tests can assert how many calls a piece of code made, e.g.
// "the echo caused zero further API calls". The OAuth authorize page and the
// /sandbox/ endpoints are not counted.
type CallStats struct {
	// Total is the number of requests.
	Total int
	// ByRoute counts by operation, keyed "METHOD /spec/path/{param}", e.g.
	// "GET /contacts/{contactId}"; requests that match no operation count
	// as "UNMATCHED".
	ByRoute map[string]int
	// ByLocation counts by the token's location (or company, for agency
	// tokens); "" holds requests refused before the token was known.
	ByLocation map[string]int
	// ByLocationRoute counts by location, then operation.
	ByLocationRoute map[string]map[string]int
}

// callCounter has its own lock: responses are counted outside s.mu.
type callCounter struct {
	mu sync.Mutex
	st CallStats
}

func (cc *callCounter) reset() {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.st = CallStats{
		ByRoute:         map[string]int{},
		ByLocation:      map[string]int{},
		ByLocationRoute: map[string]map[string]int{},
	}
}

func (cc *callCounter) add(route, resource string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.st.Total++
	cc.st.ByRoute[route]++
	cc.st.ByLocation[resource]++
	m := cc.st.ByLocationRoute[resource]
	if m == nil {
		m = map[string]int{}
		cc.st.ByLocationRoute[resource] = m
	}
	m[route]++
}

// Calls returns a copy of the request counters.
func (s *Server) Calls() CallStats {
	s.calls.mu.Lock()
	defer s.calls.mu.Unlock()
	st := s.calls.st
	out := CallStats{
		Total:           st.Total,
		ByRoute:         maps.Clone(st.ByRoute),
		ByLocation:      maps.Clone(st.ByLocation),
		ByLocationRoute: make(map[string]map[string]int, len(st.ByLocationRoute)),
	}
	for k, v := range st.ByLocationRoute {
		out.ByLocationRoute[k] = maps.Clone(v)
	}
	return out
}

// CallCount returns the total number of API requests answered.
func (s *Server) CallCount() int {
	s.calls.mu.Lock()
	defer s.calls.mu.Unlock()
	return s.calls.st.Total
}

// CallCountFor returns the number of requests to one operation, named
// "METHOD /path/{param}" as in the spec, e.g. "POST /contacts/search".
func (s *Server) CallCountFor(route string) int {
	s.calls.mu.Lock()
	defer s.calls.mu.Unlock()
	return s.calls.st.ByRoute[route]
}

// ResetCalls sets every request counter to zero.
func (s *Server) ResetCalls() { s.calls.reset() }
