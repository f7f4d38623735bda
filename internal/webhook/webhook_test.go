package webhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/webhook"
)

// TestAccepted checks invariant 1 on the happy path: the 200 comes after
// the raw body, byte for byte, and its job are committed.
func TestAccepted(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d, options{})
			// Odd spacing, key order and an escape: a re-encoded body
			// would differ.
			body := []byte("{ \"webhookId\":\"wh-1\",\"type\":\"ContactUpdate\", \"locationId\":\"" + knownLocation +
				"\",\"timestamp\":\"2026-03-04T11:59:30.000Z\",\"firstName\":\"Zo\\u00eb\",\"note\":\"Ünïcödé\" }\n")
			rec := b.postSigned(body)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d %q, want 200", rec.Code, rec.Body)
			}
			jobs := b.jobs(t)
			if len(jobs) != 1 || b.inboxRows(t) != 1 {
				t.Fatalf("%d jobs, %d inbox rows; want 1 and 1", len(jobs), b.inboxRows(t))
			}
			ev, err := b.store.GetInboxEvent(t.Context(), b.store.DB(), jobs[0])
			if err != nil {
				t.Fatal(err)
			}
			if ev.Body != string(body) {
				t.Errorf("stored body %q, want %q", ev.Body, body)
			}
			if ev.Source != "ghl" || ev.EventID != "wh-1" || ev.EventType != ghl.EventContactUpdate ||
				ev.LocationID != knownLocation || ev.Status != "pending" || !ev.ReceivedAt.Equal(testNow) {
				t.Errorf("stored %+v", ev)
			}
			if got := testutil.ToFloat64(b.received.WithLabelValues("accepted")); got != 1 {
				t.Errorf("accepted counter %v, want 1", got)
			}
			if b.asked[0] != knownLocation {
				t.Errorf("asked about location %q", b.asked[0])
			}
		})
	}
}

// TestDuplicate: HighLevel redelivers with the same webhookId; the second
// copy is acknowledged without a second row or job.
func TestDuplicate(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d, options{})
			first := delivery("wh-dup", knownLocation, 0)
			// A redelivery may carry a new timestamp: the id decides.
			second := delivery("wh-dup", knownLocation, time.Minute)
			for i, body := range [][]byte{first, second, first} {
				if rec := b.postSigned(body); rec.Code != http.StatusOK {
					t.Fatalf("delivery %d: status %d, want 200", i, rec.Code)
				}
			}
			if n, jobs := b.inboxRows(t), b.jobs(t); n != 1 || len(jobs) != 1 {
				t.Fatalf("%d inbox rows, %d jobs; want 1 and 1", n, len(jobs))
			}
			ev, err := b.store.GetInboxEvent(t.Context(), b.store.DB(), b.jobs(t)[0])
			if err != nil {
				t.Fatal(err)
			}
			if ev.Body != string(first) {
				t.Errorf("duplicate replaced the stored body")
			}
			if got := testutil.ToFloat64(b.received.WithLabelValues("accepted")); got != 1 {
				t.Errorf("accepted %v, want 1", got)
			}
			if got := testutil.ToFloat64(b.received.WithLabelValues("duplicate")); got != 2 {
				t.Errorf("duplicate %v, want 2", got)
			}
		})
	}
}

// TestConcurrentDuplicates: copies of one delivery racing each other end
// in one row and one job, and every copy is acknowledged.
func TestConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d, options{})
			body := delivery("wh-race", knownLocation, 0)
			const copies = 8
			codes := make(chan int, copies)
			var wg sync.WaitGroup
			for range copies {
				wg.Go(func() { codes <- b.postSigned(body).Code })
			}
			wg.Wait()
			close(codes)
			for c := range codes {
				if c != http.StatusOK {
					t.Errorf("status %d, want 200; logs:\n%s", c, b.logs)
				}
			}
			if n, jobs := b.inboxRows(t), b.jobs(t); n != 1 || len(jobs) != 1 {
				t.Fatalf("%d inbox rows, %d jobs; want 1 and 1", n, len(jobs))
			}
			if a, dup := testutil.ToFloat64(b.received.WithLabelValues("accepted")),
				testutil.ToFloat64(b.received.WithLabelValues("duplicate")); a != 1 || dup != copies-1 {
				t.Errorf("accepted %v, duplicate %v; want 1 and %d", a, dup, copies-1)
			}
		})
	}
}

