package ghl

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		status   int
		header   http.Header
		body     string
		is       []error
		isNot    []error
		wantText []string
		check    func(t *testing.T, err error)
	}{
		{name: "unknown id is a 400", status: 400,
			body: `{"statusCode":400,"message":"Contact with id abc not found"}`,
			is:   []error{ErrNotFound}, isNot: []error{ErrBadRequest, ErrDuplicateContact},
			wantText: []string{"GET /contacts/abc", "400 Bad Request", "Contact with id abc not found"}},
		{name: "404", status: 404, body: `{"statusCode":404,"message":"Not Found"}`, is: []error{ErrNotFound}},
		{name: "other 400", status: 400, body: `{"statusCode":400,"message":"Bad Request"}`,
			is: []error{ErrBadRequest}, isNot: []error{ErrNotFound}},
		{name: "422 message array", status: 422,
			body:     `{"statusCode":422,"message":["property locationId should not exist","email must be an email"],"error":"Unprocessable Entity"}`,
			is:       []error{ErrValidation},
			wantText: []string{"property locationId should not exist; email must be an email"},
			check: func(t *testing.T, err error) {
				var apiErr *APIError
				if !errors.As(err, &apiErr) || len(apiErr.Messages) != 2 || apiErr.Code != "Unprocessable Entity" {
					t.Errorf("APIError = %+v", apiErr)
				}
			}},
		{name: "401", status: 401, body: `{"statusCode":401,"message":"Invalid JWT","error":"Unauthorized"}`,
			is: []error{ErrUnauthorized}, isNot: []error{ErrMissingScope}},
		{name: "missing scope", status: 401, body: `{"statusCode":401,"message":"The token is not authorized for this scope."}`,
			is: []error{ErrMissingScope}, isNot: []error{ErrUnauthorized}},
		{name: "wrong location", status: 403, body: `{"statusCode":403,"message":"The token does not have access to this location."}`,
			is: []error{ErrWrongLocation, ErrForbidden}},
		{name: "other 403", status: 403, body: `{"statusCode":403,"message":"You do not have permission to access this resource","error":"Forbidden"}`,
			is: []error{ErrForbidden}, isNot: []error{ErrWrongLocation}},
		{name: "duplicate contact", status: 400,
			body: `{"statusCode":400,"message":"This location does not allow duplicated contacts.","meta":{"contactName":"Ada Lovelace","contactId":"c9","matchingField":"email"}}`,
			is:   []error{ErrDuplicateContact}, isNot: []error{ErrNotFound, ErrBadRequest},
			check: func(t *testing.T, err error) {
				var dup *DuplicateContactError
				if !errors.As(err, &dup) || dup.ContactID != "c9" || dup.MatchingField != "email" || dup.ContactName != "Ada Lovelace" {
					t.Errorf("DuplicateContactError = %+v", dup)
				}
				var apiErr *APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
					t.Errorf("errors.As *APIError through the wrapper: %+v", apiErr)
				}
			}},
		{name: "burst 429 with Retry-After", status: 429, header: http.Header{"Retry-After": {"7"}},
			body: `{"statusCode":429,"message":"Too Many Requests"}`, is: []error{ErrRateLimited},
			check: func(t *testing.T, err error) {
				var rl *RateLimitError
				if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second || rl.Daily || !rl.Retryable() {
					t.Errorf("RateLimitError = %+v", rl)
				}
			}},
		{name: "burst 429 from headers", status: 429,
			header: http.Header{"X-Ratelimit-Interval-Milliseconds": {"10000"}, "X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Daily-Remaining": {"150000"}},
			body:   `{"message":"Too Many Requests"}`, is: []error{ErrRateLimited},
			check: func(t *testing.T, err error) {
				var rl *RateLimitError
				if !errors.As(err, &rl) || rl.RetryAfter != 10*time.Second || rl.Daily {
					t.Errorf("RateLimitError = %+v", rl)
				}
			}},
		{name: "daily 429", status: 429,
			header: http.Header{"X-Ratelimit-Daily-Remaining": {"0"}, "X-Ratelimit-Daily-Reset": {"3600000"}},
			body:   `{"message":"Daily limit reached"}`, is: []error{ErrRateLimited},
			check: func(t *testing.T, err error) {
				var rl *RateLimitError
				if !errors.As(err, &rl) || rl.RetryAfter != time.Hour || !rl.Daily {
					t.Errorf("RateLimitError = %+v", rl)
				}
			}},
		{name: "html 502", status: 502, body: "<html>\n<head><title>502 Bad Gateway</title></head>\n<body>cloudflare</body></html>",
			is:       []error{ErrServer},
			wantText: []string{"502 Bad Gateway", `unexpected body "<html> <head><title>502`}},
		{name: "empty 500", status: 500, body: "", is: []error{ErrServer}, wantText: []string{"500 Internal Server Error: empty body"}},
		{name: "truncated json", status: 503, body: `{"statusCode":503,"mess`, is: []error{ErrServer}, wantText: []string{`unexpected body "{\"statusCode\":503,\"mess"`}},
		{name: "aip envelope", status: 404, body: `{"error":{"code":"RESOURCE_NOT_FOUND","message":"Contact missing"}}`,
			is: []error{ErrNotFound}, wantText: []string{"Contact missing"}},
		{name: "echoed token is scrubbed", status: 401, body: `{"message":"bad token Bearer ` + testToken + `"}`,
			is: []error{ErrUnauthorized}, wantText: []string{"bad token Bearer REDACTED"}},
		{name: "long body is cut", status: 500, body: strings.Repeat("x", 5000), is: []error{ErrServer},
			check: func(t *testing.T, err error) {
				if len(err.Error()) > 400 {
					t.Errorf("error text has %d bytes", len(err.Error()))
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOptions{skipResponseValidation: true}, reply{Status: tt.status, Header: tt.header, Body: tt.body})
			_, err := b.client.GetContact(t.Context(), "abc")
			if err == nil {
				t.Fatal("no error")
			}
			for _, target := range tt.is {
				if !errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = false", err, target)
				}
			}
			for _, target := range tt.isNot {
				if errors.Is(err, target) {
					t.Errorf("errors.Is(%v, %v) = true", err, target)
				}
			}
			text := err.Error()
			if !strings.HasPrefix(text, "ghl: get contact abc: ghl: GET /contacts/abc: ") {
				t.Errorf("error text %q lacks context and method+path", text)
			}
			for _, want := range tt.wantText {
				if !strings.Contains(text, want) {
					t.Errorf("error text %q lacks %q", text, want)
				}
			}
			if strings.Contains(text, testToken) {
				t.Errorf("error text %q contains the token", text)
			}
			if tt.check != nil {
				tt.check(t, err)
			}
		})
	}
}

func TestOAuthErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		body string
	}{
		{name: "oauth error code", body: `{"error":"invalid_grant","error_description":"refresh token is invalid"}`},
		{name: "nest message", body: `{"statusCode":400,"message":"Invalid grant: refresh token is invalid"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, setupOptions{skipResponseValidation: true}, reply{Status: 400, Body: tt.body})
			_, err := b.client.RefreshToken(t.Context(), OAuthCredentials{ClientID: "cid", ClientSecret: "csecret"}, "rt-single-use", "")
			if !errors.Is(err, ErrInvalidGrant) {
				t.Fatalf("err = %v, want ErrInvalidGrant", err)
			}
			if s := err.Error(); strings.Contains(s, "csecret") || strings.Contains(s, "rt-single-use") {
				t.Errorf("error text %q leaks a secret", s)
			}
		})
	}
}

func TestSecretsNotPrinted(t *testing.T) {
	t.Parallel()
	creds := OAuthCredentials{ClientID: "cid", ClientSecret: "csecret"}
	tok := TokenResponse{AccessToken: "at-secret", RefreshToken: "rt-secret", LocationID: "loc"}
	for _, s := range []string{creds.String(), tok.String(), creds.LogValue().String(), tok.LogValue().String()} {
		for _, secret := range []string{"csecret", "at-secret", "rt-secret"} {
			if strings.Contains(s, secret) {
				t.Errorf("%q shows %s", s, secret)
			}
		}
	}
}

func FuzzNewAPIError(f *testing.F) {
	f.Add(400, []byte(`{"statusCode":400,"message":"Contact with id x not found"}`), "")
	f.Add(422, []byte(`{"message":["a","b"],"error":"Unprocessable Entity"}`), "")
	f.Add(429, []byte(`{}`), "Wed, 21 Oct 2015 07:28:00 GMT")
	f.Add(400, []byte(`{"message":"This location does not allow duplicated contacts.","meta":{"contactId":"c"}}`), "")
	f.Add(502, []byte("<html>\xff\xfe</html>"), "-1")
	f.Add(404, []byte(`{"error":{"code":"X","message":7}}`), "99999999999999999999")
	f.Add(500, []byte(`{"message":{"nested":true},"error":[1]}`), "")
	f.Fuzz(func(t *testing.T, status int, body []byte, retry string) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		op := operationIndex()[OpGetContact]
		h := http.Header{"Retry-After": {retry}, "X-Ratelimit-Daily-Remaining": {retry}, "X-Ratelimit-Daily-Reset": {retry},
			"X-Ratelimit-Interval-Milliseconds": {retry}}
		err := newAPIError(op, "/contacts/x", status, h, body, testNow, "tok-secret")
		text := err.Error()
		if !strings.Contains(text, "GET /contacts/x") {
			t.Fatalf("error text %q lacks method and path", text)
		}
		if strings.Contains(text, "tok-secret") {
			t.Fatalf("error text %q leaks the secret", text)
		}
		var rl *RateLimitError
		if errors.As(err, &rl) && (rl.RetryAfter < 0 || rl.RetryAfter > maxWait) {
			t.Fatalf("RetryAfter %v out of range", rl.RetryAfter)
		}
	})
}

func TestEscapedSecretScrubbed(t *testing.T) {
	t.Parallel()
	op := operationIndex()[OpGetContact]
	err := newAPIError(op, "/contacts/x", 401, nil, []byte(`{"message":"got \u0074ok-secret"}`), testNow, "tok-secret")
	if strings.Contains(err.Error(), "tok-secret") {
		t.Fatalf("error text %q leaks the secret", err)
	}
}
