package automation_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/fieldbridge/fieldbridge/internal/automation"
	"github.com/fieldbridge/fieldbridge/internal/catalog"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/ghl/ghlsandbox"
	"github.com/fieldbridge/fieldbridge/internal/repsly"
	"github.com/fieldbridge/fieldbridge/internal/store"
)

// flaky answers the nth request whose method and path end match with the
// given status, once; the other requests go to the sandboxes.
type flaky struct {
	mu     sync.Mutex
	method string
	suffix string
	nth    int
	status int
	header http.Header
	seen   int
}

func (f *flaky) RoundTrip(req *http.Request) (*http.Response, error) {
	f.mu.Lock()
	hit := false
	if req.Method == f.method && strings.HasSuffix(req.URL.Path, f.suffix) {
		f.seen++
		hit = f.seen == f.nth
	}
	f.mu.Unlock()
	if !hit {
		return http.DefaultTransport.RoundTrip(req)
	}
	h := http.Header{"Content-Type": {"application/json"}}
	for k, v := range f.header {
		h[k] = v
	}
	return &http.Response{StatusCode: f.status, Header: h, Request: req,
		Body: io.NopCloser(strings.NewReader(`{"statusCode":` + strconv.Itoa(f.status) + `,"message":"injected"}`))}, nil
}

// fixedClients hands out the same two sandbox clients for any connection
// name (but "missing", which does not exist).
type fixedClients struct {
	gc *ghl.Client
	rc *repsly.Client
}

var errNoConnection = errors.New("no such connection")

func (c fixedClients) GHL(_ context.Context, name string) (*ghl.Client, []string, error) {
	if name == "missing" {
		return nil, nil, errNoConnection
	}
	return c.gc, nil, nil
}

func (c fixedClients) Repsly(_ context.Context, name string) (*repsly.Client, error) {
	if name == "missing" {
		return nil, errNoConnection
	}
	return c.rc, nil
}

// runnerWith returns a Runner on b's store whose API calls go through rt
// and whose clock is now.
func (b *bundle) runnerWith(rt http.RoundTripper, now func() time.Time) *automation.Runner {
	b.t.Helper()
	gc, rc := b.env.Clients(&http.Client{Transport: rt, Timeout: 10 * time.Second})
	cat, err := catalog.New(catalog.Options{Now: now})
	if err != nil {
		b.t.Fatal(err)
	}
	return automation.New(automation.Config{Store: b.core.Store, Catalog: cat, Clients: fixedClients{gc, rc}, Now: now})
}

func (b *bundle) cursor(flowName, source string) string {
	b.t.Helper()
	c, err := b.core.Store.GetCursor(b.ctx, b.core.Store.DB(), flowName, source)
	if err != nil {
		b.t.Fatal(err)
	}
	return c
}

// TestPollTransientError: a 5xx on the second record stops the page
// before the cursor moves; the retry reads the page again and skips the
// record the first attempt finished, so no note is made twice.
func TestPollTransientError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-notes-to-ghl-notes", "notes", nil)
	c := b.pair("C-1", "Corner Deli")
	for _, text := range []string{"one", "two", "three"} {
		if _, err := b.env.Repsly.RepAddNote(rep, "C-1", text); err != nil {
			t.Fatal(err)
		}
	}
	r := b.runnerWith(&flaky{method: http.MethodPost, suffix: "/notes", nth: 2, status: http.StatusBadGateway}, time.Now)
	_, err := r.PollPage(b.ctx, "notes", 1)
	if !errors.Is(err, ghl.ErrServer) || automation.Classify(err) != automation.ClassTransient {
		t.Fatalf("PollPage = %v, want a transient server error", err)
	}
	if n := len(b.noteBodies(c.ID)); n != 1 {
		t.Errorf("%d notes after the failed attempt, want 1", n)
	}
	if cur := b.cursor("notes", automation.SourceTrigger); cur != "" {
		t.Errorf("the cursor moved to %q past a failed page", cur)
	}
	runs := b.runs("notes")
	if len(runs) != 1 || runs[0].Status != "failed" || len(runs[0].Records) != 1 || !strings.Contains(runs[0].Error, "502") {
		t.Errorf("runs after the failed attempt = %+v", runs)
	}
	b.pollWith(r, "notes")
	notes := b.noteBodies(c.ID)
	if len(notes) != 3 {
		t.Errorf("notes after the retry = %q, want each of the three once", notes)
	}
	if cur := b.cursor("notes", automation.SourceTrigger); cur == "" {
		t.Error("the cursor did not move after the retry")
	}
	if runs := b.runs("notes"); len(runs) < 2 || runs[1].Status != "succeeded" || len(runs[1].Records) != 2 {
		t.Errorf("runs after the retry = %+v", runs)
	}
}

