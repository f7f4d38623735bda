package ghlsandbox

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

var authorizePage = template.Must(template.New("authorize").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Choose a sub-account - HighLevel sandbox</title></head>
<body>
<h1>Choose a sub-account</h1>
<p>The app <code>{{.ClientID}}</code> asks for: <code>{{.Scope}}</code></p>
<form method="get" action="{{.Action}}">
{{range $k, $v := .Hidden}}<input type="hidden" name="{{$k}}" value="{{$v}}">
{{end}}{{range .Locations}}<p><label><input type="radio" name="location_id" value="{{.ID}}"> {{.Name}} ({{.ID}})</label></p>
{{end}}<p><label><input type="radio" name="user_type" value="Company"> The agency (all sub-accounts)</label></p>
<button type="submit">Allow</button>
</form>
</body></html>
`))

// serveAuthorize is the authorize page (GET /oauth/chooselocation, also
// under /v2/). It redirects to redirect_uri with ?code=... once a location
// is chosen. Headless use: pass location_id (or locationId), or
// user_type=Company for an agency grant; a sandbox with one location
// chooses it without asking.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad request", http.StatusBadRequest)
		return
	}
	q := r.Form
	clientID, redirectURI := q.Get("client_id"), q.Get("redirect_uri")
	target, err := url.Parse(redirectURI)
	switch {
	case q.Get("response_type") != "code":
		http.Error(w, "response_type must be code", http.StatusBadRequest)
		return
	case s.opts.ClientID == "" || clientID != s.opts.ClientID:
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	case redirectURI == "" || err != nil || !target.IsAbs():
		http.Error(w, "redirect_uri must be an absolute URL", http.StatusBadRequest)
		return
	}
	locID := q.Get("location_id")
	if locID == "" {
		locID = q.Get("locationId")
	}
	company := q.Get("user_type") == "Company"

	s.mu.Lock()
	if !company && locID == "" && len(s.locOrder) == 1 {
		locID = s.locOrder[0]
	}
	if !company && locID == "" {
		locs := make([]Location, 0, len(s.locOrder))
		for _, id := range s.locOrder {
			locs = append(locs, s.locs[id].loc)
		}
		s.mu.Unlock()
		hidden := map[string]string{}
		for k, v := range q {
			if k != "location_id" && k != "locationId" && k != "user_type" {
				hidden[k] = v[0]
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_ = authorizePage.Execute(w, map[string]any{
			"ClientID": clientID, "Scope": q.Get("scope"), "Action": r.URL.Path,
			"Hidden": hidden, "Locations": locs,
		})
		return
	}
	if _, ok := s.locs[locID]; !company && !ok {
		s.mu.Unlock()
		http.Error(w, "unknown location", http.StatusBadRequest)
		return
	}
	ac := &authCode{clientID: clientID, redirectURI: redirectURI, kind: "Location", locationID: locID,
		scopes: strings.Fields(q.Get("scope")), userID: s.newID(), expires: s.clock().Add(authCodeTTL)}
	if company {
		ac.kind, ac.locationID = "Company", ""
	}
	if len(ac.scopes) == 0 {
		ac.scopes = nil
	}
	code := strings.ReplaceAll(newUUID(s.idRand)+newUUID(s.idRand), "-", "")
	s.codes[code] = ac
	s.mu.Unlock()

	params := target.Query()
	params.Set("code", code)
	if state := q.Get("state"); state != "" {
		params.Set("state", state)
	}
	target.RawQuery = params.Encode()
	http.Redirect(w, r, target.String(), http.StatusFound)
}
