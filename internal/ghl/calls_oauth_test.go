package ghl

import (
	"context"
	"net/url"
	"reflect"
	"testing"
	"time"
)

// oauthLocationCallCases covers the OAuth and location operations.
func oauthLocationCallCases() []callCase {
	return []callCase{
		{name: "get location", op: OpGetLocation, path: "/locations/" + testLocation,
			reply: ok(`{"location":{"id":"ve9EPM428h8vShlRW1KT","name":"Acme","timezone":"Europe/Paris","settings":{"allowDuplicateContact":false}}}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.GetLocation(ctx) },
			check: func(t *testing.T, _ recorded, got any) {
				if l := got.(*Location); l.Name != "Acme" || l.Settings.AllowDuplicateContact {
					t.Errorf("location = %+v", l)
				}
			}},
		{name: "location tags", op: OpListLocationTags, path: "/locations/" + testLocation + "/tags",
			reply: ok(`{"tags":[{"id":"t1","name":"vip","locationId":"ve9EPM428h8vShlRW1KT"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListLocationTags(ctx) }},
		{name: "custom fields", op: OpListCustomFields, path: "/locations/" + testLocation + "/customFields",
			reply: ok(`{"customFields":[{"id":"cf1","name":"Repsly code","fieldKey":"contact.repsly_client_code","dataType":"TEXT","model":"contact"}]}`),
			call:  func(ctx context.Context, c *Client) (any, error) { return c.ListCustomFields(ctx, "contact") },
			check: wantQuery(url.Values{"model": {"contact"}})},
		{name: "search tasks", op: OpSearchTasks, path: "/locations/" + testLocation + "/tasks/search",
			reply: ok(`{"tasks":[{"id":"t1","title":"Call","contactId":"c1"}]}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.SearchTasks(ctx, TaskSearchRequest{ContactIDs: []string{"c1"}, Completed: new(false), Limit: 50})
			},
			check: wantBody(`{"contactId":["c1"],"completed":false,"limit":50}`)},

		{name: "exchange code", op: OpGetAccessToken, path: "/oauth/token",
			reply: ok(`{"access_token":"at","token_type":"Bearer","expires_in":86399,"refresh_token":"rt","scope":"contacts.readonly contacts.write","userType":"Location","locationId":"ve9EPM428h8vShlRW1KT","companyId":"co","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ExchangeCode(ctx, OAuthCredentials{ClientID: "cid", ClientSecret: "csecret", RedirectURL: "https://fb.example/cb"}, "code1", "")
			},
			check: func(t *testing.T, req recorded, got any) {
				form, _ := url.ParseQuery(string(req.Body))
				want := url.Values{"grant_type": {"authorization_code"}, "code": {"code1"}, "client_id": {"cid"},
					"client_secret": {"csecret"}, "redirect_uri": {"https://fb.example/cb"}}
				if !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want %v", form, want)
				}
				tok := got.(*TokenResponse)
				if tok.RefreshToken != "rt" || len(tok.Scopes()) != 2 {
					t.Errorf("token = %v", tok)
				}
				if o := tok.OAuth2Token(testNow); !o.Expiry.Equal(testNow.Add(86399*time.Second)) || o.Extra("locationId") != testLocation {
					t.Errorf("oauth2 token expiry %v extra %v", o.Expiry, o.Extra("locationId"))
				}
			}},
		{name: "refresh token", op: OpGetAccessToken, path: "/oauth/token",
			reply: ok(`{"access_token":"at2","token_type":"Bearer","expires_in":86399,"refresh_token":"rt2","scope":"contacts.readonly","userType":"Location","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.RefreshToken(ctx, OAuthCredentials{ClientID: "cid", ClientSecret: "csecret"}, "rt1", UserTypeLocation)
			},
			check: func(t *testing.T, req recorded, _ any) {
				form, _ := url.ParseQuery(string(req.Body))
				want := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"rt1"}, "client_id": {"cid"},
					"client_secret": {"csecret"}, "user_type": {"Location"}}
				if !reflect.DeepEqual(form, want) {
					t.Errorf("form = %v, want %v", form, want)
				}
			}},
		{name: "location token", op: OpGetLocationAccessToken, path: "/oauth/locationToken",
			reply: ok(`{"access_token":"lt","token_type":"Bearer","expires_in":86399,"scope":"contacts.readonly","locationId":"ve9EPM428h8vShlRW1KT","userId":"u1"}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.LocationToken(ctx, nil, "co", testLocation)
			},
			check: func(t *testing.T, req recorded, _ any) {
				if ct := req.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
					t.Errorf("Content-Type = %q", ct)
				}
			}},
		{name: "installed locations", op: OpListInstalledLocations, path: "/oauth/installedLocations",
			reply: ok(`{"locations":[{"_id":"ve9EPM428h8vShlRW1KT","name":"Acme","address":"1 Main St","isInstalled":true}],"count":1,"installToFutureLocations":false}`),
			call: func(ctx context.Context, c *Client) (any, error) {
				return c.ListInstalledLocations(ctx, nil, InstalledLocationsQuery{CompanyID: "co", AppID: "app", IsInstalled: new(true)})
			},
			check: wantQuery(url.Values{"companyId": {"co"}, "appId": {"app"}, "isInstalled": {"true"}})},
	}
}
