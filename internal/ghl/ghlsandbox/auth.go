package ghlsandbox

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Versions accepted in the Version header. Each operation declares one
// (contacts 2021-07-28, calendars 2021-04-15), but the real service accepts
// any published value on these paths (reference §1).
var versions = []string{"2021-04-15", "2021-07-28", "2023-02-21", "v3"}

// AllScopes lists the scopes the sandbox checks. A token with no explicit
// scopes has them all.
var AllScopes = []string{
	"contacts.readonly", "contacts.write",
	"calendars.readonly", "calendars.write",
	"calendars/events.readonly", "calendars/events.write",
	"locations.readonly",
	"locations/customFields.readonly", "locations/customFields.write",
	"locations/tags.readonly", "locations/tags.write",
	"locations/tasks.readonly",
	"oauth.readonly", "oauth.write",
}

// token is a bearer token: an OAuth access token or a Private Integration
// Token.
type token struct {
	kind       string // "Location" or "Company"
	locationID string
	companyID  string
	scopes     []string // nil: all
	pit        bool
	expires    time.Time // zero: never
	clientID   string
	userID     string
}

func (t *token) hasScope(scope string) bool {
	return t.scopes == nil || slices.Contains(t.scopes, scope)
}

func (t *token) scopeString() string {
	if t.scopes == nil {
		return strings.Join(AllScopes, " ")
	}
	return strings.Join(t.scopes, " ")
}

// checkVersion imitates the observed answers for a missing or unknown
// Version header (reference §1).
func checkVersion(r *http.Request) error {
	v := r.Header.Get("Version")
	if v == "" {
		return errUnauthorized("version header was not found.")
	}
	if !slices.Contains(versions, v) {
		return errUnauthorized("version header is invalid")
	}
	return nil
}

// authenticate resolves the bearer token and checks that it may call rt.
// Callers hold s.mu.
func (s *Server) authenticate(r *http.Request, rt *route, now time.Time) (*token, error) {
	h := r.Header.Get("Authorization")
	scheme, value, ok := strings.Cut(strings.TrimSpace(h), " ")
	value = strings.TrimSpace(value)
	if !ok || !strings.EqualFold(scheme, "Bearer") || value == "" {
		return nil, errUnauthorized("Invalid JWT")
	}
	tok, ok := s.tokens[value]
	if !ok || (!tok.expires.IsZero() && !now.Before(tok.expires)) {
		return nil, errUnauthorized("Invalid token: access token is invalid")
	}
	switch {
	case rt.auth == authLocation && tok.kind != "Location",
		rt.auth == authAgency && tok.kind != "Company":
		// Observed wording when a token of the wrong user type calls an
		// operation (not in the reference; the status is what matters).
		return nil, errUnauthorized("This authClass type is not allowed to access this scope. Please reach out to the Platform team to get it added.")
	}
	if rt.scope != "" && !tok.hasScope(rt.scope) {
		return nil, errUnauthorized("The token is not authorized for this scope.")
	}
	return tok, nil
}

// needLocation checks that the call's token may act on locationID: 403
// when it belongs to another location (reference §8).
func (s *Server) needLocation(c *call, locationID string) (*locState, error) {
	ls, ok := s.location(locationID)
	if c.tok != nil {
		switch {
		case c.tok.kind == "Location" && c.tok.locationID != locationID:
			return nil, errNoLocationAccess()
		case c.tok.kind == "Company" && (!ok || ls.loc.CompanyID != c.tok.companyID):
			return nil, errNoLocationAccess()
		}
	}
	if !ok {
		return nil, errBadRequest("Location with id %s not found", locationID)
	}
	return ls, nil
}

// addPrivateTokenLocked registers a Private Integration Token.
func (s *Server) addPrivateTokenLocked(pt PrivateToken) {
	t := &token{kind: "Location", locationID: pt.LocationID, pit: true}
	if pt.LocationID == "" {
		t.kind = "Company"
		t.companyID = pt.CompanyID
		if t.companyID == "" {
			t.companyID = s.companyID
		}
	} else if ls, ok := s.locs[pt.LocationID]; ok {
		t.companyID = ls.loc.CompanyID
	}
	if len(pt.Scopes) > 0 {
		t.scopes = slices.Clone(pt.Scopes)
	}
	s.tokens[pt.Token] = t
}

// AddPrivateToken registers a Private Integration Token at run time.
func (s *Server) AddPrivateToken(pt PrivateToken) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.addPrivateTokenLocked(pt)
}

// IssueToken creates a Private Integration Token for locationID with the
// given scopes (all when none) and returns it.
func (s *Server) IssueToken(locationID string, scopes ...string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	value := "pit-" + newUUID(s.idRand)
	s.addPrivateTokenLocked(PrivateToken{Token: value, LocationID: locationID, Scopes: scopes})
	return value
}

// RevokeToken makes a token (PIT or access token) invalid, as rotating a
// Private Integration Token with "expire now" does.
func (s *Server) RevokeToken(value string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, value)
}