// TestLegacyRSA: deliveries signed only with X-WH-Signature are accepted
// until HighLevel retires it.
func TestLegacyRSA(t *testing.T) {
	t.Parallel()
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d, options{extraKeys: []crypto.PublicKey{&rk.PublicKey}})
			body := delivery("wh-rsa", knownLocation, 0)
			digest := sha256.Sum256(body)
			sig, err := rsa.SignPKCS1v15(rand.Reader, rk, crypto.SHA256, digest[:])
			if err != nil {
				t.Fatal(err)
			}
			rec := b.post(body, http.Header{ghl.HeaderLegacySignature: {base64.StdEncoding.EncodeToString(sig)}})
			if rec.Code != http.StatusOK || b.inboxRows(t) != 1 || len(b.jobs(t)) != 1 {
				t.Fatalf("status %d, %d rows, %d jobs; want 200, 1, 1", rec.Code, b.inboxRows(t), len(b.jobs(t)))
			}
		})
	}
}

// TestMaxBodyBoundary: a signed delivery of exactly MaxBody bytes is
// accepted; one byte more is refused before its signature is looked at.
func TestMaxBodyBoundary(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			b := setup(t, d, options{})
			body := delivery("wh-big", knownLocation, 0)
			body = append(body, bytes.Repeat([]byte(" "), webhook.MaxBody-len(body))...)
			if rec := b.postSigned(body); rec.Code != http.StatusOK {
				t.Fatalf("%d bytes: status %d %q, want 200", len(body), rec.Code, rec.Body)
			}
			body = append(body, ' ')
			if rec := b.postSigned(body); rec.Code != http.StatusRequestEntityTooLarge {
				t.Fatalf("%d bytes: status %d, want 413", len(body), rec.Code)
			}
			if n := b.inboxRows(t); n != 1 {
				t.Errorf("%d inbox rows, want 1", n)
			}
		})
	}
}

