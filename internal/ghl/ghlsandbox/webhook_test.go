package ghlsandbox

import (
	"context"
	"crypto"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"
)

func flush(t *testing.T, sb *Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := sb.Flush(ctx); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

func fetchPEM(t *testing.T, b *bundle, path string) any {
	t.Helper()
	resp, err := b.http.Get(b.srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	block, _ := pem.Decode(raw)
	if block == nil || block.Type != "PUBLIC KEY" {
		t.Fatalf("%s: no PEM public key in %q", path, raw)
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestWebhookSigning(t *testing.T) {
	t.Parallel()
	sink := newHookSink(t, nil)
	b := setup(t, func(o *Options) { o.WebhookURLs = []string{sink.srv.URL} })
	id := b.createContact(map[string]any{"firstName": "Sig", "email": "sig@example.com"})
	flush(t, b.sb)
	got := sink.requests()
	if len(got) != 1 {
		t.Fatalf("%d deliveries", len(got))
	}
	pub := fetchPEM(t, b, "/sandbox/webhook-public-key").(ed25519.PublicKey)
	if !pub.Equal(b.sb.WebhookPublicKey()) {
		t.Error("served key differs from WebhookPublicKey")
	}
	sig, err := base64.StdEncoding.DecodeString(got[0].header.Get("x-ghl-signature"))
	if err != nil || !ed25519.Verify(pub, got[0].body, sig) {
		t.Fatalf("x-ghl-signature does not verify: %v", err)
	}
	if got[0].header.Get("x-wh-signature") != "" {
		t.Error("legacy signature sent while off")
	}
	var p map[string]any
	if err := json.Unmarshal(got[0].body, &p); err != nil {
		t.Fatal(err)
	}
	if p["type"] != "ContactCreate" || p["locationId"] != loc1 || p["id"] != id || p["webhookId"] == "" ||
		p["timestamp"] != "2026-03-02T14:00:00.000Z" || p["email"] != "sig@example.com" {
		t.Errorf("payload %s", got[0].body)
	}
	if !slices.Equal(b.sb.Events()[0].Body, got[0].body) {
		t.Error("Events body differs from the delivered body")
	}
	tampered := append([]byte(nil), got[0].body...)
	tampered[len(tampered)-2] ^= 1
	if ed25519.Verify(pub, tampered, sig) {
		t.Error("tampered body verifies")
	}
}

func TestWebhookLegacyRSASignature(t *testing.T) {
	t.Parallel()
	sink := newHookSink(t, nil)
	b := setup(t, func(o *Options) {
		o.WebhookURLs = []string{sink.srv.URL}
		o.LegacyRSASignature = true
	})
	b.createContact(nil)
	flush(t, b.sb)
	got := sink.requests()[0]
	pub := fetchPEM(t, b, "/sandbox/webhook-rsa-public-key").(*rsa.PublicKey)
	sig, _ := base64.StdEncoding.DecodeString(got.header.Get("x-wh-signature"))
	sum := sha256.Sum256(got.body)
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Errorf("x-wh-signature: %v", err)
	}
}

func TestWebhookNoRetryOn5xx(t *testing.T) {
	t.Parallel()
	sink := newHookSink(t, func(int) int { return http.StatusInternalServerError })
	b := setup(t, func(o *Options) { o.WebhookURLs = []string{sink.srv.URL} })
	id := b.createContact(nil)
	b.api("POST", "/contacts/"+id+"/notes", map[string]any{"body": "x"}).must(t, 201)
	flush(t, b.sb)
	if n := len(sink.requests()); n != 2 {
		t.Errorf("%d requests, want 2 (no retries)", n)
	}
	for _, d := range b.sb.Deliveries() {
		if d.Status != 500 || d.Attempt != 1 {
			t.Errorf("delivery %+v", d)
		}
	}
}

func TestWebhookNoRetryOnTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })
	b := setup(t, func(o *Options) {
		o.WebhookURLs = []string{slow.URL}
		o.WebhookTimeout = 50 * time.Millisecond
	})
	b.createContact(nil)
	flush(t, b.sb)
	ds := b.sb.Deliveries()
	if len(ds) != 1 || ds[0].Err == "" || ds[0].Status != 0 {
		t.Errorf("deliveries %+v", ds)
	}
}

