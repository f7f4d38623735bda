package repslysandbox

import (
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Default credentials, GUID-shaped like real Repsly API credentials. They are
// sandbox-only values, not secrets.
const (
	DefaultUsername = "7F0BA803-ACFB-4D6C-B7FD-6E0987855D40"
	DefaultPassword = "0C6F1A2E-5B3D-4E8F-9A71-2D4C6B8E0F13"
)

// NoPendingPolls, as Options.PendingPolls, makes import jobs finish as soon
// as they are queued.
const NoPendingPolls = -1

// Options configures a Server. The zero value is usable.
type Options struct {
	// Username and Password are the API credentials checked with HTTP Basic
	// auth. Empty means DefaultUsername / DefaultPassword.
	Username, Password string
	// Clock returns the current time; nil means time.Now. Dates written by
	// imports, the rep API and Seed come from it.
	Clock func() time.Time
	// Logger receives one debug line per request (never credentials); nil
	// discards.
	Logger *slog.Logger
	// Faults is the initial fault injection; change it with SetFaults.
	Faults Faults
	// Seed seeds the fault injector when Faults.Seed is zero.
	Seed int64
	// PendingPolls is how many export/importStatus polls answer Pending
	// before a job finishes on the next poll. Zero means 1; NoPendingPolls
	// finishes jobs when they are queued. Jobs also finish on FlushImports
	// and after ImportDelay.
	PendingPolls int
	// ImportDelay, when positive, finishes a job once this much clock time
	// has passed since it was queued (checked lazily on each request, so no
	// timer runs). Zero leaves completion to polls and FlushImports.
	ImportDelay time.Duration
}

// Server is an in-memory Repsly account served over HTTP under /v3/. It is
// safe for concurrent use.
type Server struct {
	username, password string
	now                func() time.Time
	log                *slog.Logger
	pendingPolls       int
	importDelay        time.Duration
	geo                []country
	routes             []route
	counts             map[string]*atomic.Int64
	faults             *faultInjector

	mu     sync.RWMutex // guards st and seeded
	st     *store
	seeded bool
}

// New returns a Server with an empty account.
func New(opts Options) *Server {
	s := &Server{
		username:     opts.Username,
		password:     opts.Password,
		now:          opts.Clock,
		log:          opts.Logger,
		pendingPolls: opts.PendingPolls,
		importDelay:  opts.ImportDelay,
		geo:          countries(),
		st:           newStore(),
		counts:       map[string]*atomic.Int64{},
	}
	if s.username == "" && s.password == "" {
		s.username, s.password = DefaultUsername, DefaultPassword
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.pendingPolls == 0 {
		s.pendingPolls = 1
	}
	s.routes = s.buildRoutes()
	for _, rt := range s.routes {
		s.counts[rt.name] = &atomic.Int64{}
	}
	s.faults = newFaultInjector(opts.Seed)
	s.faults.set(opts.Faults)
	return s
}

// ServeHTTP serves the API under /v3/: Basic auth first, then routing,
// fault injection, and the endpoint.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	name := s.serve(rec, r)
	s.log.LogAttrs(r.Context(), slog.LevelDebug, "repsly sandbox request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.String("endpoint", name), slog.Int("status", rec.status))
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) string {
	rest, ok := cutPrefixFold(r.URL.EscapedPath(), "/v3/")
	if !ok {
		writeHTML(w, http.StatusNotFound, "Service", "Endpoint not found.")
		return ""
	}
	if !s.authorized(r) {
		s.unauthorized(w)
		return "unauthorized"
	}
	rt, params, methodOK := s.match(r.Method, rest)
	if rt == nil {
		if methodOK {
			writeHTML(w, http.StatusNotFound, "Service", "Endpoint not found.")
		} else {
			w.Header().Set("Allow", methodAllowed(r.Method))
			writeHTML(w, http.StatusMethodNotAllowed, "Service", "Method not allowed.")
		}
		return ""
	}
	s.counts[rt.name].Add(1)
	if s.faults.apply(r.Context(), w, rt, params) {
		return rt.name
	}
	if s.importDelay > 0 {
		// Take the write lock only when a job may be due, so exports keep
		// running in parallel.
		s.mu.RLock()
		due := len(s.st.pending) > 0 && !s.now().Before(s.st.pending[0].submitted.Add(s.importDelay))
		s.mu.RUnlock()
		if due {
			s.mu.Lock()
			s.finishDueLocked()
			s.mu.Unlock()
		}
	}
	rt.h(w, r, params)
	return rt.name
}

func methodAllowed(m string) string {
	if m == http.MethodGet {
		return http.MethodPost
	}
	return http.MethodGet
}

func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// Requests returns how many requests each endpoint received (after auth),
// keyed by endpoint name such as "export/clients" or "import/client".
// Requests answered with an injected fault count too.
func (s *Server) Requests() map[string]int64 {
	out := make(map[string]int64, len(s.counts))
	for k, v := range s.counts {
		if n := v.Load(); n > 0 {
			out[k] = n
		}
	}
	return out
}

// RequestCount returns the requests one endpoint received.
func (s *Server) RequestCount(endpoint string) int64 {
	if c, ok := s.counts[endpoint]; ok {
		return c.Load()
	}
	return 0
}

// ResetRequests sets every request counter back to zero.
func (s *Server) ResetRequests() {
	for _, v := range s.counts {
		v.Store(0)
	}
}

// statusRecorder remembers the status for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

// WriteHeader records the status and passes it on.
func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}
