package ghl

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlspec"
)

// loadSpec loads HighLevel's OpenAPI files once per test binary.
var loadSpec = sync.OnceValues(ghlspec.Load)

func testSpec(t testing.TB) *ghlspec.Spec {
	t.Helper()
	s, err := loadSpec()
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	return s
}

const (
	testToken    = "pit-secret-token-0123456789"
	testLocation = "ve9EPM428h8vShlRW1KT"
)

// testNow is the fixed time of every test clock.
var testNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

// recorded is one request the fake server received.
type recorded struct {
	Method, Path, Query string
	Header              http.Header
	Body                []byte
}

// reply is a canned answer of the fake server.
type reply struct {
	Status int
	Header http.Header
	Body   string
}

// testBundle is a client wired to a fake HighLevel server. Every request the
// client sends, and every canned answer, is validated against the spec.
type testBundle struct {
	client *Client
	server *httptest.Server

	mu       sync.Mutex
	requests []recorded
	replies  []reply
}

type setupOptions struct {
	// skipResponseValidation lets a test answer malformed bodies.
	skipResponseValidation bool
	// noLocation makes a client without a location id.
	noLocation bool
}

func setup(t *testing.T, opts setupOptions, replies ...reply) *testBundle {
	t.Helper()
	b := &testBundle{replies: replies}
	b.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		b.mu.Lock()
		b.requests = append(b.requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery,
			Header: r.Header.Clone(), Body: body})
		var rep reply
		if len(b.replies) > 0 {
			rep, b.replies = b.replies[0], b.replies[1:]
		} else {
			rep = reply{Status: http.StatusInternalServerError, Body: `{"statusCode":500,"message":"no reply scripted"}`}
		}
		b.mu.Unlock()
		for k, vs := range rep.Header {
			w.Header()[k] = vs
		}
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", "application/json")
		}
		if rep.Status == 0 {
			rep.Status = http.StatusOK
		}
		w.WriteHeader(rep.Status)
		io.WriteString(w, rep.Body)
	}))
	t.Cleanup(b.server.Close)
	transport := &ghlspec.Transport{
		Spec:          testSpec(t),
		Report:        func(err error) { t.Errorf("spec: %v", err) },
		SkipResponses: opts.skipResponseValidation,
	}
	loc := testLocation
	if opts.noLocation {
		loc = ""
	}
	b.client = New(Options{
		BaseURL:     b.server.URL,
		HTTPClient:  &http.Client{Transport: transport},
		TokenSource: StaticToken(testToken),
		LocationID:  loc,
		Clock:       func() time.Time { return testNow },
	})
	return b
}

// only returns the single request the server received.
func (b *testBundle) only(t *testing.T) recorded {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.requests) != 1 {
		t.Fatalf("server got %d requests, want 1", len(b.requests))
	}
	return b.requests[0]
}

func (b *testBundle) all() []recorded {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]recorded(nil), b.requests...)
}

// jsonBody decodes a request body into a generic map.
func jsonBody(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("request body %q: %v", body, err)
	}
	return m
}
