package repsly

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

const wcfErrorPage = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Request Error</title>
<style>BODY { color: #000000; }</style></head><body><div id="content">
<p class="heading1">Request Error</p><p>The server encountered an error processing the request.
The exception message is &#39;Object reference not set&#39;.</p></div></body></html>`

func TestStatusErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		status      int
		header      map[string]string
		body        string
		post        bool // an import instead of an export
		kind        error
		message     string
		retryAfter  time.Duration
		statusInErr bool
	}{
		{name: "401 html", status: 401, body: "<html><body><h1>Unauthorized</h1></body></html>", kind: ErrUnauthorized, message: "Unauthorized"},
		{name: "401 empty", status: 401, kind: ErrUnauthorized},
		{name: "403", status: 403, body: `{"Code":5,"Message":"API access disabled"}`, kind: ErrUnauthorized, message: "API access disabled"},
		{name: "400 on import is validation", status: 400, post: true, body: `{"Code":1,"Message":"Name is required"}`, kind: ErrValidation, message: "Name is required"},
		{name: "400 on export cursor", status: 400, body: `{"Code":1,"Message":"Invalid ID"}`, kind: ErrBadCursor, message: "Invalid ID"},
		{name: "400 wcf page", status: 400, post: true, body: wcfErrorPage, kind: ErrValidation, message: "The exception message is 'Object reference not set'."},
		{name: "404", status: 404, body: "<html><body>Endpoint not found.</body></html>", kind: ErrNotFound, message: "Endpoint not found."},
		{name: "429 seconds", status: 429, header: map[string]string{"Retry-After": "17"}, kind: ErrRateLimited, retryAfter: 17 * time.Second},
		{name: "429 date", status: 429, header: map[string]string{"Retry-After": "Tue, 02 Jan 2024 03:05:05 GMT"}, kind: ErrRateLimited, retryAfter: time.Minute},
		{name: "429 junk header", status: 429, header: map[string]string{"Retry-After": "soon"}, kind: ErrRateLimited},
		{name: "500 html", status: 500, body: wcfErrorPage, kind: ErrServer, message: "Request Error"},
		{name: "503 retry", status: 503, header: map[string]string{"Retry-After": "5"}, kind: ErrServer, retryAfter: 5 * time.Second},
		{name: "418", status: 418, body: "teapot", kind: ErrUnexpectedStatus, message: "teapot"},
		{name: "200 html", status: 200, body: wcfErrorPage, kind: ErrUnexpectedBody, message: ""},
		{name: "200 empty", status: 200, body: "", kind: ErrUnexpectedBody},
		{name: "200 truncated", status: 200, body: `{"MetaCollectionResult":{"TotalCount":1},"Clients":[{"Code":"A"`, kind: ErrUnexpectedBody},
		{name: "200 not json", status: 200, body: "OK", kind: ErrUnexpectedBody},
		{name: "200 wrong array", status: 200, body: `{"MetaCollectionResult":{"TotalCount":2},"Data":[{},{}]}`, kind: ErrUnexpectedBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
				for k, v := range tt.header {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
				return true
			}
			var err error
			wantPrefix := "repsly: GET export/clients/0: "
			if tt.post {
				_, err = b.client.UpsertClients(context.Background(), []ClientImport{{Code: "C1", Name: "Shop"}})
				wantPrefix = "repsly: POST import/client: "
			} else {
				_, err = b.client.ExportClients(context.Background(), Cursor{})
			}
			if !errors.Is(err, tt.kind) {
				t.Fatalf("err = %v, want %v", err, tt.kind)
			}
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err %T is not *Error", err)
			}
			if e.StatusCode != tt.status {
				t.Fatalf("StatusCode = %d, want %d", e.StatusCode, tt.status)
			}
			if tt.message != "" && !strings.Contains(err.Error(), tt.message) {
				t.Fatalf("error %q lacks message %q", err, tt.message)
			}
			if !strings.HasPrefix(err.Error(), wantPrefix) {
				t.Fatalf("error %q lacks prefix %q", err, wantPrefix)
			}
			if e.RetryAfter != tt.retryAfter {
				t.Fatalf("RetryAfter = %v, want %v", e.RetryAfter, tt.retryAfter)
			}
			if d, ok := RetryAfter(err); ok != (tt.retryAfter > 0) || d != tt.retryAfter {
				t.Fatalf("RetryAfter(err) = %v %v", d, ok)
			}
			wantRetry := tt.kind == ErrRateLimited || tt.kind == ErrServer
			if Retryable(err) != wantRetry {
				t.Fatalf("Retryable = %v", !wantRetry)
			}
			assertNoSecret(t, err.Error())
		})
	}
}