// TestRefused: every refusal answers its status and leaves nothing behind
// but a log line and one count under its outcome.
func TestRefused(t *testing.T) {
	t.Parallel()
	other := testKey(2)
	valid := delivery("wh-1", knownLocation, 0)
	latin1 := bytes.Replace(valid, []byte("Zo\\u00eb"), []byte("Zo\xeb"), 1)
	if bytes.Equal(latin1, valid) {
		t.Fatal("latin1 body equals the valid one")
	}
	signedBy := func(body []byte) http.Header {
		return http.Header{ghl.HeaderSignature: {sign(testKey(1), body)}}
	}
	tests := []struct {
		name    string
		body    []byte
		header  http.Header
		opts    options
		status  int
		outcome string
	}{
		{name: "forged signature", body: valid, header: http.Header{ghl.HeaderSignature: {sign(other, valid)}},
			status: http.StatusUnauthorized, outcome: "bad_signature"},
		{name: "garbage signature", body: valid, header: http.Header{ghl.HeaderSignature: {"not base64!"}},
			status: http.StatusUnauthorized, outcome: "bad_signature"},
		{name: "forged legacy signature", body: valid, header: http.Header{ghl.HeaderLegacySignature: {sign(other, valid)}},
			status: http.StatusUnauthorized, outcome: "bad_signature"},
		{name: "missing signature", body: valid, header: http.Header{},
			status: http.StatusUnauthorized, outcome: "bad_signature"},
		{name: "signature over a different body", body: valid,
			header: signedBy(delivery("wh-2", knownLocation, 0)),
			status: http.StatusUnauthorized, outcome: "bad_signature"},
		{name: "stale timestamp", body: delivery("wh-1", knownLocation, -10*time.Minute),
			header: signedBy(delivery("wh-1", knownLocation, -10*time.Minute)),
			status: http.StatusUnauthorized, outcome: "stale"},
		{name: "future timestamp", body: delivery("wh-1", knownLocation, 10*time.Minute),
			header: signedBy(delivery("wh-1", knownLocation, 10*time.Minute)),
			status: http.StatusUnauthorized, outcome: "stale"},
		{name: "no timestamp", body: []byte(`{"type":"ContactUpdate","locationId":"` + knownLocation + `","webhookId":"wh-1"}`),
			header: signedBy([]byte(`{"type":"ContactUpdate","locationId":"` + knownLocation + `","webhookId":"wh-1"}`)),
			status: http.StatusUnauthorized, outcome: "stale"},
		{name: "body over 1 MiB", body: bytes.Repeat([]byte("{"), webhook.MaxBody+1),
			header: signedBy(bytes.Repeat([]byte("{"), webhook.MaxBody+1)),
			status: http.StatusRequestEntityTooLarge, outcome: "too_large"},
		{name: "malformed JSON", body: valid[:len(valid)-1], header: signedBy(valid[:len(valid)-1]),
			status: http.StatusBadRequest, outcome: "malformed"},
		{name: "not an object", body: []byte(`["ContactUpdate"]`), header: signedBy([]byte(`["ContactUpdate"]`)),
			status: http.StatusBadRequest, outcome: "malformed"},
		{name: "empty body", body: nil, header: signedBy(nil),
			status: http.StatusBadRequest, outcome: "malformed"},
		// PostgreSQL would refuse the insert (503) where SQLite stores it.
		{name: "invalid UTF-8", body: latin1, header: signedBy(latin1),
			status: http.StatusBadRequest, outcome: "malformed"},
		{name: "no webhookId", body: delivery("", knownLocation, 0), header: signedBy(delivery("", knownLocation, 0)),
			status: http.StatusBadRequest, outcome: "no_id"},
		{name: "unknown location", body: delivery("wh-1", "elsewhere", 0), header: signedBy(delivery("wh-1", "elsewhere", 0)),
			status: http.StatusNotFound, outcome: "unknown_location"},
		{name: "locations error", body: valid, header: signedBy(valid), opts: options{locErr: errBoom},
			status: http.StatusServiceUnavailable, outcome: "store_error"},
		// Enqueue writes its job row and then fails: the rollback must
		// take the inbox row and the job row with it.
		{name: "enqueue error", body: valid, header: signedBy(valid), opts: options{enqueueErr: errBoom},
			status: http.StatusServiceUnavailable, outcome: "store_error"},
	}
	for _, d := range databasetest.Dialects() {
		for _, tt := range tests {
			t.Run(string(d)+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				b := setup(t, d, tt.opts)
				rec := b.post(tt.body, tt.header)
				if rec.Code != tt.status {
					t.Fatalf("status %d %q, want %d", rec.Code, rec.Body, tt.status)
				}
				if n, jobs := b.inboxRows(t), b.jobs(t); n != 0 || len(jobs) != 0 {
					t.Errorf("%d inbox rows, %d jobs left behind; want none", n, len(jobs))
				}
				// Count the series before WithLabelValues creates one.
				if n := testutil.CollectAndCount(b.received); n != 1 {
					t.Errorf("%d outcomes counted, want only %s", n, tt.outcome)
				}
				if got := testutil.ToFloat64(b.received.WithLabelValues(tt.outcome)); got != 1 {
					t.Errorf("%s counter %v, want 1", tt.outcome, got)
				}
				logs := b.logs.String()
				if !strings.Contains(logs, "webhook refused") || !strings.Contains(logs, "outcome="+tt.outcome) {
					t.Errorf("no refusal logged: %q", logs)
				}
				if tt.opts.enqueueErr != nil && b.enqueued != 1 {
					t.Errorf("Enqueue called %d times, want 1", b.enqueued)
				}
			})
		}
	}
}

// TestRefusedThenAccepted: a refused delivery does not poison its
// webhookId; the valid copy that follows is stored.
func TestRefusedThenAccepted(t *testing.T) {
	t.Parallel()
	for _, d := range databasetest.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			t.Parallel()
			fail := true
			b := setup(t, d, options{})
			enqueue := b.h.Enqueue
			b.h.Enqueue = func(ctx context.Context, tx store.Tx, id int64) error {
				if err := enqueue(ctx, tx, id); err != nil || fail {
					return errBoom
				}
				return nil
			}
			body := delivery("wh-retry", knownLocation, 0)
			if rec := b.postSigned(body); rec.Code != http.StatusServiceUnavailable {
				t.Fatalf("status %d, want 503", rec.Code)
			}
			fail = false
			if rec := b.postSigned(body); rec.Code != http.StatusOK {
				t.Fatalf("status %d, want 200", rec.Code)
			}
			if n, jobs := b.inboxRows(t), b.jobs(t); n != 1 || len(jobs) != 1 {
				t.Fatalf("%d inbox rows, %d jobs; want 1 and 1", n, len(jobs))
			}
		})
	}
}
