package repslysandbox

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// testNow is the fixed clock of every test server.
var testNow = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

// fakeClock is a settable clock for tests.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// bundle is what most tests need: a server, its HTTP endpoint and helpers.
type bundle struct {
	t     *testing.T
	s     *Server
	ts    *httptest.Server
	clock *fakeClock
	spec  *specChecker
}

// setup starts a sandbox seeded with clients (none when 0) behind httptest.
func setup(t *testing.T, clients int, opts Options) *bundle {
	t.Helper()
	clock := &fakeClock{t: testNow}
	if opts.Clock == nil {
		opts.Clock = clock.now
	}
	s := New(opts)
	if clients >= 0 {
		if err := s.Seed(SeedOptions{Clients: clients, Seed: 42}); err != nil {
			t.Fatal(err)
		}
	}
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return &bundle{t: t, s: s, ts: ts, clock: clock, spec: loadSpec()}
}

// response is a recorded answer.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %.300s: %v", r.body, err)
	}
}

// do sends an authenticated request with the server's credentials and
// checks it and its answer against the spec where the spec is right.
func (b *bundle) do(method, path string, body string) response {
	b.t.Helper()
	u, p := b.s.Credentials()
	return b.doAuth(method, path, body, u, p, "application/json")
}

func (b *bundle) get(path string) response {
	b.t.Helper()
	return b.do(http.MethodGet, path, "")
}

func (b *bundle) post(path, body string) response {
	b.t.Helper()
	return b.do(http.MethodPost, path, body)
}

func (b *bundle) doAuth(method, path, body, user, pass, contentType string) response {
	b.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, b.ts.URL+path, rd)
	if err != nil {
		b.t.Fatal(err)
	}
	if user != "" || pass != "" {
		req.SetBasicAuth(user, pass)
	}
	if body != "" && contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	res, err := b.ts.Client().Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	out := response{status: res.StatusCode, header: res.Header, body: data}
	if b.spec != nil {
		b.spec.check(b.t, b.s, method, path, body, out)
	}
	return out
}

// importJob posts an import and returns the job ID parsed out of the
// documented message.
func (b *bundle) importJob(path, body string) int64 {
	b.t.Helper()
	res := b.post(path, body)
	if res.status != http.StatusOK {
		b.t.Fatalf("POST %s: %d %s", path, res.status, res.body)
	}
	var r Result
	res.decode(b.t, &r)
	const marker = "import job started asynchronously under ID: "
	i := strings.Index(r.Message, marker)
	if r.Code != 0 || i < 0 {
		b.t.Fatalf("POST %s: unexpected result %+v", path, r)
	}
	id, err := strconv.ParseInt(r.Message[i+len(marker):], 10, 64)
	if err != nil {
		b.t.Fatalf("job id in %q: %v", r.Message, err)
	}
	return id
}

// pollJob polls the job status until it is no longer Pending.
func (b *bundle) pollJob(id int64) (st ImportStatus, pendingPolls int) {
	b.t.Helper()
	for range 10 {
		res := b.get("/v3/export/importStatus/" + strconv.FormatInt(id, 10))
		if res.status != http.StatusOK {
			b.t.Fatalf("import status %d: %d %s", id, res.status, res.body)
		}
		res.decode(b.t, &st)
		if st.ImportStatus != ImportPending {
			return st, pendingPolls
		}
		pendingPolls++
	}
	b.t.Fatalf("job %d still pending", id)
	return st, pendingPolls
}

// clientPage is a decoded clients export page.
type clientPage struct {
	MetaCollectionResult TimestampMeta
	Clients              []Client
}

func (b *bundle) clientsAfter(cursor int64) clientPage {
	b.t.Helper()
	var p clientPage
	res := b.get("/v3/export/clients/" + strconv.FormatInt(cursor, 10))
	if res.status != http.StatusOK {
		b.t.Fatalf("clients %d: %d %s", cursor, res.status, res.body)
	}
	res.decode(b.t, &p)
	return p
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
