package ghlsandbox

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

const (
	// accessTokenTTL: access tokens live a day (expires_in 86399).
	accessTokenTTL = 86399 * time.Second
	// refreshTokenTTL: refresh tokens live a year unless used.
	refreshTokenTTL = 365 * 24 * time.Hour
	authCodeTTL     = 10 * time.Minute
)

// authCode is an authorization code handed out by the authorize page.
type authCode struct {
	clientID    string
	redirectURI string
	kind        string // Location or Company
	locationID  string
	scopes      []string
	userID      string
	expires     time.Time
}

// refreshGrant is a refresh token; used refresh tokens are kept (used =
// true) so that reusing one is told apart from an unknown one in logs.
type refreshGrant struct {
	grant   authCode
	expires time.Time
	used    bool
}

var tokenShape = shape{
	{name: "client_id"},
	{name: "client_secret"},
	{name: "grant_type"},
	{name: "code"},
	{name: "refresh_token"},
	{name: "user_type", enum: []string{"Company", "Location"}},
	{name: "redirect_uri"},
}

// errOAuth is a token endpoint 400: statusCode and message as documented
// (oauth-v3.json examples), plus the RFC 6749 error code in error and
// error_description, which OAuth libraries such as x/oauth2 read.
func errOAuth(code, msg string) *apiError {
	return &apiError{status: http.StatusBadRequest, body: map[string]any{
		"statusCode": http.StatusBadRequest, "message": msg,
		"error": code, "error_description": msg,
	}}
}

// POST /oauth/token (get-access-token): form-urlencoded (JSON accepted),
// no Version header. authorization_code and refresh_token grants; each
// refresh returns a new refresh token and the used one stops working.
func (s *Server) hToken(c *call) (int, any, error) {
	in := c.in
	clientID, _ := in.str("client_id")
	secret, _ := in.str("client_secret")
	grantType, _ := in.str("grant_type")
	switch {
	case clientID == "":
		return 0, nil, errOAuth("invalid_request", "Missing parameter: client_id")
	case secret == "":
		return 0, nil, errOAuth("invalid_request", "Missing parameter: client_secret")
	case grantType == "":
		return 0, nil, errOAuth("invalid_request", "Missing parameter: grant_type")
	case s.opts.ClientID == "" || clientID != s.opts.ClientID:
		return 0, nil, errOAuth("invalid_client", "Invalid parameter: client_id")
	case secret != s.opts.ClientSecret:
		return 0, nil, errOAuth("invalid_client", "Invalid parameter: client_secret")
	}
	var g authCode
	switch grantType {
	case "authorization_code":
		code, _ := in.str("code")
		if code == "" {
			return 0, nil, errOAuth("invalid_request", "Missing parameter: code")
		}
		ac, ok := s.codes[code]
		delete(s.codes, code) // single use, even when refused below
		redirect, hasRedirect := in.str("redirect_uri")
		if !ok || !c.now.Before(ac.expires) || ac.clientID != clientID || (hasRedirect && redirect != ac.redirectURI) {
			return 0, nil, errOAuth("invalid_grant", "Invalid grant: authorization code is invalid")
		}
		g = *ac
	case "refresh_token":
		rt, _ := in.str("refresh_token")
		if rt == "" {
			return 0, nil, errOAuth("invalid_request", "Missing parameter: refresh_token")
		}
		rg, ok := s.refresh[rt]
		if !ok || rg.used || !c.now.Before(rg.expires) || rg.grant.clientID != clientID {
			return 0, nil, errOAuth("invalid_grant", "Invalid grant: refresh token is invalid")
		}
		rg.used = true
		g = rg.grant
	default:
		return 0, nil, errOAuth("unsupported_grant_type", "Invalid parameter: grant_type")
	}
	access := s.mintAccessToken(g, c.now)
	refresh := s.mintJWT("refresh", g, c.now, c.now.Add(refreshTokenTTL))
	s.refresh[refresh] = &refreshGrant{grant: g, expires: c.now.Add(refreshTokenTTL)}
	out := obj{
		"access_token": access, "token_type": "Bearer", "expires_in": int(accessTokenTTL / time.Second),
		"refresh_token": refresh, "scope": s.tokens[access].scopeString(), "userType": g.kind,
		"companyId": s.companyID, "userId": g.userID, "isBulkInstallation": false,
	}
	if g.kind == "Location" {
		out["locationId"] = g.locationID
	} else {
		out["approvedLocations"] = append([]string(nil), s.locOrder...)
		out["approveAllLocations"] = true
		out["installToFutureLocations"] = true
	}
	return http.StatusOK, out, nil
}

