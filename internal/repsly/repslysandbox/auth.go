package repslysandbox

import (
	"crypto/subtle"
	"net/http"
)

// authorized checks HTTP Basic credentials in constant time.
func (s *Server) authorized(r *http.Request) bool {
	u, p, ok := r.BasicAuth()
	if !ok {
		return false
	}
	uok := subtle.ConstantTimeCompare([]byte(u), []byte(s.username))
	pok := subtle.ConstantTimeCompare([]byte(p), []byte(s.password))
	return uok&pok == 1
}

// unauthorized answers a request with missing or wrong credentials.
// Guess: the real 401 body is undocumented (the generated spec's JSON
// {code,message} is unconfirmed). The sandbox answers like an IIS/WCF host
// that refuses Basic credentials: 401, a Basic challenge, and a short HTML
// page, so clients must branch on the status code and not parse the body.
func (s *Server) unauthorized(w http.ResponseWriter) {
	w.Header().Set("WWW-Authenticate", `Basic realm="api.repsly.com"`)
	writeHTML(w, http.StatusUnauthorized, "401 - Unauthorized", "Access is denied due to invalid credentials.")
}

// Credentials returns the username and password the server accepts, for
// tests and the sandbox command that prints them.
func (s *Server) Credentials() (username, password string) { return s.username, s.password }
