package ghlsandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// authorize walks the authorize page headless and returns the code.
func (b *bundle) authorize(t *testing.T, extra url.Values) string {
	t.Helper()
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"https://app.example/cb"},
		"scope": {"contacts.readonly contacts.write locations.readonly oauth.write oauth.readonly"}, "state": {"xyz"}}
	for k, v := range extra {
		q[k] = v
	}
	resp, err := b.http.Get(b.srv.URL + "/oauth/chooselocation?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorize: %d", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Host != "app.example" || loc.Query().Get("state") != "xyz" {
		t.Fatalf("redirect %v", resp.Header.Get("Location"))
	}
	return loc.Query().Get("code")
}

func tokenForm(kv ...string) url.Values {
	v := url.Values{"client_id": {clientID}, "client_secret": {secret}}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestOAuthAuthorizationCodeAndRotation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	code := b.authorize(t, url.Values{"location_id": {loc1}})
	r := b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "authorization_code", "code", code,
		"redirect_uri", "https://app.example/cb")).must(t, 200)
	if r.body["expires_in"] != 86399.0 || r.body["userType"] != "Location" || r.body["locationId"] != loc1 ||
		r.body["token_type"] != "Bearer" || !strings.Contains(r.body["scope"].(string), "contacts.write") {
		t.Errorf("token %s", r.raw)
	}
	access, refresh := r.body["access_token"].(string), r.body["refresh_token"].(string)
	id := b.createContact(nil)
	b.req("GET", "/contacts/"+id, access, vContacts, nil).must(t, 200)
	b.req("GET", "/calendars/events/appointments/x", access, vCalendar, nil).must(t, 401) // scope not granted

	r = b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "authorization_code", "code", code)).must(t, 400)
	if r.body["error"] != "invalid_grant" {
		t.Errorf("code reuse: %s", r.raw)
	}

	r = b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "refresh_token", "refresh_token", refresh)).must(t, 200)
	refresh2 := r.body["refresh_token"].(string)
	if refresh2 == refresh || r.body["access_token"] == access {
		t.Error("refresh did not rotate the tokens")
	}
	r = b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "refresh_token", "refresh_token", refresh)).must(t, 400)
	if r.body["error"] != "invalid_grant" || r.body["message"] != "Invalid grant: refresh token is invalid" {
		t.Errorf("used refresh token: %s", r.raw)
	}
	b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "refresh_token", "refresh_token", refresh2)).must(t, 200)

	b.clock.Advance(86399 * time.Second)
	b.req("GET", "/contacts/"+id, access, vContacts, nil).must(t, 401)
}

func TestOAuthTokenErrors(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tests := []struct {
		name string
		form url.Values
		want int
		code string
	}{
		{"wrong secret", url.Values{"client_id": {clientID}, "client_secret": {"x"}, "grant_type": {"refresh_token"}}, 400, "invalid_client"},
		{"unknown client", url.Values{"client_id": {"x"}, "client_secret": {secret}, "grant_type": {"refresh_token"}}, 400, "invalid_client"},
		{"missing grant type", tokenForm(), 400, "invalid_request"},
		{"unsupported grant", tokenForm("grant_type", "password"), 400, "unsupported_grant_type"},
		{"missing refresh token", tokenForm("grant_type", "refresh_token"), 400, "invalid_request"},
		{"unknown refresh token", tokenForm("grant_type", "refresh_token", "refresh_token", "nope"), 400, "invalid_grant"},
		{"unknown property", tokenForm("grant_type", "refresh_token", "scope", "x"), 422, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := b.req("POST", "/oauth/token", "", "", tt.form).must(t, tt.want)
			if tt.code != "" && r.body["error"] != tt.code {
				t.Errorf("error %v, want %v", r.body["error"], tt.code)
			}
		})
	}
}

func TestAuthorizePage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	q := url.Values{"response_type": {"code"}, "client_id": {clientID}, "redirect_uri": {"https://app.example/cb"}}
	resp, err := b.http.Get(b.srv.URL + "/v2/oauth/chooselocation?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Acme Foods") || !strings.Contains(string(page), "Other Co") {
		t.Errorf("page %d: %s", resp.StatusCode, page)
	}
	q.Set("client_id", "someone-else")
	resp, err = b.http.Get(b.srv.URL + "/oauth/chooselocation?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown client: %d", resp.StatusCode)
	}
	single := setup(t, func(o *Options) { o.Locations = o.Locations[:1] })
	if code := single.authorize(t, nil); code == "" {
		t.Error("one location should be chosen without asking")
	}
}

func TestAgencyTokens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	code := b.authorize(t, url.Values{"user_type": {"Company"}})
	r := b.req("POST", "/oauth/token", "", "", tokenForm("grant_type", "authorization_code", "code", code)).must(t, 200)
	agency := r.body["access_token"].(string)
	if r.body["userType"] != "Company" || len(r.list("approvedLocations")) != 2 {
		t.Errorf("agency token %s", r.raw)
	}
	b.req("POST", "/contacts/search", agency, vContacts, map[string]any{"locationId": loc2, "pageLimit": 10}).must(t, 401)
	b.req("GET", "/locations/"+loc2, agency, vContacts, nil).must(t, 200)
	r = b.req("GET", "/oauth/installedLocations?companyId="+b.sb.CompanyID()+"&appId=app", agency, vContacts, nil).must(t, 200)
	if r.body["count"] != 2.0 {
		t.Errorf("installed %s", r.raw)
	}
	form := url.Values{"companyId": {b.sb.CompanyID()}, "locationId": {loc2}}
	r = b.req("POST", "/oauth/locationToken", agency, vContacts, form).must(t, 200)
	if _, ok := r.body["refresh_token"]; ok || r.body["locationId"] != loc2 {
		t.Errorf("location token %s", r.raw)
	}
	locTok := r.body["access_token"].(string)
	b.req("POST", "/contacts/", locTok, vContacts, map[string]any{"locationId": loc2}).must(t, 201)
	b.req("POST", "/oauth/locationToken", locTok, vContacts, form).must(t, 401)
	b.req("POST", "/oauth/locationToken", agency, "", form).must(t, 401)
}

// TestOAuth2Library drives the sandbox with golang.org/x/oauth2, as a
// client would: exchange, refresh on expiry, and a reused refresh token
// surfacing as RetrieveError "invalid_grant".
func TestOAuth2Library(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := &oauth2.Config{
		ClientID: clientID, ClientSecret: secret, RedirectURL: "https://app.example/cb",
		Endpoint: oauth2.Endpoint{
			AuthURL: b.srv.URL + "/oauth/chooselocation", TokenURL: b.srv.URL + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
	}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, b.http)
	tok, err := cfg.Exchange(ctx, b.authorize(t, url.Values{"location_id": {loc1}}))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Extra("locationId") != loc1 || tok.RefreshToken == "" {
		t.Errorf("token extras: %v", tok.Extra("locationId"))
	}
	stale := *tok
	stale.Expiry = time.Now().Add(-time.Minute) // x/oauth2 judges expiry by the real clock
	fresh, err := cfg.TokenSource(ctx, &stale).Token()
	if err != nil || fresh.AccessToken == tok.AccessToken {
		t.Fatalf("refresh: %v", err)
	}
	_, err = cfg.TokenSource(ctx, &stale).Token() // the same refresh token again
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.ErrorCode != "invalid_grant" || re.Response.StatusCode != 400 {
		t.Errorf("reused refresh token: %v", err)
	}
}