// TestPollRateLimit: a 429 stops the page with the wait HighLevel named,
// for the job to snooze.
func TestPollRateLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-notes-to-ghl-notes", "notes", nil)
	b.pair("C-1", "Corner Deli")
	if _, err := b.env.Repsly.RepAddNote(rep, "C-1", "hello"); err != nil {
		t.Fatal(err)
	}
	r := b.runnerWith(&flaky{method: http.MethodPost, suffix: "/notes", nth: 1, status: http.StatusTooManyRequests,
		header: http.Header{"Retry-After": {"7"}}}, time.Now)
	_, err := r.PollPage(b.ctx, "notes", 1)
	var rl *ghl.RateLimitError
	if !errors.As(err, &rl) || rl.RetryAfter != 7*time.Second {
		t.Fatalf("PollPage = %v, want a rate limit error asking for 7s", err)
	}
	if cur := b.cursor("notes", automation.SourceTrigger); cur != "" {
		t.Errorf("the cursor moved to %q", cur)
	}
}

// TestPollConnectionError: a trigger on an unusable connection stops
// before anything moves.
func TestPollConnectionError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-notes-to-ghl-notes", "notes", map[string]string{"repsly_connection": "missing"})
	r := b.runnerWith(http.DefaultTransport, time.Now)
	_, err := r.PollPage(b.ctx, "notes", 1)
	if !errors.Is(err, errNoConnection) || automation.Classify(err) != automation.ClassConnection {
		t.Fatalf("PollPage = %v, want a connection error", err)
	}
	if b.cursor("notes", "trigger.polled_at") != "" {
		t.Error("a failed poll counted as polled")
	}
}

// TestPollNotRunnable: disabled, sync and unknown flows poll nothing.
func TestPollNotRunnable(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-notes-to-ghl-notes", "off", nil)
	if err := b.core.Store.SetFlowEnabled(b.ctx, b.core.Store.DB(), "off", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	b.apply("ghl-lead-to-repsly-client", "hook", nil)
	for _, name := range []string{"off", "hook", "nope"} {
		more, err := b.runner.PollPage(b.ctx, name, 1)
		if more || err != nil {
			t.Errorf("PollPage(%s) = %t, %v; want nothing", name, more, err)
		}
	}
}

// TestDuePolls: a poll flow is due when its interval has passed since its
// last poll; webhook, sync and disabled flows never are.
func TestDuePolls(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("repsly-client-notes-to-ghl-notes", "notes", map[string]string{"poll_interval": "10m"})
	b.apply("repsly-forms-to-ghl", "forms", nil) // 10m by default
	b.apply("ghl-lead-to-repsly-client", "hook", nil)
	b.apply("repsly-ghl-two-way-sync", "sync", nil)
	b.apply("repsly-visits-to-ghl-notes", "off", nil)
	if err := b.core.Store.SetFlowEnabled(b.ctx, b.core.Store.DB(), "off", false, time.Now()); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Now().UTC()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	r := b.runnerWith(http.DefaultTransport, clock)
	due := func() string {
		t.Helper()
		names, err := r.DuePolls(b.ctx)
		if err != nil {
			t.Fatal(err)
		}
		return strings.Join(names, ",")
	}
	if got := due(); got != "forms,notes" {
		t.Errorf("never polled: due %q", got)
	}
	if _, err := r.PollPage(b.ctx, "notes", 1); err != nil {
		t.Fatal(err)
	}
	if got := due(); got != "forms" {
		t.Errorf("just polled notes: due %q", got)
	}
	advance(10 * time.Minute)
	if got := due(); got != "forms,notes" {
		t.Errorf("10m later: due %q", got)
	}
}

// TestHandleEventOnce: a delivery runs the matching flows once, even when
// handed in again (a retried job), and not those of other event types or
// locations.
func TestHandleEventOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("ghl-tag-to-repsly-visit", "tag", nil)
	b.apply("ghl-lead-to-repsly-client", "lead", nil)
	c := b.pair("C-1", "Corner Deli")
	if _, err := b.env.GHL.UserAddTag(c.ID, "visit-requested"); err != nil {
		t.Fatal(err)
	}
	ev := b.deliver("ContactTagUpdate")
	if err := b.runner.HandleEvent(b.ctx, ev, 2); err != nil {
		t.Fatal(err)
	}
	if runs := b.runs("tag"); len(runs) != 1 || runs[0].Kind != "webhook:ContactTagUpdate" {
		t.Errorf("tag flow runs = %+v, want one", runs)
	}
	if runs := b.runs("lead"); len(runs) != 0 {
		t.Errorf("the ContactCreate flow ran on a ContactTagUpdate: %+v", runs)
	}
	other := ev
	other.ID, other.LocationID = ev.ID+1000, "another-location"
	if err := b.runner.HandleEvent(b.ctx, other, 1); err != nil {
		t.Fatal(err)
	}
	if runs := b.runs("tag"); len(runs) != 1 {
		t.Errorf("a delivery of another location ran the flow: %+v", runs)
	}
}

