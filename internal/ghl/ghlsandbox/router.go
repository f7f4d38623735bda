package ghlsandbox

import (
	"strings"
)

// authKind says which bearer tokens a route accepts.
type authKind int

const (
	// authLocation: sub-account tokens (OAuth Location token or location
	// PIT), the "bearer"/"Location-Access" schemes of the specs.
	authLocation authKind = iota
	// authAgency: agency tokens only ("Agency-Access-Only").
	authAgency
	// authEither: sub-account or agency tokens (GET /locations/{id}).
	authEither
	// authNone: no bearer token (POST /oauth/token).
	authNone
)

// route is one API operation.
type route struct {
	method  string
	pattern string // the spec's path template, e.g. /contacts/{contactId}
	segs    []string
	name    string // "GET /contacts/{contactId}", the key of call counters
	auth    authKind
	// scope required of the token; "" checks none.
	scope string
	// noVersion: the operation declares no Version header.
	noVersion bool
	query     shape // validated when not nil
	body      shape // validated when not nil
	handle    func(s *Server, c *call) (int, any, error)
}

func (r *route) init() *route {
	r.segs = splitPath(r.pattern)
	r.name = r.method + " " + r.pattern
	return r
}

// splitPath splits a path into segments. The real service routes with
// Express in non-strict mode, so a trailing slash is optional: the spec's
// "POST /contacts/" and "POST /contacts" reach the same operation.
func splitPath(p string) []string {
	p = strings.Trim(p, "/")
	if p == "" {
		return nil
	}
	return strings.Split(p, "/")
}

// match finds the route for method and path. Among patterns that match,
// the one whose first differing segment is static wins, so "search",
// "upsert", "business/{id}" and "campaigns/removeAll" beat {contactId} and
// {campaignId}. pathKnown reports whether any method matches the path.
func match(routes []*route, method, path string) (best *route, params map[string]string, pathKnown bool) {
	segs := splitPath(path)
	for _, r := range routes {
		if len(r.segs) != len(segs) || !segsMatch(r.segs, segs) {
			continue
		}
		pathKnown = true
		if r.method != method {
			continue
		}
		if best == nil || moreSpecific(r, best) {
			best = r
		}
	}
	if best == nil {
		return nil, nil, pathKnown
	}
	params = make(map[string]string)
	for i, s := range best.segs {
		if isParam(s) {
			params[s[1:len(s)-1]] = segs[i]
		}
	}
	return best, params, true
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") }

func segsMatch(pattern, segs []string) bool {
	for i, p := range pattern {
		if segs[i] == "" || (!isParam(p) && p != segs[i]) {
			return false
		}
	}
	return true
}

func moreSpecific(a, b *route) bool {
	for i := range a.segs {
		pa, pb := isParam(a.segs[i]), isParam(b.segs[i])
		if pa != pb {
			return !pa
		}
	}
	return false
}
