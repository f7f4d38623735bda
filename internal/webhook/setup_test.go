package webhook_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/fieldbridge/fieldbridge/internal/database"
	"github.com/fieldbridge/fieldbridge/internal/database/databasetest"
	"github.com/fieldbridge/fieldbridge/internal/ghl"
	"github.com/fieldbridge/fieldbridge/internal/store"
	"github.com/fieldbridge/fieldbridge/internal/webhook"
)

// testNow is the fixed clock of every test; delivery timestamps are
// relative to it.
var testNow = time.Date(2026, 3, 4, 12, 0, 0, 0, time.UTC)

const knownLocation = "ve9EPM428h8vShlRW1KT"

// Deterministic keys: seeds instead of crypto/rand keep fuzz failures
// reproducible and cost nothing per test.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

// lockedBuffer collects log output; the handler may log from several
// goroutines in the concurrency test.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// options changes the collaborators of one bundle.
type options struct {
	extraKeys  []crypto.PublicKey
	enqueueErr error // Enqueue writes its job row, then fails with this
	locErr     error // Locations fails with this
}

// bundle is a Handler wired to a fresh database, a fixed clock, a test
// key, its own metrics registry and a log buffer.
type bundle struct {
	h        *webhook.Handler
	store    *store.Store
	key      ed25519.PrivateKey
	received *prometheus.CounterVec
	logs     *lockedBuffer

	mu       sync.Mutex
	asked    []string // locations the handler asked about
	enqueued int      // Enqueue calls, committed or not
}

func setup(t testing.TB, d database.Dialect, opts options) *bundle {
	t.Helper()
	st := store.New(databasetest.Open(t, d))
	key := testKey(1)
	keys := append([]crypto.PublicKey{key.Public()}, opts.extraKeys...)
	v, err := ghl.NewWebhookVerifier(ghl.VerifierOptions{Keys: keys, Clock: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	b := &bundle{store: st, key: key, logs: &lockedBuffer{}}
	b.received = webhook.NewReceivedCounter(prometheus.NewRegistry())
	b.h = &webhook.Handler{
		Verifier: v,
		Store:    st,
		Logger:   slog.New(slog.NewTextHandler(b.logs, nil)),
		Now:      func() time.Time { return testNow },
		Received: b.received,
		Locations: func(_ context.Context, loc string) (bool, error) {
			b.mu.Lock()
			b.asked = append(b.asked, loc)
			b.mu.Unlock()
			if opts.locErr != nil {
				return false, opts.locErr
			}
			return loc == knownLocation, nil
		},
		// The job is a probe row written on tx: it exists after the
		// answer exactly when the inbox row's transaction committed.
		Enqueue: func(ctx context.Context, tx store.Tx, inboxID int64) error {
			b.mu.Lock()
			b.enqueued++
			b.mu.Unlock()
			if _, err := st.InsertProbe(ctx, tx, store.Probe{Note: strconv.FormatInt(inboxID, 10), CreatedAt: testNow}); err != nil {
				return err
			}
			return opts.enqueueErr
		},
	}
	return b
}

// sign returns the X-GHL-Signature value of body under key.
func sign(key ed25519.PrivateKey, body []byte) string {
	return base64.StdEncoding.EncodeToString(ed25519.Sign(key, body))
}

// post sends body with header to the handler and returns the response.
func (b *bundle) post(body []byte, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/hooks/ghl", bytes.NewReader(body))
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v) // canonical keys, as net/http delivers them
		}
	}
	rec := httptest.NewRecorder()
	b.h.ServeHTTP(rec, req)
	return rec
}

// postSigned sends body with a valid Ed25519 signature.
func (b *bundle) postSigned(body []byte) *httptest.ResponseRecorder {
	return b.post(body, http.Header{ghl.HeaderSignature: {sign(b.key, body)}})
}

// inboxRows counts inbox rows of every status.
func (b *bundle) inboxRows(t testing.TB) int {
	t.Helper()
	counts, err := b.store.CountInbox(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// jobs returns the inbox ids of the committed job rows, in insert order.
func (b *bundle) jobs(t testing.TB) []int64 {
	t.Helper()
	rows, err := b.store.DB().QueryContext(context.Background(), `SELECT note FROM probe ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var note string
		if err := rows.Scan(&note); err != nil {
			t.Fatal(err)
		}
		id, err := strconv.ParseInt(note, 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// delivery is a ContactUpdate body as HighLevel sends it; ts is relative
// to testNow.
func delivery(webhookID, location string, ts time.Duration) []byte {
	return []byte(`{"type":"ContactUpdate","locationId":"` + location + `","webhookId":"` + webhookID +
		`","timestamp":"` + testNow.Add(ts).Format("2006-01-02T15:04:05.000Z") +
		`","id":"nmFmQEsNgz6AVpgLVUJ0","email":"ada@example.com","firstName":"Zo\u00eb","tags":["vip"]}`)
}

var errBoom = errors.New("boom")