func assertNoSecret(t *testing.T, s string) {
	t.Helper()
	enc := base64.StdEncoding.EncodeToString([]byte(testUser + ":" + testPass))
	if strings.Contains(s, testPass) || strings.Contains(s, enc) {
		t.Fatalf("secret leaked: %s", s)
	}
}

func TestCredentials(t *testing.T) {
	t.Parallel()
	t.Run("wrong password is unauthorized", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		c := New(Options{BaseURL: b.server.URL + "/v3", Username: testUser, Password: "wrong-password", HTTPClient: b.server.Client()})
		err := c.Ping(context.Background())
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), "wrong-password") {
			t.Fatalf("password in error: %v", err)
		}
	})
	t.Run("echoed secret is scrubbed", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
			writeJSON(w, http.StatusBadRequest, map[string]any{"Code": 2, "Message": "bad header " + r.Header.Get("Authorization") + " pw " + testPass})
			return true
		}
		_, err := b.client.UpsertClients(context.Background(), []ClientImport{{Code: "C1", Name: "Shop"}})
		if err == nil {
			t.Fatal("want error")
		}
		assertNoSecret(t, err.Error())
	})
	t.Run("options print no password", func(t *testing.T) {
		t.Parallel()
		o := Options{BaseURL: DefaultBaseURL, Username: testUser, Password: testPass}
		var logged strings.Builder
		slog.New(slog.NewTextHandler(&logged, nil)).Info("opts", "o", o)
		for _, s := range []string{o.String(), fmt.Sprintf("%v %+v %#v %s", o, o, o, o), logged.String()} {
			assertNoSecret(t, s)
			if !strings.Contains(s, testUser) {
				t.Fatalf("username missing from %q", s)
			}
		}
	})
	t.Run("requests carry basic auth and json headers", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		var got http.Header
		b.fake.override = func(w http.ResponseWriter, r *http.Request, path string) bool {
			if r.Method == http.MethodPost {
				got = r.Header.Clone()
			}
			return false
		}
		if _, err := b.client.UpsertClients(context.Background(), []ClientImport{{Code: "C1", Name: "Shop"}}); err != nil {
			t.Fatal(err)
		}
		if got.Get("Accept") != "application/json" || !strings.HasPrefix(got.Get("Content-Type"), "application/json") {
			t.Fatalf("headers %v", got)
		}
	})
}

func TestDefaults(t *testing.T) {
	t.Parallel()
	c := New(Options{Username: "u", Password: "p"})
	if c.BaseURL() != DefaultBaseURL {
		t.Fatalf("BaseURL = %q", c.BaseURL())
	}
	if New(Options{BaseURL: "http://x/v3"}).BaseURL() != "http://x/v3/" {
		t.Fatal("trailing slash not added")
	}
}

func TestTransportError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.server.Close()
	_, err := b.client.ExportClients(context.Background(), Cursor{})
	if err == nil || !strings.HasPrefix(err.Error(), "repsly: GET export/clients/0: ") {
		t.Fatalf("err = %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := b.client.ExportClients(ctx, Cursor{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

type countingLimiter struct{ n int }

func (l *countingLimiter) Wait(context.Context) error { l.n++; return nil }

func TestLimiter(t *testing.T) {
	t.Parallel()
	b := setup(t)
	lim := &countingLimiter{}
	c := New(Options{BaseURL: b.server.URL + "/v3/", Username: testUser, Password: testPass, HTTPClient: b.server.Client(), Limiter: lim})
	if _, err := c.ExportClients(context.Background(), Cursor{}); err != nil {
		t.Fatal(err)
	}
	if lim.n != 1 {
		t.Fatalf("limiter waited %d times", lim.n)
	}
}
