package ghlsandbox

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlspec"
)

// Spec defects met by sandbox responses that ghlspec does not repair (its
// table in ghlspec/defect.go lists the others). Patched here, in one place.
//
// | id  | file     | defect                                                        | repair   |
// |-----|----------|---------------------------------------------------------------|----------|
// | S1  | contacts | CustomFieldSchema.value typed string; values are numbers,     | any type |
// |     |          | arrays or objects per field type (webhook docs type it        |          |
// |     |          | string|number|array|object)                                   |          |
var loadSpec = sync.OnceValues(func() (*ghlspec.Spec, error) {
	spec, err := ghlspec.Load()
	if err != nil {
		return nil, err
	}
	cf := spec.Doc("apps/contacts.json").Components.Schemas["CustomFieldSchema"]
	if cf == nil || cf.Value.Properties["value"] == nil || !cf.Value.Properties["value"].Value.Type.Is("string") {
		return nil, fmt.Errorf("defect S1 gone: remove its patch")
	}
	cf.Value.Properties["value"] = openapi3.NewSchema().NewRef()
	return spec, nil
})

const (
	loc1      = "loc1AAAAAAAAAAAAAAAA"
	loc2      = "loc2BBBBBBBBBBBBBBBB"
	tok1      = "pit-loc1"
	tok2      = "pit-loc2"
	tokRead   = "pit-loc1-readonly"
	clientID  = "sbx-app-client"
	secret    = "sbx-app-secret"
	cfCode    = "cfCodeAAAAAAAAAAAAAA"
	cfVisits  = "cfVisitsAAAAAAAAAAAA"
	vContacts = "2021-07-28"
	vCalendar = "2021-04-15"
)

// fakeClock is a settable clock for token expiry and rate-limit windows.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type bundle struct {
	t     *testing.T
	sb    *Server
	srv   *httptest.Server
	clock *fakeClock
	http  *http.Client
}

// setup starts a sandbox with two locations, a token for each, a
// read-only token, two custom fields and an OAuth client; mods adjust the
// options. Every response is validated against the official specs.
func setup(t *testing.T, mods ...func(*Options)) *bundle {
	t.Helper()
	spec, err := loadSpec()
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	clock := &fakeClock{t: time.Date(2026, 3, 2, 14, 0, 0, 0, time.UTC)} // a Monday
	opts := Options{
		Clock: clock.Now,
		Locations: []Location{
			{ID: loc1, Name: "Acme Foods", CustomFields: []CustomField{
				{ID: cfCode, Name: "Repsly client code", Key: "repsly_client_code"},
				{ID: cfVisits, Name: "Visits", DataType: "NUMERICAL"},
			}},
			{ID: loc2, Name: "Other Co", AllowDuplicateContact: true},
		},
		Tokens: []PrivateToken{
			{Token: tok1, LocationID: loc1},
			{Token: tok2, LocationID: loc2},
			{Token: tokRead, LocationID: loc1, Scopes: []string{"contacts.readonly"}},
		},
		ClientID:     clientID,
		ClientSecret: secret,
		Seed:         42,
	}
	for _, m := range mods {
		m(&opts)
	}
	sb := New(opts)
	srv := httptest.NewServer(sb)
	t.Cleanup(func() {
		srv.Close()
		_ = sb.Close()
	})
	client := &http.Client{
		Transport: &validating{t: t, spec: spec, base: http.DefaultTransport},
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
	return &bundle{t: t, sb: sb, srv: srv, clock: clock, http: client}
}

// validating checks every sandbox response against the spec operation it
// answers, and that error bodies carry their status in statusCode.
type validating struct {
	t    *testing.T
	spec *ghlspec.Spec
	base http.RoundTripper
}

func (v *validating) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil {
		reqBody, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
	}
	resp, err := v.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if strings.HasPrefix(req.URL.Path, "/sandbox/") || strings.HasSuffix(req.URL.Path, "/chooselocation") {
		return resp, nil
	}
	if resp.StatusCode >= 400 {
		var eb struct {
			StatusCode int `json:"statusCode"`
		}
		if json.Unmarshal(body, &eb) != nil || eb.StatusCode != resp.StatusCode {
			v.t.Errorf("%s %s: error body %s lacks statusCode %d", req.Method, req.URL.Path, body, resp.StatusCode)
		}
	}
	if _, err := v.spec.FindRoute(req); err != nil {
		return resp, nil // deliberately unknown routes
	}
	if err := v.spec.ValidateResponse(req, reqBody, resp.StatusCode, resp.Header, body); err != nil {
		v.t.Errorf("spec: %v\nbody: %s", err, body)
	}
	return resp, nil
}

// resp is a decoded API answer.
type resp struct {
	status int
	header http.Header
	body   map[string]any
	raw    []byte
}

// req sends a request with the bearer token and Version header given
// (empty: none) and a JSON body (a string is sent as is).
func (b *bundle) req(method, path, token, version string, body any) resp {
	b.t.Helper()
	var rd io.Reader
	ct := "application/json"
	switch v := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(v)
	case url.Values:
		rd = strings.NewReader(v.Encode())
		ct = "application/x-www-form-urlencoded"
	default:
		buf, err := json.Marshal(v)
		if err != nil {
			b.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	r, err := http.NewRequest(method, b.srv.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if rd != nil {
		r.Header.Set("Content-Type", ct)
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	if version != "" {
		r.Header.Set("Version", version)
	}
	hr, err := b.http.Do(r)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer hr.Body.Close()
	raw, _ := io.ReadAll(hr.Body)
	out := resp{status: hr.StatusCode, header: hr.Header, raw: raw}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

// api is req with tok1 and the contacts Version.
func (b *bundle) api(method, path string, body any) resp {
	b.t.Helper()
	return b.req(method, path, tok1, vContacts, body)
}

// must fails the test unless the answer has status want.
func (r resp) must(t *testing.T, want int) resp {
	t.Helper()
	if r.status != want {
		t.Fatalf("status %d, want %d; body %s", r.status, want, r.raw)
	}
	return r
}

func (r resp) obj(key string) map[string]any {
	m, _ := r.body[key].(map[string]any)
	return m
}

func (r resp) list(key string) []any {
	l, _ := r.body[key].([]any)
	return l
}

// messages returns a 422 body's message array.
func (r resp) messages() []string {
	var out []string
	for _, m := range r.list("message") {
		out = append(out, fmt.Sprint(m))
	}
	return out
}

// createContact creates a contact in loc1 through the API and returns its id.
func (b *bundle) createContact(fields map[string]any) string {
	b.t.Helper()
	body := map[string]any{"locationId": loc1}
	for k, v := range fields {
		body[k] = v
	}
	r := b.api("POST", "/contacts/", body).must(b.t, http.StatusCreated)
	return r.obj("contact")["id"].(string)
}

// hookSink records webhook deliveries.
type hookSink struct {
	srv    *httptest.Server
	mu     sync.Mutex
	got    []hookRequest
	status func(n int) int // status for the n-th delivery (from 0); 200 when nil
}

type hookRequest struct {
	header http.Header
	body   []byte
}

func newHookSink(t *testing.T, status func(n int) int) *hookSink {
	h := &hookSink{status: status}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		n := len(h.got)
		h.got = append(h.got, hookRequest{header: r.Header.Clone(), body: body})
		h.mu.Unlock()
		code := http.StatusOK
		if h.status != nil {
			code = h.status(n)
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hookSink) requests() []hookRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]hookRequest(nil), h.got...)
}

// eventTypes lists the types of the sandbox's emitted events.
func eventTypes(evs []Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Type)
	}
	return out
}