// TestHandleEventTransient: a 5xx leaves the delivery unmarked for the
// retry, which then runs it.
func TestHandleEventTransient(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("ghl-lead-to-repsly-client", "lead", nil)
	lead := b.contact(ghlsandbox.Contact{FirstName: "Ana", LastName: "Li", Email: "ana@example.com"}, "")
	ev := b.latest("ContactCreate")
	r := b.runnerWith(&flaky{method: http.MethodPut, suffix: "/contacts/" + lead.ID, nth: 1, status: http.StatusServiceUnavailable}, time.Now)
	err := r.HandleEvent(b.ctx, ev, 1)
	if !errors.Is(err, ghl.ErrServer) {
		t.Fatalf("HandleEvent = %v, want the server error", err)
	}
	if runs := b.runs("lead"); len(runs) != 0 {
		t.Errorf("a transient failure was written as done: %+v", runs)
	}
	if err := r.HandleEvent(b.ctx, ev, 2); err != nil {
		t.Fatal(err)
	}
	if c, ok := b.contactByCode("GHL-" + lead.ID); !ok || c.ID != lead.ID {
		t.Error("the retry did not finish the flow")
	}
	if runs := b.runs("lead"); len(runs) != 1 || runs[0].Status != "succeeded" {
		t.Errorf("runs = %+v", runs)
	}
}

// TestHandleEventConnectionError: a flow whose connection is gone records
// the failure and lets the delivery go on to the other flows.
func TestHandleEventConnectionError(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.apply("ghl-lead-to-repsly-client", "broken", map[string]string{"repsly_connection": "missing"})
	b.apply("ghl-lead-to-repsly-client", "lead", nil)
	lead := b.contact(ghlsandbox.Contact{FirstName: "Ana", LastName: "Li", Email: "ana@example.com"}, "")
	ev := b.latest("ContactCreate")
	r := b.runnerWith(http.DefaultTransport, time.Now)
	if err := r.HandleEvent(b.ctx, ev, 1); err != nil {
		t.Fatal(err)
	}
	runs := b.runs("broken")
	if len(runs) != 1 || runs[0].Status != "failed" || !strings.Contains(runs[0].Error, "missing") {
		t.Errorf("broken flow runs = %+v", runs)
	}
	if _, ok := b.env.Repsly.Client("GHL-" + lead.ID); !ok {
		t.Error("the working flow did not run")
	}
}

// latest stores the latest event of the type in the inbox without
// handling it.
func (b *bundle) latest(eventType string) store.InboxEvent {
	b.t.Helper()
	evs := b.env.GHL.Events()
	for j := len(evs) - 1; j >= 0; j-- {
		if evs[j].Type != eventType {
			continue
		}
		in := store.InboxEvent{Source: "ghl", LocationID: evs[j].LocationID, EventID: evs[j].WebhookID, EventType: evs[j].Type,
			Body: string(evs[j].Body), ReceivedAt: time.Now()}
		err := b.core.Store.InTx(b.ctx, func(tx store.Tx) error {
			id, err := b.core.Store.InsertInboxEvent(b.ctx, tx, in)
			in.ID = id
			return err
		})
		if err != nil {
			b.t.Fatal(err)
		}
		return in
	}
	b.t.Fatalf("no %s event", eventType)
	return store.InboxEvent{}
}