// mintAccessToken creates an access token for a grant.
func (s *Server) mintAccessToken(g authCode, now time.Time) string {
	value := s.mintJWT("access", g, now, now.Add(accessTokenTTL))
	t := &token{kind: g.kind, locationID: g.locationID, companyID: s.companyID, scopes: g.scopes,
		expires: now.Add(accessTokenTTL), clientID: g.clientID, userID: g.userID}
	if g.kind == "Location" {
		t.companyID = s.locs[g.locationID].loc.CompanyID
	}
	s.tokens[value] = t
	return value
}

// mintJWT returns a JWT-shaped opaque token: HighLevel's tokens are JWTs
// and some clients peek at their claims. The signature is random: only the
// sandbox's token table makes a token valid.
func (s *Server) mintJWT(use string, g authCode, now, exp time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	authID := g.locationID
	if g.kind == "Company" {
		authID = s.companyID
	}
	claims, _ := json.Marshal(obj{
		"authClass": g.kind, "authClassId": authID, "source": "INTEGRATION", "sourceId": g.clientID,
		"channel": "OAUTH", "primaryAuthClassId": authID, "tokenType": use,
		"oauthMeta": obj{"scopes": g.scopes, "client": g.clientID},
		"iat":       now.Unix(), "exp": exp.Unix(), "jti": newUUID(s.idRand),
	})
	sig := make([]byte, 32)
	for i := range sig {
		sig[i] = byte(s.idRand.Uint32())
	}
	return header + "." + enc.EncodeToString(claims) + "." + enc.EncodeToString(sig)
}

var locationTokenShape = shape{
	{name: "companyId", required: true},
	{name: "locationId", required: true},
}

// POST /oauth/locationToken (get-location-access-token): an agency token
// mints a location token; the answer has no refresh_token.
func (s *Server) hLocationToken(c *call) (int, any, error) {
	companyID, _ := c.in.str("companyId")
	locID, _ := c.in.str("locationId")
	if companyID != c.tok.companyID {
		return 0, nil, errBadRequest("Invalid parameter: companyId")
	}
	ls, err := s.needLocation(c, locID)
	if err != nil {
		return 0, nil, err
	}
	g := authCode{clientID: c.tok.clientID, kind: "Location", locationID: ls.loc.ID,
		scopes: c.tok.scopes, userID: c.tok.userID}
	access := s.mintAccessToken(g, c.now)
	return http.StatusOK, obj{
		"access_token": access, "token_type": "Bearer", "expires_in": int(accessTokenTTL / time.Second),
		"scope": s.tokens[access].scopeString(), "locationId": ls.loc.ID, "userId": g.userID,
	}, nil
}

var installedLocationsQuery = shape{
	{name: "skip"}, {name: "limit"}, {name: "query"}, {name: "isInstalled", kind: kBool},
	{name: "companyId", required: true}, {name: "appId", required: true}, {name: "versionId"},
	{name: "onTrial", kind: kBool}, {name: "planId"}, {name: "locationId"},
}

// GET /oauth/installedLocations: every sandbox location counts as installed.
func (s *Server) hInstalledLocations(c *call) (int, any, error) {
	companyID, _ := c.q.str("companyId")
	if companyID != c.tok.companyID {
		return 0, nil, errBadRequest("Invalid parameter: companyId")
	}
	query, _ := c.q.str("query")
	out := []obj{}
	for _, id := range s.locOrder {
		l := s.locs[id].loc
		if query != "" && !strings.Contains(strings.ToLower(l.Name), strings.ToLower(query)) {
			continue
		}
		out = append(out, obj{"_id": l.ID, "name": l.Name, "address": l.Address, "isInstalled": true})
	}
	return http.StatusOK, obj{"locations": out, "count": len(out), "installToFutureLocations": true}, nil
}
