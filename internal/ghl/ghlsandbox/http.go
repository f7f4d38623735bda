package ghlsandbox

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"time"
)

// call is one API request on its way through the sandbox.
type call struct {
	r      *http.Request
	route  *route
	params map[string]string
	tok    *token // the authenticated bearer token; nil for authNone
	in     input  // bound body properties
	q      input  // bound query parameters
	body   []byte
	now    time.Time
}

func (c *call) param(name string) string { return c.params[name] }

// obj is a JSON object under construction.
type obj = map[string]any

const maxBody = 2 << 20

// ServeHTTP serves the API at its root, the OAuth authorize page at
// /oauth/chooselocation (and /v2/oauth/chooselocation), and the webhook
// signing keys at /sandbox/webhook-public-key (Ed25519, PEM) and
// /sandbox/webhook-rsa-public-key (when LegacyRSASignature is on).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/sandbox/webhook-public-key":
		s.hooks.servePublicKey(w, false)
		return
	case "/sandbox/webhook-rsa-public-key":
		s.hooks.servePublicKey(w, true)
		return
	case "/oauth/chooselocation", "/v2/oauth/chooselocation":
		s.serveAuthorize(w, r)
		return
	}
	rt, params, _ := match(s.routes, r.Method, r.URL.Path)
	if rt == nil {
		s.respondError(w, r, "UNMATCHED", "", errRouteNotFound(r.Method, r.URL.Path))
		return
	}
	c := &call{r: r, route: rt, params: params}

	// Injected faults come first: the request never reaches the service.
	s.mu.Lock()
	fd := s.drawFault(rt)
	s.mu.Unlock()
	if err := s.applyFault(w, r, fd); err != nil {
		s.respondError(w, r, rt.name, "", err)
		return
	}

	if !rt.noVersion {
		if err := checkVersion(r); err != nil {
			s.respondError(w, r, rt.name, "", err)
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		s.respondError(w, r, rt.name, "", errBadRequest("request entity too large"))
		return
	}
	c.body = body
	// Binding is a pure function of the request: it runs before s.mu is
	// taken, and its error is answered where it was before, after
	// authentication and rate limiting.
	bindErr := c.bind()
	if bindErr == nil && c.in != nil {
		s.warmPhone(c.in)
	}

	s.mu.Lock()
	c.now = s.clock()
	if rt.auth != authNone {
		tok, err := s.authenticate(r, rt, c.now)
		if err != nil {
			s.mu.Unlock()
			s.respondError(w, r, rt.name, "", err)
			return
		}
		c.tok = tok
	}
	resource := c.resource()
	if c.tok != nil {
		allowed := s.limiter.take(resource, c.now, w.Header())
		if !allowed {
			s.mu.Unlock()
			s.respondError(w, r, rt.name, resource, errTooManyRequests())
			return
		}
	}
	if bindErr != nil {
		s.mu.Unlock()
		s.respondError(w, r, rt.name, resource, bindErr)
		return
	}
	status, out, err := rt.handle(s, c)
	var payload []byte
	var enc encodedBody
	var traceID string
	if err == nil {
		// Every response carries a traceId (reference §1).
		switch v := out.(type) {
		case encodedBody:
			// Holds snapshots only: encoded below, after s.mu is released.
			enc, traceID = v, newUUID(s.idRand)
		case obj:
			if rt.pattern != "/calendars/{calendarId}/free-slots" {
				v["traceId"] = newUUID(s.idRand)
			}
			payload, err = json.Marshal(out)
		default:
			// Values that may share state with the sandbox are encoded
			// while s.mu is held.
			payload, err = json.Marshal(out)
		}
	}
	s.mu.Unlock()
	if enc != nil {
		payload, err = enc.appendJSON(make([]byte, 0, 1024), traceID)
	}
	if err != nil {
		s.respondError(w, r, rt.name, resource, err)
		return
	}
	if fd.lost {
		// The change is made, the answer is lost: what a client sees when
		// the connection drops after the service committed.
		s.respondError(w, r, rt.name, resource, errInternal())
		return
	}
	s.respond(w, r, rt.name, resource, status, payload)
}

// bind validates the query and body against the route's shapes. It reads
// only the request, so it needs no lock.
func (c *call) bind() error {
	rt := c.route
	if rt.query != nil {
		q, err := bindQuery(c.r.URL.Query(), rt.query)
		if err != nil {
			return err
		}
		c.q = q
	}
	if rt.body != nil {
		in, err := bindBody(c.r.Header.Get("Content-Type"), c.body, rt.body)
		if err != nil {
			return err
		}
		c.in = in
	}
	return nil
}

// resource is the rate-limit and call-counter key: the token's location,
// or its company for agency tokens.
func (c *call) resource() string {
	switch {
	case c.tok == nil:
		return ""
	case c.tok.locationID != "":
		return c.tok.locationID
	default:
		return c.tok.companyID
	}
}

func (s *Server) respondError(w http.ResponseWriter, r *http.Request, name, resource string, err error) {
	ae := asAPIError(err)
	if ae.status == http.StatusInternalServerError && !errors.As(err, new(*apiError)) {
		s.log.Error("ghlsandbox: handler failed", slog.String("route", name), slog.Any("error", err))
	}
	payload, _ := json.Marshal(ae.body)
	s.respond(w, r, name, resource, ae.status, payload)
}

// respond counts the call, then writes it: counting first means a client
// that has its answer also sees the call in CallCount.
func (s *Server) respond(w http.ResponseWriter, r *http.Request, name, resource string, status int, payload []byte) {
	s.calls.add(name, resource)
	// Checked first: building the attributes costs allocations on every
	// request, and debug logging is usually off.
	if s.log.Enabled(context.Background(), slog.LevelDebug) {
		s.log.Debug("ghlsandbox: request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", status), slog.String("resource", resource))
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(payload)
}