func TestWebhookRetryOn429(t *testing.T) {
	t.Parallel()
	sink := newHookSink(t, func(n int) int {
		if n < 2 {
			return http.StatusTooManyRequests
		}
		return http.StatusOK
	})
	b := setup(t, func(o *Options) {
		o.WebhookURLs = []string{sink.srv.URL}
		o.WebhookRetryDelay = time.Millisecond
	})
	b.createContact(nil)
	flush(t, b.sb)
	var attempts []int
	for _, d := range b.sb.Deliveries() {
		attempts = append(attempts, d.Attempt)
	}
	if !slices.Equal(attempts, []int{1, 2, 3}) || len(sink.requests()) != 3 {
		t.Errorf("attempts %v", attempts)
	}
}

func TestWebhookOrderAndURLs(t *testing.T) {
	t.Parallel()
	a, c := newHookSink(t, nil), newHookSink(t, nil)
	b := setup(t)
	b.createContact(nil) // no URL yet: recorded, not delivered
	b.sb.SetWebhookURLs(a.srv.URL, c.srv.URL)
	id := b.createContact(nil)
	b.api("POST", "/contacts/"+id+"/tags", map[string]any{"tags": []string{"x"}}).must(t, 201)
	b.api("DELETE", "/contacts/"+id, nil).must(t, 200)
	flush(t, b.sb)
	for _, sink := range []*hookSink{a, c} {
		var types []string
		for _, r := range sink.requests() {
			var p struct{ Type string }
			_ = json.Unmarshal(r.body, &p)
			types = append(types, p.Type)
		}
		if want := []string{"ContactCreate", "ContactTagUpdate", "ContactDelete"}; !slices.Equal(types, want) {
			t.Errorf("delivered %v, want %v", types, want)
		}
	}
	if n := len(b.sb.Events()); n != 4 {
		t.Errorf("%d events", n)
	}
}

func TestWebhookDropAndDuplicateAreDeterministic(t *testing.T) {
	t.Parallel()
	run := func(seed uint64) string {
		sink := newHookSink(t, nil)
		sb := New(Options{Seed: seed, WebhookURLs: []string{sink.srv.URL},
			Faults: Faults{WebhookDropRate: 0.3, WebhookDuplicateRate: 0.3}})
		defer sb.Close()
		for i := range 30 {
			if _, err := sb.UserCreateContact(Contact{FirstName: fmt.Sprint("C", i)}); err != nil {
				t.Fatal(err)
			}
		}
		flush(t, sb)
		pattern := ""
		for _, d := range sb.Deliveries() {
			switch {
			case d.Dropped:
				pattern += "x"
			case d.Duplicate:
				pattern += "2"
			default:
				pattern += "."
			}
		}
		if len(sink.requests()) != len(pattern)-countRune(pattern, 'x') {
			t.Errorf("sink got %d requests for pattern %s", len(sink.requests()), pattern)
		}
		if dropped, duplicated := sb.WebhookFaults(); dropped != countRune(pattern, 'x') || duplicated != countRune(pattern, '2') {
			t.Errorf("WebhookFaults = %d dropped, %d duplicated; pattern %s", dropped, duplicated, pattern)
		}
		return pattern
	}
	p1, p2, p3 := run(7), run(7), run(8)
	if p1 != p2 {
		t.Errorf("same seed, different faults:\n%s\n%s", p1, p2)
	}
	if p1 == p3 {
		t.Errorf("different seeds, same faults: %s", p1)
	}
	if countRune(p1, 'x') == 0 || countRune(p1, '2') == 0 {
		t.Errorf("pattern %s has no drop or no duplicate", p1)
	}
}

func countRune(s string, r rune) int {
	n := 0
	for _, c := range s {
		if c == r {
			n++
		}
	}
	return n
}

func TestCloseStopsDeliveries(t *testing.T) {
	t.Parallel()
	sink := newHookSink(t, nil)
	sb := New(Options{WebhookURLs: []string{sink.srv.URL}})
	if err := sb.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := sb.UserCreateContact(Contact{FirstName: "Late"}); err != nil {
		t.Fatal(err)
	}
	flush(t, sb)
	if len(sink.requests()) != 0 || len(sb.Deliveries()) != 0 {
		t.Error("delivered after Close")
	}
	if err := sb.Close(); err != nil {
		t.Error("second Close:", err)
	}
}

func TestHistoryKeepsLatest(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1, maxHistory - 1, maxHistory, maxHistory + 1, 2*maxHistory + 7, 5 * maxHistory} {
		var h history[int]
		for i := range n {
			h.add(i)
		}
		got := h.list()
		want := min(n, maxHistory)
		if len(got) != want {
			t.Fatalf("n=%d: kept %d, want %d", n, len(got), want)
		}
		for i, v := range got {
			if v != n-want+i {
				t.Fatalf("n=%d: item %d is %d, want %d", n, i, v, n-want+i)
			}
		}
	}
}
